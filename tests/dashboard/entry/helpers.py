"""What the order entry form posts, as a browser would send it."""

import uuid

ADDRESS = {
    "ship_name": "Ann Example",
    "ship_line1": "1 Main St",
    "ship_line2": "",
    "ship_city": "Berlin",
    "ship_postal_code": "10115",
    "ship_country": "DE",
}


def entry_post(*, lines=(("MUG-1", "2"),), customer=None, action="place", **fields) -> dict:
    """A complete phone order paid by card; ``customer`` (a Customer) or new-customer fields in ``fields``."""
    data = {
        "form_token": uuid.uuid4().hex,
        "action": action,
        "channel": "phone",
        "customer": str(customer.pk) if customer is not None else "",
        "customer_name": "",
        "customer_email": "",
        "customer_phone": "",
        "customer_q": "",
        "product_q": "",
        "sku": [sku for sku, _ in lines],
        "quantity": [qty for _, qty in lines],
        "shipping_method": "standard",
        "payment_method": "card",
        "payment_token": "tok_ok",
        "notes": "",
        **ADDRESS,
    }
    data.update(fields)
    return data
