"""Order import (the order desk and managers, ``orders.import_orders``): upload a file, see the dry run with every
bad row, then import it and watch its progress."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.imports.forms import ImportUploadForm
from oms.access import staff_required
from oms.page_actions import page_action
from orders.models import OrderImport
from orders.selectors.imports import order_import_get, order_import_list
from orders.services.import_files import import_template_csv
from orders.services.imports import order_import_create, order_import_preview, order_import_start

IMPORT = ("orders.view_order", "orders.import_orders")


def _list_page(request: HttpRequest, form: ImportUploadForm | None = None, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "dashboard/imports/list.html",
        {"form": form or ImportUploadForm(), "imports": order_import_list()[:50]},
        status=status,
    )


@require_safe
@staff_required(*IMPORT)
def import_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
@staff_required(*IMPORT)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    return page_action(
        request,
        form=form,
        act=lambda: order_import_create(
            storefront_id=form.cleaned_data["storefront"].pk,
            name=form.cleaned_data["file"].name,
            content=form.cleaned_data["file"].read(),
            actor=request.user.get_username(),
            start=False,
        ),
        done=lambda order_import: redirect("dashboard:import_detail", order_import.pk),
        back=lambda: redirect("dashboard:import_list"),
        again=lambda form: _list_page(request, form, status=400),
    )


def _import_or_404(import_id) -> OrderImport:
    order_import = order_import_get(import_id=import_id)
    if order_import is None:
        raise Http404("No such import.")
    return order_import


@require_safe
@staff_required(*IMPORT)
def import_detail(request: HttpRequest, import_id) -> HttpResponse:
    """A draft shows its dry run (what importing would do, every bad row); a started import its progress."""
    order_import = _import_or_404(import_id)
    preview = (
        order_import_preview(import_id=order_import.pk) if order_import.status == OrderImport.Status.DRAFT else None
    )
    return render(request, "dashboard/imports/detail.html", {"import": order_import, "preview": preview})


@require_safe
@staff_required(*IMPORT)
def import_progress(request: HttpRequest, import_id) -> HttpResponse:
    """The progress partial htmx polls while the import runs."""
    return render(request, "dashboard/imports/_progress.html", {"import": _import_or_404(import_id)})


@require_POST
@staff_required(*IMPORT)
def import_start(request: HttpRequest, import_id) -> HttpResponse:
    order_import = _import_or_404(import_id)
    return page_action(
        request,
        act=lambda: order_import_start(import_id=order_import.pk),
        told=lambda started: f"Import of {started.file_name} started.",
        back=lambda: redirect("dashboard:import_detail", order_import.pk),
    )


@require_safe
@staff_required(*IMPORT)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="order-import-template.csv"'
    return response
