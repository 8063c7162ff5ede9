"""Demo data for a first look: warehouses, catalog, stock, customers, staff, a storefront and orders.

The data is made by the modules of ``dashboard.management.demo``, through the same services the shop uses.
Queued work runs in-process right after each commit while seeding, even when a broker is configured, so
each order has reached its stage before its next step is taken.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from dashboard.management.demo.backorders import backorders_seed, backorders_share
from dashboard.management.demo.orders import orders_seed
from dashboard.management.demo.purchasing import purchasing_seed
from dashboard.management.demo.report import logins_print, report_print
from dashboard.management.demo.reports import reports_seed
from dashboard.management.demo.returns import qc_paused, quality_seed, returns_seed
from dashboard.management.demo.setup import demo_setup
from dashboard.management.demo.support import support_seed
from dashboard.management.demo.transfers import transfers_seed
from orders.models import Order


class Command(BaseCommand):
    help = (
        "Fill the database with demo data made through the real services: warehouses, products, stock, tax rates, "
        "customers, staff users (one per role, plus admin), a storefront with its API key, and orders in every "
        "state spread over the last two months. Users that exist already keep their password. "
        "Refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are orders already.")
        parser.add_argument("--orders", type=int, default=300, help="How many orders (default 300).")
        parser.add_argument("--customers", type=int, default=200, help="How many customers (default 200).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. The demo staff users share a published password: never on a live shop.",
        )

    def handle(self, *args, if_empty=False, orders=300, customers=200, seed=1, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like production: seed_demo adds fake orders and staff users whose "
                "password is published. Nothing was written. Run it with --force if this really is a demo."
            )
        if orders < 0 or customers < 4:
            raise CommandError("--orders must be at least 0 and --customers at least 4.")
        if if_empty and Order.objects.exists():
            self.stdout.write(
                f"Demo data is present ({Order.objects.count()} orders): nothing to do. "
                "Run seed_demo without --if-empty to add more."
            )
            logins_print(self.stdout, key=None)
            return
        started = time.monotonic()
        if connection.vendor == "sqlite":
            # Demo data: no need to wait for the disk after each of the thousands of commits (this connection only).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        # One line per task run in-process would drown the progress bar.
        trace_logger = logging.getLogger("celery.app.trace")
        level = trace_logger.level
        trace_logger.setLevel(logging.WARNING)
        try:
            # Each order must reach its stage before its next step: run queued work in-process after each commit.
            with override_settings(OMS_TASKS_INLINE=True):
                demo, key = demo_setup(seed=seed, customer_count=customers, order_count=orders)
                with qc_paused():
                    short_stock = backorders_share(orders)
                    orders_seed(demo, count=orders - short_stock, show_progress=options.get("verbosity", 1) > 0)
                returns_seed(demo)
                quality_seed(demo)
                backorders_seed(demo, count=short_stock)
                support_seed(rng=demo.rng, support_user=demo.staff["support"])
                transfers_seed(demo)
                reports_seed(rng=demo.rng)
                purchasing_seed(demo)
        finally:
            trace_logger.setLevel(level)
        report_print(self.stdout, self.stderr, self.style, demo=demo, elapsed=time.monotonic() - started, key=key)
