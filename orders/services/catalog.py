"""What placement reads before it writes, in one query: the products of the order's lines, with the shipping
method, the destination's tax rate, the returning customer, fraud screening's rules, the storefront's ship-in-parts
choice and the new rows' ids riding along as uncorrelated subqueries (``catalog_read``). The API's format checks use
the same read for the catalog's errors (``catalog_errors``)."""

import json
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import BooleanField, DateTimeField, DecimalField, Exists, F, Func, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Lower
from django.db.models.lookups import Exact
from django.utils.dateparse import parse_datetime

from inventory.models import Product
from oms import compiled, idempotency
from oms.models import Storefront
from orders.event_hooks import hook_read_names, hook_reads
from orders.models import Address, Customer, Order, OrderLine, TaxRate
from orders.services.risk import (
    risk_history_carried,
    risk_history_columns,
    risk_history_names,
    risk_settings_expression,
)
from shipping.models import ShippingMethod
from shipping.selectors import shipping_method_get

if TYPE_CHECKING:
    from orders.services.placement import PlacementInput


def catalog_errors(*, skus: list[str], shipping_method: str | None) -> dict:
    """Errors against the catalog, shaped like DRF's: ``{"lines": {"0": {"sku": [...]}}, ...}``.

    Used by the API to report these with the format errors in one answer, and by placement itself.
    """
    return catalog_read(skus=skus, shipping_method=shipping_method)[0]


def catalog_read(
    *,
    skus: list[str],
    shipping_method: str | None,
    country: str | None = None,
    placing: "PlacementInput | None" = None,
    number: str = "",
    history: tuple[tuple, dict] | None = None,
) -> tuple[dict, dict[str, Product], ShippingMethod | None, Decimal | None, dict]:
    """(errors, products by SKU, shipping method, tax rate of ``country``, what ``placing`` reads along) in one
    query: the method, the rate and the placement's reads (``_carried_columns``) ride along the products as
    uncorrelated subqueries (PostgreSQL runs each once). The tax rate is None when not read (no country, or no
    product found); the method is then read on its own; the carried values are empty when no product is found.
    On PostgreSQL a placement also learns whether an order has the ``number`` it means to take (``number_taken``),
    and the fraud histories ``history`` names (``risk_history_along``: shape, values) for the customer it reads,
    carried as ``carried["history"]`` for ``order_risk_screen``.

    For a placement on PostgreSQL the query is compiled once per shape (``oms.compiled``): building and
    compiling its subqueries cost more than running it."""
    values = {
        "skus": [s for s in skus if s],
        "method": shipping_method,
        "country": country.upper() if country is not None and len(country) == 2 else None,
    }
    extra = None
    if placing is not None:
        email = (placing.customer_email or "").replace("\x00", "").strip()
        values |= {"customer_id": placing.customer_id, "email": email, "storefront_id": placing.storefront_id}
        values |= {"n_addresses": 1 + (placing.billing_address is not None), "n_lines": len(placing.lines)}
        values["number"] = number
        extra = {
            "customer": "id" if placing.customer_id is not None else "email" if email else None,
            "ship_partial": placing.ship_partial is None and placing.storefront_id is not None,
            "hook_reads": placing.storefront_id is not None and _on_postgresql(),
            "history": history[0] if history is not None and _on_postgresql() and email else None,
            "claim": _on_postgresql() and (claim := idempotency.claim_along()) is not None,
        }
        if extra["claim"]:
            values |= claim
        if extra["history"] is not None:
            values |= history[1]
    if placing is not None and _on_postgresql():
        shape = ("placement-catalog", *(values[name] is None for name in ("method", "country")), *extra.values())
        present = {name: value for name, value in values.items() if value is not None}
        rows = list(compiled.run(shape, lambda sentinels: _catalog_queryset(sentinels, extra, array=True), present))
    else:
        rows = list(_catalog_queryset(values, extra))
    products = {p.sku: p for p in rows}
    errors: dict = {}
    line_errors = {}
    seen = set()
    for index, sku in enumerate(skus):
        product = products.get(sku)
        if sku and product is None:
            line_errors[str(index)] = {"sku": [f"Unknown SKU '{sku}'."]}
        elif product is not None and not product.is_active:
            line_errors[str(index)] = {"sku": [f"'{sku}' is not for sale."]}
        elif sku and sku in seen:
            line_errors[str(index)] = {"sku": [f"'{sku}' appears twice; put the whole quantity on one line."]}
        seen.add(sku)
    if line_errors:
        errors["lines"] = line_errors
    method = None
    if shipping_method is not None:
        method = _method_of(rows[0]) if rows else shipping_method_get(code=shipping_method)
    if shipping_method is not None and method is None:
        errors["shipping_method"] = [f"Unknown shipping method '{shipping_method}'."]
    tax_rate = None
    if rows and country is not None:
        tax_rate = getattr(rows[0], "destination_tax_rate", None) or Decimal("0")
    carried = {}
    if rows and extra is not None:
        carried = {name: getattr(rows[0], name) for name in _carried_names(extra)}
        if extra["history"] is not None:
            carried["history"] = risk_history_carried(extra["history"], history[1], carried)
        if extra["claim"]:
            idempotency.claim_along_taken(claimed=carried["idempotency_claimed"], stored=carried["idempotency_stored"])
    return errors, products, method, tax_rate, carried


