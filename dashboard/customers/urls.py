"""Dashboard pages for customers (namespace ``dashboard``)."""

from django.urls import path

from dashboard.customers import views

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_new, name="customer_new"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/credit-terms/", views.customer_credit_terms, name="customer_credit_terms"),
]
