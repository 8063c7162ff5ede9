"""Root URLs: each app's own URL module, included; no view of a domain app is imported here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from oms.views import BenchInsertView, health

api_v1 = [
    path("", include("orders.api.urls")),
    path("", include("inventory.api.urls")),
    path("", include("returns.api.urls")),
    path("reports/", include("reporting.api.urls")),
    path("", include("payments.api.urls")),
    path("", include("webhooks.api.urls")),
]
if settings.OMS_BENCH_ENDPOINTS:
    api_v1.append(path("_bench/insert/", BenchInsertView.as_view(), name="bench-insert"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("dashboard/", include(("dashboard.urls", "dashboard"))),
    path("track/", include(("portal.urls", "portal"))),
]
