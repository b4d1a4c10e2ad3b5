"""The precomputed sector and region subtrees follow every change of the links.

newsroom/models/subtrees.py keeps one row per release and per node on the way up
from each linked node; filters and facet counts trust it, so it must match the
links after creating, publishing, editing a draft, moving a node and deleting.
"""

import pytest

from newsroom.models import (
    ReleaseInRegion,
    ReleaseInSector,
    ReleaseSector,
    Sector,
)
from newsroom.models.subtrees import SUBTREE_MEMBERSHIPS
from tests.factories import RegionFactory, SectorFactory, make_release

pytestmark = pytest.mark.django_db


def sectors_of(release):
    return set(
        ReleaseInSector.objects.filter(release=release).values_list(
            "sector__slug", flat=True
        )
    )


def snapshot():
    return {
        model.__name__: sorted(
            model.objects.values_list("release_id", f"{model.node_field}_id")
        )
        for model in SUBTREE_MEMBERSHIPS
    }


@pytest.fixture
def tree(newsroom):
    metals = SectorFactory(name="Metals", slug="metals")
    nickel = SectorFactory(name="Nickel", slug="nickel", parent=metals)
    smelting = SectorFactory(name="Smelting", slug="smelting", parent=nickel)
    energy = SectorFactory(name="Energy", slug="energy")
    return {"metals": metals, "nickel": nickel, "smelting": smelting, "energy": energy}


def test_a_release_is_in_its_sectors_and_all_their_ancestors(tree):
    release = make_release("Smelter opens", sectors=[tree["smelting"]])
    assert sectors_of(release) == {"smelting", "nickel", "metals"}


def test_two_links_under_one_parent_share_one_row_for_it(tree):
    steel = SectorFactory(name="Steel", slug="steel", parent=tree["metals"])
    release = make_release("Two metals", sectors=[tree["nickel"], steel])
    assert sorted(
        ReleaseInSector.objects.filter(release=release).values_list(
            "sector__slug", flat=True
        )
    ) == ["metals", "nickel", "steel"]


def test_publishing_new_links_replaces_the_old_rows(tree):
    release = make_release("Moving on", sectors=[tree["smelting"]])
    release.release_sectors = [ReleaseSector(sector=tree["energy"])]
    release.save_revision().publish()
    assert sectors_of(release) == {"energy"}


def test_a_draft_revision_leaves_the_published_links_counted(tree):
    release = make_release("Draft change", sectors=[tree["smelting"]])
    release.release_sectors = [ReleaseSector(sector=tree["energy"])]
    release.save_revision()  # not published: readers still see the old sectors
    assert sectors_of(release) == {"smelting", "nickel", "metals"}


def test_moving_a_node_moves_its_releases_to_the_new_ancestors(tree):
    release = make_release("Smelter opens", sectors=[tree["smelting"]])
    # The admin's TreeNodeForm re-parents through move(), like this. Fresh
    # instances: adding sorted siblings shifted the paths held in memory.
    nickel, energy = (Sector.objects.get(pk=tree[s].pk) for s in ("nickel", "energy"))
    nickel.move(energy, "sorted-child")
    assert sectors_of(release) == {"smelting", "nickel", "energy"}


def test_deleting_a_release_deletes_its_rows(tree):
    release = make_release("Short-lived", sectors=[tree["smelting"]])
    release.delete()
    assert not ReleaseInSector.objects.exists()


def test_rebuild_gives_the_rows_kept_up_by_saves(tree):
    country = RegionFactory(name="Indonesia", slug="indonesia")
    province = RegionFactory(name="Sulawesi", slug="sulawesi", parent=country)
    for n in range(3):
        make_release(
            f"Release {n}",
            sectors=[tree["smelting"], tree["energy"]][: n + 1],
            regions=[province] if n else [country],
        )
    kept_up = snapshot()
    for model in SUBTREE_MEMBERSHIPS:
        model.rebuild()
    assert snapshot() == kept_up
    assert kept_up["ReleaseInRegion"]
    assert ReleaseInRegion.objects.filter(region=country).count() == 3
