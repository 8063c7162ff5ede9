"""Bulk order import over the API: upload a file (202, runs in the background), then poll its status."""

import hashlib

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.authentication import StorefrontUser
from oms.idempotency import HEADER, run_idempotent
from orders.api.serializers import FIELD_ERRORS, ErrorOutput
from orders.api.views import IDEMPOTENCY_HEADER
from orders.selectors.imports import order_import_get_for_storefront
from orders.services.imports import order_import_create

ERRORS = {400: FIELD_ERRORS, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput, 429: ErrorOutput}


class IsStorefront(permissions.BasePermission):
    message = "Imports are made with a storefront's API key."

    def has_permission(self, request, view):
        return isinstance(request.user, StorefrontUser)


class ImportQueuedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()


class ImportErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row number as a spreadsheet shows it: the header is row 1.")
    field = serializers.CharField(help_text="The column.")
    message = serializers.CharField()


class ImportOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    total = serializers.IntegerField(help_text="Orders in the file (rows sharing an external_ref are one order).")
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Orders whose external_ref the storefront has already.")
    failed = serializers.IntegerField(help_text="Orders not placed: each of their bad rows is in errors.")
    errors = ImportErrorOutput(many=True)


UPLOAD = {
    "multipart/form-data": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary", "description": "CSV (UTF-8) or XLSX."}},
        "required": ["file"],
    }
}


class OrderImportCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStorefront]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="orders_import",
        description="Upload a CSV or XLSX file of orders (the columns of the dashboard's import template). The "
        "import runs in the background; poll GET /api/v1/imports/<id>/ for its progress.",
        request=UPLOAD,
        parameters=[IDEMPOTENCY_HEADER],
        responses={202: ImportQueuedOutput, **ERRORS},
    )
    def post(self, request):
        storefront = request.user.storefront
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Send the file as the multipart field 'file'."]})
        content = upload.read()
        digest = hashlib.sha256(content).hexdigest()
        return run_idempotent(
            owner=f"sf:{storefront.pk}",
            key=request.headers.get(HEADER),
            fingerprint=hashlib.sha256(f"POST {request.path} {upload.name} {digest}".encode()).hexdigest(),
            handler=lambda: self._create(request, storefront, upload.name or "upload", content),
        )

    def _create(self, request, storefront, name: str, content: bytes) -> Response:
        order_import = order_import_create(
            storefront_id=storefront.pk, name=name, content=content, actor=str(request.user)
        )
        return Response(
            {"id": str(order_import.pk), "status": order_import.status},
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/imports/{order_import.pk}/"},
        )


class OrderImportDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStorefront]

    @extend_schema(operation_id="imports_retrieve", responses={200: ImportOutput, **ERRORS})
    def get(self, request, import_id):
        order_import = order_import_get_for_storefront(import_id=import_id, storefront_id=request.user.storefront.pk)
        if order_import is None:
            raise NotFound
        return Response(ImportOutput(order_import).data)
