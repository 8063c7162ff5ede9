from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OmsConfig(AppConfig):
    default = True  # the config of "oms"; OmsAdminConfig below is named in INSTALLED_APPS instead of the admin's
    name = "oms"
    verbose_name = "OMS core"

    def ready(self):
        # Registers the production checks: with DEBUG off, no start without the secrets.
        from oms import (
            checks,  # noqa: F401
            prepared,
        )

        prepared.install()


class OmsAdminConfig(admin_apps.AdminConfig):
    """The Django admin, opened to superusers only (see oms.admin_site)."""

    default = False
    default_site = "oms.admin_site.SuperuserAdminSite"
