"""Two tiny views for the request tests: one writes a customer, one looks for it through the replica."""

from django.http import HttpResponse
from django.urls import path

from oms.db_router import read_from_replica
from orders.models import Customer


def write(request):
    Customer.objects.create(email=request.POST["email"], name="Written by a request")
    return HttpResponse(status=201)


@read_from_replica()
def read(request):
    found = Customer.objects.filter(email=request.GET["email"]).exists()
    return HttpResponse("found" if found else "missing")


urlpatterns = [path("write/", write), path("read/", read)]
