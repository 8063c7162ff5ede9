"""Writes of the reporting app: per-order facts, rollups, scheduled report claims."""
