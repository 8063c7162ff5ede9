"""Every order change writes an OrderEvent in its own transaction; the receiver marks the order for the rollups.

This is the reporting app's outbox: the mark (``DirtyOrder``) commits or rolls back with the change, so no
change is lost, and the ``reporting.tasks.refresh_reports_task`` beat job (every ``OMS_REPORT_REFRESH_SECONDS``)
turns marks into facts and rollups. A hold also records its reason (``OrderHold``), which the timeline keeps
only as text. The orders app does not know about any of this.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from orders.models import OrderEvent
from reporting.services import hold_record, order_mark_dirty


@receiver(post_save, sender=OrderEvent, dispatch_uid="reporting-order-event")
def order_event_saved(sender, instance: OrderEvent, created: bool, **kwargs):
    if not created:
        return
    if instance.to_status == "on_hold" or instance.from_status == "on_hold":
        hold_record(event=instance)
    order_mark_dirty(instance.order_id)