def _catalog_queryset(values: dict, extra: dict | None, *, array: bool = False):
    """The catalog read of ``catalog_read``: SKU ``= ANY(array)`` (one parameter, whatever the number of lines) when
    compiled once for PostgreSQL, ``IN (…)`` otherwise."""
    if array:
        queryset = Product.objects.filter(
            RawSQL('"inventory_product"."sku" = ANY(%s::text[])', (values["skus"],), output_field=BooleanField())
        )
    else:
        queryset = Product.objects.filter(sku__in=values["skus"])
    if extra is not None:
        queryset = queryset.annotate(**_carried_columns(values, extra))
    if values["method"] is not None:
        active = ShippingMethod.objects.filter(code=values["method"], is_active=True).order_by()
        if _on_postgresql():
            queryset = queryset.annotate(method_row=_row_of(active, ShippingMethod))
        else:
            queryset = queryset.annotate(
                **{f"method_{name}": Subquery(active.values(name)[:1]) for name in _METHOD_FIELDS}
            )
    if values["country"] is not None:
        rates = TaxRate.objects.filter(country=values["country"]).order_by()
        queryset = queryset.annotate(destination_tax_rate=Subquery(rates.values("rate")[:1]))
    return queryset


_METHOD_FIELDS = [f.attname for f in ShippingMethod._meta.concrete_fields]


def _method_of(product: Product) -> ShippingMethod | None:
    """The shipping method read along with ``product`` (see ``catalog_read``), None if there is no such method."""
    if hasattr(product, "method_row"):
        return _from_row(ShippingMethod, product.method_row, product._state.db)
    values = [getattr(product, f"method_{name}") for name in _METHOD_FIELDS]
    if values[_METHOD_FIELDS.index(ShippingMethod._meta.pk.attname)] is None:
        return None
    return ShippingMethod.from_db(product._state.db, _METHOD_FIELDS, values)


def _row_of(queryset, model) -> Subquery:
    """On PostgreSQL, the first row of ``queryset`` as one JSON array of ``model``'s columns, in one subquery (one
    per column cost a subplan each, and the filter's values were sent once per column); ``_from_row`` reads it."""
    columns = Func(*(F(f.attname) for f in model._meta.concrete_fields), function="json_build_array")
    return Subquery(queryset.annotate(row=Cast(columns, TextField())).values("row")[:1])


def _from_row(model, text: str | None, alias: str):
    """The instance ``_row_of`` read, None if there was no row."""
    if text is None:
        return None
    values = json.loads(text, parse_float=Decimal)
    for n, field in enumerate(model._meta.concrete_fields):
        if values[n] is None:
            continue
        if isinstance(field, DateTimeField):
            values[n] = parse_datetime(values[n])
        elif isinstance(field, DecimalField) and not isinstance(values[n], Decimal):
            values[n] = Decimal(values[n])
    return model.from_db(alias, [f.attname for f in model._meta.concrete_fields], values)


_CUSTOMER_FIELDS = [f.attname for f in Customer._meta.concrete_fields]


