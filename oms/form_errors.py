"""A refused use case's errors, shown on the page's form: each beside its field, the rest above the form."""

from django import forms

from oms.exceptions import DomainError


def form_errors_add(form: forms.Form, exc: DomainError) -> None:
    """Put ``exc.fields`` (DRF-shaped: name → message or messages) beside the form's fields.

    A field the form does not have, and an error without fields, go above the form (non-field errors).
    """
    for field, problems in exc.fields.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            form.add_error(field if field in form.fields else None, str(problem))
    if not exc.fields:
        form.add_error(None, exc.message)
