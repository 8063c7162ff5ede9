"""NOT BUILT YET: stand-in routes, replaced by the area's real views."""

from django.http import HttpResponse
from django.urls import path


def not_built(request, **kwargs):
    return HttpResponse("not built yet", status=501)


urlpatterns = [
    path("customers/", not_built, name="customer_list"),
    path("customers/<int:pk>/", not_built, name="customer_detail"),
]
