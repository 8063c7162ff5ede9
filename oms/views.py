from django.db import connection
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.models import BenchProbe


def health(request):
    """Liveness and database reachability, for load balancers and compose health checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class BenchInsertView(APIView):
    """The benchmark's baseline: authenticate like a storefront, insert one row, answer JSON."""

    @extend_schema(exclude=True)
    def post(self, request):
        probe = BenchProbe.objects.create(note=str(request.data.get("note", ""))[:100])
        return Response({"id": probe.pk}, status=201)
