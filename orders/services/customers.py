"""Customer use cases for staff: a new customer, contact details, and payment terms with the credit limit.

Each change is recorded in Django's admin log (``LogEntry``): who changed which fields from what to what. It
is the customer's audit trail, shown on the dashboard's customer page and in the admin's history.
"""

from decimal import Decimal, InvalidOperation

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from oms.exceptions import DomainError, InvalidInput, NotFound
from orders.addresses import address_errors
from orders.models import Address, Customer
from orders.services.placement import AddressInput

MAX_CREDIT_LIMIT = Decimal("9999999999.99")  # what max_digits=12, decimal_places=2 can hold


class CustomerNotFound(NotFound):
    code = "customer_not_found"


class CustomerEmailTaken(InvalidInput):
    """The email belongs to another customer; ``existing`` is that customer, so a page can link to them."""

    code = "customer_email_taken"

    def __init__(self, existing: Customer):
        super().__init__(
            "The contact details are not valid.",
            fields={"email": [f"{existing.name} already has this email address."]},
        )
        self.existing = existing


class CreditTermsNotAllowed(DomainError):
    kind = "forbidden"
    code = "credit_terms_not_allowed"


def _lock(customer_id: int) -> Customer:
    customer = Customer.objects.select_for_update().filter(pk=customer_id).first()
    if customer is None:
        raise CustomerNotFound("No such customer.")
    return customer


def _record(*, customer: Customer, user, changes: list[str], action_flag: int = CHANGE) -> None:
    message = "; ".join(changes)
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[customer], action_flag=action_flag, change_message=message, single_object=True
    )


def _email_taken(email: str, *, other_than: int) -> bool:
    return Customer.objects.with_email(email).exclude(pk=other_than).exists()


