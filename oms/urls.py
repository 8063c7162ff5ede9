from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from inventory.api.views import ProductListView
from oms.views import BenchInsertView, health
from orders.api import views as order_views
from orders.api.webhooks import CarrierWebhookView

api_v1 = [
    path("orders/", order_views.OrderListCreateView.as_view(), name="orders"),
    path("orders/<str:number>/", order_views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/cancel/", order_views.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/payment/", order_views.OrderPaymentRetryView.as_view(), name="order-payment"),
    path("orders/<str:number>/transitions/", order_views.OrderTransitionListView.as_view(), name="order-transitions"),
    path(
        "orders/<str:number>/transitions/<str:name>/",
        order_views.OrderTransitionView.as_view(),
        name="order-transition",
    ),
    path("orders/<str:number>/pick-list/", order_views.OrderPickListView.as_view(), name="order-pick-list"),
    path("products/", ProductListView.as_view(), name="products"),
    path("auth/token/", order_views.StaffTokenView.as_view(), name="auth-token"),
    path("shipping/webhooks/<str:carrier>/", CarrierWebhookView.as_view(), name="carrier-webhook"),
]
if settings.OMS_BENCH_ENDPOINTS:
    api_v1.append(path("_bench/insert/", BenchInsertView.as_view(), name="bench-insert"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("dashboard/", include(("orders.urls.dashboard", "dashboard"))),
    path("track/", include(("orders.urls.portal", "portal"))),
]
