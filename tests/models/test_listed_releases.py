"""The listing table and its stored counts follow every change readers can see.

newsroom/models/listed.py keeps one row per release readers may see and, per newsroom,
how many rows link each entity. The listing, hubs, feeds and API read them, so after
each event they must equal what ``PressReleasePage.objects.published()`` and the links
say, and the stored counts what counting the rows live gives.
"""

import datetime
from collections import Counter
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.finder.facet_statement import count_listed, stored_counts
from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.finder.query import scope_queryset
from newsroom.models import (
    FigureTotal,
    HubCount,
    ListedCount,
    ListedFigure,
    ListedRelease,
    NewsroomPage,
    PressReleasePage,
    ReleaseRegulation,
    Sector,
)
from newsroom.models.figure_totals import FIGURE_FIELDS, totals_of
from newsroom.models.linked_ids import ARRAYS
from tests.factories import (
    OfficialFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    default_newsroom,
    key_figures_block,
    make_release,
)
from tests.module_data import built_once, fresh

pytestmark = pytest.mark.django_db


def build_world():
    """Entities in trees and three live releases linking them (module-wide)."""
    newsroom = default_newsroom()
    metals = SectorFactory(name="Metals", slug="metals")
    nickel = SectorFactory(name="Nickel", slug="nickel", parent=metals)
    energy = SectorFactory(name="Energy", slug="energy")
    sulawesi = RegionFactory(name="Sulawesi", slug="sulawesi")
    morowali = RegionFactory(name="Morowali", slug="morowali", parent=sulawesi)
    minister = OfficialFactory(name="Minister", slug="minister")
    topic = TopicFactory(name="Downstreaming", slug="downstreaming")
    mining = RegulationFactory(type="law", number="4", year=2009)
    amendment = RegulationFactory(type="law", number="3", year=2020, amends=[mining])
    releases = [
        make_release(
            "Smelter opens",
            sectors=[nickel],
            regions=[morowali],
            officials=[minister],
            topics=[topic],
            regulations=[amendment, mining],
            body=[key_figures_block((1200000000, "USD", True, "investment"))],
        ),
        make_release(
            "Solar deal",
            sectors=[energy],
            officials=[minister],
            regulations=[mining],
            body=[key_figures_block((500, "MW", False, "capacity"))],
        ),
        make_release("Quiet day", release_date=datetime.date(2020, 1, 2)),
    ]
    return {
        "newsroom": newsroom,
        "releases": releases,
        "metals": metals,
        "nickel": nickel,
        "energy": energy,
        "sulawesi": sulawesi,
        "morowali": morowali,
        "mining": mining,
        "amendment": amendment,
    }


# Built once for the module, rolled back after it (tests/module_data.py).
_world_module = built_once(build_world)


@pytest.fixture
def world(_world_module, db):
    """The module's world, each object read afresh for the test."""
    return fresh(_world_module)


def assert_consistent():
    """Rows are exactly the published releases, with their links and ancestors,
    and the stored counts are exactly the rows counted."""
    listed = {row.pk: row for row in ListedRelease.objects.all()}
    assert set(listed) == set(
        PressReleasePage.objects.published().values_list("pk", flat=True)
    )
    for release in PressReleasePage.objects.published():
        row = listed[release.pk]
        assert row.release_date == release.release_date
        assert row.officials == sorted(
            release.release_officials.values_list("official_id", flat=True)
        )
        sectors = {
            ancestor.pk
            for link in release.release_sectors.select_related("sector")
            for ancestor in [*link.sector.get_ancestors(), link.sector]
        }
        assert row.sectors == sorted(sectors)
        # not a tree: only the regulations cited, not what they amend
        assert row.regulations == sorted(
            release.release_regulations.values_list("regulation_id", flat=True)
        )
    expected, pairs = Counter(), Counter()
    for row in listed.values():
        expected.update(row.counted())
        pairs.update(row.paired())
    stored = {
        (c.newsroom_id, c.facet, c.entity_id, c.month): c.n
        for c in ListedCount.objects.exclude(n=0)
    }
    assert stored == dict(+expected)
    stored_pairs = {
        (c.newsroom_id, c.hub_facet, c.hub_id, c.facet, c.entity_id): c.n
        for c in HubCount.objects.exclude(n=0)
    }
    assert stored_pairs == dict(+pairs)
    # The figures carry their listing row's filter columns (the tracker filters
    # them directly): a copy that must follow every change of the row.
    columns = ["newsroom_id", "release_date", *ARRAYS]
    for figure in ListedFigure.objects.select_related("listed"):
        copied = [getattr(figure, column) for column in columns]
        assert copied == [getattr(figure.listed, column) for column in columns]
    figured = set(ListedFigure.objects.values_list("listed_id", flat=True))
    assert figured == {
        release.pk
        for release in PressReleasePage.objects.published()
        if release.key_figures()
    }
    for newsroom in NewsroomPage.objects.all():
        total, rows, _months = count_listed(
            ReleaseFilterSet({}, queryset=scope_queryset(newsroom))
        )
        assert stored_counts(newsroom) == (total, rows)
    # The tracker's stored totals, moved by each change, are what totalling
    # every figure afresh gives.
    figures = list(ListedFigure.objects.values(*FIGURE_FIELDS))
    assert stored_totals() == {
        group: tuple(values)
        for group, values in totals_of(figures, figures).items()
        if values[1]
    }


