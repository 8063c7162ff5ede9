"""Fraud screening: score each order at placement by configurable rules; hold it for review at or above a score.

The score is worked out as the order is placed (before it is stored, so the order row carries it from its
first write) from a handful of indexed queries: the rules' settings, the customer's latest orders, the card's
recent orders, the deny list and the customer's declined payments of the last day. The hold itself happens
right after stock is reserved and before the credit check and payment (``orders.services.pipeline``), so a
held order keeps its stock while someone looks, and no card is charged until they approve it.

Staff with ``orders.review_fraud`` approve (the order carries on from where it was held) or reject (cancelled:
stock released, payment voided or refunded, optionally its email, address or postal code denied from then on).
"""

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from oms import compiled
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import (
    Address,
    DenyListEntry,
    HoldReason,
    Order,
    OrderStatus,
    RiskPolicy,
    RiskRule,
    RiskRuleCode,
    RiskStatus,
)
from orders.services.common import SYSTEM, event_record, order_lock, transition_apply
from payments.models import GatewayTransaction

R = RiskRuleCode
PERMISSION = "orders.review_fraud"


@dataclass(frozen=True)
class RuleSettings:
    weight: int
    is_active: bool = True
    count: int | None = None
    window_hours: int | None = None
    amount: Decimal | None = None


# What each rule does until someone changes it on the dashboard (Fraud screening → Rules).
DEFAULT_RULES: dict[str, RuleSettings] = {
    R.EMAIL_VELOCITY: RuleSettings(weight=60, count=5, window_hours=1),
    R.CARD_VELOCITY: RuleSettings(weight=60, count=5, window_hours=1),
    R.COUNTRY_MISMATCH: RuleSettings(weight=40, amount=Decimal("500.00")),
    R.FIRST_ORDER: RuleSettings(weight=30, amount=Decimal("1000.00")),
    R.DENY_LIST: RuleSettings(weight=100),
    R.DECLINES: RuleSettings(weight=60, count=3, window_hours=24),
}
# Which settings a rule reads (the dashboard form shows only these).
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    R.EMAIL_VELOCITY: ("count", "window_hours"),
    R.CARD_VELOCITY: ("count", "window_hours"),
    R.COUNTRY_MISMATCH: ("amount",),
    R.FIRST_ORDER: ("amount",),
    R.DENY_LIST: (),
    R.DECLINES: ("count", "window_hours"),
}


@dataclass
class Screening:
    score: int = 0
    reasons: list[dict] = field(default_factory=list)
    hold_score: int = 0

    @property
    def status(self) -> str:
        return RiskStatus.REVIEW if self.reasons and self.score >= self.hold_score else RiskStatus.PASSED

    def add(self, code: str, rule: RuleSettings, detail: str) -> None:
        self.score += rule.weight
        self.reasons.append({"rule": str(code), "points": rule.weight, "detail": detail})


def risk_rules() -> dict[str, RuleSettings]:
    """Every rule's settings: the stored ones over the defaults."""
    return _rules_from(RiskRule.objects.values_list(*RULE_COLUMNS))


RULE_COLUMNS = ("code", "weight", "is_active", "count", "window_hours", "amount")


def _rules_from(rows) -> dict[str, RuleSettings]:
    """The rules from stored rows (``RULE_COLUMNS``) over the defaults."""
    rules = dict(DEFAULT_RULES)
    for code, weight, is_active, count, window_hours, amount in rows:
        default = DEFAULT_RULES[code]
        rules[code] = RuleSettings(
            weight=weight,
            is_active=is_active,
            count=count if count is not None else default.count,
            window_hours=window_hours if window_hours is not None else default.window_hours,
            amount=Decimal(amount) if amount is not None else default.amount,
        )
    return rules


def risk_hold_score() -> int:
    """The score at or above which an order is held: the dashboard's, else ``OMS_RISK_HOLD_SCORE``."""
    stored = RiskPolicy.objects.values_list("hold_score", flat=True).first()
    return stored if stored is not None else settings.OMS_RISK_HOLD_SCORE


