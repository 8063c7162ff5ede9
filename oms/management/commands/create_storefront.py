from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from oms.authentication import storefront_create
from oms.models import Storefront


class Command(BaseCommand):
    help = "Create a storefront API client and print its key (shown once; only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--email", default="", help="whom to tell about its integration (webhooks disabled)")

    def handle(self, *args, name: str, email: str, **options):
        if Storefront.objects.filter(name=name).exists():
            raise CommandError(f"A storefront named '{name}' exists already.")
        try:
            validate_email(email) if email else None
        except ValidationError as exc:
            raise CommandError(f"--email: {exc.messages[0]}") from exc
        _, key = storefront_create(name=name, contact_email=email)
        self.stdout.write(f"Storefront '{name}' created. Its API key (shown once, store it now):")
        self.stdout.write(key)
