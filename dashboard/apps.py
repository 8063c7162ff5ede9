from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The staff dashboard: every page staff work in, one sub-package per area, and the staff roles."""

    name = "dashboard"
