"""The Reports area: /dashboard/reports/ (Sales) and one page per group, then the exports."""

from django.urls import path

from dashboard.reports import exports, views

urlpatterns = [
    path("", views.report_view, {"group": "sales"}, name="reports"),
    *[
        path(f"{group}/", views.report_view, {"group": group}, name=f"reports_{group}")
        for group in ("sales", "flow", "exceptions", "customers", "inventory", "team")
    ],
    path("exports/", exports.exports_view, name="reports_exports"),
    path("exports/<str:kind>/count/", exports.export_count_view, name="reports_export_count"),
    path("exports/<str:kind>.<str:fmt>", exports.export_download, name="reports_export"),
]