RiskSettings = tuple[dict[str, RuleSettings], int]


def risk_settings_expression() -> RawSQL | None:
    """On PostgreSQL, an expression that reads every rule and the hold score as JSON text, for another query to
    carry (placement's catalog read); ``risk_settings_of`` turns its value into ``(rules, hold score)``."""
    if transaction.get_connection().vendor != "postgresql":
        return None
    rules_sql, rules_params = RiskRule.objects.values_list(*RULE_COLUMNS).query.sql_with_params()
    score_sql, score_params = RiskPolicy.objects.order_by("pk").values_list("hold_score")[:1].query.sql_with_params()
    columns = ", ".join(f"r.{name}::text" if name == "amount" else f"r.{name}" for name in RULE_COLUMNS)
    return RawSQL(
        f"json_build_array(COALESCE((SELECT json_agg(json_build_array({columns})) FROM ({rules_sql}) r), '[]'), "
        f"({score_sql}))::text",
        [*rules_params, *score_params],
        output_field=TextField(),
    )


def risk_settings_of(value: str) -> RiskSettings:
    rows, stored = json.loads(value)
    return _rules_from(rows), stored if stored is not None else settings.OMS_RISK_HOLD_SCORE


def _settings_read() -> RiskSettings:
    """``risk_rules()`` and ``risk_hold_score()`` in one query."""
    expression = risk_settings_expression()
    if expression is None:
        return risk_rules(), risk_hold_score()
    sql, params = expression.sql, expression.params
    return risk_settings_of(_select_one(f"SELECT {sql}", list(params))[0])


def _select_one(sql: str, params: list) -> tuple:
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


# --- the deny list's normal forms --------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return re.sub(r"[\s,.;#]+", " ", (text or "").lower()).strip()


def deny_value(*, kind: str, value: str = "", line1: str = "", postal_code: str = "", country: str = "") -> str:
    """The form a deny-list value is stored and compared in: an email in lower case, a postal code in upper case
    without spaces, an address as its first line, postal code and country, lower case, punctuation squeezed."""
    if kind == DenyListEntry.Kind.EMAIL:
        return (value or "").strip().lower()
    if kind == DenyListEntry.Kind.POSTAL_CODE:
        return re.sub(r"[\s-]+", "", value or "").upper()
    postal = re.sub(r"[\s-]+", "", postal_code or "").lower()
    return f"{_squeeze(line1)} | {postal} | {(country or '').strip().lower()}"


def _address_value(address: Address) -> str:
    return deny_value(
        kind=DenyListEntry.Kind.ADDRESS, line1=address.line1, postal_code=address.postal_code, country=address.country
    )


def _postal_value(address: Address) -> str:
    return deny_value(kind=DenyListEntry.Kind.POSTAL_CODE, value=address.postal_code)


# --- screening ---------------------------------------------------------------------------------------------


def order_risk_screen(
    *, order: Order, risk_settings: RiskSettings | None = None, history: "HistoryAlong | None" = None
) -> Screening:
    """Score ``order`` (built, not yet stored: customer, addresses, total, ``card_digest`` and ``placed_at``
    set) and put the result on it. Two queries: the rules with the hold score, then every history the active
    rules read (the customer's latest orders, the card's recent orders, the deny list, the customer's declined
    payments) as subqueries of one SELECT, each served by an index. ``history``: the histories read along another
    query (placement's catalog read, see ``risk_history_along``), taken if they are the ones these rules read."""
    global _last_active
    rules, hold_score = risk_settings or _settings_read()
    screening = Screening(hold_score=hold_score)
    active = {code: rule for code, rule in rules.items() if rule.is_active}
    reads = history.reads if history is not None and history.serves(order, active) else None
    if reads is None:
        reads = _history_read(order, active)
    _last_active = active
    _history_rules(order, active, screening, reads["latest"])
    if (rule := active.get(R.CARD_VELOCITY)) and order.card_digest:
        recent = reads["card"]
        if recent + 1 > rule.count:
            screening.add(R.CARD_VELOCITY, rule, f"{recent + 1} orders with this card within {rule.window_hours} h.")
    if (rule := active.get(R.COUNTRY_MISMATCH)) and order.billing_address.country != order.shipping_address.country:
        if order.total > rule.amount:
            screening.add(
                R.COUNTRY_MISMATCH,
                rule,
                f"Billed to {order.billing_address.country}, shipped to {order.shipping_address.country}, "
                f"total {order.total} over {rule.amount}.",
            )
    if (rule := active.get(R.DENY_LIST)) and (hits := reads["deny"]):
        listed = ", ".join(f"{DenyListEntry.Kind(kind).label.lower()} {value}" for kind, value in sorted(hits))
        screening.add(R.DENY_LIST, rule, f"On the deny list: {listed}.")
    if rule := active.get(R.DECLINES):
        declined = reads["declines"]
        if declined >= rule.count:
            screening.add(R.DECLINES, rule, f"{declined} declined payments within {rule.window_hours} h.")
    order.risk_score, order.risk_reasons, order.risk_status = screening.score, screening.reasons, screening.status
    return screening


