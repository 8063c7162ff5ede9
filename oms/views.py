from django.conf import settings
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.health import system_status
from oms.models import BenchProbe


def _may_see_figures(request) -> bool:
    token = settings.OMS_HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and constant_time_compare(sent, f"Bearer {token}"):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("orders.view_stuck_orders"))


@never_cache
def health(request):
    """Liveness and readiness for load balancers and compose: 200 while the database answers, 503 when it
    does not. "status" is "degraded" when something behind it fails (broker, queues, outbox, replica); the
    figures themselves only for monitoring (OMS_HEALTH_TOKEN) and managers."""
    status = system_status()
    body = status.as_dict() if _may_see_figures(request) else {"status": status.status}
    return JsonResponse(body, status=503 if status.status == "down" else 200)


class BenchInsertView(APIView):
    """The benchmark's baseline: authenticate like a storefront, insert one row, answer JSON."""

    @extend_schema(exclude=True)
    def post(self, request):
        probe = BenchProbe.objects.create(note=str(request.data.get("note", ""))[:100])
        return Response({"id": probe.pk}, status=201)
