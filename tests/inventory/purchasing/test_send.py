"""Sending a purchase order: it becomes ``sent`` and its PDF is emailed to the supplier once."""

import pytest

from inventory import purchasing
from inventory.models import PurchaseOrder
from inventory.tasks import send_purchase_order_task
from oms.exceptions import ConflictError, DomainError


def test_send_emails_the_pdf_to_the_supplier(make_po, mug, buyer, commit, mailoutbox):
    draft = make_po({mug: 12}, send=False, notes="Deliver to dock 2")

    with commit():
        po = purchasing.purchase_order_send(number=draft.number, user=buyer)

    assert po.status == "sent" and po.sent_at is not None
    (email,) = mailoutbox
    assert email.to == ["sales@acme.example"]
    assert po.number in email.subject
    assert "12 × MUG-1 Mug" in email.body and "Deliver to dock 2" in email.body
    ((name, content, mimetype),) = email.attachments
    assert (name, mimetype) == (f"{po.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert PurchaseOrder.objects.get(pk=po.pk).emailed_at is not None

    send_purchase_order_task(purchase_order_id=po.pk)  # the task again (a redelivery): no second email
    assert len(mailoutbox) == 1


def test_a_supplier_without_email_is_refused_and_the_po_stays_a_draft(make_po, mug, buyer, supplier, mailoutbox):
    supplier.email = ""
    supplier.save()
    draft = make_po({mug: 1}, send=False)

    with pytest.raises(DomainError, match="Acme Ceramics has no email address"):
        purchasing.purchase_order_send(number=draft.number, user=buyer)

    assert PurchaseOrder.objects.get(pk=draft.pk).status == "draft"
    assert mailoutbox == []


def test_a_po_without_lines_or_sent_already_is_refused(make_po, mug, buyer):
    empty = make_po({}, send=False)
    with pytest.raises(DomainError, match="no lines"):
        purchasing.purchase_order_send(number=empty.number, user=buyer)

    sent = make_po({mug: 1})
    with pytest.raises(ConflictError, match="went already"):
        purchasing.purchase_order_send(number=sent.number, user=buyer)
