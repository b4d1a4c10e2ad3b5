"""The tracker's stored totals (newsroom/models/figure_totals.py) follow every
change, a shared key included: what the tracker reads from them (grouped by
year, over the whole newsroom or one entity chosen) equals what totalling the
same figures live gives (any other filter: a ``from`` before every release makes
the same choice live)."""

import datetime

import pytest
from django.core.cache import cache

from newsroom.models import FigureTotal, ListedFigure
from newsroom.models.figure_totals import FIGURE_FIELDS, totals_of
from tests.factories import (
    RegionFactory,
    SectorFactory,
    key_figures_block,
    make_release,
)
from tests.migration_steps import migrate_to_latest

pytestmark = pytest.mark.django_db

# Every scope the stored totals keep that the tracker reads, by its parameter.
SCOPES = [
    {},
    {"sector": "metals"},
    {"sector": "nickel"},
    {"sector": "cobalt"},
    {"region": "sulawesi"},
    {"region": "morowali"},
]
LIVE = {"from": "1000-01-01"}  # filters nothing, but is a filter


@pytest.fixture
def world(newsroom):
    metals = SectorFactory(name="Metals", slug="metals")
    return {
        "metals": metals,
        "nickel": SectorFactory(name="Nickel", slug="nickel", parent=metals),
        "cobalt": SectorFactory(name="Cobalt", slug="cobalt", parent=metals),
        "sulawesi": (sulawesi := RegionFactory(name="Sulawesi", slug="sulawesi")),
        "morowali": RegionFactory(name="Morowali", slug="morowali", parent=sulawesi),
    }


def release(title, day, sectors, *figures, regions=(), live=True):
    return make_release(
        title,
        release_date=day,
        sectors=sectors,
        regions=list(regions),
        body=[key_figures_block(*figures)],
        live=live,
    )


def totals(client, params):
    """(overall totals, [(year, totals)]) of the JSON tracker; None for an
    entity readers may not know of (nothing visible links it)."""
    cache.clear()
    response = client.get("/api/v2/figures/", params)
    if response.status_code == 400:
        assert "There is no" in response.json()["message"]
        return None
    assert response.status_code == 200, response.content
    data = response.json()
    return data["totals"], [(g["key"], g["totals"]) for g in data["groups"]]


def assert_stored_equals_live(client):
    figures = list(ListedFigure.objects.values(*FIGURE_FIELDS))
    stored = {
        (t.newsroom_id, t.facet, t.entity_id, t.year, t.unit, t.is_currency): (
            t.total,
            t.figures,
            t.releases,
        )
        for t in FigureTotal.objects.exclude(figures=0)
    }
    assert stored == {
        group: tuple(values)
        for group, values in totals_of(figures, figures).items()
        if values[1]
    }
    for params in SCOPES:
        assert totals(client, params) == totals(client, {**params, **LIVE}), params


def test_a_shared_key_moves_between_scopes(world, client):
    smelter = (100, "USD", True, "investment", "morowali-smelter")
    announced = release(
        "Smelter announced",
        datetime.date(2023, 3, 1),
        [world["nickel"]],
        smelter,
        (3000, "jobs", False, "jobs"),
        regions=[world["morowali"]],
    )
    restated = release(
        "Smelter restated",
        datetime.date(2024, 5, 1),
        [world["cobalt"]],
        (120, "USD", True, "investment", "morowali-smelter"),
        regions=[world["sulawesi"]],
    )
    assert_stored_equals_live(client)
    # Under Metals the later figure counts, in 2024; Nickel still has its own.
    overall, years = totals(client, {"sector": "metals"})
    assert [(t["unit"], t["total"], t["releases"]) for t in overall] == [
        ("USD", "120.00", 1),
        ("jobs", "3000.00", 1),
    ]
    assert [key for key, _ in years] == [2024, 2023]
    assert totals(client, {"sector": "nickel"})[0][0]["total"] == "100.00"

    restated.unpublish()
    assert_stored_equals_live(client)
    assert totals(client, {"sector": "metals"})[0][0]["total"] == "100.00"

    restated.save_revision().publish()
    page = announced.get_latest_revision_as_object()
    page.release_date = datetime.date(2025, 1, 1)  # now the later one
    page.save_revision().publish()
    assert_stored_equals_live(client)
    assert totals(client, {"sector": "metals"})[0][0]["total"] == "100.00"

    page = restated.get_latest_revision_as_object()
    page.body = [key_figures_block((120, "USD", True, "investment", "other-key"))]
    page.save_revision().publish()
    assert_stored_equals_live(client)
    assert totals(client, {"sector": "metals"})[0][0]["total"] == "220.00"

    announced.delete()
    assert_stored_equals_live(client)
    assert totals(client, {"sector": "metals"})[0][0]["total"] == "120.00"


def test_a_release_with_two_figures_of_a_key_counts_its_last(world, client):
    release(
        "Twice in one release",
        datetime.date(2024, 1, 1),
        [world["nickel"]],
        (10, "MW", False, "first phase", "plant"),
        (25, "MW", False, "both phases", "plant"),
    )
    release("A draft", datetime.date(2025, 1, 1), [world["nickel"]], live=False)
    assert_stored_equals_live(client)
    overall, _ = totals(client, {"sector": "nickel"})
    assert [(t["total"], t["figures"]) for t in overall] == [("25.00", 1)]


def test_the_tracker_reads_the_stored_totals(world, client, newsroom):
    """Changing a stored total (which nothing but a bug would do) shows where
    the tracker reads them, and not where it totals live."""
    release(
        "Plant", datetime.date(2024, 1, 1), [world["nickel"]], (5, "MW", False, "x")
    )
    FigureTotal.objects.filter(facet="sector", entity_id=world["nickel"].pk).update(
        total=41
    )
    assert totals(client, {"sector": "nickel"})[0][0]["total"] == "41.00"
    assert totals(client, {"sector": "nickel", **LIVE})[0][0]["total"] == "5.00"
    assert totals(client, {})[0][0]["total"] == "5.00"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_totals_the_figures_already_listed(world, client, migrate_for_test):
    release(
        "Smelter announced",
        datetime.date(2023, 3, 1),
        [world["nickel"]],
        (100, "USD", True, "investment", "morowali-smelter"),
        (3000, "jobs", False, "jobs"),
    )
    release(
        "Smelter restated",
        datetime.date(2024, 5, 1),
        [world["cobalt"]],
        (120, "USD", True, "investment", "morowali-smelter"),
    )
    kept = FigureTotal.objects.exclude(figures=0).count()
    migrate_for_test([("newsroom", "0028_listed_counts_per_entity_month")])
    migrate_for_test([("newsroom", "0029_figure_totals")])
    # The pages read columns of later migrations; none of them touches the totals.
    migrate_to_latest()
    assert_stored_equals_live(client)
    assert FigureTotal.objects.exclude(figures=0).count() == kept
