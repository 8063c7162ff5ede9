"""Customer-facing pages: the order-tracking portal at /track/.

No account: a customer finds an order by number + email (rate limited per client address), or opens the
signed link from any of our emails. Every page under a link re-checks its signature; actions post to the
same signed path (CSRF-protected) and redirect back with a message.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from oms.page_actions import page_action
from orders.exceptions import OrderNotFound
from orders.models import HoldReason, Order, OrderStatus
from orders.services import feedback_record, inquiry_create, order_cancel_by_customer, order_payment_retry
from portal.forms import CancelForm, CardRetryForm, FeedbackForm, InquiryForm, LookupForm
from portal.links import tracking_path, tracking_token_check
from portal.lookup_limit import lookup_try_give_back, lookup_try_take
from portal.selectors import PortalOrder, order_find_for_lookup, order_page_for_customer

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
def _page(request, token: str) -> tuple[PortalOrder | None, object]:
    """The order a signed link names, or the friendly page for a broken or expired link."""
    check = tracking_token_check(token)
    if check.number is not None:
        try:
            return order_page_for_customer(number=check.number), None
        except OrderNotFound:
            pass
    context = {"form": LookupForm(), "expired": check.expired}
    return None, render(request, "portal/link_invalid.html", context, status=404)


def _order_response(request, page: PortalOrder, token: str, *, status: int = 200, **forms):
    context = {
        "page": page,
        "order": page.order,
        "token": token,
        "inquiry_form": forms.get("inquiry_form") or InquiryForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "card_form": forms.get("card_form") or CardRetryForm(),
    }
    return render(request, "portal/order.html", context, status=status)


def _back(token: str, anchor: str = ""):
    return redirect(tracking_path_for_token(token) + (f"#{anchor}" if anchor else ""))


def tracking_path_for_token(token: str) -> str:
    """The order page of the link the customer came with (not a fresh one: the link's expiry stays)."""
    return reverse("portal:order", kwargs={"token": token})


@never_cache
@require_http_methods(["GET", "HEAD"])
def portal_order(request, token: str):
    """The order page a signed link from an email (or a successful look-up) opens."""
    page, invalid = _page(request, token)
    if invalid:
        return invalid
    return _order_response(request, page, token)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def portal_cancel(request, token: str):
    """Cancel, after a confirmation step, while the warehouse has not started on the order."""
    page, invalid = _page(request, token)
    if invalid:
        return invalid
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


def _form_action(request, token: str, *, anchor: str, form_class, form_name: str, allowed: str, act, thanks: str):
    """A form on the order page (message, rating): check it may be sent now, call the service, PRG.

    ``allowed`` names the page's flag (``can_ask``) whose refusal text is ``<flag>_refusal``; bad input
    shows the order page again with the errors beside the fields.
    """
    page, invalid = _page(request, token)
    if invalid:
        return invalid
    if request.method != "POST":
        return _back(token, anchor)
    if not getattr(page, allowed):
        messages.error(request, getattr(page, allowed.replace("can_", "") + "_refusal"))
        return _back(token, anchor)
    form = form_class(request.POST)
    return page_action(
        request,
        form=form,
        act=lambda: act(page.order, form.cleaned_data),
        told=lambda _result: thanks,
        back=lambda: _back(token, anchor),
        again=lambda form: _order_response(request, page, token, status=400, **{form_name: form}),
        busy=BUSY,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def portal_inquiry(request, token: str):
    """Send a question about the order; staff answer it by email."""
    return _form_action(
        request,
        token,
        anchor="ask",
        form_class=InquiryForm,
        form_name="inquiry_form",
        allowed="can_ask",
        act=lambda order, data: inquiry_create(order_id=order.pk, message=data["message"]),
        thanks="Thank you: we have your message and will answer by email.",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def portal_feedback(request, token: str):
    """Rate a delivered order, 1 to 5 stars with a comment, once."""
    return _form_action(
        request,
        token,
        anchor="rate",
        form_class=FeedbackForm,
        form_name="feedback_form",
        allowed="can_rate",
        act=lambda order, data: feedback_record(order_id=order.pk, rating=data["rating"], comment=data["comment"]),
        thanks="Thank you for rating your order!",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def portal_payment(request, token: str):
    """Pay again with a new card while the order is held because the card was declined; told how it went."""
    page, invalid = _page(request, token)
    if invalid:
        return invalid
    if request.method != "POST":
        return _back(token, "pay")
    if not page.can_pay:
        messages.error(request, page.pay_refusal)
        return _back(token)
    form = CardRetryForm(request.POST)
    return page_action(
        request,
        form=form,
        act=lambda: order_payment_retry(order_id=page.order.pk, token=form.cleaned_data["token"], actor=CUSTOMER),
        told=_payment_told,
        back=lambda: _back(token, "pay"),
        again=lambda form: _order_response(request, page, token, status=400, card_form=form),
        busy=BUSY,
    )


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
