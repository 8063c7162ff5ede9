"""The Django admin's site: for superusers only, the rare case no dashboard page covers.

Staff work on the dashboard, where each role sees exactly what it may do; the admin knows no roles, so it
is closed to them. Even superusers cannot change stock, money or status there: those change through the
services, which write the stock ledger, the payment records and the order timeline.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct %(username)s and password for a superuser account. "
        "Staff sign in on the dashboard.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SuperuserAdminSite(admin.AdminSite):
    """The default admin site (oms.apps.OmsAdminConfig): active superusers only."""

    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.is_superuser


class LockedAfterCreateMixin:
    """``locked_after_create`` fields may be set when a row is added, and never changed afterwards."""

    locked_after_create: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is None else fields + self.locked_after_create
