"""What ``seed_demo`` prints: the data made, where to sign in, and the storefront's API key."""

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.core.management.color import Style
from django.db.models import Count, F
from django.utils import timezone

from dashboard.management.demo.data import DEMO_PASSWORD, STAFF
from dashboard.management.demo.people import SUPERUSER
from dashboard.management.demo.setup import Demo
from inventory.models import Product, Warehouse
from orders.models import Customer, Order, OrderStatus
from returns.policy import return_policy


def report_print(out: OutputWrapper, err: OutputWrapper, style: Style, *, demo: Demo, elapsed: float, key: str):
    out.write("")
    out.write(style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
    out.write(
        f"  {Warehouse.objects.count()} warehouses, {Product.objects.count()} products, "
        f"{Customer.objects.count()} customers, {Order.objects.count()} orders. Orders by status:"
    )
    for status, n in Order.objects.values_list("status").annotate(n=Count("pk")).order_by("status"):
        out.write(f"    {status:<16} {n}")
    holds = Counter(Order.objects.filter(status=OrderStatus.ON_HOLD).values_list("hold_reason", flat=True))
    if holds:
        out.write("  On hold: " + ", ".join(f"{reason} {n}" for reason, n in sorted(holds.items())))
    awaiting = Order.objects.filter(status=OrderStatus.CREDIT_APPROVED, payment_status="awaiting_funds").count()
    if awaiting:
        out.write(f"  Awaiting a bank transfer: {awaiting}")
    for note in demo.off_plan:
        err.write(f"  Off plan: {note}")
    examples_print(out, demo=demo)
    logins_print(out, key=key, existing_users=demo.existing_users)


def readme_examples(*, storefront_id: int) -> dict[str, str]:
    """Order numbers for the README's commands, each an order of this demo in the state its command needs:
    ORDER (the storefront's own, confirmed: read, cancel), DECLINED (the storefront's, held for a declined
    card: pay again), STAFF_ORDER (confirmed, another one: staff transitions), SHIPPED (simulate_carrier),
    DELIVERED (the storefront's, delivered within the return window, a line not all returned: open a return)."""
    numbers = Order.objects.order_by("-placed_at").values_list("number", flat=True)
    own = numbers.filter(storefront_id=storefront_id)
    found = {
        "ORDER": own.filter(status=OrderStatus.CONFIRMED).first(),
        "DECLINED": own.filter(status=OrderStatus.ON_HOLD, hold_reason="payment_failed").first(),
        "SHIPPED": numbers.filter(status=OrderStatus.SHIPPED).first(),
        "DELIVERED": own.filter(
            status=OrderStatus.DELIVERED,
            delivered_at__gte=timezone.now() - timedelta(days=return_policy().window_days),
            lines__quantity_returned__lt=F("lines__quantity_shipped"),
        ).first(),
    }
    found["STAFF_ORDER"] = numbers.filter(status=OrderStatus.CONFIRMED).exclude(number=found["ORDER"]).first()
    return {name: number for name, number in found.items() if number}


def examples_print(out: OutputWrapper, *, demo: Demo) -> None:
    examples = readme_examples(storefront_id=demo.storefront.pk)
    if not examples:
        return
    out.write("  Orders for the README's examples (paste into your shell):")
    for name, number in examples.items():
        out.write(f"    export {name}={number}")


def logins_print(out: OutputWrapper, *, key: str | None, existing_users: Sequence[str] = ()) -> None:
    out.write("")
    # The dashboard first: it is where staff work; /admin/ is for the rare case no page covers.
    out.write(f"Staff dashboard: {settings.SITE_URL}/dashboard/")
    out.write(f"Staff logins (password for all: {DEMO_PASSWORD}), also for POST /api/v1/auth/token/:")
    for username, (role, *_) in STAFF.items():
        out.write(f"  {username:<10} {role}")
    out.write(f"  {SUPERUSER:<10} superuser, the only one who may open the Django admin ({settings.SITE_URL}/admin/)")
    if existing_users:
        out.write(f"  These users existed already and keep their own password: {', '.join(existing_users)}")
    out.write(f"Customer portal: {settings.SITE_URL}/track/ (order number + email, or the link in any email)")
    example = (
        Order.objects.filter(status=OrderStatus.CONFIRMED)
        .order_by("-placed_at")
        .values_list("number", "customer__email")
        .first()
    )
    if example:
        out.write(f"  e.g. order {example[0]} with {example[1]}")
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        out.write(f"Emails (to customers and the warehouse) are written to {settings.EMAIL_FILE_PATH}/")
    out.write("")
    if key:
        out.write("Storefront API key (shown once; only its hash is stored). Send it as 'Authorization: Bearer <key>'.")
        out.write(f"  Storefront API key: {key}")
    else:
        out.write("The storefront API key was shown when the demo data was created. To make another:")
        out.write("  python manage.py create_storefront NAME")
