"""Reading one release record of an import: each field checked and typed
(the format is fixed in docs/contracts.md), before anything is written."""

from decimal import Decimal, InvalidOperation

from django.core.validators import validate_slug
from django.utils.text import slugify

from newsroom import kinds
from newsroom.loading.records import (
    RecordError,
    check_fields,
    date_of,
    flag_of,
    names_of,
    text_of,
)
from newsroom.loading.regulations import references_of
from newsroom.models import RESERVED_SLUGS, Organisation, Region, Sector, Topic

ALLOWED_KEYS = {
    "title",
    "slug",
    "date",
    "event_date",
    "dateline",
    "summary",
    "body_html",
    "reference",
    "language",
    # Each kind of entity by its URL segment: "officials", "sectors"...
    *kinds.SEGMENTS,
    "key_figures",
    "live",
    "featured",
    "translation_of",
    "hero_image",
}


def _officials(record):
    value = record.get("officials") or []
    if not isinstance(value, list):
        raise RecordError("'officials' must be a list")
    officials, seen = [], set()
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise RecordError(f"official {position} must be an object with a 'name'")
        name = text_of(item, "name", required=True, max_length=255)
        if name.casefold() in seen:
            raise RecordError(f"official {name!r} is listed twice")
        seen.add(name.casefold())
        officials.append(
            {
                "name": name,
                "role": text_of(item, "role", max_length=200),
                "organisation": text_of(item, "organisation", max_length=255),
                "quoted": flag_of(item, "quoted", False),
            }
        )
    return officials


def _key_figures(record):
    value = record.get("key_figures") or []
    if not isinstance(value, list):
        raise RecordError("'key_figures' must be a list")
    figures = []
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise RecordError(f"key figure {position} must be an object")
        try:
            number = Decimal(str(item.get("value")))
        except InvalidOperation as error:
            raise RecordError(
                f"key figure {position} has no numeric 'value'"
            ) from error
        if not number.is_finite() or abs(number) >= Decimal(10) ** 18:
            raise RecordError(f"key figure {position} is out of range")
        key = text_of(item, "key", max_length=80)
        if key and not validate_slug.regex.fullmatch(key):
            raise RecordError(f"key figure {position}'s 'key' is not a slug")
        figures.append(
            {
                "value": str(number.quantize(Decimal("0.01"))),
                "unit": text_of(item, "unit", max_length=20),
                "is_currency": flag_of(item, "is_currency", False),
                "label": text_of(item, "label", required=True, max_length=120),
                "key": key,
            }
        )
    return figures


def parse_record(record):
    """Check a raw record and return it in clean, typed form, or raise RecordError."""
    check_fields(record, ALLOWED_KEYS)
    title = text_of(record, "title", required=True, max_length=255)
    release_date = date_of(record, "date", required=True)
    event_date = date_of(record, "event_date")
    if event_date and event_date > release_date:
        raise RecordError("'event_date' is after the release 'date'")
    slug = text_of(record, "slug", max_length=255)
    if slug:
        if slugify(slug, allow_unicode=True) != slug:
            raise RecordError(f"'slug' {slug!r} is not a valid slug")
        if slug in RESERVED_SLUGS:
            raise RecordError(f"'slug' {slug!r} is reserved for the newsroom's pages")
    return {
        "title": title,
        "slug": slug,
        "release_date": release_date,
        "event_date": event_date,
        "dateline": text_of(record, "dateline", max_length=100),
        "standfirst": text_of(record, "summary", required=True, max_length=2000),
        "body_html": text_of(record, "body_html"),
        "reference": text_of(record, "reference", max_length=60),
        "language": text_of(record, "language", max_length=10) or "en",
        "officials": _officials(record),
        "organisations": names_of(record, "organisations", Organisation),
        "sectors": names_of(record, "sectors", Sector),
        "regions": names_of(record, "regions", Region),
        "topics": names_of(record, "topics", Topic),
        "regulations": references_of(record, "regulations"),
        "key_figures": _key_figures(record),
        "live": flag_of(record, "live", True),
        "featured": flag_of(record, "featured", False),
        "hero_image": text_of(record, "hero_image", max_length=255),
        "translation_of": text_of(record, "translation_of", max_length=255),
    }
