from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from reporting import signals  # noqa: F401 - connects the order-event receiver
