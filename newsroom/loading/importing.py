"""Bulk import of press releases (the format is fixed in shared/DESIGN.md).

Each record is validated, then written in its own transaction, so a bad record is
reported with its line number and leaves nothing behind while good ones land.
Re-importing matches on slug, else on title + date, and updates instead of
duplicating. ``load_demo`` goes through the same path.
"""

import codecs
import datetime
import json
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.text import slugify
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.images import get_image_model
from wagtail.models import Locale, ReferenceIndex
from wagtail.search import index as search_index
from wagtail.search.signal_handlers import (
    post_save_signal_handler as search_index_on_save,
)
from wagtail.signal_handlers import disable_reference_index_auto_update

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    RESERVED_SLUGS,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
    Sector,
    Topic,
)
from newsroom.models.blocks import RICH_TEXT_FEATURES
from newsroom.models.translations import translated_slug_owner, translation_model_of

PATH_SEPARATOR = ">"
MAX_TEXT = 100_000
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
    "officials",
    "organisations",
    "sectors",
    "regions",
    "topics",
    "key_figures",
    "live",
    "featured",
    "translation_of",
    "hero_image",
}


class RecordError(Exception):
    """A record that cannot be imported; the message is shown to the importer."""

    def __init__(self, message, line_number=1):
        super().__init__(message)
        self.line_number = line_number  # within the file, where the reader knows it


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # matched a release that already says what the record says
    failures: list = field(default_factory=list)  # (line number, reason)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.failures


# --- reading ---------------------------------------------------------------------


def read_records(stream):
    """Yield ``(line_number, record or RecordError)`` from JSON Lines or a JSON array.

    For an array the number is the record's position, counted from 1. JSON Lines
    are split at "\n" only and decoded line by line: a record may hold U+2028 or
    U+0085 (where ``str.splitlines`` would cut it), and one line that is not UTF-8
    costs that record alone.
    """
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield 1, RecordError("the file is UTF-16 text, not UTF-8: save it as UTF-8")
        return
    data = data.removeprefix(codecs.BOM_UTF8)
    if data.lstrip().startswith(b"["):
        yield from _read_array(data)
        return
    for line_number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield line_number, _read_line(line)


def _read_line(line):
    try:
        return _parse_json(line.decode("utf-8"), "invalid JSON")
    except UnicodeDecodeError as error:
        return RecordError(_not_utf8(line, error))
    except RecordError as error:
        return error


def _read_array(data):
    try:
        records = _parse_json(data.decode("utf-8"), "invalid JSON array")
    except UnicodeDecodeError as error:
        yield data.count(b"\n", 0, error.start) + 1, RecordError(_not_utf8(data, error))
    except RecordError as error:
        yield error.line_number, error
    else:
        yield from enumerate(records, start=1)


def _not_utf8(data, error):
    line_start = data.rfind(b"\n", 0, error.start) + 1
    column = error.start - line_start + 1
    return f"not UTF-8 text: byte {data[error.start]:#04x} at column {column}"


