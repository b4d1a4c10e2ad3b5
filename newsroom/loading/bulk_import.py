"""Archive import in bulk: ``import_releases FILE --bulk``.

The per-record path (importing.py) writes each release as an editor's publish
would: ``add_child``, a revision, a publish, its signals, about 126 ms a
release. Here the new releases of an archive are checked one by one, as there,
then written 500 at a time with ``generate_releases``' machinery: tree paths
worked out here, Page and release rows, links, revisions and publish log
entries in a few statements each, then the listing rows, search entries and
reference index of the batch at once. The result is the one the per-record
path gives (tests/loading/test_bulk_import.py compares them).

- *Archive records only*: a record dated within the alerts' window
  (``NEWSROOM_ALERTS_MAX_RELEASE_AGE_DAYS``, the age under which a publish
  announces a release) goes through the per-record path, alerts and all. An
  archive record's release is published without ``page_published``, so no
  alert is queued, and the alert matching itself skips releases older than
  that window (``matching.is_recent``): no email for it, ever.
- *The same key*: a record that matches a release (slug, else title + date)
  goes through the per-record path, which updates it or leaves it alone.
- *Per line*: each record is prepared (entities found or created, the page
  checked with ``full_clean``) in a savepoint of its own; a bad one is reported
  and leaves nothing. A batch is one transaction: a failure while writing it
  leaves nothing of it, and its records go through the per-record path.
- *In order*: a record naming a release of the batch not yet written (as its
  slug, its title + date, or the original it translates) waits for the next.
- The content version is bumped once, at the end.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from newsroom.alerts.matching import is_recent_date
from newsroom.channels.page_cache import content_changed, content_changes_held
from newsroom.channels.pictures import refresh_picture_access
from newsroom.loading.entities import Resolver
from newsroom.loading.generation import (
    insert_page_rows,
    insert_specific_rows,
    next_child_step,
    place_child,
)
from newsroom.loading.importing import (
    ImportReport,
    fill_release,
    find_original,
    import_records,
    new_release,
    newsroom_for,
    write_release,
)
from newsroom.loading.records import RecordError, describe
from newsroom.loading.release_records import parse_record
from newsroom.loading.search_entries import index_in_bulk
from newsroom.models import PressReleasePage
from newsroom.models.listed import ListedRelease
from newsroom.models.subtrees import refresh_release_subtrees

BATCH_SIZE = 500
FOREIGN_KEYS = [
    field.name
    for field in PressReleasePage._meta.concrete_fields
    if field.many_to_one or field.one_to_one
]

# What a new page's revision holds: the page as it is before its publish.
UNPUBLISHED = {
    "live": False,
    "has_unpublished_changes": False,
    "first_published_at": None,
    "last_published_at": None,
    "latest_revision_created_at": None,
    "latest_revision": None,
    "live_revision": None,
}


class _Wait(Exception):
    """The record names a release of the batch that is not written yet."""


class _Rollback(Exception):
    pass


def import_records_in_bulk(records, dry_run=False, progress=None, batch_size=None):
    """Import ``(line_number, record)`` pairs as ``import_records`` does, the
    archive's new releases in batches; never raises for a bad record."""
    run = BulkImport(dry_run, batch_size or BATCH_SIZE)
    with content_changes_held(bump=not dry_run):
        for line_number, record in records:
            run.add(line_number, record)
            if progress is not None:
                progress.update(1)
        run.flush()
        if run.written:
            content_changed()
    return run.report


