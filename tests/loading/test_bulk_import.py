"""import_releases --bulk (newsroom.loading.bulk_import): the same releases, links,
revisions, listing rows, search entries and reference index as the per-record
path, written in batches; idempotent, errors by line, nothing half-written, and
no alert for an archive record."""

import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from newsroom import kinds
from newsroom.alerts import subscribing
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading import bulk_import
from newsroom.loading.bulk_import import import_records_in_bulk
from newsroom.loading.importing import import_records
from newsroom.models import (
    AlertDelivery,
    ContentVersion,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)
from newsroom.models.figures import ListedFigure
from newsroom.models.listed import ListedCount, ListedRelease
from newsroom.models.subtrees import SUBTREE_MEMBERSHIPS
from tests.factories import RegulationFactory, TopicFactory

pytestmark = pytest.mark.django_db

ARCHIVE_DATE = "2019-03-14"


def record(n, **fields):
    data = {
        "title": f"Smelter number {n} opens in Morowali",
        "slug": f"smelter-{n}",
        "date": ARCHIVE_DATE,
        "event_date": "2019-03-12",
        "dateline": "Jakarta",
        "summary": f"The minister opened smelter {n}.",
        "body_html": f"<p>Smelter {n} follows UU No. 3 Tahun 2020 on <b>ore</b>.</p>",
        "reference": f"SP-{n}/2019",
        "officials": [
            {
                "name": "Eko S.A. Cahyanto",
                "role": "Secretary General",
                "organisation": "Ministry of Industry",
                "quoted": n % 2 == 0,
            },
            {"name": f"Plant Director {n % 3}", "organisation": f"Smelter Co {n % 2}"},
        ],
        "organisations": ["Ministry of Industry", f"Smelter Co {n % 2}"],
        "sectors": ["Basic Metals > Nickel Smelting", f"Sector {n % 3}"],
        "regions": ["Indonesia > Central Sulawesi > Morowali Regency"],
        "topics": ["nickel", f"topic {n % 4}"],
        "regulations": ["Law 4/2009"],
        "key_figures": [
            {"key": f"smelter-{n}", "value": 1200 + n, "unit": "USD", "label": "x"},
            {"value": "3000", "unit": "jobs", "is_currency": False, "label": "jobs"},
        ],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def archive():
    """Every shape of record: translations, drafts, slugs made from titles (two
    alike), a duplicate, an update of an earlier line and bad lines."""
    return [
        record(1),
        record(2, language="id", translation_of="smelter-1", slug="smelter-2-id"),
        record(3, live=False),
        record(4, slug=None, title="Steel mill opens"),
        record(5, slug=None, title="Steel mill opens", date="2019-04-02"),
        {"title": "No date", "summary": "x"},
        record(6, sectors=["Basic Metals > > Nickel"]),
        record(7, featured=True),
        record(1, summary="The first record, said again."),
        record(8, language="id", translation_of="smelter-7", slug="smelter-8-id"),
        record(9, topics=[], officials=[], regions=[], key_figures=[]),
    ]


def lines(records):
    return list(enumerate(records, start=1))


@pytest.fixture
def register(newsroom):
    ensure_site_tree(Locale.objects.get(language_code="id"))
    RegulationFactory(type="law", number="4", year=2009)
    RegulationFactory(type="law", number="3", year=2020)


# --- what a run leaves, without the ids that differ from run to run -------------

ENTITIES = (Official, Organisation, Sector, Region, Topic)
MOMENTS = {"first_published_at", "last_published_at", "latest_revision_created_at"}


def label(model, pk):
    """A row named by what stays the same from one run to the next."""
    if pk is None:
        return None
    if issubclass(model, Page):
        return Page.objects.get(pk=pk).slug
    if model is ContentType:
        return ContentType.objects.get(pk=pk).model
    if model is Locale:
        return Locale.objects.get(pk=pk).language_code
    if model is Revision:
        return "revision"
    if hasattr(model, "slug"):
        return model.objects.get(pk=pk).slug
    return pk


def row(instance, skip=()):
    values = {}
    for field in type(instance)._meta.concrete_fields:
        if field.primary_key and not field.is_relation or field.name in skip:
            continue
        value = getattr(instance, field.attname)
        if field.is_relation:
            value = label(field.related_model, value)
        elif isinstance(field, StreamField):
            prepared = field.get_prep_value(value)
            value = without_ids(json.loads(json.dumps(prepared, cls=DjangoJSONEncoder)))
        values[field.name] = value
    return values


def without_ids(data):
    if isinstance(data, dict):
        return {k: without_ids(v) for k, v in data.items() if k not in ("id", "pk")}
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    return data


def ids_to_slugs(model, ids):
    return sorted(model.objects.filter(pk__in=ids).values_list("slug", flat=True))


def listing_rows(release):
    listed = ListedRelease.objects.filter(pk=release.pk).first()
    if listed is None:
        return None
    values = row(listed)
    for name, model in (
        ("officials", Official),
        ("organisations", Organisation),
        ("sectors", Sector),
        ("regions", Region),
        ("topics", Topic),
    ):
        values[name] = ids_to_slugs(model, values[name])
    values["regulations"] = sorted(values["regulations"] and ["some"])
    return values


def search_entry(release):
    """The release's search entry, every column as the database holds it."""
    entry = IndexEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PressReleasePage),
        object_id=str(release.pk),
    )
    columns = [
        field.column
        for field in IndexEntry._meta.concrete_fields
        if field.name not in ("id", "content_type", "object_id")
    ]
    cast = "::text" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(f'{c}{cast}' for c in columns)} "
            f"FROM {IndexEntry._meta.db_table} WHERE id = %s",
            [entry.pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def revision_contents(release):
    contents = []
    for revision in release.revisions.order_by("pk"):
        content = json.loads(json.dumps(revision.content, cls=DjangoJSONEncoder))
        for name in (*MOMENTS, "translation_key", "latest_revision", "live_revision"):
            content.pop(name, None)
        content["body"] = json.loads(content["body"])  # stored as JSON text
        for relation in get_all_child_relations(PressReleasePage):
            model = relation.related_model
            for link in content.get(relation.get_accessor_name(), []):
                for field in model._meta.concrete_fields:
                    if field.is_relation and field.name in link:
                        link[field.name] = label(field.related_model, link[field.name])
        contents.append(without_ids(content))
    return contents


def unnumbered(content_path):
    """A reference's path without the row ids and block ids in it."""
    return re.sub(r"(^|\.)(\d+|[0-9a-f-]{36})(?=\.|$)", r"\1#", content_path)


def counted_entity(count):
    """The entity of a stored count (facets are named as kinds or segments)."""
    kind = kinds.BY_NAME.get(count.facet) or kinds.BY_SEGMENT.get(count.facet)
    return label(kind.model, count.entity_id) if kind else count.entity_id


def snapshot():
    # A title's norm is the average title length when it was written over its
    # own: both runs are renormed over the whole table, as test_generation does.
    backend = get_search_backend()
    backend.get_index_for_model(PressReleasePage)._refresh_title_norms(full=True)
    releases = PressReleasePage.objects.order_by("path")
    result = {}
    for release in releases:
        relations = {}
        for relation in get_all_child_relations(PressReleasePage):
            rows = getattr(release, relation.get_accessor_name()).order_by("pk")
            relations[relation.name] = [row(link) for link in rows]
        result[release.slug] = {
            "page": row(release, skip=MOMENTS | {"translation_key"}),
            "published": release.first_published_at is not None,
            "translations": sorted(
                PressReleasePage.objects.filter(
                    translation_key=release.translation_key
                ).values_list("slug", flat=True)
            ),
            "links": relations,
            "listed": listing_rows(release),
            "subtrees": {
                m.__name__: sorted(
                    m.objects.filter(release=release).values_list(
                        f"{m.node_field}__slug", flat=True
                    )
                )
                for m in SUBTREE_MEMBERSHIPS
            },
            "figures": sorted(
                (f.key, str(f.value), f.unit, f.label)
                for f in ListedFigure.objects.filter(listed_id=release.pk)
            ),
            "search": search_entry(release),
            "references": sorted(
                (r.to_content_type.model, r.model_path, unnumbered(r.content_path))
                for r in ReferenceIndex.get_references_for_object(release)
            ),
            "revisions": revision_contents(release),
            "log": sorted(
                (e.action, e.label, e.content_changed, bool(e.revision_id), e.data)
                for e in PageLogEntry.objects.filter(page=release)
            ),
        }
    result["counts"] = sorted(
        (label(Page, c.newsroom_id), c.facet, counted_entity(c), c.month, c.n)
        for c in ListedCount.objects.all()
    )
    result["entities"] = {
        model.__name__: sorted(model.objects.values_list("slug", "name"))
        for model in ENTITIES
    }
    result["numchild"] = sorted(
        Page.objects.filter(depth__lte=3).values_list("slug", "numchild")
    )
    return result


def run_and_snapshot(importer, records, dry_run=False):
    """Import, read everything back, and roll back, so each path starts alike."""

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            report = importer(lines(records), dry_run=dry_run)
            seen = snapshot()
            raise Undo
    except Undo:
        pass
    return report, seen


def differences(*where_and_values):
    """Where two snapshots part, for the failure's message."""
    *where, fast, slow = where_and_values
    if isinstance(fast, list) and isinstance(slow, list) and len(fast) == len(slow):
        for position, (a, b) in enumerate(zip(fast, slow, strict=True)):
            if a != b:
                return differences(*where, position, a, b)
    if isinstance(fast, dict) and isinstance(slow, dict):
        for name in sorted(fast.keys() | slow.keys()):
            if fast.get(name) != slow.get(name):
                return differences(*where, name, fast.get(name), slow.get(name))
    return (*where, "bulk:", fast, "one by one:", slow)


def test_bulk_writes_what_the_per_record_path_writes(register):
    slow_report, slow = run_and_snapshot(import_records, archive())
    fast_report, fast = run_and_snapshot(
        lambda records, dry_run: import_records_in_bulk(records, batch_size=3),
        archive(),
    )
    assert slow_report.failures == fast_report.failures
    assert [line for line, _ in fast_report.failures] == [6, 7]
    assert (fast_report.created, fast_report.updated) == (8, 1)
    assert (slow_report.created, slow_report.updated) == (8, 1)
    assert fast.keys() == slow.keys()
    for key in slow:
        if isinstance(slow[key], dict) and "page" in slow[key]:
            for part in slow[key]:
                assert fast[key][part] == slow[key][part], differences(
                    key, part, fast[key][part], slow[key][part]
                )
        else:
            assert fast[key] == slow[key], key
    assert fast["smelter-2-id"]["translations"] == ["smelter-1", "smelter-2-id"]
    assert fast["steel-mill-opens-2"]["page"]["title"] == "Steel mill opens"


def test_bulk_path_is_idempotent_and_bumps_the_version_once(register):
    version = ContentVersion.current()
    each_once = [item for line, item in lines(archive()) if line != 9]
    first = import_records_in_bulk(lines(each_once))
    assert (first.created, first.updated) == (8, 0)
    assert ContentVersion.current() == version + 1
    counts = {
        model: model.objects.count()
        for model in (Page, Revision, ReferenceIndex, IndexEntry, ListedRelease)
    }
    again = import_records_in_bulk(lines(each_once))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert ContentVersion.current() == version + 1
    assert counts == {model: model.objects.count() for model in counts}
    call_command("rebuild_listing", "--check", stdout=io.StringIO())


def release_rows():
    """How many rows of each kind the releases have."""
    release_type = ContentType.objects.get_for_model(PressReleasePage)
    return {
        "pages": PressReleasePage.objects.count(),
        "revisions": Revision.objects.filter(content_type=release_type).count(),
        "listed": ListedRelease.objects.count(),
        "search": IndexEntry.objects.filter(content_type=release_type).count(),
        "log": PageLogEntry.objects.filter(content_type=release_type).count(),
        "references": ReferenceIndex.objects.filter(content_type=release_type).count(),
    }


def test_a_failing_batch_leaves_nothing_and_its_records_go_one_by_one(
    register, monkeypatch
):
    calls = []
    write_references = bulk_import.index_references

    def fail_once(pages):
        calls.append(len(pages))
        if len(calls) == 1:
            raise DatabaseError("the disk is full")
        write_references(pages)

    monkeypatch.setattr(bulk_import, "index_references", fail_once)
    empty = release_rows()
    report = import_records_in_bulk(lines([record(1), record(2), record(3)]))
    assert calls == [3]  # the batch failed at its last step; nothing was retried
    assert (report.created, report.failures) == (3, [])
    # Had the failed batch left anything, the records would have matched it.
    rows = release_rows()
    assert rows["pages"] == 3 and rows["revisions"] == 3 and rows["listed"] == 3
    assert rows["search"] == 3 and rows["log"] == 6 and rows["references"] > 0

    calls.clear()  # the next batch fails again
    with pytest.raises(DatabaseError), transaction.atomic():
        batch = bulk_import.Batch(bulk_import.Resolver())
        batch.prepare([(1, record(4), bulk_import.parse_record(record(4)))])
        batch.write()
    assert release_rows() == rows != empty


def test_dry_run_writes_nothing_and_reports_as_one_by_one(register):
    report = import_records_in_bulk(lines(archive()), dry_run=True)
    one_by_one = import_records(lines(archive()), dry_run=True)
    assert (report.created, report.updated) == (one_by_one.created, 0)
    assert report.failures == one_by_one.failures
    assert not PressReleasePage.objects.exists()
    assert not Official.objects.exists()


def test_recent_records_go_one_by_one_and_only_they_alert(
    register, tmp_path, django_capture_on_commit_callbacks
):
    """An archive record never alerts: the bulk path sends no page_published and
    the matching skips releases older than the alerts' window. A record dated
    today goes through the per-record path and alerts as any publish does."""
    TopicFactory(name="nickel", marked_public=True)
    subscribing.confirm_subscription(
        {"e": "reader@example.com", "q": "topic=nickel", "f": "immediate", "l": "en"}
    )
    mail.outbox.clear()
    today = timezone.localdate().isoformat()
    path = tmp_path / "archive.jsonl"
    items = (record(1), record(2, date=today, event_date=None), record(3))
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    # The queued tasks run (immediately, in tests) once the import commits;
    # then the sweep that rematches whatever was published in the last hour.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_releases", str(path), "--bulk", stdout=io.StringIO())
    call_command("send_alerts", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]
    assert "smelter 2" in mail.outbox[0].body.lower()
    assert set(AlertDelivery.objects.values_list("release__slug", flat=True)) == {
        "smelter-2"
    }


def test_queries_per_release_stay_few(register):
    """Each further record of a batch costs a few queries (its savepoint, the
    slug check, its regulations), not the dozens of a publish."""
    import_records_in_bulk(lines([record(n) for n in range(1, 4)]))  # entities
    queries = {}
    for size in (10, 30):
        batch = [record(n) for n in range(100 * size, 100 * size + size)]
        with CaptureQueriesContext(connection) as captured:
            report = import_records_in_bulk(lines(batch))
        assert report.created == size
        queries[size] = len(captured)
    per_release = (queries[30] - queries[10]) / 20
    assert per_release <= 12, queries