def _parse_json(text, problem):
    """``json.loads``, with each way it refuses a text as a RecordError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(f"{problem}: {error.msg}", error.lineno) from error
    except RecursionError as error:
        raise RecordError(f"{problem}: nested too deeply") from error
    except ValueError as error:  # an integer of more than 4,300 digits
        raise RecordError(f"{problem}: {str(error).split(':')[0]}") from error


def count_records(path):
    with open(path, "rb") as stream:
        head = stream.read(64).lstrip()
        if head.startswith(b"["):
            return None
        stream.seek(0)
        return sum(1 for line in stream if line.strip())


# --- validating ------------------------------------------------------------------

# Dropped from every text, as XML 1.0 (the feeds) and HTML cannot carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(value, key):
    """``value`` without control characters; refused if it is not Unicode text."""
    value = CONTROL_CHARACTERS.sub("", value).strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        # A lone surrogate ("\ud83d"), as a string cut in the middle of an emoji
        # escapes to: no database takes it.
        raise RecordError(
            f"'{key}' is not valid Unicode text: {value[error.start]!r}"
        ) from error
    return value


def _shown(value, quoted=True, limit=60):
    """A value from the file for a message to a terminal: escaped where it is not
    printable (no control sequences reach the importer's screen), and cut."""
    shown = repr(value) if quoted or not value.isprintable() else value
    return shown if len(shown) <= limit else f"{shown[:limit]}…"


def _text(record, key, required=False, max_length=None):
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise RecordError(f"'{key}' is required")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be a string, not {type(value).__name__}")
    value = _clean(value, key)
    limit = max_length or MAX_TEXT
    if len(value) > limit:
        raise RecordError(f"'{key}' is longer than {limit} characters")
    if required and not value:
        raise RecordError(f"'{key}' is required")
    return value


def _date(record, key, required=False):
    value = record.get(key)
    if value in (None, ""):
        if required:
            raise RecordError(f"'{key}' is required")
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be an ISO date string like 2024-09-27")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise RecordError(f"'{key}' is not a valid date: {_shown(value)}") from error


def _names(record, key, model):
    """A list of names, each short enough for ``model.name`` (per level of a path)."""
    value = record.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"'{key}' must be a list of names")
    names = [_clean(v, key) for v in value]
    limit = model._meta.get_field("name").max_length
    for name in names:
        levels = name.split(PATH_SEPARATOR) if hasattr(model, "path") else [name]
        if not name or any(len(level.strip()) > limit for level in levels):
            raise RecordError(
                f"'{key}' has an empty name or one longer than {limit} characters"
            )
        if hasattr(model, "path"):
            deepest = model._meta.get_field("path").max_length // model.steplen
            if len(levels) > deepest:
                raise RecordError(
                    f"'{key}' has a path of {len(levels)} levels; at most {deepest}"
                )
    return list(dict.fromkeys(names))


def _bool(record, key, default):
    value = record.get(key, default)
    if not isinstance(value, bool):
        raise RecordError(f"'{key}' must be true or false")
    return value


