"""Wagtail's reference index ("Usage" in the admin, the warning before a delete):
one update per saved cluster, and it holds the links as they were stored."""

from collections import Counter
from unittest import mock

import pytest
from wagtail import signal_handlers
from wagtail.models import ReferenceIndex

from newsroom.models import Appointment, ReleaseRegion
from tests.factories import (
    OrganisationFactory,
    RegulationFactory,
    make_linked_release,
    make_official,
    release_linked_entities,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_updates():
    """Counts the reference-index tasks queued per (model, pk); they still run."""
    queued = Counter()
    real_task = signal_handlers.update_reference_index_task

    def enqueue(app_label, model_name, pk):
        queued[(model_name, pk)] += 1
        return real_task.enqueue(app_label, model_name, pk)

    with mock.patch.object(signal_handlers, "update_reference_index_task") as task:
        task.enqueue.side_effect = enqueue
        yield queued


def referrers(entity):
    return {
        reference.object_id for reference in ReferenceIndex.get_references_to(entity)
    }


def test_publishing_a_linked_release_queues_one_update_and_indexes_every_link(
    newsroom, queued_updates
):
    entities = release_linked_entities("Cobalt")
    queued_updates.clear()

    release = make_linked_release("Cobalt refinery opens", entities)

    # Created, its draft revision saved, then published: three saves of the page,
    # none for its link rows (one per kind).
    release_updates = {
        key: count for key, count in queued_updates.items() if key[0] != "revision"
    }
    assert release_updates == {("pressreleasepage", str(release.pk)): 3}
    for facet, entity in entities.items():
        assert str(release.pk) in referrers(entity), facet


def test_a_link_removed_on_publish_leaves_the_index(newsroom, queued_updates):
    entities = release_linked_entities("Bauxite")
    release = make_linked_release("Bauxite export rules", entities)
    other_region = entities["region"].get_parent()

    release.release_regions = [ReleaseRegion(region=other_region, sort_order=0)]
    release.save_revision().publish()

    assert str(release.pk) not in referrers(entities["region"])
    assert str(release.pk) in referrers(other_region)
    assert str(release.pk) in referrers(entities["sector"])


def test_a_link_row_saved_on_its_own_still_updates_its_release(
    newsroom, queued_updates
):
    entities = release_linked_entities("Tin")
    release = make_linked_release("Tin smelter audit", entities)
    other_region = entities["region"].get_parent()
    queued_updates.clear()

    link = ReleaseRegion.objects.create(page=release, region=other_region, sort_order=1)

    # Wagtail's task indexes the row's release in its place.
    assert queued_updates == {("releaseregion", str(link.pk)): 1}
    assert str(release.pk) in referrers(other_region)


def test_an_official_and_its_appointments_are_indexed_once(queued_updates):
    agency = OrganisationFactory(name="Mineral Resources Agency")
    official = make_official("Rina Hartono")
    queued_updates.clear()

    official.appointments = [
        Appointment(position="Head", organisation=agency, start_date="2021-01-04")
    ]
    official.save()

    assert queued_updates == {("official", str(official.pk)): 1}
    assert str(official.pk) in referrers(agency)


def test_a_regulation_and_its_chain_are_indexed_once(queued_updates):
    mining = RegulationFactory(type="law", number="4", year=2009)
    old = RegulationFactory(type="government_regulation", number="23", year=2010)
    amendment = RegulationFactory(type="law", number="3", year=2020)
    queued_updates.clear()

    amendment.amends.set([mining])
    amendment.revokes.set([old])
    amendment.save()

    # The save, not the statuses it settles on the two others. (Wagtail's index
    # does not follow many-to-many fields: the chain is not "usage".)
    assert queued_updates == {("regulation", str(amendment.pk)): 1}
    mining.refresh_from_db()
    old.refresh_from_db()
    assert (mining.status, old.status) == ("amended", "revoked")


def test_a_caller_that_switched_updates_off_is_left_to_index(queued_updates):
    official = make_official("Dewi Lestari")
    queued_updates.clear()

    with signal_handlers.disable_reference_index_auto_update():
        official.name = "Dewi Lestari-Wibowo"
        official.save()
        # Still off inside: the save did not clear the caller's switch.
        assert signal_handlers.reference_index_auto_update_disabled.value is True

    assert queued_updates == {}
    official.save()
    assert queued_updates == {("official", str(official.pk)): 1}
