"""0026 copies each figure's listing-row columns onto the figures already stored
(the tracker filters them directly from then on)."""

import pytest

from newsroom.models import ListedFigure, ListedRelease
from newsroom.models.linked_ids import ARRAYS
from tests.factories import (
    OfficialFactory,
    RegionFactory,
    SectorFactory,
    key_figures_block,
    make_release,
)

BEFORE = [("newsroom", "0025_search_rum_index")]
AFTER = [("newsroom", "0026_figures_carry_filter_columns")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_figures_get_their_listing_rows_columns(newsroom, migrate_for_test):
    metals = SectorFactory(name="Metals", slug="metals")
    nickel = SectorFactory(name="Nickel", slug="nickel", parent=metals)
    morowali = RegionFactory(name="Morowali", slug="morowali")
    figures = key_figures_block(
        (1200000000, "USD", True, "investment"), (3000, "jobs", False, "jobs")
    )
    releases = [
        make_release(
            "Smelter opens",
            sectors=[nickel],
            regions=[morowali],
            officials=[OfficialFactory(name="Minister", slug="minister")],
            body=[figures],
        ),
        make_release("Plain day", body=[figures]),
    ]
    migrate_for_test(BEFORE)
    migrate_for_test(AFTER)

    columns = ["newsroom_id", *ARRAYS]
    for release in releases:
        row = ListedRelease.objects.get(pk=release.pk)
        stored = ListedFigure.objects.filter(listed=row).order_by("position")
        assert [[getattr(f, c) for c in columns] for f in stored] == [
            [getattr(row, c) for c in columns]
        ] * 2
    smelter = ListedFigure.objects.filter(listed_id=releases[0].pk).first()
    assert smelter.sectors == sorted([metals.pk, nickel.pk])
    assert smelter.regions == [morowali.pk]
    assert smelter.newsroom_id == newsroom.pk
