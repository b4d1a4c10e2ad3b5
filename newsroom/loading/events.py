"""Bulk import of agenda events (``import_events``, ``load_demo``; the format is
in docs/contracts.md). Records are read and reported as releases' are, each in its
own transaction; an event is matched on its slug in its language's agenda (else
title and start date), and a record saying what the event says writes nothing.
Once public, an event moved (if confirmed), postponed or cancelled needs a public
reason, as in the admin (EventForm): the change is logged, the sequence raised.
"""

import datetime
import functools
import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.timezone import now
from wagtail.models import Locale

from newsroom import kinds
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.finder.entity_names import localized_appointment_title
from newsroom.loading.entities import Resolver, unique_slug

# The releases' report and rollback serve events as they are.
from newsroom.loading.importing import (
    ImportReport,
    _DryRunRollback,
    role_for,
    write_page,
)
from newsroom.loading.records import (
    RecordError,
    check_fields,
    clean_text,
    describe,
    flag_of,
    names_of,
    refuse_unknown,
    shown,
    text_of,
)
from newsroom.loading.regulations import references_of, resolve
from newsroom.models import (
    EVENT_LINK_MODELS,
    AgendaPage,
    EventChange,
    EventOutcome,
    EventPage,
    PressReleasePage,
)
from newsroom.models.agenda import ZONE_ABBREVIATIONS
from newsroom.models.forms import CHANGE_WORDS, needs_reason, public_change

# Written to the event as the record gives them (the texts with their limits).
TEXTS = {"summary": None, "place": 255, "address": None, "accreditation": None}
# The email address is checked as the page is saved (an EmailField).
TEXTS.update(media_contact_name=255, media_contact_email=254, media_contact_phone=50)
FIELDS = ("title", "kind", "start", "end", "timezone", "status", *TEXTS)
ALLOWED_KEYS = {*FIELDS, "slug", "region", "language", "release", "live"}
# Each kind of entity by its URL segment ("officials", "sectors"...), the log.
ALLOWED_KEYS |= {*kinds.SEGMENTS, "changes", "reason"}
NAMED = ("organisations", "sectors", "topics")
OFFICIAL_KEYS = {"name", "role", "organisation"}
CHANGE_KEYS = {"change", "reason", "previous_start", "made_at"}
DEFAULT_ZONE = "Asia/Jakarta"
FIRST_YEAR, LAST_YEAR = 1900, 2100
# The agenda made for a newsroom that has none: title and intro by language.
AGENDAS = {
    "en": "Press conferences, visits and signings: to come, then past.",
    "id": "Konferensi pers, kunjungan dan penandatanganan: yang akan datang, lalu "
    "yang telah berlangsung.",
}
# "Canceled" is how American sources spell it.
ALIASES = {"canceled": "cancelled"}
TIME_EXAMPLE = "2025-03-04T09:00"


# --- reading a record ---------------------------------------------------------------


def model(name):
    return kinds.get(name).model


def _code(text):
    return re.sub(r"[\s_-]+", "_", text.strip().casefold())


def choice_of(record, key, choices, default=None):
    """A choice by its code in any case, spaces or underscores alike ("press
    conference", "press_conference", "Press Conference")."""
    value = text_of(record, key, max_length=60)
    if not value:
        if default is None:
            raise RecordError(f"'{key}' is required")
        return default
    code = ALIASES.get(_code(value), _code(value))
    code = {_code(known): known for known in choices.values}.get(code)
    if code is None:
        known = ", ".join(code.replace("_", " ") for code in choices.values)
        raise RecordError(f"'{key}' {shown(value)} is not one of: {known}")
    return code


@functools.cache
def known_zones():
    """Every IANA zone by its name in any case, and Indonesia's by their
    abbreviations (WIB, WITA, WIT)."""
    zones = {name.casefold(): name for name in zoneinfo.available_timezones()}
    zones.update({abbr.casefold(): zone for zone, abbr in ZONE_ABBREVIATIONS.items()})
    return zones


def zone_of(record):
    name = text_of(record, "timezone", max_length=64) or DEFAULT_ZONE
    # Looked up, not opened: ZoneInfo("Asia") raises an OSError.
    zone = known_zones().get(name.casefold())
    if zone is None:
        raise RecordError(
            f"'timezone' {shown(name)} is not a time zone: give an IANA name such "
            "as Asia/Makassar, or WIB, WITA or WIT"
        )
    return zone


