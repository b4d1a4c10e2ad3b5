"""0031 counts each hub's facets over the rows already listed, as every later
write of a listing row keeps them (ListedRows.paired)."""

import datetime
from collections import Counter

import pytest

from newsroom.models import HubCount, ListedRelease
from tests.factories import RegionFactory, SectorFactory, make_release
from tests.migration_steps import migrate_to_latest


def stored_pairs():
    return set(
        HubCount.objects.exclude(n=0).values_list(
            "newsroom_id", "hub_facet", "hub_id", "facet", "entity_id", "n"
        )
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_are_counted_per_hub(newsroom, migrate_for_test):
    metals = SectorFactory(name="Metals")
    nickel = SectorFactory(name="Nickel", parent=metals)
    sulawesi = RegionFactory(name="Sulawesi")
    make_release("Smelter", sectors=[nickel], regions=[sulawesi])
    make_release("Steel", sectors=[metals])
    make_release("Draft", release_date=datetime.date(2025, 1, 3), live=False)
    kept = stored_pairs()  # by the writes themselves
    assert (newsroom.pk, "sector", metals.pk, "sector", nickel.pk, 1) in kept
    assert (newsroom.pk, "sector", metals.pk, "sector", metals.pk, 2) in kept
    migrate_for_test([("newsroom", "0030_content_version_structure")])
    migrate_for_test([("newsroom", "0031_hub_counts")])
    migrate_to_latest()
    assert stored_pairs() == kept
    counted = Counter()
    for row in ListedRelease.objects.all():
        counted.update(row.paired())
    assert kept == {(*key, n) for key, n in counted.items()}
