"""Customer emails about a return, sent through the orders email path (kind ``<kind>:<return id>``, once each).

``settings.OMS_EMAIL_KINDS`` names :func:`return_email` for each kind; it gives the subject and what the
templates ``templates/emails/<kind>.txt`` / ``.html`` need: the return, its lines and, for an authorized
return, the signed link to the label.
"""

from returns.links import return_label_url
from returns.models import ReturnRequest

SUBJECTS = {
    "return_authorized": "Return {number}: your return label",
    "return_received": "Return {number}: we received your parcel",
    "return_rejected": "Return {number} could not be accepted",
    "return_refunded": "Return {number}: your refund",
    "exchange_shipped": "Return {number}: your replacement is on its way",
}


def return_email(*, order, kind: str, ref: int) -> tuple[str, dict]:
    """(subject, context) of the ``kind`` email about return ``ref`` of ``order``."""
    return_request = (
        ReturnRequest.objects.filter(pk=ref, order=order)
        .select_related("replacement_order")
        .prefetch_related("lines__order_line")
        .get()
    )
    context = {
        "return_request": return_request,
        "return_lines": list(return_request.lines.all()),
        "label_url": return_label_url(return_request.number) if return_request.label_tracking_number else "",
    }
    if kind == "exchange_shipped" and return_request.replacement_order is not None:
        context["replacement_shipments"] = [
            s for s in return_request.replacement_order.shipments.order_by("pk") if s.tracking_number
        ]
    return SUBJECTS[kind].format(number=return_request.number), context
