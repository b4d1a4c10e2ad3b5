"""Disjunctive facet counts, checked against counts computed here in Python.

``filter_world_facet_counts`` (tests/factories/filter_world.py) counts from the plain
FILTER_WORLD_* tables: within a facet its own selection is ignored, a tree option
counts the releases of its whole subtree once each, options with nothing are left
out unless selected, and only published, public, not withdrawn releases count.
"""

import re
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict

from newsroom.finder.facets import facet_groups
from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.finder.query import ReleaseQuery, scope_queryset
from tests.factories import (
    FILTER_WORLD_FACETS,
    FILTER_WORLD_GHOST_REGULATION,
    filter_world_facet_counts,
    filter_world_name,
    filter_world_slugs,
)

COMBINATIONS = [
    {},
    {"sector": "metals"},
    {"sector": ["metals", "energy"]},
    {"sector": "nickel-smelting", "region": "north-maluku"},
    {"region": "central-sulawesi", "topic": "nickel"},
    {"region": ["palu", "china"], "organisation": "kemenperin"},
    {"official": "eko-cahyanto", "from": "2023-01-01"},
    {"official": ["agus-gumiwang", "faisol-riza"], "topic": "green-industry"},
    {"from": "2022-12-31", "to": "2024-06-14"},
    {
        "sector": "metals",
        "region": "indonesia",
        "official": "faisol-riza",
        "organisation": "kemenperin",
        "topic": "downstreaming",
    },
    # selected options with no release stay visible, with 0
    {"sector": "textiles", "topic": "cobalt"},
    {"sector": "textiles", "region": "china"},
    {"official": "wang-jiangping", "sector": "textiles"},
    # regulations: flat, disjunctive like the others
    {"regulation": "law-3-2020"},
    {"regulation": ["law-4-2009", "presidential-regulation-55-2019"]},
    {"regulation": "law-4-2009", "sector": "nickel-smelting"},
    {"topic": "lithium", "regulation": "government-regulation-96-2021"},
    # full text: counts stay within the matches
    {"q": "tungsten"},
    {"q": "Cahyanto", "from": "2023-06-30"},
    pytest.param(
        {"q": "tungsten", "sector": "energy"},
    ),
    pytest.param(
        {"q": "Cahyanto", "region": "morowali-regency"},
    ),
]


def query_dict(params):
    return QueryDict(urlencode(params, doseq=True))


def app_counts(world, params, rf):
    """{facet: {slug: count}} and {facet: selected slugs} as facet_groups gives them."""
    request = rf.get("/news/", params)
    groups = ReleaseQuery(request, world.newsroom).facets()
    assert [group.name for group in groups] == list(FILTER_WORLD_FACETS)
    counts = {g.name: {o.slug: o.count for o in g.options} for g in groups}
    selected = {g.name: {o.slug for o in g.options if o.selected} for g in groups}
    return groups, counts, selected


def html_counts(response):
    """{facet: {slug: count}} and {facet: checked slugs} read from the filter form."""
    soup = BeautifulSoup(response.content, "html.parser")
    counts, checked = {}, {}
    for name in FILTER_WORLD_FACETS:
        fieldset = soup.select_one(f"form#filters fieldset#facet-{name}")
        counts[name], checked[name] = {}, set()
        for item in fieldset.select("li.facet__option"):
            box = item.select_one("input[type=checkbox]")
            assert box["name"] == name
            text = " ".join(item.select_one(".facet__count").get_text().split())
            count = int(re.fullmatch(r"\((\d+) releases?\)", text).group(1))
            counts[name][box["value"]] = count
            if box.has_attr("checked"):
                checked[name].add(box["value"])
    return counts, checked


def selected_of(params):
    return {
        name: set([params[name]] if isinstance(params[name], str) else params[name])
        if name in params
        else set()
        for name in FILTER_WORLD_FACETS
    }


@pytest.mark.parametrize("params", COMBINATIONS)
def test_facet_groups_match_python_counts(filter_world, rf, params):
    groups, counts, selected = app_counts(filter_world, params, rf)
    assert counts == filter_world_facet_counts(params)
    assert selected == selected_of(params)


@pytest.mark.parametrize("params", COMBINATIONS)
def test_facet_counts_in_html_match_python_counts(filter_world, client, params):
    response = client.get("/news/", params)
    assert response.status_code == 200
    counts, checked = html_counts(response)
    assert counts == filter_world_facet_counts(params)
    assert checked == selected_of(params)


def test_unfiltered_counts_written_out(filter_world, rf):
    """The expected numbers for no filter, by hand, as a check on the Python model."""
    _, counts, _ = app_counts(filter_world, {}, rf)
    assert counts["sector"] == {
        "energy": 4,  # r02 r06 r08 r10
        "photovoltaics": 3,  # r02 r06 r08 (the hidden releases do not count)
        "metals": 7,  # r09 is linked to Metals and Steel, counted once
        "nickel-smelting": 4,
        "steel": 2,
        "textiles": 1,
    }
    assert counts["region"] == {
        "china": 3,
        "indonesia": 11,
        "central-sulawesi": 4,  # r05 (Central Sulawesi + Palu) once
        "morowali-regency": 2,
        "palu": 2,
        "jakarta": 2,
        "north-maluku": 2,
        "southeast-sulawesi": 1,
        "konawe-regency": 1,
    }
    assert counts["official"] == {
        "agus-gumiwang": 5,
        "eko-cahyanto": 4,
        "faisol-riza": 3,
        "wang-jiangping": 2,
    }
    assert counts["organisation"] == {"kemenperin": 6, "miit": 3, "bip": 2}
    assert counts["topic"] == {
        "green-industry": 4,
        "downstreaming": 3,
        "cobalt": 2,
        "lithium": 2,
        "nickel": 2,
    }
    assert counts["regulation"] == {
        "law-3-2020": 3,  # r01 r06 r11 (the hidden releases do not count)
        "government-regulation-96-2021": 2,  # r01 r11
        "law-4-2009": 2,  # r04 r11 (not those citing Law 3/2020, which amends it)
        "presidential-regulation-55-2019": 2,  # r06 r12
    }
    assert counts == filter_world_facet_counts({})


