"""Staff roles are Django groups; each carries the permissions of the transitions it may take."""

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "order desk": [
        "orders.add_order",
        "orders.view_order",
        "orders.change_order",
        "orders.hold_order",
        "orders.release_order",
        "orders.cancel_order",
        "orders.change_lines",
        "orders.start_fulfillment",
        "orders.ship_order",
        "orders.view_customer",
        "orders.add_customer",
        "orders.change_customer",
        "orders.view_inquiry",
        "orders.import_orders",
        "inventory.view_stockitem",
    ],
    "warehouse": [
        "orders.view_order",
        "orders.start_fulfillment",
        "orders.ship_order",
        "inventory.view_stockitem",
        "inventory.change_stockitem",
        "inventory.adjust_stock",
        "inventory.receive_stock",
        "inventory.view_stockmovement",
        "inventory.manage_purchasing",
        "inventory.view_transfer",
        "inventory.transfer_stock",
        "inventory.view_cyclecount",
        "inventory.count_stock",
        "returns.view_returnrequest",
        "returns.receive_return",
        "returns.inspect_return",
        "shipping.perform_qc",
    ],
    "finance": [
        "orders.view_order",
        "orders.mark_paid",
        "orders.hold_order",
        "orders.release_order",
        "orders.cancel_order",
        "orders.view_customer",
        "orders.add_customer",
        "orders.change_customer",
        "orders.set_credit_terms",
        "orders.review_fraud",
        "payments.view_payment",
        "returns.view_returnrequest",
        "returns.refund_return",
        "returns.close_return",
        "reporting.view_reports",
    ],
    "support": [
        "orders.view_order",
        "orders.change_order",
        "orders.hold_order",
        "orders.release_order",
        "orders.cancel_order",
        "orders.view_customer",
        "orders.view_inquiry",
        "orders.answer_inquiry",
        "returns.view_returnrequest",
        "returns.open_return",
        "returns.authorize_return",
        "returns.cancel_return",
        "returns.close_return",
    ],
    "manager": ["*"],
}


def roles_sync(apps=None) -> None:
    """Create or refresh the role groups with their permissions (run by a migration and the demo seed)."""
    from django.contrib.auth.management import create_permissions

    Group = (apps or _apps()).get_model("auth", "Group")
    Permission = (apps or _apps()).get_model("auth", "Permission")
    for config in (apps or _apps()).get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps or _apps())
        config.models_module = None
    our_apps = ["orders", "inventory", "payments", "shipping", "returns", "reporting", "webhooks"]
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if perms == ["*"]:
            group.permissions.set(Permission.objects.filter(content_type__app_label__in=our_apps))
            continue
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def _apps():
    from django.apps import apps

    return apps
