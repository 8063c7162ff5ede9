"""What the dashboard's browser tests do as a user would."""


def fill_in(page, fields: dict[str, str]) -> None:
    """Type each value into the field its label names, in order."""
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
