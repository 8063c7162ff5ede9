"""What surrounds an order with its customer: emails sent (``Notification``), staff notes, inquiries and ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.models.orders import Order


class Notification(models.Model):
    """One customer email per order and kind: the row makes a twice-run task send once."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    # Written with the outbox message that queues the email, in the same transaction: an email is due
    # while ``closed_at`` is empty, so the reconciler can find one whose task was lost.
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sent, skipped (its moment passed) or given up on: nothing more to do.
    closed_at = models.DateTimeField(null=True, blank=True)
    # Given up after the last retry: the order shows in the dashboard's "stuck" queue.
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="notification_once_per_kind")]
        indexes = [
            models.Index(fields=["created_at"], name="notification_due_idx", condition=models.Q(closed_at=None)),
            models.Index(
                fields=["failed_at"], name="notification_failed_idx", condition=models.Q(failed_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.order_id}"


class OrderNote(models.Model):
    """An internal note staff leave on an order; customers never see it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.order_id} by {self.author_id}"


class Inquiry(models.Model):
    """A question a customer sent about an order from the portal; staff answer it by email."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="inquiries")
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "inquiries"
        permissions = [("answer_inquiry", "Can answer customer inquiries")]
        indexes = [models.Index(fields=["answered_at", "created_at"], name="inquiry_open_idx")]

    def __str__(self) -> str:
        return f"Inquiry {self.pk} on {self.order_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Feedback(models.Model):
    """The customer's rating of a delivered order: one per order."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.order_id}"
