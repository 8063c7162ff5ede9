"""Recompute report facts and rollups for a date range: ``manage.py reporting_rebuild --from A --to B``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting import services
from reporting.filters import shop_today


class Command(BaseCommand):
    help = "Recompute the reporting facts and daily rollups of orders placed from --from to --to (shop days)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD (default: earliest order)")
        parser.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (default: today)")

    def handle(self, *args, date_from=None, date_to=None, **options):
        try:
            first = date.fromisoformat(date_from) if date_from else self._earliest()
            last = date.fromisoformat(date_to) if date_to else shop_today()
        except ValueError as error:
            raise CommandError(f"Dates are YYYY-MM-DD: {error}") from None
        if first is None:
            self.stdout.write("No orders.")
            return
        if first > last:
            raise CommandError("--from must be on or before --to.")

        def progress(a, b):
            if options["verbosity"] > 0:
                self.stdout.write(f"facts {a} .. {b}")

        written = services.rebuild(first, last, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {written} order facts and the rollups from {first} to {last}."))

    @staticmethod
    def _earliest():
        from orders.models import Order
        from reporting.filters import local_day

        first = Order.objects.order_by("placed_at").values_list("placed_at", flat=True).first()
        return local_day(first)