def time_of(value, key, zone_name, any_offset=False):
    """The moment of ``value``, a date and time as the invitation gives it, in
    the zone called ``zone_name`` ("2025-03-04T09:00"). An offset is allowed only
    if it is the zone's own at that time (``any_offset``: any, for the moment a
    change was made): two clocks that disagree are a mistake in one of them."""
    if not isinstance(value, str) or not re.search(r"\d[T ]\d{1,2}:\d\d", value):
        raise RecordError(
            f"'{key}' must be a date and time like {TIME_EXAMPLE}, not {shown(value)}"
        )
    try:
        stated = datetime.datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise RecordError(
            f"'{key}' is not a valid date and time: {shown(value)}"
        ) from error
    if not FIRST_YEAR <= stated.year <= LAST_YEAR:
        raise RecordError(f"'{key}' is not between {FIRST_YEAR} and {LAST_YEAR}")
    zone = zoneinfo.ZoneInfo(zone_name)
    if stated.tzinfo is not None and any_offset:
        return stated
    local = stated.replace(tzinfo=zone)
    if stated.tzinfo is not None and stated.utcoffset() != local.utcoffset():
        raise RecordError(
            f"'{key}' {shown(value)} is at UTC{stated:%z} but {zone_name} is at "
            f"UTC{local:%z} then: give the local time without an offset"
        )
    back = local.astimezone(datetime.UTC).astimezone(zone)
    if back.replace(tzinfo=None) != stated.replace(tzinfo=None):
        raise RecordError(
            f"'{key}' {shown(value)} does not exist in {zone_name}: the clocks skip it"
        )
    return local


def optional_time(record, key, zone_name, any_offset=False):
    value = record.get(key)
    return None if value in (None, "") else time_of(value, key, zone_name, any_offset)


def _each(record, key, what):
    """The items of the list under ``key``, numbered from 1."""
    value = record.get(key) or []
    if not isinstance(value, list):
        raise RecordError(f"'{key}' must be a list of {what}")
    return enumerate(value, start=1)


def _officials(record):
    officials, seen = [], set()
    for position, item in _each(record, "officials", "objects with a 'name'"):
        if not isinstance(item, dict):
            raise RecordError(f"official {position} must be an object with a 'name'")
        try:
            refuse_unknown(item, OFFICIAL_KEYS)
            name = text_of(item, "name", required=True, max_length=255)
            role = text_of(item, "role", max_length=255)
            organisation = text_of(item, "organisation", max_length=255)
        except RecordError as error:
            raise RecordError(f"official {position}: {error}") from error
        if len(role_for({"role": role, "organisation": organisation}, None)) > 255:
            raise RecordError(f"official {position}: role and organisation too long")
        if name.casefold() in seen:
            raise RecordError(f"official {shown(name)} is listed twice")
        seen.add(name.casefold())
        officials.append({"name": name, "role": role, "organisation": organisation})
    return officials


def _changes(record, zone_name):
    changes = []
    for position, item in _each(record, "changes", "objects with a 'change'"):
        if not isinstance(item, dict):
            raise RecordError(
                f"change {position} must be an object with a 'change' and a 'reason'"
            )
        try:
            refuse_unknown(item, CHANGE_KEYS)
            changes.append(
                {
                    "change": choice_of(item, "change", EventChange.Change),
                    "reason": text_of(item, "reason", required=True),
                    "previous_start": optional_time(item, "previous_start", zone_name),
                    "made_at": optional_time(item, "made_at", zone_name, True),
                }
            )
        except RecordError as error:
            raise RecordError(f"change {position}: {error}") from error
    return changes


def _regions(record):
    """ "region": one name or path, and/or "regions": a list of them."""
    single, regions = record.get("region"), model("region")
    if single not in (None, "") and not isinstance(single, str):
        raise RecordError(
            "'region' must be a name or a path like \"Indonesia > Papua\""
        )
    single = names_of({"region": [single]}, "region", regions) if single else []
    return list(dict.fromkeys([*single, *names_of(record, "regions", regions)]))


def _slug(value, key):
    if slugify(value, allow_unicode=True) != value:
        raise RecordError(f"'{key}' {shown(value)} is not a valid slug")
    return value


def _releases(record):
    value = record.get("release") or []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise RecordError("'release' must be the slug of a release, or a list of them")
    return list(
        dict.fromkeys(_slug(clean_text(v, "release"), "release") for v in items)
    )


