"""Input and output shapes of the orders API. Parsing only: the rules live in the services."""

import re
import threading

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from oms.rendering import CompiledOutput
from orders.links import order_customer_url
from orders.models import Channel, HoldReason, Order, OrderStatus
from orders.selectors import lines_expected_dates
from orders.services import catalog_errors
from orders.services.common import SYSTEM
from orders.services.placement import MAX_QUANTITY
from orders.services.support import CUSTOMER

_reused = threading.local()


def reused(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """This thread's one instance of ``serializer_class``, its fields built once.

    DRF builds a serializer's fields afresh for every instance (a deep copy of each declared field, nested
    serializers included): a few milliseconds per request on the placement path. Rendering
    (``to_representation``) keeps no state on the instance, and ``validated`` clears what validating leaves,
    so one instance per thread gives the same answers.
    """
    instances = _reused.__dict__.setdefault("instances", {})
    if (instance := instances.get(serializer_class)) is None:
        instance = instances[serializer_class] = serializer_class()
    return instance


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    """``serializer_class(data=data)``'s validated data, raising ValidationError as ``is_valid(raise_exception=True)``
    does, with this thread's reused instance."""
    serializer = reused(serializer_class)
    for name in ("_validated_data", "_errors", "_data"):
        serializer.__dict__.pop(name, None)
    serializer.initial_data = data
    try:
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
    finally:
        del serializer.initial_data


class CustomerInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class LineInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class AddressSerializer(CompiledOutput, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="State, province or region, e.g. CO, ON. Optional; printed on labels where the country expects it.",
    )
    postal_code = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required where the country has postal codes (400 names it when missing); some have none (AE, HK).",
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", max_length=2, error_messages={"invalid": "Use a two-letter ISO country code, e.g. US."}
    )

    def validate_country(self, value: str) -> str:
        return value.upper()


class PaymentInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=["card", "bank_transfer", "on_account", "cash"])
    token = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["method"] == "card" and not attrs.get("token"):
            raise serializers.ValidationError({"token": ["A card token is required for card payments."]})
        return attrs


class OrderCreateInput(serializers.Serializer):
    customer = CustomerInput()
    lines = LineInput(many=True, allow_empty=False, max_length=500)
    shipping_address = AddressSerializer()
    billing_address = AddressSerializer(required=False, allow_null=True, default=None)
    shipping_method = serializers.CharField(max_length=30)
    payment = PaymentInput()
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        default=Channel.WEB,
        help_text="Staff only; storefront orders are always 'web'.",
    )
    ship_partial = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When stock is short: true ships what is there and backorders the rest, false waits whole "
        "(held out of stock). Omitted: the storefront's setting, else the shop's default.",
    )

    def to_internal_value(self, data):
        """Report format errors and catalog errors (unknown SKU, unknown method) in one answer.

        A well-formed body goes on as it is: placement checks the catalog itself and answers in the same
        field-map shape, so the catalog is read here only when there are format errors to report with it.
        """
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_with_catalog_errors(dict(exc.detail), data)) from exc


def order_create_validated(data) -> dict:
    """``validated(OrderCreateInput, data)``: read directly when the body is in its plain form, else by DRF.

    Validating a placement through DRF's fields cost about a tenth of the request's CPU. A body whose every value
    is already what the serializer would keep (strings of the right length without surrounding whitespace, NUL or
    surrogates, integers as integers, known choices) is read field by field here into the same validated data;
    anything else, an error included, goes through ``OrderCreateInput`` and gets its answer.
    """
    if type(data) is dict and (plain := _order_create_plain(data)) is not None:
        return plain
    return validated(OrderCreateInput, data)


class _NotPlain(Exception):
    pass


_ODD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
_PAYMENT_METHODS = frozenset(PaymentInput._declared_fields["method"].choices)
_CHANNELS = frozenset(Channel.values)


