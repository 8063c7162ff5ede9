"""The dashboard's access check lives in oms.access (inventory's pages use it too)."""

from oms.access import staff_required

__all__ = ["staff_required"]
