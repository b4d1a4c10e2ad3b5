"""The register of regulations, loaded and linked: ``import_regulations`` (one
regulation per JSON line, the format in docs/contracts.md), the references an
imported release gives in ``"regulations"``, and ``link_regulations`` (every
release linked to the regulations of the register its text cites).

A regulation is known by its type, number and year, so a record finds the row it
updates by those three and a reference ("Law 4/2009") resolves to that row.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from wagtail.models import Locale, ReferenceIndex
from wagtail.search.backends import get_search_backends

from newsroom import citations
from newsroom.channels.page_cache import content_changed
from newsroom.chunks import chunked
from newsroom.loading.records import (
    RecordError,
    check_fields,
    clean_text,
    date_of,
    describe,
    shown,
    text_of,
)
from newsroom.models import ListedRelease, PressReleasePage
from newsroom.models.regulations import (
    Regulation,
    RegulationTranslation,
    ReleaseRegulation,
    cited_text,
    normalised_number,
)

ALLOWED_KEYS = {
    "type",
    "number",
    "year",
    "title",
    "title_id",
    "enacted",
    "status",
    "amends",
    "revokes",
    "url",
}
Status = Regulation.Status
# Each status as the register's sources write it, in English and Indonesian.
STATUSES = {
    "in force": Status.IN_FORCE,
    "berlaku": Status.IN_FORCE,
    "amended": Status.AMENDED,
    "diubah": Status.AMENDED,
    "revoked": Status.REVOKED,
    "dicabut": Status.REVOKED,
}
# A regulation something amends is no longer simply in force, and one something
# revokes is revoked whatever else is said of it (Regulation.settle_targets).
RANK = {Status.IN_FORCE: 0, Status.AMENDED: 1, Status.REVOKED: 2}
CHAINS = {"amends": Status.AMENDED, "revokes": Status.REVOKED}
FIRST_YEAR, LAST_YEAR = 1945, 2100
TRANSLATED_LOCALE = "id"
EXAMPLE = '(like "Law 4/2009" or "UU No. 4 Tahun 2009")'


@dataclass
class RegulationReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)  # (line number, reason)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.failures


# --- references ------------------------------------------------------------------


def label(key):
    """A regulation's key as people shorten it: "UU 7/2014"."""
    type_code, number, year = key
    regulation_type = citations.BY_CODE[type_code]
    short = (regulation_type.abbreviations or (regulation_type.english,))[0]
    return f"{short} {number}/{year}"


def references_of(record, key):
    """The regulations a record names under ``key``, as citations (in order, each
    once); refuses anything that is not one whole reference."""
    value = record.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"'{key}' must be a list of references {EXAMPLE}")
    found = {}
    for text in value:
        citation = citations.parse_reference(clean_text(text, key))
        if citation is None:
            raise RecordError(
                f"'{key}': {shown(text)} is not a reference to a regulation {EXAMPLE}"
            )
        found.setdefault(citation.key, citation)
    return list(found.values())


def registered(key):
    type_code, number, year = key
    return Regulation.objects.filter(type=type_code, number=number, year=year).first()


def resolve(references, key):
    """The register's regulations for ``references``; RecordError naming the
    first that is not in it."""
    regulations = []
    for citation in references:
        regulation = registered(citation.key)
        if regulation is None:
            raise RecordError(
                f"'{key}': {label(citation.key)} ({shown(citation.text)}) is not in "
                "the register; import it with import_regulations first"
            )
        regulations.append(regulation)
    return regulations


# --- reading a record ------------------------------------------------------------


def _type(record):
    name = text_of(record, "type", required=True, max_length=100)
    code = citations.type_from_name(name)
    if code is None:
        names = ", ".join(t.english for t in citations.TYPES)
        raise RecordError(f"'type' {shown(name)} is not a type of regulation ({names})")
    return code


def _number(record):
    value = record.get("number")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is not None and not isinstance(value, str):
        raise RecordError(f"'number' must be a string, not {type(value).__name__}")
    number = normalised_number(clean_text(value or "", "number"))
    if not number:
        raise RecordError("'number' is required")
    limit = Regulation._meta.get_field("number").max_length
    if len(number) > limit:
        raise RecordError(f"'number' is longer than {limit} characters")
    return number