def _text(body: dict, key: str, max_length: int, *, blank: bool = False, required: bool = True) -> str:
    if key not in body:
        if required:
            raise _NotPlain
        return ""
    value = body[key]
    if type(value) is not str or len(value) > max_length or (not value and not blank):
        raise _NotPlain
    if value != value.strip() or _ODD_CHARACTERS.search(value):
        raise _NotPlain
    return value


def _part(body: dict, key: str) -> dict:
    value = body.get(key)
    if type(value) is not dict:
        raise _NotPlain
    return value


def _address_plain(body: dict) -> dict:
    country = _text(body, "country", 2)
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise _NotPlain
    return {
        "name": _text(body, "name", 200),
        "line1": _text(body, "line1", 200),
        "line2": _text(body, "line2", 200, blank=True, required=False),
        "city": _text(body, "city", 100),
        "region": _text(body, "region", 100, blank=True, required=False),
        "postal_code": _text(body, "postal_code", 20, blank=True, required=False),
        "country": country.upper(),
    }


def _order_create_plain(body: dict) -> dict | None:
    try:
        customer = _part(body, "customer")
        email = _text(customer, "email", 254)
        try:
            validate_email(email)
        except DjangoValidationError:
            raise _NotPlain from None
        lines = body.get("lines")
        if type(lines) is not list or not 0 < len(lines) <= 500:
            raise _NotPlain
        plain_lines = []
        for line in lines:
            if type(line) is not dict:
                raise _NotPlain
            quantity = line.get("quantity")
            if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
                raise _NotPlain
            plain_lines.append({"sku": _text(line, "sku", 64), "quantity": quantity})
        billing = body.get("billing_address")
        if billing is not None and type(billing) is not dict:
            raise _NotPlain
        payment = _part(body, "payment")
        method = payment.get("method")
        if type(method) is not str or method not in _PAYMENT_METHODS:
            raise _NotPlain
        token = _text(payment, "token", 100, blank=True, required=False)
        if method == "card" and not token:
            raise _NotPlain
        channel = body.get("channel", Channel.WEB)  # the default as the serializer gives it (the enum member)
        if channel is not Channel.WEB and (type(channel) is not str or channel not in _CHANNELS):
            raise _NotPlain
        ship_partial = body.get("ship_partial")
        if ship_partial is not None and type(ship_partial) is not bool:
            raise _NotPlain
        return {
            "customer": {
                "email": email,
                "name": _text(customer, "name", 200),
                "phone": _text(customer, "phone", 40, blank=True, required=False),
            },
            "lines": plain_lines,
            "shipping_address": _address_plain(_part(body, "shipping_address")),
            "billing_address": None if billing is None else _address_plain(billing),
            "shipping_method": _text(body, "shipping_method", 30),
            "payment": {"method": method, "token": token},
            "notes": _text(body, "notes", 2000, blank=True, required=False),
            "channel": channel,
            "ship_partial": ship_partial,
        }
    except _NotPlain:
        return None


def _with_catalog_errors(errors: dict, data) -> dict:
    """Format ``errors`` with the catalog's verdict on the same body (unknown SKU, unknown method) merged in."""
    catalog = catalog_errors(**_catalog_keys(data))
    for name, problem in catalog.items():
        if name == "lines" and isinstance(errors.get("lines"), dict):
            merged = {str(k): dict(v) for k, v in errors["lines"].items()}
            for index, line_problem in problem.items():
                merged[index] = {**line_problem, **merged.get(index, {})}
            errors["lines"] = dict(sorted(merged.items(), key=lambda item: int(item[0])))
        elif name not in errors:
            errors[name] = problem
    return errors


def _catalog_keys(data) -> dict:
    if not isinstance(data, dict):
        return {"skus": [], "shipping_method": None}
    lines = data.get("lines")
    skus = []
    if isinstance(lines, list):
        skus = [_sku_as_parsed(line.get("sku")) if isinstance(line, dict) else "" for line in lines]
    method = data.get("shipping_method")
    return {"skus": skus, "shipping_method": method if isinstance(method, str) and method else None}


