"""The customer portal, mounted at /track/ (namespace ``portal``). Order pages live under a signed token."""

from django.urls import path

from portal import views

urlpatterns = [
    path("", views.portal_lookup, name="lookup"),
    path("o/<str:token>/", views.portal_order, name="order"),
    path("o/<str:token>/cancel/", views.portal_cancel, name="cancel"),
    path("o/<str:token>/inquiry/", views.portal_inquiry, name="inquiry"),
    path("o/<str:token>/feedback/", views.portal_feedback, name="feedback"),
    path("o/<str:token>/payment/", views.portal_payment, name="payment"),
    path("o/<str:token>/return/", views.portal_return, name="return"),
]