# The active rules of this process's last screening: placement reads the histories they ask for along its
# catalog read, before it has read the rules themselves (they change seldom; when they have, it reads again).
_last_active: dict[str, RuleSettings] | None = None


def _history_values(
    *, customer, card_digest: str, placed_at, deny: list[str], active: dict[str, RuleSettings]
) -> tuple[tuple, dict]:
    """(shape, values) of the history read the ``active`` rules ask for: the shape names which histories and
    their limits (it changes the SQL), the values fill it in (``customer`` an id or an SQL expression of one)."""
    velocity = active.get(R.EMAIL_VELOCITY)
    card = active.get(R.CARD_VELOCITY) if card_digest else None
    declines = active.get(R.DECLINES)
    values = {"customer": customer}
    if card:
        values |= {"card": card_digest, "card_since": placed_at - timedelta(hours=card.window_hours)}
    if active.get(R.DENY_LIST):
        values |= {f"deny{n}": value for n, value in enumerate(deny)}
    if declines:
        values["declines_since"] = placed_at - timedelta(hours=declines.window_hours)
    limit = max(velocity.count if velocity else 1, 1)
    denied = sum(1 for name in values if name.startswith("deny"))
    return ("risk-history", limit, card.count if card else None, denied, bool(declines)), values


def _order_history_values(order: Order, active: dict[str, RuleSettings], *, customer) -> tuple[tuple, dict]:
    """``_history_values`` for ``order`` as built (card digest, placing time, deny-list values)."""
    deny = _deny_values(order) if R.DENY_LIST in active else []
    return _history_values(
        customer=customer, card_digest=order.card_digest, placed_at=order.placed_at, deny=deny, active=active
    )


def _history_parts(shape: tuple, v: dict) -> dict[str, tuple[str, QuerySet]]:
    """The history read's subqueries by name: (how the query is wrapped to one value, the query)."""
    _, limit, card_count, _, _ = shape
    parts = {
        "latest": (
            "ARRAY({})",
            Order.objects.filter(customer_id=v["customer"]).order_by("-placed_at").values_list("placed_at")[:limit],
        )
    }
    if "card" in v:
        recent = Order.objects.filter(card_digest=v["card"], placed_at__gte=v["card_since"]).order_by()
        parts["card"] = ("(SELECT COUNT(*) FROM ({}) c)", recent.values_list("pk")[:card_count])
    deny = [value for name, value in v.items() if name.startswith("deny")]
    if deny:
        parts["deny"] = (
            "(SELECT json_agg(json_build_array(d.kind, d.value)) FROM ({}) d)",
            DenyListEntry.objects.filter(_deny_wanted(deny)).order_by().values_list("kind", "value"),
        )
    if "declines_since" in v:
        declined = GatewayTransaction.objects.filter(
            kind=GatewayTransaction.Kind.AUTHORIZE,
            outcome=GatewayTransaction.Outcome.DECLINED,
            created_at__gte=v["declines_since"],
            payment__order__customer_id=v["customer"],
        ).order_by()
        parts["declines"] = ("(SELECT COUNT(*) FROM ({}) g)", declined.values_list("pk"))
    return parts