def parse_record(record):
    """Check a raw record and return it in clean, typed form, or raise RecordError."""
    check_fields(record, ALLOWED_KEYS)
    zone_name = zone_of(record)
    start = time_of(record.get("start"), "start", zone_name)
    end = optional_time(record, "end", zone_name)
    if end is not None and end < start:
        raise RecordError("'end' is before 'start'")
    slug = text_of(record, "slug", max_length=255)
    if slug and _slug(slug, "slug") == "feed":
        raise RecordError("'slug' 'feed' is the agenda's feed; choose another")
    return {
        "title": text_of(record, "title", required=True, max_length=255),
        "slug": slug,
        "kind": choice_of(record, "kind", EventPage.Kind, EventPage.Kind.OTHER),
        "start": start,
        "end": end,
        "timezone": zone_name,
        "status": choice_of(record, "status", EventPage.Status, "confirmed"),
        **{key: text_of(record, key, max_length=n) for key, n in TEXTS.items()},
        "language": text_of(record, "language", max_length=10) or "en",
        "officials": _officials(record),
        **{key: names_of(record, key, model(key[:-1])) for key in NAMED},
        "regions": _regions(record),
        "regulations": references_of(record, "regulations"),
        "releases": _releases(record),
        "live": flag_of(record, "live", True),
        "changes": _changes(record, zone_name),
        "reason": text_of(record, "reason"),
    }


# --- writing --------------------------------------------------------------------


def ensure_agenda(newsroom):
    """The agenda under ``newsroom``, created and published if it has none: in
    another language than the default, as the default agenda's translation (the
    language switcher links the two, as it links the newsrooms)."""
    agenda = AgendaPage.objects.child_of(newsroom).first()
    if agenda is not None:
        return agenda
    default = ensure_site_tree()
    if newsroom.pk == default.pk:
        agenda = AgendaPage(title="Agenda", slug="agenda", locale=newsroom.locale)
        newsroom.add_child(instance=agenda)
    else:
        agenda = ensure_agenda(default).copy_for_translation(newsroom.locale).specific
    agenda.intro = AGENDAS.get(newsroom.locale.language_code, AGENDAS["en"])
    agenda.save_revision().publish()
    return agenda


def agenda_for(code):
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        raise RecordError(f"unknown language {shown(code)}")
    return ensure_agenda(ensure_site_tree(locale))


def find_existing(agenda, data):
    events = EventPage.objects.child_of(agenda)
    if data["slug"]:
        return events.filter(slug=data["slug"]).first()
    return events.filter(title=data["title"], event_date=data["start"].date()).first()


def find_releases(agenda, slugs):
    """The releases named by slug, in the agenda's language."""
    releases, code = [], agenda.locale.language_code
    for slug in slugs:
        named = PressReleasePage.objects.filter(slug=slug).select_related("locale")
        found = {page.locale.language_code: page for page in named}
        if code not in found:
            where = f"only in {', '.join(found)}" if found else "import it first"
            raise RecordError(f"'release': no release {shown(slug)} in {code}: {where}")
        releases.append(found[code])
    return releases


def link_entities(page, data, resolver):
    """The event's links of every kind, in the record's order, each entity once.
    A blank role takes the official's appointment on the event's (local) date,
    in the event's language, so a reshuffle never rewrites old events."""
    day, code = page.start.astimezone(page.zone).date(), page.locale.language_code
    officials = {}
    for given in data["officials"]:
        official = resolver.official(given["name"])
        if official.pk in officials:
            raise RecordError(f"official {shown(given['name'])} is listed twice")
        if given["organisation"]:
            resolver.organisation(given["organisation"])
        appointment = official.appointment_on(day)
        role = role_for(given, data) or (
            localized_appointment_title(appointment, code) if appointment else ""
        )
        officials[official.pk] = {"official": official, "role": role}
    found = {
        "official": officials.values(),
        "organisation": [resolver.organisation(n) for n in data["organisations"]],
        "sector": [resolver.node(model("sector"), path) for path in data["sectors"]],
        "region": [resolver.node(model("region"), path) for path in data["regions"]],
        "topic": [resolver.topic(n) for n in data["topics"]],
        "regulation": resolve(data["regulations"], "regulations"),
    }
    for name, entities in found.items():
        kind = kinds.get(name)
        fields = [e if name == "official" else {kind.link_field: e} for e in entities]
        unique = {row[kind.link_field].pk: row for row in fields}.values()
        rows = [
            EVENT_LINK_MODELS[name](**row, sort_order=i) for i, row in enumerate(unique)
        ]
        setattr(page, kind.event_links, rows)


def change_key(change):
    # To the second: a revision keeps milliseconds of what the row keeps in full.
    times = (
        t and t.replace(microsecond=0) for t in (change.made_at, change.previous_start)
    )
    return (change.change, change.reason, *times)