def test_choosing_a_second_option_does_not_change_its_facet_counts(filter_world, rf):
    _, one, _ = app_counts(filter_world, {"official": "eko-cahyanto"}, rf)
    _, two, _ = app_counts(
        filter_world, {"official": ["eko-cahyanto", "wang-jiangping"]}, rf
    )
    _, none, _ = app_counts(filter_world, {}, rf)
    assert one["official"] == two["official"] == none["official"]
    # the other facets narrow to the chosen officials' releases
    assert one["sector"] != two["sector"]


@pytest.mark.parametrize(
    "params",
    [{}, {"sector": "metals"}, {"region": "china"}, {"regulation": "law-3-2020"}],
)
def test_option_order(filter_world, rf, params):
    groups, counts, _ = app_counts(filter_world, params, rf)
    for group in groups:
        slugs = [option.slug for option in group.options]
        if group.is_tree:
            # depth first, siblings by name, each with its depth
            order = filter_world_slugs(group.name)
            assert slugs == [slug for slug in order if slug in counts[group.name]]
            depths = {"sector": {"metals": 1, "steel": 2}, "region": {"palu": 3}}
            for option in group.options:
                if option.slug in depths.get(group.name, {}):
                    assert option.depth == depths[group.name][option.slug]
        else:
            # most releases first, then by name
            assert slugs == sorted(
                slugs,
                key=lambda s: (
                    -counts[group.name][s],
                    filter_world_name(group.name, s).casefold(),
                ),
            )


def test_options_carry_names_and_labels(filter_world, client):
    soup = BeautifulSoup(client.get("/news/").content, "html.parser")
    label = soup.select_one('label[for="f-region-morowali-regency"]')
    assert label.get_text(" ", strip=True).startswith("Morowali Regency (2")
    legends = [legend.get_text(strip=True) for legend in soup.select("fieldset legend")]
    assert legends[:6] == [
        "Officials",
        "Organisations",
        "Sectors",
        "Regions",
        "Topics",
        "Regulations",
    ]
    label = soup.select_one('label[for="f-regulation-law-3-2020"]')
    assert label.get_text(" ", strip=True).startswith("Law No. 3 of 2020 (3")


def test_hidden_releases_never_counted(filter_world, rf):
    """Ghost entities are linked only to the draft, withdrawn and private releases."""
    _, counts, _ = app_counts(filter_world, {}, rf)
    assert "ghost-official" not in counts["official"]
    assert "ghost-org" not in counts["organisation"]
    assert "ghost-topic" not in counts["topic"]
    assert FILTER_WORLD_GHOST_REGULATION not in counts["regulation"]
    assert "law-3-2014" not in counts["regulation"]  # cited by nothing
    assert "fertiliser" not in counts["sector"]
    assert "chemicals" not in counts["sector"]
    assert "kendari" not in counts["region"]
    # linked to the hidden releases as well as to published ones
    assert counts["official"]["eko-cahyanto"] == 4
    assert counts["region"]["palu"] == 2
    assert counts["regulation"]["law-3-2020"] == 3


def test_facet_groups_called_directly_with_restrict_to(filter_world):
    """facet_groups(filterset, restrict_to) keeps every count within restrict_to."""
    filterset = ReleaseFilterSet(
        query_dict({"sector": "metals"}), queryset=scope_queryset(filter_world.newsroom)
    )
    keep = [filter_world.releases[key].pk for key in ("r01", "r06", "r07")]
    groups = {g.name: g for g in facet_groups(filterset, restrict_to=keep)}
    sectors = {o.slug: o.count for o in groups["sector"].options}
    # r07 is in Textiles: the sector facet ignores the sector selection
    assert sectors == {
        "energy": 1,
        "photovoltaics": 1,
        "metals": 2,
        "nickel-smelting": 2,
        "textiles": 1,
    }
    regions = {o.slug: o.count for o in groups["region"].options}
    # the region counts apply the sector selection: r07 (Palu, Textiles) is out
    assert regions == {
        "china": 1,
        "indonesia": 2,
        "central-sulawesi": 1,
        "morowali-regency": 1,
        "north-maluku": 1,
    }
    regulations = {o.slug: o.count for o in groups["regulation"].options}
    assert regulations == {
        "law-3-2020": 2,  # r01 r06
        "government-regulation-96-2021": 1,
        "presidential-regulation-55-2019": 1,
    }


def test_invalid_selection_counts_as_no_selection(filter_world, rf):
    _, counts, selected = app_counts(
        filter_world, {"sector": "no-such-sector", "region": "china"}, rf
    )
    assert counts == filter_world_facet_counts({"region": "china"})
    assert selected["sector"] == set()
