"""The staff dashboard under /dashboard/: one namespace (``dashboard``), one URL module per area."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="dashboard/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Order matters: fixed paths such as orders/new/ come before orders/<number>/.
    path("", include("dashboard.entry.urls")),
    path("", include("dashboard.fulfillment.urls")),
    path("", include("dashboard.customers.urls")),
    path("", include("dashboard.finance.urls")),
    path("", include("dashboard.returns.urls")),
    path("", include("dashboard.orders.urls")),
    path("inventory/", include("dashboard.inventory.urls")),
    path("reports/", include("dashboard.reports.urls")),
    path("integrations/", include("dashboard.integrations.urls")),
    path("", include("dashboard.imports.urls")),
    path("", include("dashboard.risk.urls")),
]
