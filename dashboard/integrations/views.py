"""Staff pages for integrations: webhook subscriptions of every storefront, their deliveries, redelivery.

Thin views: a selector reads, a form parses, one service writes; refusals read through ``page_action``.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.integrations.forms import SubscriptionForm
from oms.access import staff_required
from oms.exceptions import NotFound
from oms.page_actions import page_action
from webhooks import selectors, services

PERMISSION = "webhooks.manage_webhooks"
DELIVERIES_PAGE_SIZE = 50


def _to_list() -> HttpResponse:
    return redirect("dashboard:integrations_webhooks")


def _to_detail(subscription_id) -> HttpResponse:
    return redirect("dashboard:integrations_webhook", subscription_id=subscription_id)


def _list_page(request: HttpRequest, form: SubscriptionForm, *, status: int = 200) -> HttpResponse:
    context = {
        "subscriptions": selectors.webhook_subscription_list_for_staff(),
        "disabled": selectors.webhook_subscription_list_disabled(),
        "form": form,
    }
    return render(request, "dashboard/integrations/webhooks.html", context, status=status)


@require_safe
@staff_required(PERMISSION)
def subscription_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, SubscriptionForm())


@require_POST
@staff_required(PERMISSION)
def subscription_create(request: HttpRequest) -> HttpResponse:
    """Subscribe a storefront; the answer is the one page that shows the secret."""
    form = SubscriptionForm(request.POST)

    def created(subscription) -> HttpResponse:
        return render(request, "dashboard/integrations/webhook_created.html", {"subscription": subscription})

    return page_action(
        request,
        form=form,
        act=lambda: services.webhook_subscription_create(
            storefront=form.cleaned_data["storefront"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            actor=request.user.get_username(),
        ),
        done=created,
        back=_to_list,
        again=lambda form: _list_page(request, form, status=400),
    )


def _or_404(read):
    try:
        return read()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _subscription_or_404(subscription_id):
    return _or_404(lambda: selectors.webhook_subscription_get(subscription_id=subscription_id))


@require_safe
@staff_required(PERMISSION)
def subscription_detail(request: HttpRequest, subscription_id) -> HttpResponse:
    subscription = _subscription_or_404(subscription_id)
    page = Paginator(selectors.webhook_delivery_list(subscription_id=subscription.pk), DELIVERIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dashboard/integrations/webhook_detail.html",
        {"subscription": subscription, "page_obj": page, "querystring": ""},
    )


def _subscription_switch(act, told: str):
    """A POST view that runs ``act(request, subscription_id)`` and says ``told`` (formatted with the URL)."""

    @require_POST
    @staff_required(PERMISSION)
    def view(request: HttpRequest, subscription_id) -> HttpResponse:
        return page_action(
            request,
            act=lambda: act(request, subscription_id),
            told=lambda subscription: told.format(url=subscription.url),
            back=lambda: _to_detail(subscription_id),
        )

    return view


subscription_disable = _subscription_switch(
    lambda request, pk: services.webhook_subscription_disable(
        subscription_id=pk, reason=f"Disabled by {request.user.get_username()}."
    ),
    "Webhooks to {url} are disabled; waiting deliveries were marked failed.",
)
subscription_enable = _subscription_switch(
    lambda request, pk: services.webhook_subscription_enable(subscription_id=pk),
    "Webhooks to {url} are enabled again; redeliver any delivery that failed meanwhile.",
)


@require_POST
@staff_required(PERMISSION)
def subscription_delete(request: HttpRequest, subscription_id) -> HttpResponse:
    return page_action(
        request,
        act=lambda: services.webhook_subscription_delete(subscription_id=subscription_id),
        told=lambda _: "The subscription and its delivery log were deleted.",
        back=_to_list,
    )


@require_POST
@staff_required(PERMISSION)
def delivery_redeliver(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = _or_404(lambda: selectors.webhook_delivery_get(delivery_id=delivery_id))
    return page_action(
        request,
        act=lambda: services.webhook_delivery_redeliver(delivery_id=delivery.pk, actor=request.user.get_username()),
        told=lambda d: f"Event {delivery.event.public_id} is being sent again.",
        back=lambda: _to_detail(delivery.subscription_id),
    )