class BulkImport:
    def __init__(self, dry_run, batch_size):
        self.report = ImportReport(dry_run=dry_run)
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.resolver = Resolver()
        self.waiting = []  # (line number, record, parsed data)
        self.written = False

    def add(self, line_number, record):
        try:
            if isinstance(record, RecordError):
                raise record
            data = parse_record(record)
        except (RecordError, ValidationError) as error:
            self.report.failures.append((line_number, describe(error)))
            return
        if is_recent_date(data["release_date"]):
            self.flush()
            self.one_by_one([(line_number, record)])
            return
        self.waiting.append((line_number, record, data))
        if len(self.waiting) >= self.batch_size:
            self.flush()

    def one_by_one(self, records):
        report = import_records(records, self.dry_run)
        self.count(report.created, report.updated, report.unchanged)
        self.report.failures += report.failures

    def count(self, created=0, updated=0, unchanged=0):
        self.report.created += created
        self.report.updated += updated
        self.report.unchanged += unchanged
        self.written = self.written or bool(created or updated)

    def flush(self):
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                with transaction.atomic():
                    batch_run = Batch(self.resolver)
                    self.waiting = batch_run.prepare(batch)
                    batch_run.write()
                    if self.dry_run:
                        raise _Rollback
            except _Rollback:
                self.resolver.clear()
            except DatabaseError:
                # Nothing of the batch is left: each record on its own says why.
                self.resolver.clear()
                done = len(batch) - len(self.waiting)
                self.one_by_one([(line, record) for line, record, _ in batch[:done]])
                continue
            self.count(len(batch_run.pages), **batch_run.outcomes)
            self.report.failures += batch_run.failures
        self.report.failures.sort(key=lambda failure: failure[0])


class Batch:
    """Up to a batch of records, prepared one by one, then written together."""

    def __init__(self, resolver):
        self.resolver = resolver
        self.newsrooms = {}
        self.pages = []  # new releases, prepared, in the file's order
        self.parents = []  # the newsroom of each
        self.live = []  # whether each is to be published
        self.names = set()  # what a later record may name of them
        self.slugs = defaultdict(set)  # language -> the slugs they take
        self.existing = set()  # what the batch's records name of existing releases
        self.steps = {}  # newsroom id -> the next child's tree step
        self.outcomes = defaultdict(int)  # of records that matched a release
        self.failures = []

    def prepare(self, batch):
        """Prepare records until one must wait; returns those that wait."""
        self.find_existing(batch)
        for position, (line_number, _, data) in enumerate(batch):
            try:
                with transaction.atomic():
                    self.prepare_one(data)
            except _Wait:
                self.resolver.clear()
                return batch[position:]
            except (RecordError, ValidationError) as error:
                self.failures.append((line_number, describe(error)))
                self.resolver.clear()
        return []

    def prepare_one(self, data):
        language, slug = data["language"], data["slug"]
        named = {(language, "slug", slug), ("any", "slug", data["translation_of"])}
        named.add(named_by_title(data))
        if data["translation_of"]:  # one translation per original and language
            named.add((language, "translates", data["translation_of"]))
        if named & self.names:
            raise _Wait
        newsroom = newsroom_for(language, self.newsrooms)
        key = (language, "slug", slug) if slug else named_by_title(data)
        if key in self.existing:
            _, outcome = write_release(newsroom, data, self.resolver)
            self.outcomes[outcome] += 1
            return
        original = find_original(newsroom, data, None)
        taken = self.slugs[language]
        page = new_release(newsroom, data, taken)
        if page.slug in taken:  # a reserved word's "-release" slug
            raise _Wait
        if original is not None:
            page.translation_key = original.translation_key
        fill_release(page, data, self.resolver)
        hold_child_relations(page)
        if newsroom.pk not in self.steps:
            self.steps[newsroom.pk] = next_child_step(newsroom)
        place_child(newsroom, page, self.steps[newsroom.pk])
        page.live = False
        # As save_revision(clean=True) checks a release, but for what the
        # database would be asked (a query each): its tree path follows the
        # last child's, its translation key is new or checked by find_original
        # and self.names, and what it links to was just found or made.
        page.full_clean(exclude=FOREIGN_KEYS, validate_unique=False)
        self.steps[newsroom.pk] += 1
        self.pages.append(page)
        self.parents.append(newsroom)
        self.live.append(data["live"])
        self.names |= {
            (language, "slug", page.slug),
            ("any", "slug", page.slug),
            named_by_title(data),
        }
        taken.add(page.slug)
        if data["translation_of"]:
            self.names.add((language, "translates", data["translation_of"]))

    def find_existing(self, batch):
        """What the batch's records name of the releases already there, as
        importing.find_existing matches them (slug, else title + date), in a
        query per language."""
        by_language = defaultdict(list)
        for _, _, data in batch:
            by_language[data["language"]].append(data)
        for language, records in by_language.items():
            try:
                newsroom = newsroom_for(language, self.newsrooms)
            except RecordError:
                continue  # the records fail one by one
            slugs = {data["slug"] for data in records if data["slug"]}
            titles = {data["title"] for data in records if not data["slug"]}
            found = (
                PressReleasePage.objects.child_of(newsroom)
                .filter(Q(slug__in=slugs) | Q(title__in=titles))
                .values_list("slug", "title", "release_date")
            )
            for slug, title, release_date in found:
                self.existing.add((language, "slug", slug))
                self.existing.add((language, title, release_date))

    def write(self):
        """Write the prepared releases as publishing each would have left them."""
        if not self.pages:
            return
        now = timezone.now()
        for page, live in zip(self.pages, self.live, strict=True):
            page.live = live
            page.has_unpublished_changes = not page.live
            published = now if live else None
            page.first_published_at = page.last_published_at = published
            page.latest_revision_created_at = now
        insert_page_rows(self.pages)
        by_parent = defaultdict(list)
        for page, parent in zip(self.pages, self.parents, strict=True):
            by_parent[parent.pk].append(page)
        for parent in {parent.pk: parent for parent in self.parents}.values():
            insert_specific_rows(parent, by_parent[parent.pk])
        write_child_relations(self.pages)
        write_revisions(self.pages, now)
        ids = [page.pk for page in self.pages]
        refresh_release_subtrees(ids)
        ListedRelease.refresh(ids)
        index_in_bulk(get_search_backend(), ids)
        index_references(self.pages)
        pictures = ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in ids],
            to_content_type=ContentType.objects.get_for_model(get_image_model()),
        ).values_list("to_object_id", flat=True)
        refresh_picture_access({int(pk) for pk in pictures})