def _history_names(shape: tuple) -> list[str]:
    """The names of ``_history_parts``' subqueries for ``shape``, in order, without building them."""
    _, _, card_count, denied, declines = shape
    return ["latest", *(["card"] if card_count is not None else []), *(["deny"] if denied else [])] + (
        ["declines"] if declines else []
    )


def _reads_of(shape: tuple, row) -> dict:
    """The histories from the values of ``_history_parts``' subqueries (in ``_history_names`` order)."""
    got = dict(zip(_history_names(shape), row, strict=True))
    return {
        "latest": got["latest"],
        "card": got.get("card", 0),
        "deny": got.get("deny") or [],
        "declines": got.get("declines", 0),
    }


def _history_read(order: Order, active: dict[str, RuleSettings]) -> dict:
    """What the active rules read about the order's history, in one SELECT of scalar subqueries: ``latest``
    (the customer's latest order times, newest first), ``card`` (the card's recent orders, at most the rule's
    count), ``deny`` ((kind, value) of matching deny-list entries), ``declines`` (the customer's declined
    authorizations within the window). On PostgreSQL its SQL is built once per shape (which rules, their counts,
    one or two addresses) and runs as a prepared statement; elsewhere each history is a query of its own."""
    shape, values = _order_history_values(order, active, customer=order.customer_id)
    if transaction.get_connection().vendor != "postgresql":  # no ARRAY() nor json_agg: one query each
        parts = _history_parts(shape, values)
        return {
            "latest": [placed_at for (placed_at,) in parts["latest"][1]],
            "card": parts["card"][1].count() if "card" in parts else 0,
            "deny": list(parts["deny"][1]) if "deny" in parts else [],
            "declines": parts["declines"][1].count() if "declines" in parts else 0,
        }

    def sql_of(v: dict) -> tuple[str, list]:
        columns, params = [], []
        for wrap, queryset in _history_parts(shape, v).values():
            sql, sql_params = queryset.query.sql_with_params()
            columns.append(wrap.format(sql))
            params.extend(sql_params)
        return f"SELECT {', '.join(columns)}", params

    sql, params = compiled.statement(shape, sql_of, values)
    return _reads_of(shape, _select_one(sql, params))


@dataclass
class HistoryAlong:
    """Histories read along another query for the rules of an earlier screening (``risk_history_along``)."""

    shape: tuple
    values: dict  # without the customer (read by its id or email) and the windows' starts (a moment earlier)
    reads: dict

    def serves(self, order: Order, active: dict[str, RuleSettings]) -> bool:
        """Whether these are the histories ``active`` reads for ``order``: the same subqueries, the same card and
        deny-list values."""
        shape, values = _order_history_values(order, active, customer=None)
        return shape == self.shape and _fixed(values) == self.values


def _fixed(values: dict) -> dict:
    return {name: value for name, value in values.items() if name != "customer" and not name.endswith("_since")}


def risk_history_along(
    *, card_digest: str, email: str, shipping_address, billing_address, now
) -> tuple[tuple, dict] | None:
    """For a query that carries the histories the last screening's rules read (placement's catalog read): (shape,
    values, prefixed ``history_``), or None before the first screening. The values are the order's to be: its card
    digest, contact email and addresses (``billing_address`` None when it is billed where it ships)."""
    if _last_active is None:
        return None
    addresses = [shipping_address] if billing_address is None else [shipping_address, billing_address]
    deny = _deny_values_of(email, addresses) if R.DENY_LIST in _last_active else []
    shape, values = _history_values(
        customer=None, card_digest=card_digest, placed_at=now, deny=deny, active=_last_active
    )
    del values["customer"]
    return shape, {f"history_{name}": value for name, value in values.items()}


