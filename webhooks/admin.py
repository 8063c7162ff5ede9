from django.contrib import admin

from webhooks.models import WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Staff manage subscriptions on the dashboard (Integrations); the secret is never shown here."""

    list_display = ("storefront", "url", "is_active", "failing_since", "created_at")
    list_filter = ("is_active",)
    exclude = ("secret",)
    readonly_fields = ("storefront", "failing_since", "disabled_at", "created_at", "created_by")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "subscription", "status", "attempts", "last_status_code", "next_retry_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
