from django.urls import path

from orders.views import portal as views

urlpatterns = [
    path("o/<str:token>/", views.portal_order, name="order"),
]