def risk_history_columns(shape: tuple, values: dict, customer) -> dict[str, RawSQL]:
    """The subqueries of the histories ``shape`` reads, as columns ``history_<name>`` for another query; ``values``
    as ``risk_history_along`` gave them, ``customer`` the customer's id or an SQL expression of it."""
    v = {name.removeprefix("history_"): value for name, value in values.items() if name.startswith("history_")}
    columns = {}
    for name, (wrap, queryset) in _history_parts(shape, {"customer": customer, **v}).items():
        sql, params = queryset.query.sql_with_params()
        columns[f"history_{name}"] = RawSQL(wrap.format(sql), params, output_field=TextField())
    return columns


def risk_history_carried(shape: tuple, values: dict, carried: dict) -> HistoryAlong:
    """The histories a query carried (``risk_history_columns``), for ``order_risk_screen``."""
    row = [carried[f"history_{name}"] for name in _history_names(shape)]
    v = {name.removeprefix("history_"): value for name, value in values.items()}
    return HistoryAlong(shape=shape, values=_fixed(v), reads=_reads_of(shape, row))


def risk_history_names(shape: tuple) -> list[str]:
    return [f"history_{name}" for name in _history_names(shape)]


def _history_rules(order: Order, active: dict[str, RuleSettings], screening: Screening, latest: list) -> None:
    """The email velocity and first order rules from the customer's latest orders (newest first)."""
    velocity = active.get(R.EMAIL_VELOCITY)
    if velocity:
        since = order.placed_at - timedelta(hours=velocity.window_hours)
        recent = sum(1 for placed_at in latest if placed_at >= since) + 1
        if recent > velocity.count:
            screening.add(
                R.EMAIL_VELOCITY,
                velocity,
                f"{recent} orders from {order.contact_email} within {velocity.window_hours} h.",
            )
    if (rule := active.get(R.FIRST_ORDER)) and not latest and order.total > rule.amount:
        screening.add(R.FIRST_ORDER, rule, f"First order, total {order.total} over {rule.amount}.")


def _deny_values(order: Order) -> list[str]:
    """The deny-list values of the order, (kind, value) pairs flattened: its email, then each distinct address's
    address and postal code."""
    return _deny_values_of(order.contact_email, dict.fromkeys([order.shipping_address, order.billing_address]))


def _deny_values_of(email: str, addresses) -> list[str]:
    K = DenyListEntry.Kind
    values = [K.EMAIL.value, deny_value(kind=K.EMAIL, value=email)]
    for address in addresses:
        values += [K.ADDRESS.value, _address_value(address), K.POSTAL_CODE.value, _postal_value(address)]
    return values


def _deny_wanted(pairs: list[str]) -> Q:
    wanted = Q()
    for n in range(0, len(pairs), 2):
        wanted |= Q(kind=pairs[n], value=pairs[n + 1])
    return wanted


def risk_hold_if_flagged(order: Order) -> bool:
    """Hold a locked, just verified order whose screening asks for review; True if it did."""
    if order.status != OrderStatus.VERIFIED or order.risk_status != RiskStatus.REVIEW:
        return False
    reasons = "; ".join(reason["detail"] for reason in order.risk_reasons)
    note = f"Fraud screening: score {order.risk_score}. {reasons}"
    transition_apply(order, "hold", actor=SYSTEM, note=note, reason=HoldReason.FRAUD_REVIEW, detail=note)
    return True


# --- review ------------------------------------------------------------------------------------------------


def _reviewable(order_id: int, user) -> Order:
    if not user.has_perm(PERMISSION):
        raise TransitionForbidden("You do not have permission to review orders held for fraud.")
    order = order_lock(order_id=order_id, nowait=True)
    if order.status != OrderStatus.ON_HOLD or order.hold_reason != HoldReason.FRAUD_REVIEW:
        raise TransitionNotAvailable(f"Order {order.number} is not waiting for a fraud review.")
    return order


