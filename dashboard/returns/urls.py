"""The Returns area: queues, the return page and its transitions, and opening a return from an order."""

from django.urls import path

from dashboard.returns import views

urlpatterns = [
    path("returns/", views.returns_list, name="returns"),
    path("returns/<str:number>/", views.return_detail, name="return_detail"),
    path("returns/<str:number>/<str:name>/", views.return_act, name="return_act"),
    path("orders/<str:number>/returns/new/", views.order_return_new, name="order_return_new"),
    path("orders/<str:number>/claims/new/", views.order_claim_new, name="order_claim_new"),
]
