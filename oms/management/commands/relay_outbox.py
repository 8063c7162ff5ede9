from django.core.management.base import BaseCommand

from oms import outbox


class Command(BaseCommand):
    help = "Hand every pending outbox message to the workers (or run it in-process without a broker)."

    def handle(self, *args, **options):
        self.stdout.write(f"{outbox.relay()} message(s) relayed.")