def named_by_title(data):
    return (data["language"], data["title"], data["release_date"])


def hold_child_relations(page):
    """Hold every child relation of the unsaved ``page`` in memory, the unset
    ones empty: once the page has an id, each would be read from the database
    (by the revision, the reference index...), a query per relation and page."""
    for relation in get_all_child_relations(type(page)):
        name = relation.get_accessor_name()
        if not getattr(page, name).is_deferring:
            setattr(page, name, [])


def write_child_relations(pages):
    """Each release's links (officials, sectors, topics...), as modelcluster
    commits them on a page's first save, one statement per kind."""
    for relation in get_all_child_relations(type(pages[0])):
        rows = []
        for page in pages:
            for row in getattr(page, relation.get_accessor_name()).all():
                setattr(row, relation.field.name, page)
                rows.append(row)
        relation.related_model.objects.bulk_create(rows, batch_size=1000)


def write_revisions(pages, now):
    """The revision each publish makes, holding the release as it was before
    its publish, and the log entries of its creation and publish."""
    content_type = ContentType.objects.get_for_model(type(pages[0]))
    base_content_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=str(page.pk),
                created_at=now,
                object_str=str(page),
                content={**page.serializable_data(), **UNPUBLISHED},
            )
            for page in pages
        ],
        batch_size=500,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if page.live else None
    type(pages[0]).objects.bulk_update(
        pages, ["latest_revision", "live_revision"], batch_size=500
    )
    # As add_child and the publish log them: created, then published.
    entries = [
        PageLogEntry(
            content_type=content_type,
            label=page.get_admin_display_title(),
            action=action,
            timestamp=now,
            page_id=page.pk,
            revision=revision,
            content_changed=True,
        )
        for page in pages
        for action, revision in (
            ("wagtail.create", None),
            ("wagtail.publish", page.live_revision),
        )
        if revision is not None or action == "wagtail.create"
    ]
    PageLogEntry.objects.bulk_create(entries, batch_size=500)


def index_references(pages):
    """The reference index of new pages, as ``create_or_update_for_object``
    writes it for a page that has no entries yet."""
    content_type = ContentType.objects.get_for_model(type(pages[0]))
    base_content_type = ContentType.objects.get_for_model(Page)
    rows = [
        ReferenceIndex(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=page.pk,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for page in pages
        for to_content_type_id, to_object_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        )
    ]
    ReferenceIndex.objects.bulk_create(
        rows,
        batch_size=1000,
        ignore_conflicts=connection.features.supports_ignore_conflicts,
    )
