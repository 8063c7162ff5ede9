"""The Reports area of the dashboard: report pages per group and exports (``reporting.view_reports``)."""
