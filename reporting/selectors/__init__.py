"""Reports: reads shared by the dashboard Reports pages, the reports API and the scheduled email."""
