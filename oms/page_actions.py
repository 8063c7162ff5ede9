"""Pages run a use case one way: form → service → message → redirect. A refused use case is translated here.

How a refusal (a ``DomainError``, by its kind) reads on a page, for every staff and customer page:

- ``forbidden`` → 403 (``PermissionDenied``);
- ``not_found`` → 404;
- ``invalid`` → the errors beside the form's fields, and the form shown again (``again``, a 400 page);
- busy (``oms.exceptions.Busy``: another request holds the row) → "Someone else is changing this order, try
  again." (a page may word it its own way), on the page the action goes back to;
- any other (wrong state, a business rule) → the error's own message, on the page the action goes back to.

Views never catch domain errors themselves; a database error other than a refused lock is a real failure
and stays one.
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from oms.exceptions import Busy, DomainError

BUSY = "Someone else is changing this order, try again."

T = TypeVar("T")


def form_errors_add(form: forms.Form, exc: DomainError) -> None:
    """Put ``exc.fields`` (DRF-shaped: name → message or messages) beside the form's fields.

    A field the form does not have, and an error without fields, go above the form (non-field errors).
    """
    for field, problems in exc.fields.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            form.add_error(field if field in form.fields else None, str(problem))
    if not exc.fields:
        form.add_error(None, exc.message)


def _refusal_text(exc: DomainError, *, busy: str = BUSY) -> str:
    """What a page says of a refusal that is neither forbidden nor not found (raised as 403 and 404)."""
    if exc.kind == "forbidden":
        raise PermissionDenied(exc.message) from exc
    if exc.kind == "not_found":
        raise Http404(exc.message) from exc
    return busy if isinstance(exc, Busy) else exc.message


def page_action(
    request: HttpRequest,
    *,
    act: Callable[[], T],
    back: Callable[[], HttpResponse],
    told: Callable[[T], str | tuple[int, str]] | None = None,
    done: Callable[[T], HttpResponse] | None = None,
    form: forms.Form | None = None,
    again: Callable[[forms.Form], HttpResponse] | None = None,
    busy: str = BUSY,
    busy_keeps_form: bool = False,
    errors_add: Callable[[forms.Form, DomainError], None] = form_errors_add,
) -> HttpResponse:
    """Validate ``form``, run ``act`` (one service call) and answer.

    - ``told(result)``: the success message (text, or ``(level, text)``), shown on ``back()``; or ``done(result)``
      for an answer of its own (another page, an htmx partial).
    - ``back``: where the page goes after the action (PRG); a refusal's message is shown there too.
    - ``form`` / ``again``: an invalid form, or the service's ``invalid`` refusal (put beside the fields by
      ``errors_add``), answers ``again(form)``: the page again with the input and its errors (status 400).
    - ``busy``: the page's words for a busy row; ``busy_keeps_form`` shows them above the form instead, with
      the input kept (a long form, to send again as it is).
    """
    if form is not None and not form.is_valid():
        return again(form)
    try:
        result = act()
    except DomainError as exc:
        text = _refusal_text(exc, busy=busy)
        if form is not None and exc.kind == "invalid":
            errors_add(form, exc)
            return again(form)
        if form is not None and busy_keeps_form and isinstance(exc, Busy):
            form.add_error(None, text)
            return again(form)
        messages.error(request, text)
        return back()
    if done is not None:
        return done(result)
    message = told(result)
    level, text = message if isinstance(message, tuple) else (messages.SUCCESS, message)
    messages.add_message(request, level, text)
    return back()