def order_risk_approve(*, order_id: int, user, note: str = "") -> Order:
    """Release an order held for fraud review: it carries on (credit check, payment) as if never held."""
    from orders.services.lifecycle import release_by_reviewer  # lifecycle imports the pipeline, which imports us

    actor = user.get_username()
    with transaction.atomic():
        order = _reviewable(order_id, user)
        order.risk_status = RiskStatus.APPROVED
        order.save(update_fields=["risk_status", "updated_at"])
        return release_by_reviewer(order, actor=actor, reason=_decision("approved", note))


def order_risk_reject(*, order_id: int, user, note: str = "", deny: tuple[str, ...] = ()) -> Order:
    """Cancel an order held for fraud review (stock released, payment voided or refunded, the customer told),
    adding the order's ``deny`` values (any of "email", "address", "postal_code") to the deny list."""
    from orders.services.lifecycle import order_cancel_by_system

    actor = user.get_username()
    with transaction.atomic():
        order = _reviewable(order_id, user)
        order.risk_status = RiskStatus.REJECTED
        order.save(update_fields=["risk_status", "updated_at"])
        order_cancel_by_system(order, actor=actor, reason=_decision("rejected", note))
        values = {
            DenyListEntry.Kind.EMAIL: deny_value(kind=DenyListEntry.Kind.EMAIL, value=order.contact_email),
            DenyListEntry.Kind.ADDRESS: _address_value(order.shipping_address),
            DenyListEntry.Kind.POSTAL_CODE: _postal_value(order.shipping_address),
        }
        added = [
            kind
            for kind in deny
            if kind in values and _deny_add(kind=kind, value=values[kind], note=f"Order {order.number}", actor=actor)
        ]
        if added:
            listed = ", ".join(f"{DenyListEntry.Kind(kind).label.lower()} {values[kind]}" for kind in added)
            event_record(order=order, actor=actor, note=f"Added to the deny list: {listed}")
    return order


def _decision(verb: str, note: str) -> str:
    note = note.strip()
    return f"Fraud review: {verb}" + (f" ({note})" if note else "")


def _deny_add(*, kind: str, value: str, note: str, actor: str) -> bool:
    """Add one value to the deny list; False if it is there already."""
    if not value.strip(" |"):
        return False
    try:
        with transaction.atomic():
            DenyListEntry.objects.create(kind=kind, value=value, note=note[:200], added_by=actor[:150])
    except IntegrityError:
        return False
    return True


# --- the settings ------------------------------------------------------------------------------------------


def _require(user) -> None:
    if not user.has_perm(PERMISSION):
        raise TransitionForbidden("You do not have permission to change fraud screening.")


@transaction.atomic
def risk_rule_update(
    *,
    code: str,
    user,
    weight: int,
    is_active: bool,
    count: int | None = None,
    window_hours: int | None = None,
    amount: Decimal | None = None,
) -> RiskRule:
    _require(user)
    default = DEFAULT_RULES[code]
    uses = RULE_FIELDS[code]
    rule, _ = RiskRule.objects.update_or_create(
        code=code,
        defaults={
            "weight": weight,
            "is_active": is_active,
            "count": (count or default.count) if "count" in uses else None,
            "window_hours": (window_hours or default.window_hours) if "window_hours" in uses else None,
            "amount": (amount if amount is not None else default.amount) if "amount" in uses else None,
        },
    )
    return rule


@transaction.atomic
def risk_hold_score_set(*, user, hold_score: int) -> RiskPolicy:
    _require(user)
    policy, _ = RiskPolicy.objects.update_or_create(pk=1, defaults={"hold_score": hold_score})
    return policy


def deny_list_add(
    *, user, kind: str, value: str = "", line1: str = "", postal_code: str = "", country: str = "", note: str = ""
) -> bool:
    """Add an entry by hand; False if it was listed already."""
    _require(user)
    normal = deny_value(kind=kind, value=value, line1=line1, postal_code=postal_code, country=country)
    return _deny_add(kind=kind, value=normal, note=note, actor=user.get_username())


def deny_list_remove(*, user, entry_id: int) -> None:
    _require(user)
    DenyListEntry.objects.filter(pk=entry_id).delete()
