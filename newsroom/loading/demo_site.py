"""The demo site: taxonomy, people, pictures drawn on the machine, and releases,
with Indonesian names for the taxonomy and people and some releases translated.

Releases go through :mod:`newsroom.loading.bulk_import`, the path of
``import_releases --bulk`` (a release already there, or one dated within the
alerts' window, goes one by one, as that path sends it); the register of
regulations they cite through :mod:`newsroom.loading.regulations`, the path of
``import_regulations``; and the agenda's events, dated around today, through
:mod:`newsroom.loading.events`. Everything
is matched by name or slug and saved only when it differs, so running it again
writes nothing: no revision, no publish, no bump of the content version.
"""

import datetime
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from newsroom.editorial.site_tree import ensure_site_address, ensure_site_tree
from newsroom.loading.bulk_import import import_records_in_bulk
from newsroom.loading.demo_pictures import draw_portrait, hero_images, save_image
from newsroom.loading.entities import find_or_create_node, find_or_create_organisation
from newsroom.loading.events import ensure_agenda, import_event_records
from newsroom.loading.records import read_records
from newsroom.loading.region_codes import assign_region_codes
from newsroom.loading.regulations import import_regulation_records
from newsroom.models import (
    Appointment,
    AppointmentTranslation,
    EventPage,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)
from newsroom.models.regulations import link_cited

DEMO_DIR = Path(__file__).resolve().parent / "demo"

# Where `make run` serves the demo (runserver 127.0.0.1:8000). The Site carries it
# into every absolute link (feeds, CSV, API html_url, alert emails): with Wagtail's
# default localhost:80 those pointed at nothing and double opt-in could not finish.
# The development settings' WAGTAILADMIN_BASE_URL says the same.
DEMO_HOSTNAME = "127.0.0.1"
DEMO_PORT = 8000
DEMO_URL = f"http://{DEMO_HOSTNAME}:{DEMO_PORT}"
# The address Wagtail's first migration gives the default Site. Any other was set
# by someone (a staging server showing the demo, say) and is left alone.
UNSET_SITE_ADDRESS = ("localhost", 80)


def save_if_changed(instance, changed=(), **fields):
    """Set ``fields`` on ``instance`` and save it only if it is new or something
    differs (``changed`` names what the caller changed already, e.g. a child
    relation): every save of a public snippet bumps the content version, which
    throws away every cached page, so a second run of the demo must save none."""
    changed = [
        *changed,
        *(name for name, value in fields.items() if getattr(instance, name) != value),
    ]
    for name in changed:
        if name in fields:
            setattr(instance, name, fields[name])
    if instance.pk is None:
        instance.save()
    elif changed:
        instance.save(update_fields=changed)
    return instance


def load_taxonomy():
    data = json.loads((DEMO_DIR / "taxonomy.json").read_text())
    for entry in data["regions"]:
        save_if_changed(
            find_or_create_node(Region, entry["path"]),
            kind=entry["kind"],
            iso_code=entry.get("iso_code", ""),
        )
    for entry in data["sectors"]:
        save_if_changed(
            find_or_create_node(Sector, entry["path"]),
            code=entry.get("code", ""),
            description=entry.get("description", ""),
        )