def _sku_as_parsed(value) -> str:
    """The SKU as ``LineInput`` reads it (numbers taken, spaces trimmed), so both checks judge the same value."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


class OrderTransitionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    hold_reason = serializers.ChoiceField(
        choices=HoldReason.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="For hold: why, as a code. Without it, a hold needs a reason (free text is filed as 'other').",
    )


class PaymentRetryInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=["card"], help_text="Only a card can pay an order whose payment failed.")
    token = serializers.CharField(
        max_length=100, help_text="The new card's token from the payment page (visible ASCII, no spaces)."
    )


class LinesChangeInput(serializers.Serializer):
    lines = LineInput(
        many=True,
        allow_empty=False,
        max_length=500,
        help_text="The complete new set of lines: lines left out are removed, new SKUs added.",
    )

    def to_internal_value(self, data):
        """Format errors and catalog errors (unknown SKU) in one answer, as for a new order."""
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_with_catalog_errors(dict(exc.detail), data)) from exc


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    lines = LineInput(
        many=True,
        required=False,
        allow_empty=False,
        max_length=500,
        help_text="Cancel only these quantities (a line reaching 0 goes); without it the whole order is cancelled.",
    )


# --- output ------------------------------------------------------------------------------------------


class LinesOutput(serializers.ListSerializer):
    """An order's lines: their expected dates read once for all of them (``lines_expected_dates``), not per line."""

    def to_representation(self, data):
        lines = list(data.all() if hasattr(data, "all") else data)
        dates = lines_expected_dates(lines=lines)
        for line in lines:
            line.expected_date_read = dates.get(line.pk)
        return super().to_representation(lines)


class LineOutput(CompiledOutput, serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    quantity_shipped = serializers.IntegerField()
    quantity_backordered = serializers.IntegerField(
        help_text="Ordered units not yet reserved: they wait for stock (a backorder or a preorder)."
    )
    expected_date = serializers.SerializerMethodField(
        help_text="When the backordered units are expected (the earliest purchase order bringing them), or null."
    )

    class Meta:
        list_serializer_class = LinesOutput

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_expected_date(self, line):
        if hasattr(line, "expected_date_read"):  # read with the order's other lines (LinesOutput)
            return line.expected_date_read
        return lines_expected_dates(lines=[line]).get(line.pk)


class CustomerOutput(CompiledOutput, serializers.Serializer):
    """The contact details given with the order (not what is stored about the customer since)."""

    email = serializers.EmailField(source="contact_email")
    name = serializers.CharField(source="contact_name")
    phone = serializers.CharField(source="contact_phone")


class PaymentSummaryOutput(CompiledOutput, serializers.Serializer):
    method = serializers.CharField(source="payment_method")
    status = serializers.CharField(
        source="payment_status",
        help_text="pending, awaiting_funds, authorized, captured, declined, voided, refunded, or settled "
        "(on account: the customer paid the invoice).",
    )
    authorized = serializers.DecimalField(source="amount_authorized", max_digits=12, decimal_places=2)
    captured = serializers.DecimalField(source="amount_captured", max_digits=12, decimal_places=2)
    refunded = serializers.DecimalField(source="amount_refunded", max_digits=12, decimal_places=2)
    balance_due = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="What the total asks beyond what was captured, authorized or invoiced: all of it while unpaid, "
        "the difference when the order grew after it was paid.",
    )
    refund_due = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="What was paid beyond the total (the order shrank after it was paid) and is not refunded yet.",
    )


