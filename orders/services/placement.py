"""Placing an order: validate against the catalog, price on the server, store, start the pipeline."""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from inventory.models import Product
from oms import deferred
from orders.addresses import address_clean, address_errors
from orders.event_hooks import hook_reads_known
from orders.exceptions import InvalidOrder
from orders.models import Address, Channel, Customer, Order, OrderLine
from orders.pricing import Price, order_price, price_errors
from orders.services.backorders import is_preorder, order_ship_partial, preorder_limits_check, preorders_lock
from orders.services.catalog import catalog_customer, catalog_read
from orders.services.common import event_record, order_events_batched
from orders.services.pipeline import auto_stages_run
from orders.services.risk import order_risk_screen, risk_history_along, risk_settings_of
from payments.models import Payment
from payments.services import payment_create, payment_new, token_digest
from shipping.models import ShippingMethod
from shipping.services import delivery_dates

NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out on the phone
MAX_QUANTITY = 10_000


@dataclass
class AddressInput:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    region: str = ""

    @classmethod
    def of(cls, address) -> "AddressInput":
        """The input that places an order to ``address`` (a stored Address, or anything with its fields)."""
        return cls(
            name=address.name,
            line1=address.line1,
            line2=getattr(address, "line2", ""),
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country,
        )


@dataclass
class PlacementInput:
    customer_email: str
    customer_name: str
    lines: list[tuple[str, int]]  # (sku, quantity)
    shipping_address: AddressInput
    shipping_method: str
    payment_method: str
    customer_phone: str = ""
    billing_address: AddressInput | None = None
    payment_token: str = ""
    notes: str = ""
    channel: str = Channel.WEB
    storefront_id: int | None = None
    customer_id: int | None = None
    external_ref: str = ""
    extra: dict = field(default_factory=dict)
    # A replacement order (an exchange, a reship) pays only this, not its total: the rest was paid on the
    # original order. Set by the returns services only; with it the ``exchange`` method (no charge) is allowed.
    payment_amount: Decimal | None = None
    # Short stock: ship in parts (True) or wait whole (False); None: the storefront's choice, else the setting.
    ship_partial: bool | None = None


def order_number_new() -> str:
    return "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))


def _customer_create(data: PlacementInput) -> Customer:
    customer = Customer(
        email=data.customer_email, name=data.customer_name, phone=data.customer_phone, storefront_id=data.storefront_id
    )
    if _insert_unless_taken(customer, conflict='(LOWER("email"))'):
        return customer
    return Customer.objects.with_email(data.customer_email).get()  # created by a concurrent order a moment ago


