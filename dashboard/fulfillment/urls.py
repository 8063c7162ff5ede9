"""The warehouse's pages: work list, pick lists, packing and shipping, labels and packing slips."""

from django.urls import path

from dashboard.fulfillment import views

urlpatterns = [
    path("fulfillment/", views.fulfillment, name="fulfillment"),
    path("fulfillment/pick-list/", views.pick_list, name="pick_list"),
    path("fulfillment/documents.pdf", views.fulfillment_documents, name="fulfillment_documents"),
    path("fulfillment/quality-checks/", views.quality_checks, name="quality_checks"),
    path("orders/<str:number>/pack/", views.order_pack, name="order_pack"),
    path("orders/<str:number>/quality-check/", views.order_quality_check_page, name="order_quality_check"),
    path("orders/<str:number>/pack/shipments/", views.order_shipments, name="order_shipments"),
    path("orders/<str:number>/start-fulfillment/", views.fulfillment_start, name="fulfillment_start"),
    path("shipments/<int:pk>/label.pdf", views.shipment_label, name="shipment_label"),
    path("shipments/<int:pk>/packing-slip.pdf", views.packing_slip, name="packing_slip"),
]