class OrderOutput(CompiledOutput, serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    channel = serializers.CharField()
    currency = serializers.CharField()
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    shipping_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    lines = LineOutput(many=True)
    customer = CustomerOutput(source="*")
    shipping_address = AddressSerializer()
    billing_address = AddressSerializer()
    shipping_method = serializers.CharField()
    ship_partial = serializers.BooleanField(help_text="Short stock ships in parts (true) or waits whole (false).")
    payment = serializers.SerializerMethodField()
    hold_reason = serializers.CharField()
    notes = serializers.CharField()
    promised_ship_date = serializers.DateField()
    estimated_delivery_date = serializers.DateField()
    tracking_url = serializers.SerializerMethodField()
    placed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(PaymentSummaryOutput)
    def get_payment(self, order: Order) -> dict:
        return reused(PaymentSummaryOutput).to_representation(order)

    def get_tracking_url(self, order: Order) -> str:
        return order_customer_url(order.number)


class RiskReasonOutput(CompiledOutput, serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's code, e.g. email_velocity, deny_list.")
    points = serializers.IntegerField(help_text="What the rule added to the score.")
    detail = serializers.CharField()


class RiskOutput(CompiledOutput, serializers.Serializer):
    score = serializers.IntegerField(source="risk_score", allow_null=True, help_text="Null: not screened.")
    reasons = RiskReasonOutput(source="risk_reasons", many=True)


class StaffOrderOutput(OrderOutput):
    """The order as staff get it: with its fraud screening, which storefronts never see."""

    risk = RiskOutput(source="*")


class OrderEventOutput(CompiledOutput, serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()


class TrackingEventOutput(CompiledOutput, serializers.Serializer):
    status = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    location = serializers.CharField()
    description = serializers.CharField()


class ShipmentOutput(CompiledOutput, serializers.Serializer):
    carrier = serializers.CharField()
    tracking_number = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    weight_kg = serializers.DecimalField(max_digits=8, decimal_places=3)
    contents = serializers.JSONField()
    events = TrackingEventOutput(many=True)


class OrderDetailOutput(StaffOrderOutput):
    events = OrderEventOutput(many=True)
    shipments = ShipmentOutput(many=True)


def customer_actor(actor: str) -> str:
    """Who changed the order, as its customer may be told: never a staff member's user name."""
    if actor == CUSTOMER or actor.startswith("storefront:"):
        return "customer"
    if actor == SYSTEM or actor.startswith(("carrier:", "import:")):
        return "system"
    return "staff"


class StorefrontOrderDetailOutput(OrderDetailOutput):
    """The order as a storefront (and so its customer) may see it: the same fields as staff get.

    The timeline holds only the status changes, each with who in broad terms; a note would carry staff
    reasons, internal notes, credit figures or a free-text hold reason, so the only note kept is the hold
    reason code of the hold the order is in now.
    """

    events = serializers.SerializerMethodField()
    risk = None  # staff only

    @extend_schema_field(OrderEventOutput(many=True))
    def get_events(self, order: Order) -> list[dict]:
        changes = [event for event in order.events.all() if event.to_status]
        current_hold = None
        if order.status == OrderStatus.ON_HOLD:
            current_hold = next((e for e in reversed(changes) if e.to_status == OrderStatus.ON_HOLD), None)
        shown = [
            {
                "at": event.at,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": customer_actor(event.actor),
                "note": order.hold_reason if event is current_hold else "",
            }
            for event in changes
        ]
        return OrderEventOutput(shown, many=True).data


class TransitionOutput(serializers.Serializer):
    name = serializers.CharField()
    target = serializers.CharField()


class StaffTokenOutput(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as 'Authorization: Token <token>'. Shown once; only its hash is kept."
    )
    expires_at = serializers.DateTimeField(help_text="After this the token is refused (401); ask for a new one.")


class PickItemOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    bin = serializers.CharField()
    shipped = serializers.BooleanField()


class PickListOutput(serializers.Serializer):
    warehouse = serializers.CharField()
    items = PickItemOutput(many=True)


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


FIELD_ERRORS = OpenApiResponse(
    {"type": "object", "additionalProperties": True},
    description="Bad input: a map from each bad field to its messages, nested like the request, "
    'e.g. {"lines": {"0": {"sku": ["Unknown SKU \'X\'."]}}}.',
)