def load_people():
    data = json.loads((DEMO_DIR / "officials.json").read_text())
    for entry in data["organisations"]:
        parent = entry.get("parent")
        organisation = find_or_create_organisation(entry["name"])
        save_if_changed(
            organisation,
            acronym=entry.get("acronym") or "",
            country=entry.get("country") or "",
            kind=entry.get("kind") or Organisation.Kind.OTHER,
            website=entry.get("website") or "",
            parent_id=find_or_create_organisation(parent).pk
            if parent
            else organisation.parent_id,
        )
    for entry in data["officials"]:
        name = entry["name"]
        official = Official.objects.filter(name=name).first() or Official(
            name=name, slug=slugify(name)
        )
        appointments = [
            (
                item["position"],
                find_or_create_organisation(item["organisation"]).pk,
                datetime.date.fromisoformat(item["start"]),
                datetime.date.fromisoformat(item["end"]) if item["end"] else None,
            )
            for item in entry.get("appointments", [])
        ]
        held = [
            (a.position, a.organisation_id, a.start_date, a.end_date)
            for a in (official.appointments.all() if official.pk else [])
        ]
        changed = []
        if held != appointments:
            # Replaced whole: the old rows (and their translated positions) go.
            official.appointments = [
                Appointment(
                    position=position,
                    organisation_id=organisation,
                    start_date=start,
                    end_date=end,
                )
                for position, organisation, start, end in appointments
            ]
            changed.append("appointments")
        portrait = save_image(
            f"Portrait: {name}", lambda name=name: draw_portrait(name)
        )
        save_if_changed(
            official,
            changed,
            honorific=entry.get("honorific") or "",
            bio=entry.get("bio") or "",
            portrait_id=portrait.pk,
        )


def release_records(heroes):
    """The demo releases, each given one of the drawn hero pictures."""
    with open(DEMO_DIR / "releases.jsonl", "rb") as stream:
        for position, (line_number, record) in enumerate(read_records(stream)):
            if isinstance(record, dict):
                record.setdefault("hero_image", heroes[position % len(heroes)].title)
            yield line_number, record


def load_regulations():
    """The register of regulations the demo releases cite (regulations.jsonl),
    before the releases, so that importing them links what they cite."""
    with open(DEMO_DIR / "regulations.jsonl", "rb") as stream:
        report = import_regulation_records(read_records(stream))
    if not report.ok:
        problems = "; ".join(f"line {n}: {reason}" for n, reason in report.failures)
        raise ValueError(f"The demo's regulations.jsonl did not load: {problems}")
    return report


def ensure_demo_site_address():
    """Put the default Site at the demo's address unless someone chose another."""
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) == UNSET_SITE_ADDRESS:
        ensure_site_address(DEMO_HOSTNAME, DEMO_PORT)


def load_demo():
    """Build (or bring up to date) the whole demo site. Returns the import report."""
    with transaction.atomic():
        ensure_site_tree()
        ensure_demo_site_address()
        load_taxonomy()
        load_people()
        heroes = hero_images()
    load_regulations()
    report = import_records_in_bulk(release_records(heroes))
    translate_demo_entities()
    assign_region_codes()
    translate_demo_releases()
    load_events()
    return report


# "+3d 09:00" in the demo's event files: three days from today, 09:00 local time.
RELATIVE_TIME = re.compile(r"([+-]\d+)d (\d\d:\d\d)")


def dated_from_today(record):
    """A demo event with its relative times made absolute, as import_events reads
    them, counted from today in the event's zone; other values are left alone."""
    today = timezone.localdate(timezone=ZoneInfo(record.get("timezone", "UTC")))

    def absolute(value):
        match = RELATIVE_TIME.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            return value
        day = today + datetime.timedelta(days=int(match[1]))
        return f"{day.isoformat()}T{match[2]}"

    changes = [
        {key: absolute(value) for key, value in change.items()}
        for change in record.get("changes", [])
    ]
    dated = {key: absolute(record[key]) for key in ("start", "end") if key in record}
    return {**record, **dated, **({"changes": changes} if changes else {})}


