"""Return emails (text and HTML), each exactly once: authorized with the signed label link, received,
rejected with the reason. The label link works only as signed."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from orders.models import Notification
from returns import services
from returns.links import return_label_token
from returns.models import ReturnRequest
from returns.tasks import create_return_label_task
from tests.factories import StaffFactory


def _about(created):
    return [m for m in mail.outbox if created.number in m.subject]


def test_authorizing_emails_the_label_link_once(return_in_state, commit, client):
    # given
    created = return_in_state("authorized")

    # when: the label task runs again (a redelivered message)
    with commit():
        create_return_label_task(return_id=created.pk)

    # then
    sent = _about(created)
    assert [m.subject for m in sent] == [f"Return {created.number}: your return label"]
    link = re.search(r"https?://\S+/api/v1/returns/labels/\S+/", sent[0].body).group(0)
    html = sent[0].alternatives[0][0]
    assert "Print the return label" in html and link in html
    assert Notification.objects.filter(kind=f"return_authorized:{created.pk}").count() == 1
    label = client.get(urlsplit(link).path, HTTP_ACCEPT="application/pdf")
    assert (label.status_code, label["Content-Type"]) == (200, "application/pdf")
    assert label.content.startswith(b"%PDF")


def test_the_label_link_is_refused_when_tampered_with(return_in_state, client):
    created = return_in_state("authorized")
    token = return_label_token(created.number)
    forged = token.replace(created.number, f"{created.number[:-1]}9")
    assert client.get(f"/api/v1/returns/labels/{forged}/").status_code == 404
    assert client.get(f"/api/v1/returns/labels/{created.number}/").status_code == 404


def test_receiving_tells_the_customer_once(return_in_state, commit):
    created = return_in_state("received")
    assert [m.subject for m in _about(created)][-1] == f"Return {created.number}: we received your parcel"
    assert sum("received your parcel" in m.subject for m in _about(created)) == 1


def test_a_rejection_tells_the_reason(return_in_state, commit):
    # given
    created = return_in_state("requested")

    # when
    with commit():
        services.return_reject(return_request=created, reason="Worn and washed", user=StaffFactory(role="support"))

    # then
    sent = _about(created)
    assert [m.subject for m in sent] == [f"Return {created.number} could not be accepted"]
    assert "Reason: Worn and washed" in sent[0].body
    assert "Worn and washed" in sent[0].alternatives[0][0]
    assert ReturnRequest.objects.get(pk=created.pk).reject_reason == "Worn and washed"


def test_a_rejection_needs_a_reason(return_in_state):
    from returns.exceptions import InvalidReturn

    created = return_in_state("requested")
    with pytest.raises(InvalidReturn):
        services.return_reject(return_request=created, reason="  ")
    assert ReturnRequest.objects.get(pk=created.pk).status == "requested"


def test_a_returnless_return_is_authorized_without_a_label(delivered_order, settings, commit):
    # given
    settings.OMS_RETURNLESS_REASONS = ["damaged"]
    settings.OMS_RETURN_AUTO_AUTHORIZE_REASONS = ["damaged"]
    order = delivered_order(1)

    # when
    from tests.factories import return_request_open

    with commit():
        created = return_request_open(order, lines=[("MUG-1", 1, "damaged")])

    # then
    created.refresh_from_db()
    assert (created.status, created.returnless, created.label_tracking_number) == ("authorized", True, "")
    sent = _about(created)
    assert len(sent) == 1 and "keep them" in sent[0].body


def test_a_label_that_never_came_is_queued_again_by_the_beat_job(delivered_order, commit, settings):
    # given: authorized, but the label task was lost (no commit: its outbox message never ran)
    from datetime import timedelta

    from django.utils import timezone

    from returns.tasks import redrive_return_labels_task
    from tests.factories import return_request_open

    settings.OMS_RECONCILE_AFTER_SECONDS = 60
    created = return_request_open(delivered_order(1))
    services.return_authorize(return_request=created)
    ReturnRequest.objects.filter(pk=created.pk).update(authorized_at=timezone.now() - timedelta(minutes=5))

    # when
    with commit():
        queued = redrive_return_labels_task()

    # then
    assert queued == 1
    assert ReturnRequest.objects.get(pk=created.pk).label_tracking_number.startswith("DMO")
    assert [m.subject for m in _about(created)] == [f"Return {created.number}: your return label"]
    assert redrive_return_labels_task() == 0
