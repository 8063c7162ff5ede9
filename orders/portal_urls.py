from django.urls import path

from orders import views

urlpatterns = [
    path("o/<str:token>/", views.portal_order, name="order"),
]