def _customer_columns(values: dict, by: str | None) -> dict:
    """The stored customer the order is for (``by`` its id or its email), as subqueries the catalog carries."""
    if by is None:
        found = Customer.objects.none()
    elif by == "id":
        found = Customer.objects.filter(pk=values["customer_id"])
    else:
        found = _customers_with_email(values)
    found = found.order_by()
    if _on_postgresql():
        return {"customer_row": _row_of(found, Customer)}
    return {f"customer_{name}": Subquery(found.values(name)[:1]) for name in _CUSTOMER_FIELDS}


def _customers_with_email(values: dict):
    """The customers with the placement's email, as ``Customer.objects.with_email`` finds them."""
    return Customer.objects.filter(Exact(Lower("email"), Lower(Value(values["email"])))).order_by()


def catalog_customer(data: "PlacementInput", carried: dict) -> Customer | None:
    """The stored customer read along the catalog, if any. A stored customer's contact details are never
    changed by a placement: the order keeps its own copy."""
    if "customer_row" in carried:
        customer = _from_row(Customer, carried["customer_row"], Product.objects.db)
    else:
        values = [carried.get(f"customer_{name}") for name in _CUSTOMER_FIELDS]
        found = values[_CUSTOMER_FIELDS.index(Customer._meta.pk.attname)] is not None
        customer = Customer.from_db(Product.objects.db, _CUSTOMER_FIELDS, values) if found else None
    if customer is None and data.customer_id is not None:
        raise Customer.DoesNotExist(f"No customer {data.customer_id}.")
    return customer


def _on_postgresql() -> bool:
    """The placement's read carries the fraud rules and draws the new rows' ids on PostgreSQL only (JSON and
    sequences in a subquery), and is compiled once there."""
    return transaction.get_connection().vendor == "postgresql"


def _carried_names(extra: dict) -> list[str]:
    """The names ``_carried_columns`` gives its columns, without building them."""
    if _on_postgresql():
        names = ["customer_row", "risk_settings", "new_ids", "number_taken"]
    else:
        names = [f"customer_{name}" for name in _CUSTOMER_FIELDS]
    if extra["ship_partial"]:
        names.append("ship_partial")
    if extra["hook_reads"]:
        names += hook_read_names()
    if extra["history"] is not None:
        names += risk_history_names(extra["history"])
    if extra["claim"]:
        names += idempotency.CLAIM_ALONG_NAMES
    return names


def _new_ids_expression(values: dict) -> RawSQL:
    """The ids of the new order, its addresses and its lines, drawn from their sequences: [order, addresses…,
    lines…]. Uncorrelated subqueries, run once however many products the read finds."""

    def draw(model, count: str) -> str:
        sequence = f"pg_get_serial_sequence('{model._meta.db_table}', '{model._meta.pk.column}')"
        return f"ARRAY(SELECT nextval({sequence}) FROM generate_series(1, {count}))"

    return RawSQL(
        f"{draw(Order, '1')} || {draw(Address, '%s')} || {draw(OrderLine, '%s')}",
        [values["n_addresses"], values["n_lines"]],
    )


def _carried_columns(values: dict, extra: dict) -> dict:
    """What the catalog read carries for a placement, each an uncorrelated subquery: one query, not four."""
    columns = _customer_columns(values, extra["customer"])
    if (rules := risk_settings_expression()) is not None:
        columns["risk_settings"] = rules
    if extra["ship_partial"]:
        columns["ship_partial"] = Subquery(
            Storefront.objects.filter(pk=values["storefront_id"]).order_by().values("ship_partial")[:1]
        )
    if _on_postgresql():
        columns["new_ids"] = _new_ids_expression(values)
        columns["number_taken"] = Exists(Order.objects.filter(number=values["number"]))
    if extra["hook_reads"]:
        columns |= hook_reads(values["storefront_id"])  # what the timeline's hooks read for the storefront
    if extra["history"] is not None:  # the fraud histories of the customer the order is for (by id or email)
        by_email = Subquery(_customers_with_email(values).values("pk")[:1])
        customer = values["customer_id"] if extra["customer"] == "id" else by_email
        columns |= risk_history_columns(extra["history"], values, customer)
    if extra["claim"]:  # the request's Idempotency-Key, claimed here rather than in a query of its own
        columns |= idempotency.claim_along_columns(values)
    return columns
