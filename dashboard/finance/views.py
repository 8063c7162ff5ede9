"""Finance's actions on the order page: mark a bank transfer order paid, record that an on-account invoice was
paid, pay an order held for a failed payment with a new card.

Each answers on the order page (``dashboard.orders.views.detail``): a message, or the page again with the
form open and its errors beside the fields. Mark paid is posted to the order page's transition URL with
``name=mark_paid``, which hands it here.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from dashboard.finance.forms import CardRetryForm, FundsReceivedForm, InvoicePaymentForm, MarkPaidForm
from dashboard.orders.views.detail import form_again, order_id_or_404, to_detail
from oms.access import staff_required
from oms.page_actions import page_action
from orders import services
from orders.models import Order, OrderStatus


@require_POST
@staff_required("orders.view_order", "orders.mark_paid")
def order_mark_paid_view(request: HttpRequest, number: str) -> HttpResponse:
    """Finance marks a bank transfer order paid, with the day the funds arrived and the bank's reference."""
    return _finance_action(
        request,
        number,
        MarkPaidForm(request.POST),
        act=_funds_received(request, services.order_mark_paid),
        told=lambda order: f"Mark paid: order {order.number} is now {order.get_status_display().lower()}.",
        possible=services.mark_paid_possible,
    )


@require_POST
@staff_required("orders.view_order", "orders.mark_paid")
def order_invoice_settle_view(request: HttpRequest, number: str) -> HttpResponse:
    """Finance records that the customer paid the order's on-account invoice."""
    return _finance_action(
        request,
        number,
        InvoicePaymentForm(request.POST),
        act=_funds_received(request, services.order_invoice_settle),
        told=lambda order: f"Invoice payment recorded: order {order.number} is paid ({order.total} {order.currency}).",
        possible=services.invoice_settle_possible,
    )


@require_POST
@staff_required("orders.view_order", "orders.release_order")
def order_payment_retry_view(request: HttpRequest, number: str) -> HttpResponse:
    """The desk pays an order held for a failed payment with a new card; the answer comes at once."""
    return _finance_action(
        request,
        number,
        CardRetryForm(request.POST),
        act=lambda order_id, data: services.order_payment_retry(
            order_id=order_id, token=data["token"], actor=request.user.get_username(), user=request.user
        ),
        told=_retry_outcome,
        possible=services.payment_retry_possible,
    )


def _funds_received(request: HttpRequest, service: Callable[..., Order]) -> Callable[[int, dict], Order]:
    """Money that arrived outside a gateway: ``service`` records the day it arrived and the bank's reference."""
    return lambda order_id, data: service(
        order_id=order_id, user=request.user, received_on=data["received_on"], reference=data["reference"]
    )


def _finance_action(
    request: HttpRequest,
    number: str,
    form: FundsReceivedForm | CardRetryForm,
    *,
    act: Callable[[int, dict], Order],
    told: Callable[[Order], str | tuple[int, str]],
    possible: Callable[..., bool],
) -> HttpResponse:
    """Form → ``act`` (the service) → the message ``told`` gives → the order page; bad input beside the fields.

    A refusal (wrong state, already done) is a message on the order page; a busy order says try again. The
    form is open on the page again under its prefix (``paid``, ``invoice``, ``retry``).
    """
    order_id = order_id_or_404(number)
    return page_action(
        request,
        form=form,
        act=lambda: act(order_id, form.cleaned_data),
        told=told,
        back=lambda: to_detail(number),
        again=lambda form: form_again(request, number, form.prefix, form, possible=possible),
    )


def _retry_outcome(order: Order) -> tuple[int, str]:
    if order.status == OrderStatus.ON_HOLD:
        return (
            messages.ERROR,
            f"The new card did not pay either: {order.hold_note} Order {order.number} is on hold again.",
        )
    if order.status == OrderStatus.CREDIT_APPROVED:
        return messages.WARNING, (
            f"The card gateway did not answer yet; order {order.number} is paid automatically once it does."
        )
    return messages.SUCCESS, (
        f"The new card was authorized: order {order.number} is {order.get_status_display().lower()}."
    )
