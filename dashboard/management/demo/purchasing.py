"""Suppliers and purchase orders for the demo, made through the purchasing services once the orders exist: two
suppliers with their products, a late order, a partly received one and a draft."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dashboard.management.demo.setup import Demo
from inventory import purchasing
from inventory.models import Product, PurchaseOrder, Supplier, Warehouse

# name, contact, email, phone, lead time (days), the SKU prefix of the products it supplies
SUPPLIERS = [
    ("Hearth & Kiln Supply", "Ada Park", "orders@hearth-kiln.example", "+1 973 555 0142", 14, "KIT-"),
    ("Trailhead Wholesale", "Ben Ortiz", "po@trailhead.example", "+1 775 555 0190", 21, "OUT-"),
]
# supplier index, warehouse code, days until expected (negative: late), {sku: quantity}, units received per sku
ORDERS = [
    (0, "NJ1", -3, {"KIT-GRN-BUR": 40, "KIT-MUG-350": 60}, {}),
    (1, "NV1", 9, {"OUT-LMP-HD": 50, "OUT-BTL-750": 40}, {"OUT-LMP-HD": 30}),
    (0, "NL1", None, {"KIT-KTL-17": 20}, None),  # a draft, not sent
]


def purchasing_seed(demo: Demo) -> None:
    suppliers = []
    for name, contact, email, phone, lead, prefix in SUPPLIERS:
        supplier, _ = Supplier.objects.get_or_create(
            name=name, defaults={"contact_name": contact, "email": email, "phone": phone, "lead_time_days": lead}
        )
        Product.objects.filter(sku__startswith=prefix, supplier=None).update(supplier=supplier)
        suppliers.append(supplier)
    if PurchaseOrder.objects.filter(supplier__in=suppliers).exists():
        return  # seeded before
    user, today = demo.staff["warehouse"], timezone.localdate()
    products = {p.sku: p for p in Product.objects.filter(sku__in={s for o in ORDERS for s in o[3]})}
    warehouses = {w.code: w for w in Warehouse.objects.all()}
    for index, code, days, quantities, received in ORDERS:
        po = purchasing.purchase_order_create(
            supplier_id=suppliers[index].pk,
            warehouse_id=warehouses[code].pk,
            user=user,
            expected_date=None if days is None else today + timedelta(days=days),
            lines=[
                purchasing.LineInput(
                    product_id=products[sku].pk,
                    quantity=quantity,
                    unit_cost=(products[sku].price * Decimal("0.45")).quantize(Decimal("0.01")),
                )
                for sku, quantity in quantities.items()
            ],
        )
        if received is None:
            continue
        purchasing.purchase_order_send(number=po.number, user=user)
        if received:
            lines = {line.product.sku: line.pk for line in po.lines.select_related("product")}
            purchasing.purchase_order_receive(
                number=po.number, quantities={lines[sku]: q for sku, q in received.items()}, user=user
            )