def says(change, entry):
    """Whether the log's ``change`` is the record's ``entry``; what the entry
    leaves out (the time it was made, the start it moved from) may be anything."""
    pairs = zip(change_key(change), change_key(EventChange(**entry)), strict=True)
    return all(given in (None, held) for held, given in pairs)


def moving(row, page, change):
    if change != "moved":
        return CHANGE_WORDS[change]
    old, new = (
        f"{e.local_start:%Y-%m-%d %H:%M} {e.zone_abbreviation}" for e in (row, page)
    )
    return f"moved from {old} to {new}"


def log_changes(page, row, data):
    """Append the record's changes the log lacks, and the change this import
    makes public, logged as EventForm.log_change logs the admin's; the sequence
    is the published one plus one for every entry added since that publish."""
    log = list(page.changes.all())
    for entry in data["changes"]:
        if not any(says(change, entry) for change in log):
            log.append(EventChange(**{**entry, "made_at": entry["made_at"] or now()}))
    committed = {change_key(change) for change in row.changes.all()} if row else set()
    added = [change for change in log if change_key(change) not in committed]
    if row is not None and row.live:
        public = public_change(row, {name: getattr(page, name) for name in FIELDS})
        logged = [change for change in added if change.change == public]
        if public is not None and not logged:
            # EventForm.clean's rule: a public event postponed or cancelled, or a
            # public and confirmed one moved, gives the public a reason.
            if needs_reason(public, row) and not data["reason"]:
                raise RecordError(
                    f"this public event is {moving(row, page, public)}: give the "
                    f'public reason in "changes" ({{"change": "{public}", '
                    '"reason": "..."}) or in "reason"'
                )
            reason = data["reason"] or CHANGE_WORDS[public]
            logged = [EventChange(change=public, reason=reason, made_at=now())]
            log += logged
            added += logged
        for change in logged if public == "moved" else []:
            change.previous_start = change.previous_start or row.start
    for position, change in enumerate(log):
        change.sort_order = position
    page.changes = log
    page.sequence = (row.sequence if row else 0) + len(added)


def event_state(page):
    """What an import sets on an event, comparable between two versions."""
    state = {name: getattr(page, name) for name in (*FIELDS, "sequence")}
    for kind in kinds.KINDS:
        links = getattr(page, kind.event_links).all()
        state[kind.name] = [
            (getattr(link, f"{kind.link_field}_id"), getattr(link, "role", ""))
            for link in links
        ]
    state["outcomes"] = [outcome.release_id for outcome in page.outcomes.all()]
    state["changes"] = [change_key(change) for change in page.changes.all()]
    return state


def write_event(agenda, data, resolver=None):
    """Create or update one event from parsed data. Returns (page, outcome):
    "created", "updated" or "unchanged"."""
    resolver = resolver or Resolver()
    row = find_existing(agenda, data)
    created = row is None
    if created:
        slug = data["slug"] or unique_slug(
            EventPage, data["title"], path__startswith=agenda.path
        )
        page = EventPage(slug="feed-event" if slug == "feed" else slug)
        page.locale = agenda.locale
        before = None
    else:
        # The latest revision, not the live row: a draft's fields live only there;
        # a fresh copy, as without a draft Wagtail gives the row itself.
        page = EventPage.objects.get(pk=row.pk).get_latest_revision_as_object()
        before = event_state(page)
    for name in FIELDS:
        setattr(page, name, data[name])
    link_entities(page, data, resolver)
    page.outcomes = [
        EventOutcome(release=release, sort_order=position)
        for position, release in enumerate(find_releases(agenda, data["releases"]))
    ]
    log_changes(page, row, data)
    if not created and event_state(page) == before:
        if not data["live"] or (row.live and not row.has_unpublished_changes):
            return page, "unchanged"
    write_page(agenda, page, created, data["live"])
    return page, "created" if created else "updated"


def import_event_records(records, dry_run=False):
    """Import ``(line_number, record)`` pairs; never raises for a bad record."""
    report = ImportReport(dry_run=dry_run)
    agendas = {}  # by language; ensure_site_tree is dozens of queries
    resolver = Resolver()
    for line_number, record in records:
        try:
            if isinstance(record, RecordError):
                raise record
            data = parse_record(record)
            with transaction.atomic():
                code = data["language"]
                agenda = agendas[code] = agendas.get(code) or agenda_for(code)
                _, outcome = write_event(agenda, data, resolver)
                if dry_run:
                    raise _DryRunRollback
        except (_DryRunRollback, RecordError, ValidationError) as error:
            agendas.clear()
            resolver.clear()
            if not isinstance(error, _DryRunRollback):
                report.failures.append((line_number, describe(error)))
                continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
