"""NOT BUILT YET: stand-in routes, replaced by the area's real views."""

from django.http import HttpResponse
from django.urls import path


def not_built(request, **kwargs):
    return HttpResponse("not built yet", status=501)


urlpatterns = [
    path("", not_built, name="stock_list"),
    path("low/", not_built, name="stock_low"),
    path("sku/<str:sku>/", not_built, name="stock_ledger"),
]
