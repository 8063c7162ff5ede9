from django.core.management.base import BaseCommand, CommandError

from oms.authentication import storefront_create
from oms.models import Storefront


class Command(BaseCommand):
    help = "Create a storefront API client and print its key (shown once; only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name: str, **options):
        if Storefront.objects.filter(name=name).exists():
            raise CommandError(f"A storefront named '{name}' exists already.")
        _, key = storefront_create(name=name)
        self.stdout.write(f"Storefront '{name}' created. Its API key (shown once, store it now):")
        self.stdout.write(key)