def _insert_unless_taken(obj, *, conflict: str, clash_text: str = "") -> bool:
    """Insert ``obj`` unless the unique value ``conflict`` names (a column, or an indexed expression) is taken
    already: ``INSERT … ON CONFLICT (…) DO NOTHING RETURNING id``; whether it was inserted. No savepoint: a clash
    leaves the transaction usable, so the hot path needs neither SAVEPOINT nor RELEASE. A clash on any other
    unique constraint raises IntegrityError as a plain save would (elsewhere than on PostgreSQL: a savepoint, and
    an IntegrityError whose text holds ``clash_text`` is the clash)."""
    meta = type(obj)._meta
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
        except IntegrityError as exc:
            if clash_text not in str(exc):
                raise
            return False
        return True
    sql, params = deferred.insert_sql([obj])
    pk = connection.ops.quote_name(meta.pk.column)
    rows = deferred.run([], final=(f"{sql} ON CONFLICT ({conflict}) DO NOTHING RETURNING {pk}", params))
    if not rows:
        return False
    obj.pk = rows[0][0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return True


def _may_bill(customer: Customer, data: PlacementInput) -> None:
    """A storefront bills a credit line only of its own customers (or ones the shop shared with it): knowing
    someone's email must not be enough to charge their account. Their terms and limit are the credit check's."""
    if data.storefront_id is None or data.payment_method != Payment.Method.ON_ACCOUNT:
        return
    if not customer.belongs_to(data.storefront_id):
        message = "On account is only for this storefront's own customers."
        raise InvalidOrder(message, fields={"payment": {"method": [message]}})


def _address(customer: Customer, value: AddressInput) -> Address:
    """The address to store, its region and postal code as the post writes them ("colorado" → "CO")."""
    clean, _ = address_clean(
        country=value.country, region=value.region, postal_code=value.postal_code, city=value.city, line1=value.line1
    )
    return Address(
        customer=customer,
        name=value.name,
        line1=value.line1,
        line2=value.line2,
        city=value.city,
        region=clean["region"],
        postal_code=clean["postal_code"],
        country=clean["country"],
    )


def order_place(*, data: PlacementInput, actor: str) -> Order:
    """Capture an order, price it from the catalog, and run the automatic stages that need no call-out.

    Verification (stock) and the credit check run in this transaction; payment and the confirmation
    email are queued through the outbox. Raises InvalidOrder, writing nothing, on any bad input.

    Every refusal but a preorder's limit comes from the reads before the first write, so the writes need no
    savepoint of their own inside a caller's transaction (a caller that carries on after a failed placement
    wraps it in its own ``transaction.atomic()``, as the import does).
    """
    products, method, tax_rate, carried = _validated(data)
    price = order_price(
        lines=[(products[sku], quantity) for sku, quantity in data.lines],
        method=method,
        country=data.shipping_address.country,
        tax_rate=tax_rate,
    )
    if errors := price_errors(price):
        raise InvalidOrder("The order is not valid.", fields=errors)
    customer = catalog_customer(data, carried)
    if customer is not None:
        _may_bill(customer, data)
    # A preorder's limit is checked once its stock is reserved, after the first writes: only then does the
    # placement take a savepoint, so its refusal leaves a caller's transaction as it was.
    preorder = any(is_preorder(products[sku]) for sku, _ in data.lines)
    with transaction.atomic(savepoint=preorder):
        return _order_place(data, actor=actor, customer=customer, price=price, method=method, carried=carried)


def _order_place(
    data: PlacementInput, *, actor: str, customer: Customer | None, price: Price, method: ShippingMethod, carried: dict
) -> Order:
    if customer is None:
        customer = _customer_create(data)
        _may_bill(customer, data)  # a customer made by a concurrent order a moment ago
    ship_partial = order_ship_partial(
        requested=data.ship_partial,
        storefront_id=data.storefront_id,
        **({"storefront_choice": carried["ship_partial"]} if "ship_partial" in carried else {}),
    )
    ids = _ids_of(carried.get("new_ids"), data)
    order, addresses = _order_build(
        data, customer=customer, price=price, method=method, ship_partial=ship_partial, ids=ids
    )
    risk_settings = risk_settings_of(carried["risk_settings"]) if "risk_settings" in carried else None
    # Scored now, held (if at all) once stock is reserved.
    order_risk_screen(order=order, risk_settings=risk_settings, history=carried.get("history"))
    lines, unsaved = _order_store(order, data=data, price=price, ids=ids, addresses=addresses, carried=carried)
    preorders_lock(lines=lines)
    # The stages' transitions, the timeline and the hooks are written once, at the end: with drawn ids the order,
    # its lines, addresses and payment are inserted then, in their final state, with the events, the hooks' writes
    # and the tasks queued, in one statement (elsewhere: one UPDATE of the order, one INSERT of its events…).
    with hook_reads_known(data.storefront_id, carried), order_events_batched(order, unsaved=unsaved):
        event_record(order=order, actor=actor, to_status=order.status, note=f"Placed via {order.get_channel_display()}")
        auto_stages_run(order=order, lines=lines, customer=order.customer)
    preorder_limits_check(order=order, lines=lines)
    # What the API answers with, without reading the order again: its lines as stored.
    order._prefetched_objects_cache = {"lines": _as_related(order, lines)}
    return order


def _as_related(order: Order, lines: list[OrderLine]):
    """``lines`` as ``order.lines.all()`` would read them (by pk), for rendering."""
    queryset = order.lines.all()
    queryset._result_cache = sorted(lines, key=lambda line: line.pk)
    queryset._prefetch_done = True
    return queryset


def _validated(data: PlacementInput) -> tuple[dict[str, Product], ShippingMethod, Decimal | None, dict]:
    """The products by SKU, the shipping method, the destination's tax rate (None: not read) and what the
    placement reads along with them (the customer, the fraud rules, the storefront's ship-in-parts choice), or
    InvalidOrder naming every bad field."""
    skus = [sku for sku, _ in data.lines]
    number = order_number_new()
    errors, products, method, tax_rate, carried = catalog_read(
        skus=skus,
        shipping_method=data.shipping_method,
        country=data.shipping_address.country,
        placing=data,
        number=number,
        history=risk_history_along(
            card_digest=_card_digest(data),
            email=data.customer_email,
            shipping_address=data.shipping_address,
            billing_address=data.billing_address,
            now=timezone.now(),
        ),
    )
    carried["number"] = number
    line_errors = errors.get("lines", {})
    for index, (_, quantity) in enumerate(data.lines):
        if not 0 < quantity <= MAX_QUANTITY:
            line_errors.setdefault(str(index), {})["quantity"] = [f"Must be between 1 and {MAX_QUANTITY}."]
    if line_errors:
        errors["lines"] = line_errors
    if not data.lines:
        errors["lines"] = ["At least one line is required."]
    if data.payment_method not in _methods(data):
        errors["payment"] = {"method": [f"Must be one of: {', '.join(_methods(data))}."]}
    elif data.payment_method == Payment.Method.CASH and data.channel != Channel.IN_STORE:
        errors["payment"] = {"method": ["Cash is only taken for in-store orders."]}
    for name, address in (("shipping_address", data.shipping_address), ("billing_address", data.billing_address)):
        if address is not None and (problems := _address_errors(address)):
            errors[name] = problems
    if errors:
        raise InvalidOrder("The order is not valid.", fields=errors)
    return products, method, tax_rate, carried


def _methods(data: PlacementInput) -> list[str]:
    """The payment methods this placement may use: ``exchange`` (no charge) only for a replacement order."""
    if data.payment_amount is not None:
        return Payment.Method.values
    return [method for method in Payment.Method.values if method != Payment.Method.EXCHANGE]


def _address_errors(value: AddressInput) -> dict[str, list[str]]:
    return address_errors(
        country=value.country, region=value.region, postal_code=value.postal_code, city=value.city, line1=value.line1
    )


def _card_digest(data: PlacementInput) -> str:
    """The card token's digest for fraud screening: none for other methods, nor for the test gateway's fixed
    tokens (``OMS_RISK_UNTRACKED_CARD_TOKENS``), which every test order shares and so name no one card."""
    if data.payment_method != Payment.Method.CARD or data.payment_token in settings.OMS_RISK_UNTRACKED_CARD_TOKENS:
        return ""
    return token_digest(data.payment_token)


def _ids_of(drawn: list[int] | None, data: PlacementInput) -> dict | None:
    """The drawn ids (``_new_ids_expression``) by what they are for; None when none were drawn."""
    if not drawn:
        return None
    addresses = 1 + (data.billing_address is not None)
    return {"order": drawn[0], "addresses": drawn[1 : 1 + addresses], "lines": drawn[1 + addresses :]}


def _order_build(
    data: PlacementInput,
    *,
    customer: Customer,
    price: Price,
    method: ShippingMethod,
    ship_partial: bool,
    ids: dict | None,
) -> tuple[Order, list[Address]]:
    """The order, not yet saved, for its customer, and its addresses: stored now, or with drawn ``ids`` given
    their ids and returned to be inserted with the order."""
    shipping_address = _address(customer, data.shipping_address)
    billing_address = _address(customer, data.billing_address) if data.billing_address else None
    addresses = [a for a in (shipping_address, billing_address) if a is not None]
    if ids is None:
        Address.objects.bulk_create(addresses)
    else:
        for address, pk in zip(addresses, ids["addresses"], strict=True):
            address.pk = pk
    placed_at = timezone.now()
    ship_by, delivery = delivery_dates(placed_at=placed_at, transit_days=method.transit_days)
    order = Order(
        storefront_id=data.storefront_id,
        channel=data.channel,
        customer=customer,
        contact_name=data.customer_name or customer.name,
        contact_email=data.customer_email or customer.email,
        contact_phone=data.customer_phone if data.customer_name or data.customer_email else customer.phone,
        shipping_address=shipping_address,
        billing_address=billing_address or shipping_address,
        shipping_method=method.code,
        currency=settings.OMS_CURRENCY,
        subtotal=price.subtotal,
        shipping_total=price.shipping,
        tax_rate=price.tax_rate,
        tax_total=price.tax,
        total=price.total,
        notes=data.notes,
        promised_ship_date=ship_by,
        estimated_delivery_date=delivery,
        payment_method=data.payment_method,
        card_digest=_card_digest(data),
        external_ref=data.external_ref,
        ship_partial=ship_partial,
        placed_at=placed_at,
    )
    if ids is not None:
        order.pk = ids["order"]
    return order, addresses if ids is not None else []


def _order_store(
    order: Order, *, data: PlacementInput, price: Price, ids: dict | None, addresses: list[Address], carried: dict
) -> tuple[list[OrderLine], list[list]]:
    """Give the order a fresh number, its lines as priced and its payment; (the lines, the rows left to insert).

    Without drawn ``ids`` all are stored now. With them (PostgreSQL) nothing is written here: the addresses, the
    lines, the payment and the order are returned to be inserted at the end of the placement, in their final state
    (``order_events_batched``), under the number the catalog read found free."""
    lines = [
        OrderLine(
            order=order,
            product=line.product,
            sku=line.product.sku,
            name=line.product.name,
            quantity=line.quantity,
            unit_price=line.product.price,
            line_total=line.line_total,
            weight_kg=line.product.weight_kg,
        )
        for line in price.lines
    ]
    amount = order.total if data.payment_amount is None else min(data.payment_amount, order.total)
    if ids is None:
        _number_and_save(order)
        for line in lines:
            line.order_id = order.pk
        OrderLine.objects.bulk_create(lines)
        payment_create(
            order_id=order.pk,
            method=data.payment_method,
            token=data.payment_token,
            amount=amount,
            currency=order.currency,
        )
        return lines, []
    for line, pk in zip(lines, ids["lines"], strict=True):
        line.pk = pk
    payment = payment_new(
        order_id=order.pk, method=data.payment_method, token=data.payment_token, amount=amount, currency=order.currency
    )
    order.number = carried["number"] if not carried["number_taken"] else _number_free()
    return lines, [addresses, lines, [payment], [order]]


NUMBER_CONSTRAINT = "orders_order_number_key"  # PostgreSQL's name for the number's unique constraint


def number_clashed(error: IntegrityError) -> bool:
    """The placement failed because another order took its number between the catalog read, which found it free,
    and the final INSERT (two placements drawing the same of 32^8 numbers within milliseconds): its transaction is
    lost, and placing it again draws another number. The storefront API does so; other callers see the error."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == NUMBER_CONSTRAINT


def _number_free() -> str:
    """A number no stored order has, when the one the catalog read tried was taken (with N orders stored, one
    placement in 32^8 / N)."""
    for _ in range(5):
        number = order_number_new()
        if not Order.objects.filter(number=number).exists():
            return number
    raise RuntimeError("Could not allocate an order number.")  # pragma: no cover - 32^8 numbers


def _number_and_save(order: Order) -> None:
    """Insert the order under a random number, drawing again if another order has it."""
    for _ in range(5):
        order.number = order_number_new()
        if _insert_unless_taken(order, conflict='"number"', clash_text="number"):
            return
    raise RuntimeError("Could not allocate an order number.")  # pragma: no cover - 32^8 numbers
