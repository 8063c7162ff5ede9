"""Staff dashboard pages for customers: list, new customer, detail, contact details, payment terms and credit limit."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.customers import selectors
from dashboard.customers.forms import CreditTermsForm, CustomerContactForm, CustomerFilterForm, CustomerNewForm
from oms.access import staff_required
from oms.db_router import read_from_replica
from oms.exceptions import DomainError
from oms.page_actions import form_errors_add, page_action
from orders.models import Customer
from orders.services import AddressInput, customer_credit_terms_set, customer_update
from orders.services.customers import CustomerEmailTaken, customer_create

PAGE_SIZE = 25
ORDERS_PAGE_SIZE = 10


def _page(request: HttpRequest, queryset, size: int):
    """(page, querystring of the other parameters) for the pager."""
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(queryset, size).get_page(request.GET.get("page")), params.urlencode()


def _customer_or_404(pk: int) -> Customer:
    customer = selectors.customer_get(pk=pk)
    if customer is None:
        raise Http404("No such customer.")
    return customer


def _customer_errors_add(form, exc: DomainError) -> None:
    """Beside the fields; a taken email says who already has it, with a link to them."""
    if not isinstance(exc, CustomerEmailTaken):
        form_errors_add(form, exc)
        return
    url = reverse("dashboard:customer_detail", args=[exc.existing.pk])
    form.add_error(
        "email", format_html('Already the email of <a href="{}">{}</a>.', url, exc.existing.name or exc.existing.email)
    )


@require_safe
@staff_required("orders.view_customer")
@read_from_replica()
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET)
    filters = form.values()
    page, querystring = _page(request, selectors.customer_list_for_staff(**filters), PAGE_SIZE)
    context = {"form": form, "filters": filters, "page_obj": page, "querystring": querystring}
    template = "dashboard/customers/_customer_rows.html" if request.htmx else "dashboard/customers/customer_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_required("orders.view_customer", "orders.add_customer")
def customer_new(request: HttpRequest) -> HttpResponse:
    may_set_terms = request.user.has_perm("orders.set_credit_terms")
    if request.method == "GET":
        form = CustomerNewForm(may_set_terms=may_set_terms)
        return render(request, "dashboard/customers/customer_new.html", {"form": form})
    form = CustomerNewForm(request.POST, may_set_terms=may_set_terms)

    def act() -> Customer:
        data, address = form.cleaned_data, form.address()
        return customer_create(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            address=AddressInput(**address) if address else None,
            user=request.user,
            **form.terms(),
        )

    def done(customer: Customer) -> HttpResponse:
        terms = customer.get_payment_terms_display().lower()
        if customer.on_account:
            terms += f", credit limit {customer.credit_limit}"
        messages.success(request, f"Created the customer {customer.name} ({terms}).")
        return redirect("dashboard:customer_detail", pk=customer.pk)

    def again(form: CustomerNewForm) -> HttpResponse:
        return render(request, "dashboard/customers/customer_new.html", {"form": form}, status=400)

    return page_action(
        request,
        form=form,
        act=act,
        done=done,
        back=lambda: again(form),
        again=again,
        errors_add=_customer_errors_add,
    )


def _detail(request: HttpRequest, customer: Customer, *, terms_form=None, status: int = 200) -> HttpResponse:
    page, querystring = _page(request, selectors.customer_order_list(customer_id=customer.pk), ORDERS_PAGE_SIZE)
    may_set_terms = request.user.has_perm("orders.set_credit_terms")
    if may_set_terms and terms_form is None:
        terms_form = CreditTermsForm(
            initial={"payment_terms": customer.payment_terms, "credit_limit": customer.credit_limit}
        )
    context = {
        "customer": customer,
        "credit": selectors.customer_credit(customer=customer),
        "addresses": selectors.customer_addresses(customer_id=customer.pk),
        "page_obj": page,
        "querystring": querystring,
        "changes": selectors.customer_change_list(customer_id=customer.pk),
        "terms_form": terms_form if may_set_terms else None,
        "may_edit": request.user.has_perm("orders.change_customer"),
        "may_order": request.user.has_perm("orders.add_order"),
    }
    return render(request, "dashboard/customers/customer_detail.html", context, status=status)


@require_safe
@staff_required("orders.view_customer")
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _customer_or_404(pk))


@require_http_methods(["GET", "POST"])
@staff_required("orders.view_customer", "orders.change_customer")
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(pk)

    def page(form: CustomerContactForm, status: int = 200) -> HttpResponse:
        context = {"customer": customer, "form": form}
        return render(request, "dashboard/customers/customer_edit.html", context, status=status)

    if request.method != "POST":
        return page(
            CustomerContactForm(initial={"name": customer.name, "email": customer.email, "phone": customer.phone})
        )
    form = CustomerContactForm(request.POST)

    return page_action(
        request,
        form=form,
        act=lambda: customer_update(customer_id=customer.pk, user=request.user, **form.cleaned_data),
        told=lambda customer: f"Saved the contact details of {customer.name}.",
        back=lambda: redirect("dashboard:customer_detail", pk=customer.pk),
        again=lambda form: page(form, status=400),
    )


@require_POST
@staff_required("orders.view_customer", "orders.set_credit_terms")
def customer_credit_terms(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(pk)
    form = CreditTermsForm(request.POST)

    return page_action(
        request,
        form=form,
        act=lambda: customer_credit_terms_set(customer_id=customer.pk, user=request.user, **form.cleaned_data),
        told=lambda customer: (
            f"{customer.name}: payment terms {customer.get_payment_terms_display()}, "
            f"credit limit {customer.credit_limit}."
        ),
        back=lambda: redirect("dashboard:customer_detail", pk=customer.pk),
        again=lambda form: _detail(request, customer, terms_form=form, status=400),
    )
