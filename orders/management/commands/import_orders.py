"""``manage.py import_orders FILE --storefront NAME``: import a CSV or XLSX file of orders now, in this process."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oms.models import Storefront
from orders.services.import_files import InvalidImportFile
from orders.services.imports import order_import_create, order_import_start


class Command(BaseCommand):
    help = "Import orders from a CSV or XLSX file (the format of the dashboard's import template)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--storefront", required=True, help="The storefront the orders belong to, by name.")

    def handle(self, *args, file: str, storefront: str, **options):
        found = Storefront.objects.filter(name=storefront).first()
        if found is None:
            known = ", ".join(Storefront.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"No storefront named '{storefront}' (known: {known}).")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            order_import = order_import_create(
                storefront_id=found.pk, name=path.name, content=path.read_bytes(), actor="import:command", start=False
            )
        except InvalidImportFile as exc:
            raise CommandError(exc.message) from exc
        order_import = order_import_start(import_id=order_import.pk, inline=True)
        self.stdout.write(
            f"Import {order_import.pk} {order_import.status}: {order_import.total} orders, "
            f"{order_import.created} created, {order_import.skipped} skipped, {order_import.failed} failed."
        )
        for error in order_import.errors:
            self.stdout.write(f"  row {error['row']}, {error['field']}: {error['message']}")
