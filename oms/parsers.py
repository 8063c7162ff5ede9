"""The API's JSON parser: refuses NUL characters anywhere in a body, naming where they are.

PostgreSQL cannot store or even compare a string holding U+0000, so one in any field (a SKU looked up
before the serializer has run, a shipping method code) would fail deep in a query. DRF's CharField refuses
it, but not every string reaches a CharField first: refusing it as the body is read covers all of them.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser

MESSAGE = "Null characters are not allowed."


def nul_errors(value):
    """The error map (shaped like the serializer's) of every place in ``value`` holding a NUL; None if none."""
    if isinstance(value, str):
        return [MESSAGE] if "\x00" in value else None
    if isinstance(value, dict):
        errors = {}
        for key, item in value.items():
            if "\x00" in str(key):
                errors[str(key).replace("\x00", "\\u0000")] = [MESSAGE]
            elif (error := nul_errors(item)) is not None:
                errors[key] = error
        return errors or None
    if isinstance(value, list):
        errors = [nul_errors(item) for item in value]
        if not any(error is not None for error in errors):
            return None
        return [
            error if isinstance(error, dict) else ({"non_field_errors": error} if error else {}) for error in errors
        ]
    return None


class NulSafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        errors = nul_errors(data)
        if errors is not None:
            raise ValidationError(errors if isinstance(errors, dict) else {"non_field_errors": [MESSAGE]})
        return data