def load_events():
    """Both agendas and their demo events (events.jsonl, events_id.jsonl). An
    event found at other times or with another status than its record says
    (loaded on an earlier day, or changed since) is made afresh: moved through
    the import it would need a public reason, and its log would grow each day."""
    for code in ("en", "id"):
        ensure_agenda(ensure_site_tree(Locale.objects.get(language_code=code)))
    for name in ("events.jsonl", "events_id.jsonl"):
        with open(DEMO_DIR / name, "rb") as stream:
            records = [(n, dated_from_today(r)) for n, r in read_records(stream)]
        for _, record in records:
            event = EventPage.objects.filter(
                slug=record["slug"], locale__language_code=record.get("language", "en")
            ).first()
            if event is not None and (
                f"{event.local_start:%Y-%m-%dT%H:%M}",
                event.local_end and f"{event.local_end:%Y-%m-%dT%H:%M}",
                event.status,
            ) != (record["start"], record.get("end"), record["status"]):
                event.delete()
        report = import_event_records(records)
        if not report.ok:
            problems = "; ".join(f"line {n}: {why}" for n, why in report.failures)
            raise ValueError(f"The demo's {name} did not load: {problems}")


def _translate(entity, locale, fields):
    """Create or update ``entity``'s translation into ``locale`` with ``fields``,
    validated as the admin validates it."""
    model = entity.translations.model
    row = model.objects.filter(entity=entity, locale=locale).first()
    if row is not None and all(getattr(row, k) == v for k, v in fields.items()):
        return
    row = row or model(entity=entity, locale=locale)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()


def translate_demo_entities(code="id"):
    """The Indonesian names of the demo's sectors, regions, organisations, topics
    and officials' positions, and the officials' bios (translations_id.json)."""
    data = json.loads((DEMO_DIR / f"translations_{code}.json").read_text())
    locale = Locale.objects.get(language_code=code)
    with transaction.atomic():
        for model, key in ((Sector, "sectors"), (Region, "regions")):
            for path, fields in data[key].items():
                _translate(find_or_create_node(model, path), locale, fields)
        for name, fields in data["organisations"].items():
            _translate(find_or_create_organisation(name), locale, fields)
        for name, fields in data["topics"].items():
            topic = Topic.objects.filter(name=name).first()
            if topic is not None:
                _translate(topic, locale, fields)
        positions = data["positions"]
        for official in Official.objects.filter(name__in=list(data["officials"])):
            _translate(official, locale, {"bio": data["officials"][official.name]})
            for appointment in official.appointments.all():
                if appointment.position in positions:
                    row, _ = AppointmentTranslation.objects.get_or_create(
                        appointment=appointment,
                        locale=locale,
                        defaults={"position": positions[appointment.position]},
                    )
                    save_if_changed(row, position=positions[appointment.position])


def translate_demo_releases(code="id"):
    """Indonesian translations of some demo releases (releases_id.jsonl), made as an
    editor makes them: Wagtail's copy_for_translation of the English release (same
    translation_key, under the Indonesian newsroom), then translated and published.
    One that exists already is left as it is. Returns how many were created."""
    locale = Locale.objects.get(language_code=code)
    english_newsroom = ensure_site_tree()
    ensure_site_tree(locale)
    created = 0
    with open(DEMO_DIR / f"releases_{code}.jsonl", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream if line.strip()]
    for record in records:
        original = (
            PressReleasePage.objects.child_of(english_newsroom)
            .filter(slug=record["translation_of"])
            .first()
        )
        if original is None or original.get_translation_or_none(locale):
            continue
        with transaction.atomic():
            # The copy's draft has its roles of the day in Indonesian already
            # (models/translating.py); the texts are the translator's part.
            copy = original.copy_for_translation(locale)
            copy.title = record["title"]
            copy.slug = record["slug"]
            copy.standfirst = record["summary"]
            paragraphs = [
                f"<p>{escape(record['summary'])}</p>",
                record.get("body_html", ""),
                f"<p>{escape(FULL_TEXT_NOTE)}</p>",
            ]
            copy.body = [("paragraph", RichText(p)) for p in paragraphs if p]
            # The regulations its own text cites, as the admin's form adds them.
            link_cited(copy)
            copy.save_revision().publish()
        created += 1
    return created


FULL_TEXT_NOTE = (
    "Ringkasan ini diterjemahkan dari siaran pers berbahasa Inggris; teks lengkapnya "
    "tersedia dalam versi bahasa Inggris."
)
