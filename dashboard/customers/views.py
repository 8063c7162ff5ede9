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
from oms.exceptions import InvalidInput, NotFound
from oms.form_errors import form_errors_add
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


def _email_taken_error(form, exc: CustomerEmailTaken) -> None:
    """Beside the email field: who already has it, with a link to them."""
    url = reverse("dashboard:customer_detail", args=[exc.existing.pk])
    form.add_error(
        "email", format_html('Already the email of <a href="{}">{}</a>.', url, exc.existing.name or exc.existing.email)
    )


@require_safe
@staff_required("orders.view_customer")
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
    if form.is_valid():
        data, address = form.cleaned_data, form.address()
        try:
            customer = customer_create(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                address=AddressInput(**address) if address else None,
                user=request.user,
                **form.terms(),
            )
        except CustomerEmailTaken as exc:
            _email_taken_error(form, exc)
        except InvalidInput as exc:
            form_errors_add(form, exc)
        else:
            terms = customer.get_payment_terms_display().lower()
            if customer.on_account:
                terms += f", credit limit {customer.credit_limit}"
            messages.success(request, f"Created the customer {customer.name} ({terms}).")
            return redirect("dashboard:customer_detail", pk=customer.pk)
    return render(request, "dashboard/customers/customer_new.html", {"form": form}, status=400)


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
    if request.method == "POST":
        form = CustomerContactForm(request.POST)
        if form.is_valid():
            try:
                customer = customer_update(customer_id=customer.pk, user=request.user, **form.cleaned_data)
            except NotFound as exc:
                raise Http404(exc.message) from None
            except InvalidInput as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, f"Saved the contact details of {customer.name}.")
                return redirect("dashboard:customer_detail", pk=customer.pk)
        status = 400
    else:
        form = CustomerContactForm(initial={"name": customer.name, "email": customer.email, "phone": customer.phone})
        status = 200
    return render(
        request, "dashboard/customers/customer_edit.html", {"customer": customer, "form": form}, status=status
    )


@require_POST
@staff_required("orders.view_customer", "orders.set_credit_terms")
def customer_credit_terms(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(pk)
    form = CreditTermsForm(request.POST)
    if form.is_valid():
        try:
            customer = customer_credit_terms_set(customer_id=customer.pk, user=request.user, **form.cleaned_data)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except InvalidInput as exc:
            form_errors_add(form, exc)
        else:
            messages.success(
                request,
                f"{customer.name}: payment terms {customer.get_payment_terms_display()}, "
                f"credit limit {customer.credit_limit}.",
            )
            return redirect("dashboard:customer_detail", pk=customer.pk)
    return _detail(request, customer, terms_form=form, status=400)