def _contact_errors(*, name: str, email: str, phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the customer's name."]
    elif len(name) > Customer._meta.get_field("name").max_length:
        errors["name"] = ["Too long."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter a valid email address."]
    if len(phone) > Customer._meta.get_field("phone").max_length:
        errors["phone"] = ["Too long."]
    return errors


@transaction.atomic
def customer_update(*, customer_id: int, name: str, email: str, phone: str, user) -> Customer:
    """Change a customer's contact details; the email stays unique regardless of case.

    Orders keep the email they were placed with on the customer row, so a change here is what every later
    email uses. Raises InvalidInput naming the field, writing nothing.
    """
    name, email, phone = name.strip(), email.strip(), phone.strip()
    errors = _contact_errors(name=name, email=email, phone=phone)
    customer = _lock(customer_id)
    if "email" not in errors and _email_taken(email, other_than=customer.pk):
        errors["email"] = ["Another customer already has this email address."]
    if errors:
        raise InvalidInput("The contact details are not valid.", fields=errors)

    changes = [
        f"{label} {old or '(blank)'} → {new or '(blank)'}"
        for label, old, new in (
            ("name", customer.name, name),
            ("email", customer.email, email),
            ("phone", customer.phone, phone),
        )
        if old != new
    ]
    if not changes:
        return customer
    customer.name, customer.email, customer.phone = name, email, phone
    try:
        with transaction.atomic():
            customer.save(update_fields=["name", "email", "phone", "updated_at"])
    except IntegrityError:  # a concurrent change took the address a moment ago
        raise InvalidInput(
            "The contact details are not valid.", fields={"email": ["Another customer already has this email address."]}
        ) from None
    _record(customer=customer, user=user, changes=["Contact: " + ", ".join(changes)])
    return customer


def _credit_limit(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput("Invalid credit limit.", fields={"credit_limit": ["Enter an amount."]}) from None
    if not amount.is_finite():
        raise InvalidInput("Invalid credit limit.", fields={"credit_limit": ["Enter an amount."]})
    if amount < 0:
        raise InvalidInput("Invalid credit limit.", fields={"credit_limit": ["Must be zero or more."]})
    if amount > MAX_CREDIT_LIMIT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            "Invalid credit limit.",
            fields={"credit_limit": [f"Use at most two decimals and at most {MAX_CREDIT_LIMIT}."]},
        )
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def customer_credit_terms_set(*, customer_id: int, payment_terms: str, credit_limit, user) -> Customer:
    """Set how a customer pays (prepaid or on account) and the credit limit for orders on account.

    Finance decides this (permission ``orders.set_credit_terms``, checked by the caller). The row is locked so
    a credit check running at the same time sees either the old terms or the new, never half of each.
    """
    errors: dict[str, list[str]] = {}
    if payment_terms not in Customer.PaymentTerms.values:
        errors["payment_terms"] = [f"Must be one of: {', '.join(Customer.PaymentTerms.values)}."]
    try:
        limit = _credit_limit(credit_limit)
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput("The payment terms are not valid.", fields=errors)
    customer = _lock(customer_id)
    changes = []
    if customer.payment_terms != payment_terms:
        old = Customer.PaymentTerms(customer.payment_terms).label
        changes.append(f"payment terms {old} → {Customer.PaymentTerms(payment_terms).label}")
    if customer.credit_limit != limit:
        changes.append(f"credit limit {customer.credit_limit} → {limit}")
    if not changes:
        return customer
    customer.payment_terms, customer.credit_limit = payment_terms, limit
    customer.save(update_fields=["payment_terms", "credit_limit", "updated_at"])
    _record(customer=customer, user=user, changes=["Credit: " + ", ".join(changes)])
    return customer


def _address_errors(address: AddressInput) -> dict[str, list[str]]:
    """Field errors of an address, keyed like the form's fields (``address_<name>``)."""
    errors: dict[str, list[str]] = {}
    for name in ("name", "line1", "line2", "city", "region", "postal_code", "country"):
        value = getattr(address, name)
        if not value and name not in ("line2", "region"):
            errors[f"address_{name}"] = ["Required for an address."]
        elif len(value) > Address._meta.get_field(name).max_length:
            errors[f"address_{name}"] = ["Too long."]
    if "address_country" not in errors:
        problems = address_errors(
            country=address.country,
            region=address.region,
            postal_code=address.postal_code,
            city=address.city,
            line1=address.line1,
        )
        for name, messages in problems.items():
            errors.setdefault(f"address_{name}", messages)
    return errors


@transaction.atomic
def customer_create(
    *,
    name: str,
    email: str,
    phone: str = "",
    address: AddressInput | None = None,
    payment_terms: str = Customer.PaymentTerms.PREPAID,
    credit_limit=Decimal("0"),
    user,
) -> Customer:
    """Set up a customer before their first order, e.g. a business buying on account.

    Without the permission ``orders.set_credit_terms`` only a prepaid customer with no credit limit can be
    created: terms are finance's decision, and refusing here keeps that true whoever calls. ``address``, if
    given, goes into the customer's address book, where order entry picks it up as the default shipping
    address. The creation is recorded in the admin log like every later change. Raises InvalidInput naming
    the fields, writing nothing.
    """
    name, email, phone = name.strip(), email.strip(), phone.strip()
    errors = _contact_errors(name=name, email=email, phone=phone)
    if payment_terms not in Customer.PaymentTerms.values:
        errors["payment_terms"] = [f"Must be one of: {', '.join(Customer.PaymentTerms.values)}."]
    try:
        limit = _credit_limit(credit_limit)
    except InvalidInput as exc:
        errors.update(exc.fields)
        limit = None
    if address is not None:
        address = AddressInput(
            name=address.name.strip() or name,
            line1=address.line1.strip(),
            line2=address.line2.strip(),
            city=address.city.strip(),
            region=address.region.strip(),
            postal_code=address.postal_code.strip(),
            country=address.country.strip().upper(),
        )
        errors.update(_address_errors(address))
    if errors:
        raise InvalidInput("The customer's details are not valid.", fields=errors)
    if (payment_terms != Customer.PaymentTerms.PREPAID or limit) and not user.has_perm("orders.set_credit_terms"):
        raise CreditTermsNotAllowed("Only finance sets payment terms and credit limits.")
    if (existing := Customer.objects.with_email(email).first()) is not None:
        raise CustomerEmailTaken(existing)

    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                name=name, email=email, phone=phone, payment_terms=payment_terms, credit_limit=limit
            )
    except IntegrityError:  # a concurrent order or colleague created this email a moment ago
        existing = Customer.objects.with_email(email).first()
        if existing is None:
            raise
        raise CustomerEmailTaken(existing) from None
    details = [f"email {email}"] + ([f"phone {phone}"] if phone else [])
    details.append(f"payment terms {Customer.PaymentTerms(payment_terms).label}")
    if payment_terms == Customer.PaymentTerms.ON_ACCOUNT or limit:
        details.append(f"credit limit {limit}")
    if address is not None:
        book = Address.objects.create(customer=customer, **vars(address))
        details.append(f"address {book}")
    _record(customer=customer, user=user, changes=["Created: " + ", ".join(details)], action_flag=ADDITION)
    return customer
