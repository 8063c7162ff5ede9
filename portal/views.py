"""Customer-facing pages: the order-tracking portal at /track/.

No account: a customer finds an order by number + email (rate limited per client address), or opens the
signed link from any of our emails. Every page under a link re-checks its signature; actions post to the
same signed path (CSRF-protected) and redirect back with a message.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dashboard.returns.forms import ReturnOpenForm, service_errors_add
from dashboard.returns.selectors import return_refusal, return_rows_for_customer, returnable_lines
from oms.page_actions import page_action
from orders.exceptions import OrderNotFound
from orders.models import HoldReason, Order, OrderStatus
from orders.services import feedback_record, inquiry_create, order_cancel_by_customer, order_payment_retry
from portal.forms import CancelForm, CardRetryForm, FeedbackForm, InquiryForm, LookupForm
from portal.links import tracking_path, tracking_token_check
from portal.lookup_limit import lookup_try_give_back, lookup_try_take
from portal.selectors import PortalOrder, order_find_for_lookup, order_page_for_customer
from returns.models import OpenedBy
from returns.services import return_request_create

NOT_FOUND = (
    "We could not find an order with that number and email address. Check both (the number is in the subject "
    "of our emails) and try again."
)
BUSY = "Someone else is changing this order right now. Please try again in a moment."
CUSTOMER = "customer"


# --- look-up --------------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def portal_lookup(request):
    """Find an order by number + email; a wrong number and a wrong email get the same answer."""
    if request.method != "POST":
        return render(request, "portal/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    taken = lookup_try_take(request, str(request.POST.get("number", "")))
    if taken is None:
        minutes = max(1, settings.OMS_LOOKUP_RATE_WINDOW_SECONDS // 60)
        response = render(
            request, "portal/lookup.html", {"form": form, "rate_limited": True, "minutes": minutes}, status=429
        )
        response["Retry-After"] = str(settings.OMS_LOOKUP_RATE_WINDOW_SECONDS)
        return response
    if form.is_valid():
        order = order_find_for_lookup(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
        if order is not None:
            lookup_try_give_back(taken)
            return redirect(tracking_path(order.number))
        form.add_error(None, NOT_FOUND)
    else:  # not a guess at an order, only a form to fill in properly
        lookup_try_give_back(taken)
    return render(request, "portal/lookup.html", {"form": form}, status=200)


# --- the order page and its actions ----------------------------------------------------------------------
def _signed(*methods: str):
    """Decorate a view under a signed link: it is called with the order's page (``PortalOrder``) after the token,
    and a broken or expired link gets the friendly page instead. Never cached; only ``methods`` are allowed."""

    def decorate(view):
        @never_cache
        @require_http_methods(list(methods))
        @wraps(view)
        def signed_view(request, token: str):
            check = tracking_token_check(token)
            if check.number is not None:
                try:
                    page = order_page_for_customer(number=check.number)
                except OrderNotFound:
                    pass
                else:
                    return view(request, token, page)
            context = {"form": LookupForm(), "expired": check.expired}
            return render(request, "portal/link_invalid.html", context, status=404)

        return signed_view

    return decorate


def _order_response(request, page: PortalOrder, token: str, *, status: int = 200, **forms):
    context = {
        "page": page,
        "order": page.order,
        "token": token,
        "inquiry_form": forms.get("inquiry_form") or InquiryForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "card_form": forms.get("card_form") or CardRetryForm(),
        "returns": return_rows_for_customer(order=page.order),
        "return_refusal": return_refusal(page.order) if page.order.status == OrderStatus.DELIVERED else "",
    }
    return render(request, "portal/order.html", context, status=status)


def _back(token: str, anchor: str = ""):
    return redirect(tracking_path_for_token(token) + (f"#{anchor}" if anchor else ""))


def tracking_path_for_token(token: str) -> str:
    """The order page of the link the customer came with (not a fresh one: the link's expiry stays)."""
    return reverse("portal:order", kwargs={"token": token})


@_signed("GET", "HEAD")
def portal_order(request, token: str, page: PortalOrder):
    """The order page a signed link from an email (or a successful look-up) opens."""
    return _order_response(request, page, token)


@_signed("GET", "HEAD", "POST")
def portal_cancel(request, token: str, page: PortalOrder):
    """Cancel, after a confirmation step, while the warehouse has not started on the order."""
    if not page.can_cancel:
        messages.error(request, page.cancel_refusal)
        return _back(token)
    form = CancelForm(request.POST or None)

    def again(form: CancelForm):
        return render(request, "portal/cancel.html", {"page": page, "order": page.order, "form": form, "token": token})

    if request.method != "POST":
        return again(form)

    def act():
        reason = form.cleaned_data["reason"]
        return order_cancel_by_customer(
            order_id=page.order.pk, actor=CUSTOMER, reason=f"Cancelled by the customer: {reason}" if reason else ""
        )

    return page_action(
        request,
        form=form,
        act=act,
        told=lambda _order: (
            "Your order is cancelled. Any payment taken goes back to the way you paid; we have sent you an email."
        ),
        back=lambda: _back(token),
        again=again,
        busy=BUSY,
    )


def _order_page_form(anchor: str, form_class, form_name: str, act, *, told, refused_to: str | None = None):
    """The view of a form on the order page (question, rating, new card) at ``#anchor``: check it may be sent now,
    call the service ``act(order, data)``, PRG back to the form's place with the message ``told`` (a text, or a
    function of the result).

    The page's flag ``can_<anchor>`` says whether it may be sent now, ``<anchor>_refusal`` why not (shown at
    ``#refused_to``, the form's place unless given); bad input shows the order page again with the errors beside
    the fields (the form is ``form_name`` in the page's context); a busy order asks to try again.
    """

    @_signed("GET", "HEAD", "POST")
    def view(request, token: str, page: PortalOrder):
        if request.method != "POST":
            return _back(token, anchor)
        if not getattr(page, f"can_{anchor}"):
            messages.error(request, getattr(page, f"{anchor}_refusal"))
            return _back(token, anchor if refused_to is None else refused_to)
        form = form_class(request.POST)
        return page_action(
            request,
            form=form,
            act=lambda: act(page.order, form.cleaned_data),
            told=told if callable(told) else lambda _result: told,
            back=lambda: _back(token, anchor),
            again=lambda form: _order_response(request, page, token, status=400, **{form_name: form}),
            busy=BUSY,
        )

    return view


def _asked(order: Order, data: dict):
    return inquiry_create(order_id=order.pk, message=data["message"])


def _rated(order: Order, data: dict):
    return feedback_record(order_id=order.pk, rating=data["rating"], comment=data["comment"])


def _paid_again(order: Order, data: dict) -> Order:
    return order_payment_retry(order_id=order.pk, token=data["token"], actor=CUSTOMER)


def _payment_told(order: Order) -> tuple[int, str]:
    """What the new card did: accepted (the order goes on), declined again, or still being answered."""
    if order.status == OrderStatus.ON_HOLD and order.hold_reason == HoldReason.PAYMENT_FAILED:
        return messages.ERROR, (
            "This card was declined too. Nothing was charged. Please try another card, or send us a message."
        )
    if order.status == OrderStatus.CREDIT_APPROVED:
        return messages.INFO, (
            "Thank you: we are taking the payment now. This page shows when it has gone through, and we will email you."
        )
    return messages.SUCCESS, "Thank you: your new card was accepted and your order is confirmed."


# Send a question about the order; staff answer it by email.
portal_inquiry = _order_page_form(
    "ask", InquiryForm, "inquiry_form", _asked, told="Thank you: we have your message and will answer by email."
)
# Rate a delivered order, 1 to 5 stars with a comment, once.
portal_feedback = _order_page_form(
    "rate", FeedbackForm, "feedback_form", _rated, told="Thank you for rating your order!"
)
# Pay again with a new card while the order is held because the card was declined; told how it went.
portal_payment = _order_page_form("pay", CardRetryForm, "card_form", _paid_again, told=_payment_told, refused_to="")


@_signed("GET", "HEAD", "POST")
def portal_return(request, token: str, page: PortalOrder):
    """Return or exchange items of a delivered order within the return window: lines and quantities, a reason
    each, refund or exchange. The same rules as the API; a refusal is explained on the order page."""
    order = page.order
    refusal = return_refusal(order)
    form = ReturnOpenForm(request.POST if request.method == "POST" else None, lines=returnable_lines(order=order))
    if not refusal and not form.offered:
        refusal = "Every item of this order is already in a return."
    if refusal:
        messages.error(request, refusal)
        return _back(token, "returns")

    def again(form: ReturnOpenForm):
        context = {"page": page, "order": order, "form": form, "token": token}
        return render(request, "portal/return.html", context, status=400 if form.is_bound else 200)

    if request.method != "POST":
        return again(form)
    return page_action(
        request,
        form=form,
        act=lambda: return_request_create(
            order=order,
            lines=form.lines(),
            resolution=form.cleaned_data["resolution"],
            exchange_lines=form.exchange_lines(),
            opened_by=OpenedBy.CUSTOMER,
        ),
        told=lambda r: f"Your return {r.number} is {r.get_status_display().lower()}. We email you the next steps.",
        back=lambda: _back(token, "returns"),
        again=again,
        errors_add=service_errors_add,
        busy=BUSY,
    )