def _year(record):
    value = record.get("year")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(f"'year' must be a year from {FIRST_YEAR} to {LAST_YEAR}")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise RecordError(
            f"'year' {value} is not a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return value


def _status(record):
    value = record.get("status")
    if value in (None, ""):
        return Status.IN_FORCE
    if not isinstance(value, str):
        raise RecordError("'status' must be a string")
    status = STATUSES.get(" ".join(value.replace("_", " ").casefold().split()))
    if status is None:
        raise RecordError(
            f"'status' {shown(value)} is not one of: in force (berlaku), "
            "amended (diubah), revoked (dicabut)"
        )
    return status


def _url(record):
    url = text_of(record, "url", max_length=500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            message = f"'url' {shown(url)} is not a valid web address"
            raise RecordError(message) from error
    return url


def parse_regulation(record):
    """Check a raw record and return it in clean, typed form, or raise RecordError."""
    check_fields(record, ALLOWED_KEYS)
    data = {"type": _type(record), "number": _number(record), "year": _year(record)}
    data["key"] = (data["type"], data["number"], data["year"])
    title_limit = Regulation._meta.get_field("title").max_length
    data.update(
        title=text_of(record, "title", required=True, max_length=title_limit),
        title_id=text_of(record, "title_id", max_length=title_limit),
        enacted=date_of(record, "enacted"),
        status=_status(record),
        url=_url(record),
    )
    for key in CHAINS:
        data[key] = references_of(record, key)
        if any(citation.key == data["key"] for citation in data[key]):
            raise RecordError(f"'{key}' names the regulation itself")
    return data


# --- importing -------------------------------------------------------------------


def import_regulation_records(records, dry_run=False):
    """Import ``(line_number, record)`` pairs; never raises for a bad record.

    Two passes, so a record may name one later in the file: first every
    regulation is created or updated, then what each amends and revokes is set.
    A record whose references cannot be resolved fails before anything of it is
    written.
    """
    report = RegulationReport(dry_run=dry_run)
    with transaction.atomic():
        parsed = _parse_all(records, report)
        statuses = _statuses(parsed)
        written = []
        for line_number, data in parsed:
            try:
                with transaction.atomic():
                    regulation, outcome = write_regulation(data, statuses)
            except (RecordError, ValidationError) as error:
                report.failures.append((line_number, describe(error)))
                continue
            written.append((line_number, data, regulation, outcome))
        for line_number, data, regulation, outcome in written:
            try:
                with transaction.atomic():
                    if write_chain(regulation, data) and outcome == "unchanged":
                        outcome = "updated"
            except (RecordError, ValidationError) as error:
                report.failures.append((line_number, describe(error)))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
        if dry_run:
            transaction.set_rollback(True)
    report.failures.sort()
    return report


def _parse_all(records, report):
    """The records that can be imported, each with its line number. A record
    naming a regulation that is neither in the register nor on a good line of
    the file fails, and so then does any naming it in turn."""
    parsed, lines = [], {}
    for line_number, record in records:
        try:
            if isinstance(record, RecordError):
                raise record
            data = parse_regulation(record)
            if data["key"] in lines:
                raise RecordError(
                    f"{label(data['key'])} is on line {lines[data['key']]} already"
                )
        except RecordError as error:
            report.failures.append((line_number, str(error)))
            continue
        lines[data["key"]] = line_number
        parsed.append((line_number, data))
    in_register = set(Regulation.objects.values_list("type", "number", "year"))
    while True:
        failed = {}
        for line_number, data in parsed:
            reason = _unresolved(data, lines, in_register)
            if reason:
                failed[line_number] = reason
        if not failed:
            return parsed
        report.failures += failed.items()
        parsed = [(n, data) for n, data in parsed if n not in failed]
        lines = {key: n for key, n in lines.items() if n not in failed}


def _unresolved(data, lines, in_register):
    for key in CHAINS:
        for citation in data[key]:
            if citation.key not in lines and citation.key not in in_register:
                return (
                    f"'{key}': {label(citation.key)} ({shown(citation.text)}) is "
                    "neither in the register nor on a good line of this file"
                )
    return None


def _statuses(parsed):
    """The least status each regulation's chains give it: those in the file as
    the file says, the register's others as they stand. Taken into account when
    the regulation is written, a chain set in the second pass changes no status
    a second import would have to change back."""
    in_file = {data["key"] for _, data in parsed}
    least = {}
    for _, data in parsed:
        for key, status in CHAINS.items():
            for citation in data[key]:
                least[citation.key] = max(
                    least.get(citation.key, Status.IN_FORCE), status, key=RANK.get
                )
    for key, status in CHAINS.items():
        through = Regulation._meta.get_field(key).remote_field.through
        source, target = "from_regulation__", "to_regulation__"
        rows = through.objects.values_list(
            *(f"{side}{name}" for side in (source, target) for name in KEY_FIELDS)
        )
        for row in rows:
            if row[:3] not in in_file:
                least[row[3:]] = max(
                    least.get(row[3:], Status.IN_FORCE), status, key=RANK.get
                )
    return least


KEY_FIELDS = ("type", "number", "year")
# The type is a code of citations.TYPES by the time it is set (_type); the
# field's choices are not consulted, and (type, number, year) was matched.
CHECKED_ALREADY = ["type"]


def write_regulation(data, statuses):
    """Create or update the regulation (and its Indonesian title); returns
    (regulation, "created" | "updated" | "unchanged"). Saves nothing that
    already says what the record says: each save empties the page cache."""
    regulation = registered(data["key"])
    created = regulation is None
    if created:
        regulation = Regulation(
            type=data["type"], number=data["number"], year=data["year"]
        )
    fields = {
        "title": data["title"],
        "enacted": data["enacted"],
        "status": max(
            data["status"], statuses.get(data["key"], Status.IN_FORCE), key=RANK.get
        ),
        "url": data["url"],
    }
    changed = created or any(getattr(regulation, k) != v for k, v in fields.items())
    if changed:
        for name, value in fields.items():
            setattr(regulation, name, value)
        regulation.fill_name()
        regulation.full_clean(exclude=CHECKED_ALREADY)
        regulation.save()
    translated = write_translation(regulation, data["title_id"])
    if created:
        return regulation, "created"
    return regulation, "updated" if changed or translated else "unchanged"


def write_translation(regulation, title):
    """The Indonesian title, on the translation made for it or an editor's;
    whether anything was written. A record without one leaves it alone."""
    if not title:
        return False
    if TRANSLATED_LOCALE not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        raise RecordError(f"'title_id': the site has no {TRANSLATED_LOCALE!r} locale")
    # A register may be loaded before the site tree, which makes the locale.
    locale, _ = Locale.objects.get_or_create(language_code=TRANSLATED_LOCALE)
    row = RegulationTranslation.objects.filter(entity=regulation, locale=locale).first()
    if row is not None and row.title == title:
        return False
    row = row or RegulationTranslation(entity=regulation, locale=locale)
    row.title = title
    row.full_clean()
    row.save()
    return True


def write_chain(regulation, data):
    """Set what the regulation amends and revokes, as the record says; whether
    that changed anything."""
    chain = {key: resolve(data[key], key) for key in CHAINS}
    if all(
        sorted(r.pk for r in getattr(regulation, key).all())
        == sorted(r.pk for r in chain[key])
        for key in CHAINS
    ):
        return False
    for key, regulations in chain.items():
        setattr(regulation, key, regulations)
    regulation.full_clean(exclude=CHECKED_ALREADY)
    regulation.save()
    return True


# --- linking releases to what they cite ------------------------------------------

LINK_CHUNK = 200


@dataclass
class LinkReport:
    releases: int = 0  # read
    linked: int = 0  # given at least one link
    links: int = 0
    # The key of each citation not in the register: how many releases cite it.
    unknown: Counter = field(default_factory=Counter)
    dry_run: bool = False

    def unknown_lines(self):
        """Most cited first: "UU 7/2014 — cited by 3 releases, not in the
        register"."""
        ranked = sorted(self.unknown.items(), key=lambda item: (-item[1], item[0]))
        return [
            f"{label(key)} — cited by {n} release{'s' if n != 1 else ''}, "
            "not in the register"
            for key, n in ranked
        ]


def link_releases(dry_run=False, on_release=None, chunk_size=LINK_CHUNK):
    """Link every release (draft, live or withdrawn: a link shows nothing by
    itself, the listing table decides) to the regulations of the register its
    text cites and it does not link yet. ``on_release(release, regulations)`` is
    told of each release given links. A slice of releases at a time, written
    in its own transaction, so memory stays flat on any archive."""
    report = LinkReport(dry_run=dry_run)
    ids = PressReleasePage.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in chunked(ids.iterator(chunk_size=chunk_size), chunk_size):
        _link_chunk(chunk, report, on_release)
    return report


def _link_chunk(ids, report, on_release):
    releases = PressReleasePage.objects.filter(pk__in=ids).order_by("pk")
    cited = {}
    for release in releases.only("title", "slug", "standfirst", "body"):
        first = {}
        for citation in citations.find_citations(cited_text(release)):
            first.setdefault(citation.slug, citation)
        cited[release] = first
    slugs = {slug for first in cited.values() for slug in first}
    found = Regulation.objects.in_bulk(list(slugs), field_name="slug")
    linked, last = defaultdict(set), {}
    rows = ReleaseRegulation.objects.filter(page_id__in=ids)
    for page_id, regulation_id, sort_order in rows.values_list(
        "page_id", "regulation_id", "sort_order"
    ):
        linked[page_id].add(regulation_id)
        last[page_id] = max(last.get(page_id, -1), sort_order or 0)
    new_rows, changed = [], []
    for release, first in cited.items():
        report.releases += 1
        report.unknown.update(c.key for slug, c in first.items() if slug not in found)
        added = [
            found[slug]
            for slug in first
            if slug in found and found[slug].pk not in linked[release.pk]
        ]
        if not added:
            continue
        report.linked += 1
        report.links += len(added)
        changed.append(release.pk)
        start = last.get(release.pk, -1) + 1
        new_rows += [
            ReleaseRegulation(page_id=release.pk, regulation=r, sort_order=start + i)
            for i, r in enumerate(added)
        ]
        if on_release is not None:
            on_release(release, added)
    if report.dry_run or not new_rows:
        return
    with transaction.atomic():
        ReleaseRegulation.objects.bulk_create(new_rows)
        ListedRelease.refresh(changed)
        content_changed()
    # The names of what a release links are searched with it, and the admin shows
    # where a regulation is used. In bulk: one release at a time took ten times
    # as long (80 ms each on PostgreSQL).
    releases = list(PressReleasePage.get_indexed_objects().filter(pk__in=changed))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(PressReleasePage, releases)
    for release in releases:
        ReferenceIndex.create_or_update_for_object(release)
