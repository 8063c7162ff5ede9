from oms.exceptions import InvalidInput, NotFound


class UnsafeWebhookUrl(InvalidInput):
    """The URL is not one webhooks may be sent to (scheme, host, or an address that is not public)."""

    code = "unsafe_url"

    def __init__(self, message: str):
        super().__init__(message, fields={"url": [message]})


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"