def _officials(record):
    value = record.get("officials") or []
    if not isinstance(value, list):
        raise RecordError("'officials' must be a list")
    officials, seen = [], set()
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise RecordError(f"official {position} must be an object with a 'name'")
        name = _text(item, "name", required=True, max_length=255)
        if name.casefold() in seen:
            raise RecordError(f"official {name!r} is listed twice")
        seen.add(name.casefold())
        officials.append(
            {
                "name": name,
                "role": _text(item, "role", max_length=200),
                "organisation": _text(item, "organisation", max_length=255),
                "quoted": _bool(item, "quoted", False),
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
        figures.append(
            {
                "value": str(number.quantize(Decimal("0.01"))),
                "unit": _text(item, "unit", max_length=20),
                "is_currency": _bool(item, "is_currency", False),
                "label": _text(item, "label", required=True, max_length=120),
            }
        )
    return figures


def parse_record(record):
    """Check a raw record and return it in clean, typed form, or raise RecordError."""
    if not isinstance(record, dict):
        raise RecordError("each record must be a JSON object")
    unknown = sorted(set(record) - ALLOWED_KEYS)
    if unknown:
        shown = ", ".join(_shown(name, quoted=False) for name in unknown)
        raise RecordError(f"unknown field(s): {shown}")
    title = _text(record, "title", required=True, max_length=255)
    release_date = _date(record, "date", required=True)
    event_date = _date(record, "event_date")
    if event_date and event_date > release_date:
        raise RecordError("'event_date' is after the release 'date'")
    slug = _text(record, "slug", max_length=255)
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
        "dateline": _text(record, "dateline", max_length=100),
        "standfirst": _text(record, "summary", required=True, max_length=2000),
        "body_html": _text(record, "body_html"),
        "reference": _text(record, "reference", max_length=60),
        "language": _text(record, "language", max_length=10) or "en",
        "officials": _officials(record),
        "organisations": _names(record, "organisations", Organisation),
        "sectors": _names(record, "sectors", Sector),
        "regions": _names(record, "regions", Region),
        "topics": _names(record, "topics", Topic),
        "key_figures": _key_figures(record),
        "live": _bool(record, "live", True),
        "featured": _bool(record, "featured", False),
        "hero_image": _text(record, "hero_image", max_length=255),
        "translation_of": _text(record, "translation_of", max_length=255),
    }


# --- finding or creating the linked entities --------------------------------------


def unique_slug(model, name, **scope):
    # Room for a "-<n>" suffix; slugify's NFKC can lengthen a name ("\ufb00" is
    # "ff"), so a name that fits its field may make a slug that does not.
    room = model._meta.get_field("slug").max_length - 15
    base = slugify(name, allow_unicode=True)[:room].strip("-_") or "item"
    slug, suffix = base, 2
    while model.objects.filter(slug=slug, **scope).exists() or translated_slug_owner(
        model, slug
    ):
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def translated_match(model, name):
    """The entity whose translation is called ``name`` (or has its slug), so an
    Indonesian record names the same entity as an English one; None without."""
    translation_model = translation_model_of(model)
    if translation_model is None:
        return None
    rows = translation_model.objects.select_related("entity")
    row = (
        rows.filter(name__iexact=name).first()
        or rows.filter(slug=slugify(name, allow_unicode=True)).first()
    )
    return row.entity if row else None


def find_or_create(model, name, extra_fields=()):
    """Match ``name`` case-insensitively on the name (or ``extra_fields``, e.g. an
    acronym), then on its slug; create the entity when nothing matches."""
    for field_name in ("name", *extra_fields):
        match = model.objects.filter(**{f"{field_name}__iexact": name}).first()
        if match:
            return match
    match = model.objects.filter(
        slug=slugify(name, allow_unicode=True)
    ).first() or translated_match(model, name)
    return match or model.objects.create(name=name, slug=unique_slug(model, name))


def find_or_create_organisation(name):
    return find_or_create(Organisation, name, extra_fields=("acronym",))


class Resolver:
    """Finds or creates linked entities, remembering each for the rest of the run.

    Cleared whenever a record fails, since its transaction (and anything it
    created) is rolled back.
    """

    def __init__(self):
        self._known = {}

    def clear(self):
        self._known.clear()

    def _remember(self, key, find):
        if key not in self._known:
            self._known[key] = find()
        return self._known[key]

    def organisation(self, name):
        return self._remember(
            ("organisation", name.casefold()), lambda: find_or_create_organisation(name)
        )

    def official(self, name):
        return self._remember(
            ("official", name.casefold()), lambda: find_or_create(Official, name)
        )

    def topic(self, name):
        return self._remember(
            ("topic", name.casefold()), lambda: find_or_create(Topic, name)
        )

    def node(self, model, path):
        return self._remember(
            (model.__name__, path.casefold()), lambda: find_or_create_node(model, path)
        )


def _match_node(queryset, name):
    match = (
        queryset.filter(name__iexact=name).first()
        or queryset.filter(slug=slugify(name, allow_unicode=True)).first()
    )
    if match is None:
        translated = translated_match(queryset.model, name)
        if translated is not None and queryset.filter(pk=translated.pk).exists():
            match = translated
    return match


def find_or_create_node(model, path, **defaults):
    """Find a sector/region by "A > B > C" path (creating missing levels) or name."""
    parts = [part.strip() for part in path.split(PATH_SEPARATOR)]
    if any(not part for part in parts):
        raise RecordError(
            f"{model._meta.verbose_name} path {path!r} has an empty level"
        )
    if len(parts) == 1:
        node = _match_node(model.objects.order_by("depth", "path"), parts[0])
        if node is None:
            node = model.add_root(
                instance=model(
                    name=parts[0], slug=unique_slug(model, parts[0]), **defaults
                )
            )
        return node
    parent = None
    for part in parts:
        siblings = parent.get_children() if parent else model.get_root_nodes()
        node = _match_node(siblings, part)
        if node is None:
            instance = model(name=part, slug=unique_slug(model, part), **defaults)
            node = (
                parent.add_child(instance=instance)
                if parent
                else model.add_root(instance=instance)
            )
        parent = node
    return parent


# --- writing ----------------------------------------------------------------------

_html_converter = EditorHTMLConverter(features=RICH_TEXT_FEATURES)


def build_body(data):
    body = []
    if data["body_html"]:
        body.append(
            {
                "type": "paragraph",
                "value": _html_converter.to_database_format(data["body_html"]),
            }
        )
    if data["key_figures"]:
        body.append(
            {
                "type": "key_figures",
                "value": [
                    {"type": "item", "value": figure, "id": str(uuid.uuid4())}
                    for figure in data["key_figures"]
                ],
            }
        )
    return body


def find_image(title):
    image = get_image_model().objects.filter(title=title).first()
    if image is None:
        raise RecordError(f"no image titled {title!r} in the image library")
    return image


def find_existing(newsroom, data):
    releases = PressReleasePage.objects.child_of(newsroom)
    if data["slug"]:
        return releases.filter(slug=data["slug"]).first()
    return releases.filter(
        title=data["title"], release_date=data["release_date"]
    ).first()


def find_original(newsroom, data, existing):
    """The release that ``data`` translates ("translation_of": its slug, in another
    language), or None. Refuses an unknown slug, an original in the release's own
    language, and an original that already has another translation in it."""
    slug = data["translation_of"]
    if not slug:
        return None
    locale = newsroom.locale
    candidates = PressReleasePage.objects.filter(slug=slug).select_related("locale")
    originals = [page for page in candidates if page.locale_id != locale.pk]
    if not originals:
        if any(page.locale_id == locale.pk for page in candidates):
            raise RecordError(
                f"'translation_of' {_shown(slug)} is a release in the same "
                f"language ({locale.language_code}); give the slug of the original "
                "in the other language"
            )
        raise RecordError(
            f"'translation_of': no release with the slug {_shown(slug)}; import "
            "the original first"
        )
    if len(originals) > 1:
        raise RecordError(
            f"'translation_of' {_shown(slug)} names releases in several languages"
        )
    original = originals[0]
    translation = (
        PressReleasePage.objects.filter(
            translation_key=original.translation_key, locale=locale
        )
        .exclude(pk=existing.pk if existing else None)
        .first()
    )
    if translation is not None:
        raise RecordError(
            f"'translation_of': {_shown(slug)} already has a translation in "
            f"{locale.language_code}: {_shown(translation.slug)}"
        )
    if existing is not None and existing.translation_key != original.translation_key:
        others = PressReleasePage.objects.filter(
            translation_key=existing.translation_key
        ).exclude(pk=existing.pk)
        if others.exists():
            raise RecordError(
                f"'translation_of': the release {_shown(existing.slug)} is already "
                "a translation of another release"
            )
    return original


def role_for(link, data):
    role = link["role"]
    if role and link["organisation"]:
        return f"{role}, {link['organisation']}"
    return role


def release_state(page):
    """What an import sets on a release, in a form that compares equal when the
    release says the same: block ids (new on every build) are left out."""
    return {
        "title": page.title,
        "release_date": page.release_date,
        "event_date": page.event_date,
        "dateline": page.dateline,
        "standfirst": page.standfirst,
        "reference": page.reference,
        "featured": page.featured,
        "body": _without_ids(page.body.get_prep_value()),
        "hero_image": page.hero_image_id,
        "translation_key": page.translation_key,
        "officials": [
            (link.official_id, link.role, link.quoted)
            for link in page.release_officials.all()
        ],
        "organisations": [
            link.organisation_id for link in page.release_organisations.all()
        ],
        "sectors": [link.sector_id for link in page.release_sectors.all()],
        "regions": [link.region_id for link in page.release_regions.all()],
        "topics": sorted(topic.pk for topic in page.topics.all()),
    }


def _without_ids(data):
    if isinstance(data, dict):
        return {key: _without_ids(item) for key, item in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def is_up_to_date(page, before, live):
    """Whether saving ``page`` would change nothing: its latest revision held
    ``before`` already and, for a record to publish, that revision is live."""
    if release_state(page) != before:
        return False
    return not live or (page.live and not page.has_unpublished_changes)


def write_release(newsroom, data, resolver=None):
    """Create or update one release from parsed data. Returns (page, outcome):
    "created", "updated" or "unchanged".

    A record that says what the release already says writes nothing: a new
    revision, a publish and the content version it bumps (every cached page
    thrown away) would each be for nothing, on every run of load_demo.
    """
    resolver = resolver or Resolver()
    page = find_existing(newsroom, data)
    original = find_original(newsroom, data, page)
    created = page is None
    # The latest revision, not the live row: a draft's fields live only there.
    before = None if created else release_state(page.get_latest_revision_as_object())
    if created:
        slug = data["slug"] or unique_slug(
            PressReleasePage, data["title"], path__startswith=newsroom.path
        )
        if slug in RESERVED_SLUGS:
            slug = f"{slug}-release"
        page = PressReleasePage(slug=slug, locale=newsroom.locale)
    if original is not None:
        # A translation shares the original's translation_key (what Wagtail's
        # copy_for_translation gives it), so the two link to each other.
        page.translation_key = original.translation_key
        if not created:  # save_revision would not save the key of a draft
            PressReleasePage.objects.filter(pk=page.pk).update(
                translation_key=original.translation_key
            )
    page.title = data["title"]
    page.release_date = data["release_date"]
    page.event_date = data["event_date"]
    page.dateline = data["dateline"]
    page.standfirst = data["standfirst"]
    page.reference = data["reference"]
    page.featured = data["featured"]
    page.body = build_body(data)
    page.hero_image = find_image(data["hero_image"]) if data["hero_image"] else None

    officials, seen = [], set()
    role_limit = ReleaseOfficial._meta.get_field("role").max_length
    for position, link in enumerate(data["officials"]):
        official = resolver.official(link["name"])
        if official.pk in seen:
            raise RecordError(f"official {link['name']!r} is listed twice")
        seen.add(official.pk)
        if link["organisation"]:
            resolver.organisation(link["organisation"])
        role = role_for(link, data) or official.role_on(data["release_date"])
        if len(role) > role_limit:
            raise RecordError(
                f"the role of {link['name']!r} with its organisation is longer "
                f"than {role_limit} characters"
            )
        officials.append(
            ReleaseOfficial(
                official=official, role=role, quoted=link["quoted"], sort_order=position
            )
        )
    page.release_officials = officials
    page.release_organisations = _unique_links(
        ReleaseOrganisation,
        "organisation",
        [resolver.organisation(name) for name in data["organisations"]],
    )
    page.release_sectors = _unique_links(
        ReleaseSector,
        "sector",
        [resolver.node(Sector, p) for p in data["sectors"]],
    )
    page.release_regions = _unique_links(
        ReleaseRegion,
        "region",
        [resolver.node(Region, p) for p in data["regions"]],
    )
    page.topics.set([resolver.topic(name) for name in data["topics"]])

    if not created and is_up_to_date(page, before, data["live"]):
        return page, "unchanged"
    with indexing_deferred():
        if created:
            page.live = False
            newsroom.add_child(instance=page)
        revision = page.save_revision(clean=True)
        if data["live"]:
            revision.publish()
    # Index once, after the release and all its relations are written.
    search_index.insert_or_update_object(page)
    ReferenceIndex.create_or_update_for_object(page)
    return page, "created" if created else "updated"


@contextmanager
def indexing_deferred():
    """Skip the search and reference index updates that each of a release's saves
    would trigger (about sixteen per imported release); the caller indexes once."""
    post_save.disconnect(search_index_on_save, sender=PressReleasePage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.connect(search_index_on_save, sender=PressReleasePage)


def _unique_links(link_model, field_name, nodes):
    unique = list({node.pk: node for node in nodes}.values())
    return [
        link_model(**{field_name: node}, sort_order=i) for i, node in enumerate(unique)
    ]


class _DryRunRollback(Exception):
    pass


def _describe(error):
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def import_records(records, dry_run=False, progress=None):
    """Import ``(line_number, record)`` pairs; never raises for a bad record."""
    report = ImportReport(dry_run=dry_run)
    newsrooms = {}
    resolver = Resolver()
    for line_number, record in records:
        if progress is not None:
            progress.update(1)
        try:
            if isinstance(record, RecordError):
                raise record
            data = parse_record(record)
            with transaction.atomic():
                locale = Locale.objects.filter(language_code=data["language"]).first()
                if locale is None:
                    raise RecordError(f"unknown language {data['language']!r}")
                if locale.pk not in newsrooms:
                    newsrooms[locale.pk] = ensure_site_tree(locale)
                _, outcome = write_release(newsrooms[locale.pk], data, resolver)
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            newsrooms.clear()
            resolver.clear()
        except (RecordError, ValidationError) as error:
            report.failures.append((line_number, _describe(error)))
            newsrooms.clear()
            resolver.clear()
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
