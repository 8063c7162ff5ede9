"""NOT BUILT YET: stand-in routes, replaced by the area's real views."""

from django.http import HttpResponse
from django.urls import path


def not_built(request, **kwargs):
    return HttpResponse("not built yet", status=501)


urlpatterns = [
    path("fulfillment/", not_built, name="fulfillment"),
    path("fulfillment/pick-list/", not_built, name="pick_list"),
    path("orders/<str:number>/pack/", not_built, name="order_pack"),
    path("shipments/<int:pk>/label.pdf", not_built, name="shipment_label"),
    path("shipments/<int:pk>/packing-slip.pdf", not_built, name="packing_slip"),
]
