"""What the API reads of a request's query parameters, each a 400 when it is bad:
a whole number, the locale, an id a table could hold."""

from django.conf import settings
from django.db import connections
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from newsroom.models.caching import remembered


class ParameterError(Exception):
    """Bad query parameters: a 400 with ``{"message", "errors": {param: [...]}}``."""

    def __init__(self, errors):
        self.errors = {
            name: [str(message) for message in messages]
            for name, messages in errors.items()
        }
        super().__init__(
            " ".join(
                f"{name}: {message}"
                for name, messages in self.errors.items()
                for message in messages
            )
        )


def positive_integer(request, name, default, minimum=0):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ParameterError({name: [f"{name} must be a whole number ≥ {minimum}."]})
    return value


def requested_locale(request):
    """The ``locale`` parameter's Locale (default English); a 400 if unknown."""
    if not hasattr(request, "_api_locale"):
        code = request.GET.get("locale") or get_supported_content_language_variant(
            settings.LANGUAGE_CODE
        )
        locales = remembered(request, "locales", lambda: list(Locale.objects.all()))
        request._api_locale = _find_locale(code, locales)
    return request._api_locale


def _find_locale(code, locales):
    # Matched in Python: a handful of rows, and PostgreSQL refuses a NUL
    # (locale=%00) in a query parameter with an error, not an empty result.
    locale = next((each for each in locales if each.language_code == code), None)
    if locale is None:
        raise ParameterError({"locale": [f"There is no locale “{code}”."]})
    return locale


def stored_id(model, raw):
    """``raw`` as an id ``model``'s table could hold, or None.

    A number past the column's range is no row, not an error: SQLite cannot bind
    one at all (OverflowError). Anything but a whole number is a ValueError.
    """
    value = int(raw)
    field = model._meta.pk
    while field.remote_field is not None:  # a page's pk is its link to Page
        field = field.target_field
    ops = connections[model.objects.db].ops
    low, high = ops.integer_field_range(field.get_internal_type())
    return value if low <= value <= high else None
