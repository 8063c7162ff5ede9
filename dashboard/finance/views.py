"""Finance's actions on the order page: mark a bank transfer order paid, record that an on-account invoice was
paid, pay an order held for a failed payment with a new card.

The three are one page action (``_order_form_view``): a form under its prefix (``paid``, ``invoice``, ``retry``)
→ one service → a message on the order page (``dashboard.orders.views.detail``), or the page again with the
form open and its errors beside the fields. They differ only in the permission, the form, the service, the
message and whether the action is still open. Mark paid is posted to the order page's transition URL with
``name=mark_paid``, which hands it here.
"""

import csv
from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from dashboard.finance.forms import CardRetryForm, InvoicePaymentForm, MarkPaidForm
from dashboard.finance.selectors import AWAITING_SORTS, days_waiting, invoice_ageing, orders_awaiting_funds
from dashboard.orders.views.detail import form_again, order_id_or_404, to_detail
from oms.access import staff_required
from oms.db_router import read_from_replica
from oms.page_actions import page_action
from orders import services
from orders.models import Order, OrderStatus
from orders.services.finance import order_invoice_pdf
from payments.selectors import payment_latest_for_order

Act = Callable[[HttpRequest, int, dict], Order]


def _order_form_view(permission: str, form_class, act: Act, told: Callable, possible: Callable[..., bool]):
    """A POST view: ``form_class`` → ``act(request, order_id, data)`` → the message ``told(order)`` gives.

    A refusal (wrong state, already done) is a message on the order page; a busy order says try again; bad input
    opens the form on the page again, or says there is nothing to do when ``possible(order=...)`` is false now.
    """

    @require_POST
    @staff_required("orders.view_order", permission)
    def view(request: HttpRequest, number: str) -> HttpResponse:
        order_id = order_id_or_404(number)
        form = form_class(request.POST)
        return page_action(
            request,
            form=form,
            act=lambda: act(request, order_id, form.cleaned_data),
            told=told,
            back=lambda: to_detail(number),
            again=lambda form: form_again(request, number, form.prefix, form, possible=possible),
        )

    return view


def _funds_received(service: Callable[..., Order]) -> Act:
    """Money that arrived outside a gateway: ``service`` records the day it arrived, the bank's reference and
    the amount (empty: all that is due)."""
    return lambda request, order_id, data: service(
        order_id=order_id,
        user=request.user,
        received_on=data["received_on"],
        reference=data["reference"],
        amount=data.get("amount"),
    )


def _part_paid(order: Order) -> str:
    """The message of a part payment, or "" when the order's payment is paid in full."""
    payment = payment_latest_for_order(order_id=order.pk)
    if payment is None or not payment.part_paid:
        return ""
    return (
        f"Part payment recorded: order {order.number} is paid {payment.received_amount} of {payment.amount} "
        f"{payment.currency}, balance due {payment.balance_due} {payment.currency}."
    )


def _card_retried(request: HttpRequest, order_id: int, data: dict) -> Order:
    return services.order_payment_retry(
        order_id=order_id, token=data["token"], actor=request.user.get_username(), user=request.user
    )


def _paid(order: Order) -> str:
    if part := _part_paid(order):
        return part
    return f"Mark paid: order {order.number} is now {order.get_status_display().lower()}."


def _invoice_paid(order: Order) -> str:
    if part := _part_paid(order):
        return part
    return f"Invoice payment recorded: order {order.number} is paid ({order.total} {order.currency})."


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


# Finance marks a bank transfer order paid, with the day the funds arrived and the bank's reference.
order_mark_paid_view = _order_form_view(
    "orders.mark_paid", MarkPaidForm, _funds_received(services.order_mark_paid), _paid, services.mark_paid_possible
)
# Finance records that the customer paid the order's on-account invoice.
order_invoice_settle_view = _order_form_view(
    "orders.mark_paid",
    InvoicePaymentForm,
    _funds_received(services.order_invoice_settle),
    _invoice_paid,
    services.invoice_settle_possible,
)
# The desk pays an order held for a failed payment with a new card; the answer comes at once.
order_payment_retry_view = _order_form_view(
    "orders.release_order", CardRetryForm, _card_retried, _retry_outcome, services.payment_retry_possible
)


AWAITING_PAGE_SIZE = 50


@require_safe
@staff_required("orders.view_order", "orders.mark_paid")
@read_from_replica()
def awaiting_funds_list(request: HttpRequest) -> HttpResponse:
    """Orders waiting for a bank transfer, to tick off against the bank statement: amount, age, reference."""
    sort = request.GET.get("sort", "age")
    if sort not in AWAITING_SORTS:
        sort = "age"
    page = Paginator(orders_awaiting_funds(sort=sort), AWAITING_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for order in page:
        order.days_waiting = days_waiting(order, today=today)
    return render(
        request,
        "dashboard/finance/awaiting_funds.html",
        {"page_obj": page, "sort": sort, "querystring": f"sort={sort}"},
    )


@require_safe
@staff_required("orders.view_order", "orders.mark_paid")
@read_from_replica()
def invoice_ageing_view(request: HttpRequest) -> HttpResponse:
    """Open on-account invoices per customer by days past due; ``?format=csv`` downloads the same table."""
    ageing = invoice_ageing()
    if request.GET.get("format") == "csv":
        return _ageing_csv(ageing)
    return render(request, "dashboard/finance/ageing.html", {"ageing": ageing})


def _ageing_csv(ageing: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invoice-ageing-{ageing["today"]:%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    labels = [label for _key, label in ageing["buckets"]]
    writer.writerow(["Customer", "Email", "Currency", "Invoices", *labels, "Total"])
    for row in ageing["rows"]:
        writer.writerow(
            [_cell(row.customer_name), row.customer_email, row.currency, row.invoices, *row.amounts, row.total]
        )
    for total in ageing["totals"]:
        writer.writerow(["Total", "", total["currency"], "", *total["amounts"], total["total"]])
    return response


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
@staff_required("orders.view_order", any_of=("orders.mark_paid", "orders.add_order"))
def order_invoice_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    """The order's invoice as a PDF download (finance, managers, the order desk)."""
    order_id = order_id_or_404(number)

    def download(result: tuple[str, bytes]) -> HttpResponse:
        filename, pdf = result
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    return page_action(
        request,
        act=lambda: order_invoice_pdf(order_id=order_id, user=request.user),
        done=download,
        back=lambda: to_detail(number),
    )