def stored_totals():
    return {
        (t.newsroom_id, t.facet, t.entity_id, t.year, t.unit, t.is_currency): (
            t.total,
            t.figures,
            t.releases,
        )
        for t in FigureTotal.objects.exclude(figures=0)
    }


def test_published_releases_are_listed_with_ancestors(world):
    assert_consistent()
    row = ListedRelease.objects.get(pk=world["releases"][0].pk)
    assert world["metals"].pk in row.sectors
    assert world["sulawesi"].pk in row.regions


def test_a_draft_is_not_listed_until_published(world):
    draft = make_release("Not yet", live=False)
    assert not ListedRelease.objects.filter(pk=draft.pk).exists()
    draft.save_revision().publish()
    assert ListedRelease.objects.filter(pk=draft.pk).exists()
    assert_consistent()


def test_a_release_added_live_is_listed_at_once(world):
    """Only a page added as a draft skips the listing on its first save (the
    admin's and the factories' way); one added live, as Page.copy(keep_live=True)
    adds it, is listed by that save."""
    newsroom = NewsroomPage.objects.get(locale=Locale.get_default())
    page = PressReleasePage(
        title="Added live",
        slug="added-live",
        release_date=datetime.date(2024, 9, 1),
        standfirst="Summary.",
        live=True,
    )
    newsroom.add_child(instance=page)
    assert ListedRelease.objects.filter(pk=page.pk).exists()
    assert_consistent()


def test_unpublishing_and_withdrawing_unlist(world):
    first, second, _ = world["releases"]
    first.unpublish()
    second.withdrawn = True
    second.withdrawal_reason = "Figures were wrong."
    second.save_revision().publish()
    assert set(ListedRelease.objects.values_list("pk", flat=True)) == {
        world["releases"][2].pk
    }
    assert_consistent()


def test_expiry_by_publish_scheduled_unlists(world):
    release = world["releases"][0]
    release.expire_at = timezone.now() + datetime.timedelta(minutes=5)
    release.save_revision().publish()
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    assert not ListedRelease.objects.filter(pk=release.pk).exists()
    assert_consistent()


def test_a_view_restriction_unlists_everything_below_and_lifting_it_relists(world):
    restriction = PageViewRestriction.objects.create(
        page=world["newsroom"], restriction_type="password", password="secret"
    )
    assert not ListedRelease.objects.exists()
    assert_consistent()
    restriction.delete()
    assert ListedRelease.objects.count() == 3
    assert_consistent()


def test_moving_a_release_to_the_other_newsroom_moves_its_row(world):
    indonesian = ensure_site_tree(Locale.objects.get(language_code="id"))
    release = world["releases"][1]
    release.move(indonesian, pos="last-child")
    row = ListedRelease.objects.get(pk=release.pk)
    assert row.newsroom_id == indonesian.pk
    assert_consistent()


