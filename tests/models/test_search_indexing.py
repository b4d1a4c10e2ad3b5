"""A release's search entry is written in a fixed number of queries, whatever it
links (models/search_indexing.py), and still carries every linked name."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search import index

from newsroom.models import EventPage, PressReleasePage
from newsroom.models.search_indexing import related_lookups
from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_release,
)


def linked_release(title, each):
    return make_release(
        title=title,
        officials=[OfficialFactory(name=f"{title} official {n}") for n in range(each)],
        sectors=[SectorFactory(name=f"{title} sector {n}") for n in range(each)],
        regions=[RegionFactory(name=f"{title} region {n}") for n in range(each)],
        organisations=[
            OrganisationFactory(name=f"{title} agency {n}") for n in range(each)
        ],
        topics=[TopicFactory(name=f"{title} topic {n}") for n in range(each)],
        regulations=[RegulationFactory() for _ in range(each)],
    )


def queries_to_index(page):
    with CaptureQueriesContext(connection) as captured:
        index.insert_or_update_object(page)
    return len(captured)


def test_indexing_cost_does_not_grow_with_the_links(db):
    small = linked_release("Small", 1)
    large = linked_release("Large", 4)
    assert queries_to_index(small) == queries_to_index(large)


def test_every_linked_name_is_in_the_entry(db):
    release = linked_release("Tantalum", 3)
    index.insert_or_update_object(release)
    for word in ["official", "sector", "region", "agency", "topic"]:
        found = PressReleasePage.objects.live().search(f"Tantalum {word} 2")
        assert list(found) == [release], word


def test_prefetches_follow_the_search_fields():
    lookups = related_lookups(PressReleasePage.get_search_fields())
    assert "release_officials__official" in lookups
    assert "topics" in lookups
    assert "release_regulations__regulation" in lookups
    assert len(related_lookups(EventPage.get_search_fields())) == 6


def test_a_page_not_yet_written_is_not_indexed(db):
    assert index.get_indexed_instance(PressReleasePage(title="Unsaved")) is None


def test_a_deleted_page_still_answers_for_its_entry(db):
    """Removing an entry after a delete asks the page, whose row is gone: it
    answers for itself, so an external index (OpenSearch) drops it too."""
    release = linked_release("Gone", 1)
    pk = release.pk
    release.delete()
    release.pk = pk
    assert index.get_indexed_instance(release, check_exists=False) is release
