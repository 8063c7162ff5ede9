"""Fraud review (finance and managers, ``orders.review_fraud``): the queue of orders held by screening, one
order's review (its reasons, the customer's history, approve or reject), and the rules and deny list."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from dashboard.risk import selectors
from dashboard.risk.forms import ApproveForm, DenyEntryForm, HoldScoreForm, RejectForm, RuleForm
from oms.access import staff_required
from oms.page_actions import page_action
from orders.models import Order
from orders.services import risk
from orders.services.risk import RULE_FIELDS

REVIEW = ("orders.view_order", "orders.review_fraud")


def _queue() -> HttpResponse:
    return redirect("dashboard:risk_queue")


def _settings_page() -> HttpResponse:
    return redirect("dashboard:risk_settings")


@require_safe
@staff_required(*REVIEW)
def risk_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/risk/queue.html", {"orders": selectors.review_queue()[:200]})


def _order_or_404(number: str) -> Order:
    order = selectors.review_order_get(number=number)
    if order is None:
        raise Http404("No such order.")
    return order


def _review_page(request: HttpRequest, order: Order, *, approve=None, reject=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "dashboard/risk/review.html",
        {
            "order": order,
            "history": selectors.customer_history(order=order),
            "approve_form": approve or ApproveForm(prefix="approve"),
            "reject_form": reject or RejectForm(prefix="reject"),
        },
        status=status,
    )


@require_safe
@staff_required(*REVIEW)
def risk_review(request: HttpRequest, number: str) -> HttpResponse:
    return _review_page(request, _order_or_404(number))


@require_POST
@staff_required(*REVIEW)
def risk_approve(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(number)
    form = ApproveForm(request.POST, prefix="approve")
    return page_action(
        request,
        form=form,
        act=lambda: risk.order_risk_approve(order_id=order.pk, user=request.user, note=form.cleaned_data["note"]),
        told=lambda o: f"Approved: order {o.number} is now {o.get_status_display().lower()}.",
        back=_queue,
        again=lambda form: _review_page(request, order, approve=form, status=400),
    )


@require_POST
@staff_required(*REVIEW)
def risk_reject(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(number)
    form = RejectForm(request.POST, prefix="reject")
    return page_action(
        request,
        form=form,
        act=lambda: risk.order_risk_reject(
            order_id=order.pk,
            user=request.user,
            note=form.cleaned_data["note"],
            deny=tuple(form.cleaned_data["deny"]),
        ),
        told=lambda o: f"Rejected: order {o.number} is cancelled.",
        back=_queue,
        again=lambda form: _review_page(request, order, reject=form, status=400),
    )


def _rule_forms(data=None) -> list[tuple[dict, RuleForm]]:
    current = selectors.risk_settings()
    forms = []
    for rule in current["rules"]:
        settings = rule["settings"]
        initial = {
            "is_active": settings.is_active,
            "weight": settings.weight,
            "count": settings.count,
            "window_hours": settings.window_hours,
            "amount": settings.amount,
        }
        forms.append((rule, RuleForm(data, prefix=rule["code"], initial=initial, uses=rule["uses"])))
    return forms


def _settings_render(request, *, rule_forms=None, hold_form=None, deny_form=None, status=200) -> HttpResponse:
    current = selectors.risk_settings()
    return render(
        request,
        "dashboard/risk/settings.html",
        {
            "rule_forms": rule_forms or _rule_forms(),
            "hold_form": hold_form or HoldScoreForm(initial={"hold_score": current["hold_score"]}, prefix="policy"),
            "deny_form": deny_form or DenyEntryForm(prefix="deny"),
            "deny_list": current["deny_list"],
        },
        status=status,
    )


@require_safe
@staff_required(*REVIEW)
def risk_settings(request: HttpRequest) -> HttpResponse:
    return _settings_render(request)


@require_POST
@staff_required(*REVIEW)
def risk_rules_save(request: HttpRequest) -> HttpResponse:
    rule_forms = _rule_forms(request.POST)
    hold_form = HoldScoreForm(request.POST, prefix="policy")
    if not hold_form.is_valid() or not all(form.is_valid() for _, form in rule_forms):
        return _settings_render(request, rule_forms=rule_forms, hold_form=hold_form, status=400)

    def save():
        for rule, form in rule_forms:
            data = form.cleaned_data
            risk.risk_rule_update(
                code=rule["code"],
                user=request.user,
                weight=data["weight"],
                is_active=data["is_active"],
                **{name: data[name] for name in RULE_FIELDS[rule["code"]]},
            )
        return risk.risk_hold_score_set(user=request.user, hold_score=hold_form.cleaned_data["hold_score"])

    return page_action(
        request,
        act=save,
        told=lambda policy: f"Saved: orders scoring {policy.hold_score} or more are held for review.",
        back=_settings_page,
    )


@require_POST
@staff_required(*REVIEW)
def risk_deny_add(request: HttpRequest) -> HttpResponse:
    form = DenyEntryForm(request.POST, prefix="deny")
    return page_action(
        request,
        form=form,
        act=lambda: risk.deny_list_add(user=request.user, **form.cleaned_data),
        told=lambda added: "Added to the deny list." if added else "That is on the deny list already.",
        back=_settings_page,
        again=lambda form: _settings_render(request, deny_form=form, status=400),
    )


@require_POST
@staff_required(*REVIEW)
def risk_deny_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    return page_action(
        request,
        act=lambda: risk.deny_list_remove(user=request.user, entry_id=entry_id),
        told=lambda _: "Removed from the deny list.",
        back=lambda: redirect(reverse("dashboard:risk_settings") + "#deny-list"),
    )