def test_moving_a_sector_changes_the_ancestors_on_the_rows(world):
    # Fresh instances: adding "Energy" before "Metals" renumbered the roots.
    nickel = Sector.objects.get(slug="nickel")
    nickel.move(Sector.objects.get(slug="energy"), pos="sorted-child")
    row = ListedRelease.objects.get(pk=world["releases"][0].pk)
    assert world["energy"].pk in row.sectors
    assert world["metals"].pk not in row.sectors
    assert_consistent()


def test_citing_another_regulation_moves_the_row_and_the_counts(world):
    release = world["releases"][1]
    page = release.get_latest_revision_as_object()
    page.release_regulations = [
        ReleaseRegulation(regulation=world["amendment"], sort_order=0)
    ]
    page.save_revision().publish()
    assert_consistent()
    row = ListedRelease.objects.get(pk=release.pk)
    assert row.regulations == [world["amendment"].pk]
    counts = dict(
        ListedCount.objects.filter(facet="regulation", month=0).values_list(
            "entity_id", "n"
        )
    )
    assert counts == {world["amendment"].pk: 2, world["mining"].pk: 1}


def test_deleting_a_release_takes_it_out_of_the_counts(world):
    world["releases"][0].delete()
    assert_consistent()


def test_rebuild_gives_what_the_events_gave(world):
    world["releases"][1].unpublish()
    make_release("Another", sectors=[world["nickel"]])
    before_rows = sorted(ListedRelease.objects.values_list("pk", "sectors"))
    before_counts = sorted(
        ListedCount.objects.exclude(n=0).values_list(
            "newsroom_id", "facet", "entity_id", "month", "n"
        )
    )
    ListedRelease.rebuild()
    assert sorted(ListedRelease.objects.values_list("pk", "sectors")) == before_rows
    assert (
        sorted(
            ListedCount.objects.exclude(n=0).values_list(
                "newsroom_id", "facet", "entity_id", "month", "n"
            )
        )
        == before_counts
    )


def test_unfiltered_listing_reads_the_stored_counts(world, client):
    """The landing page's facet counts come from ListedCount: changing a stored
    count (which nothing but a bug would do) shows on the page."""
    ListedCount.objects.filter(
        facet="sector", entity_id=world["energy"].pk, month=0
    ).update(n=41)
    html = client.get("/news/").content.decode()
    assert "(41" in html
    filtered = client.get("/news/?from=2000-01-01").content.decode()
    assert "(41" not in filtered


def test_overlaps_lookup_on_both_databases(world):
    nickel_or_energy = ListedRelease.objects.filter(
        sectors__overlaps=[world["nickel"].pk, world["energy"].pk]
    )
    assert nickel_or_energy.count() == 2
    assert not ListedRelease.objects.filter(sectors__overlaps=[-1]).exists()


def test_counts_ignore_a_facets_own_selection(world):
    request = RequestFactory().get("/news/", {"sector": "energy"})
    filterset = ReleaseFilterSet(
        request.GET, queryset=scope_queryset(world["newsroom"])
    )
    total, rows, _months = count_listed(filterset)
    assert total == 1
    sectors = {row["entity_slug"]: row["n"] for row in rows["sector"]}
    assert sectors == {"metals": 1, "nickel": 1, "energy": 1}


def test_rebuild_listing_command_checks_and_repairs(world, capsys):
    call_command("rebuild_listing", "--check")
    assert "up to date" in capsys.readouterr().out
    ListedRelease.objects.filter(pk=world["releases"][0].pk).delete()
    with pytest.raises(SystemExit):
        call_command("rebuild_listing", "--check")
    assert not ListedRelease.objects.filter(pk=world["releases"][0].pk).exists()
    call_command("rebuild_listing")
    assert "Listed 3 releases" in capsys.readouterr().out
    assert_consistent()
    # The tracker's stored totals are checked and repaired the same way.
    FigureTotal.objects.filter(facet="total").update(total=41)
    with pytest.raises(SystemExit):
        call_command("rebuild_listing", "--check")
    call_command("rebuild_listing")
    assert_consistent()
    # So are the hubs' counts.
    HubCount.objects.filter(hub_facet="sector").update(n=7)
    with pytest.raises(SystemExit):
        call_command("rebuild_listing", "--check")
    call_command("rebuild_listing")
    assert_consistent()
