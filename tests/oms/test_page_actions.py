"""How a page answers a refused use case (``oms.page_actions.page_action``), kind by kind.

The view tests meet each answer on real pages; here every mapping is pinned once, without a database.
"""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from oms.exceptions import Busy, ConflictError, DomainError, InvalidInput, NotFound
from oms.page_actions import BUSY, page_action
from orders.exceptions import OrderBusy, OrderNotFound, TransitionForbidden, TransitionNotAvailable
from orders.services.customers import CreditTermsNotAllowed


class NoteForm(forms.Form):
    body = forms.CharField(max_length=10)


@pytest.fixture
def request_():
    request = RequestFactory().post("/somewhere/")
    request._messages = CookieStorage(request)
    return request


def _run(request, *, refusal: Exception | None = None, data=None, **options) -> tuple[HttpResponse, NoteForm]:
    """Post ``data`` (a valid note by default) to an action whose service raises ``refusal`` (or succeeds)."""
    form = NoteForm(data if data is not None else {"body": "hello"})

    def act():
        if refusal is not None:
            raise refusal
        return form.cleaned_data["body"].upper()

    response = page_action(
        request,
        form=form,
        act=act,
        done=lambda result: HttpResponse(f"done: {result}"),
        back=lambda: HttpResponse("back", status=302),
        again=lambda form: HttpResponse("again", status=400),
        **options,
    )
    return response, form


def _told(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in messages.get_messages(request)]


def test_a_valid_form_runs_the_service_and_answers_with_its_result(request_):
    response, _ = _run(request_)

    assert response.content == b"done: HELLO"
    assert _told(request_) == []


@pytest.mark.parametrize(
    ("told", "shown"),
    [
        (lambda result: f"Saved {result}.", (messages.SUCCESS, "Saved HELLO.")),
        (lambda result: (messages.WARNING, f"Saved {result}, later."), (messages.WARNING, "Saved HELLO, later.")),
    ],
    ids=["text", "level-and-text"],
)
def test_told_is_the_success_message_on_the_page_the_action_goes_back_to(request_, told, shown):
    form = NoteForm({"body": "hello"})

    response = page_action(
        request_, form=form, act=lambda: form.cleaned_data["body"].upper(), told=told, back=lambda: HttpResponse("back")
    )

    assert response.content == b"back"
    assert _told(request_) == [shown]


def test_an_invalid_form_is_shown_again_and_the_service_is_not_called(request_):
    response, form = _run(request_, data={"body": "far too long a note"}, refusal=AssertionError("not called"))

    assert (response.status_code, response.content) == (400, b"again")
    assert "body" in form.errors


def test_invalid_input_from_the_service_goes_beside_its_field(request_):
    refusal = InvalidInput("The note is rude.", fields={"body": ["Be kind."], "elsewhere": "Not on this form."})

    response, form = _run(request_, refusal=refusal)

    assert response.status_code == 400
    assert form.errors["body"] == ["Be kind."]
    assert form.non_field_errors() == ["Not on this form."]
    assert _told(request_) == []


def test_invalid_input_without_fields_goes_above_the_form(request_):
    _, form = _run(request_, refusal=InvalidInput("Nothing to say."))

    assert form.non_field_errors() == ["Nothing to say."]


@pytest.mark.parametrize(
    ("refusal", "raised"),
    [
        (TransitionForbidden("You do not have permission to ship orders."), PermissionDenied),
        (CreditTermsNotAllowed("Only finance sets payment terms and credit limits."), PermissionDenied),
        (OrderNotFound("No such order."), Http404),
        (NotFound("No such inquiry."), Http404),
    ],
    ids=["transition-forbidden", "other-forbidden", "order-not-found", "not-found"],
)
def test_forbidden_is_403_and_not_found_is_404(request_, refusal, raised):
    with pytest.raises(raised):
        _run(request_, refusal=refusal)

    assert _told(request_) == []


@pytest.mark.parametrize(
    ("refusal", "told"),
    [
        (OrderBusy("Another request is changing this order right now; retry shortly."), BUSY),
        (Busy("Row locked."), BUSY),
        (TransitionNotAvailable("Cannot ship an order that is cancelled."), "Cannot ship an order that is cancelled."),
        (ConflictError("Already recorded as paid."), "Already recorded as paid."),
        (DomainError("Over the credit limit."), "Over the credit limit."),
    ],
    ids=["order-busy", "busy", "wrong-state", "conflict", "rule"],
)
def test_other_refusals_are_a_message_on_the_page_the_action_goes_back_to(request_, refusal, told):
    response, form = _run(request_, refusal=refusal)

    assert (response.status_code, response.content) == (302, b"back")
    assert _told(request_) == [(messages.ERROR, told)]
    assert not form.errors


def test_a_page_words_busy_its_own_way(request_):
    _run(request_, refusal=OrderBusy("busy"), busy="Please try again in a moment.")

    assert _told(request_) == [(messages.ERROR, "Please try again in a moment.")]


def test_busy_can_keep_the_form_with_the_input(request_):
    response, form = _run(request_, refusal=OrderBusy("busy"), busy_keeps_form=True)

    assert response.status_code == 400
    assert form.non_field_errors() == [BUSY]
    assert form.data["body"] == "hello"
    assert _told(request_) == []


def test_a_database_failure_is_not_taken_for_a_refusal(request_):
    with pytest.raises(OperationalError):
        _run(request_, refusal=OperationalError("server closed the connection unexpectedly"))
