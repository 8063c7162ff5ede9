"""The returns API under /api/v1/: a customer's returns of an order, staff transitions, the label link."""

from django.urls import path

from returns.api import views

urlpatterns = [
    path("orders/<str:number>/returns/", views.OrderReturnsView.as_view(), name="order-returns"),
    path("returns/labels/<str:token>/", views.ReturnLabelView.as_view(), name="return-label"),
    path("returns/<str:number>/", views.ReturnDetailView.as_view(), name="return-detail"),
    path("returns/<str:number>/transitions/", views.ReturnTransitionListView.as_view(), name="return-transitions"),
    path(
        "returns/<str:number>/transitions/<str:name>/",
        views.ReturnTransitionView.as_view(),
        name="return-transition",
    ),
]
