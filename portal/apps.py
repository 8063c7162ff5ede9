from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The customer's order-tracking portal: look-up, signed links, the order page and its self-service."""

    name = "portal"
