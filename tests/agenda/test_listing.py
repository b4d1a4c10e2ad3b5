"""The agenda's listing (/news/agenda/): its order, its pages, every filter and
the facet counts, each checked against the answer computed in Python from the
plain data of tests/agenda/world.py; unknown slugs refused as on /news/."""

import datetime

import pytest
from django.utils import timezone

from newsroom import kinds
from tests.agenda.reading import (
    errors_by_field,
    listed,
    result_count,
    shown_counts,
    soup,
)
from tests.agenda.world import (
    EVENTS,
    UPCOMING,
    day,
    facet_counts,
    local_start,
    matches,
)
from tests.factories import make_event, make_release, republish

AGENDA = "/news/agenda/"


def test_upcoming_soonest_first_then_past_newest_first(agenda_world, client):
    response = client.get(AGENDA)
    expected = [
        *["e01", "e02", "e03", "e04", "e05", "e06", "e07"],
        # p02 and p03 start at the same instant: the later made comes first.
        *["p01", "p03", "p02", "p04", "p05"],
    ]
    assert listed(response) == expected == matches({})
    assert result_count(response) == len(EVENTS)
    page = soup(response)
    headings = [h.get_text(strip=True) for h in page.select(".agenda__period")]
    assert headings == ["Upcoming events", "Past events"]
    # The heading of past events comes right before the first past event.
    past = page.select_one(".agenda__period:-soup-contains('Past events')")
    first_past = past.find_next("article").select_one("a")["href"]
    assert first_past == "/news/agenda/p01/"


def test_pages_keep_the_order(agenda_world, client, settings):
    settings.NEWSROOM_PAGE_SIZE = 5
    order = matches({})
    pages = [listed(client.get(AGENDA, {"page": n})) for n in (1, 2, 3)]
    assert pages == [order[0:5], order[5:10], order[10:12]]
    for page in ("4", "0", "-1", "abc"):
        assert client.get(AGENDA, {"page": page}).status_code == 404, page
    first = soup(client.get(AGENDA))
    assert first.select_one("a[rel=next]")["href"].endswith("page=2")
    filtered = {"sector": "metals", "page": "2"}
    assert listed(client.get(AGENDA, filtered)) == matches({"sector": "metals"})[5:]
    assert client.get(AGENDA, {**filtered, "page": "3"}).status_code == 404


FILTER_CASES = [
    {},
    {"official": "agus-gumiwang"},
    {"official": ["eko-cahyanto", "wang-jiangping"]},
    {"organisation": "bip"},
    {"organisation": ["miit", "bip"]},
    # a parent includes its subtree
    {"sector": "metals"},
    {"sector": "nickel-smelting"},
    {"sector": "energy"},
    {"sector": ["steel", "textiles"]},
    {"region": "indonesia"},
    {"region": "central-sulawesi"},
    {"region": "south-sulawesi"},
    {"region": "papua"},
    {"region": ["makassar", "china"]},
    {"topic": "nickel"},
    {"topic": ["green-industry", "batteries"]},
    {"regulation": "law-3-2020"},
    {"regulation": ["law-3-2020", "government-regulation-96-2021"]},
    {"q": "quorum"},  # a title
    {"q": "zeolite"},  # a summary
    {"q": "Pettarani"},  # a place
    {"q": "tungsten"},
    {"q": "tungsten roadmap"},
    {"q": "nothing-like-this"},
    # the event's own date: e03 is on day 8 in Jayapura, day 7 in Jakarta
    {"from": day(8)},
    {"to": day(7)},
    {"from": day(8), "to": day(8)},
    {"from": day(-10), "to": day(-10)},
    {"from": day(-40), "to": day(3)},
    {"to": day(-1)},
    # AND across parameters
    {"sector": "metals", "region": "indonesia"},
    {"official": "agus-gumiwang", "topic": "green-industry"},
    {"sector": "metals", "regulation": "law-3-2020", "from": day(0)},
    {"region": "indonesia", "organisation": "bip", "q": "estate"},
    {"sector": "textiles", "official": "agus-gumiwang"},
]
CASE_IDS = [
    "&".join(f"{k}={v}" for k, v in case.items()) or "none" for case in FILTER_CASES
]


def test_cases_cover_every_parameter():
    named = {name for case in FILTER_CASES for name in case}
    assert named == {*kinds.NAMES, "q", "from", "to"}
    assert sum(1 for case in FILTER_CASES if not matches(case)) == 2


@pytest.mark.parametrize("params", FILTER_CASES, ids=CASE_IDS)
def test_filters_select_the_events_python_selects(agenda_world, client, params):
    response = client.get(AGENDA, params)
    expected = matches(params)
    assert listed(response) == expected
    assert result_count(response) == len(expected)
    assert not errors_by_field(response)


@pytest.mark.parametrize("params", FILTER_CASES, ids=CASE_IDS)
def test_facet_counts_are_python_counts(agenda_world, client, params):
    expected = {facet: n for facet, n in facet_counts(params).items() if n}
    assert shown_counts(client.get(AGENDA, params)) == expected


def test_counts_are_the_agendas_own(agenda_world, client):
    """A release linking an entity counts on /news/, never on the agenda."""
    make_release("Steel release", sectors=[agenda_world.sectors["steel"]])
    counts = shown_counts(client.get(AGENDA))
    assert counts == {facet: n for facet, n in facet_counts({}).items() if n}
    assert counts["sector"]["steel"] == 3  # e04, p02, p04
    # The release made Steel no more known than it was; Chemicals, linked by
    # the release too, becomes a filter with no event.
    make_release("Chemical release", sectors=[agenda_world.sectors["chemicals"]])
    response = client.get(AGENDA, {"sector": "chemicals"})
    assert listed(response) == []
    assert not errors_by_field(response)


UNKNOWN_LABELS = {name: name for name in kinds.NAMES}


@pytest.mark.parametrize("name", sorted(UNKNOWN_LABELS))
def test_unknown_slug_is_a_form_error_and_filters_nothing(agenda_world, client, name):
    response = client.get(AGENDA, {name: "no-such-thing"})
    assert response.status_code == 200
    assert listed(response) == matches({})
    error = errors_by_field(response)[f"facet-{name}-error"]
    assert f"There is no {UNKNOWN_LABELS[name]}" in error and "no-such-thing" in error
    assert soup(response).select_one(f"fieldset#facet-{name} .form-error")


@pytest.mark.parametrize(
    ("name", "slug"),
    [("sector", "chemicals"), ("organisation", "idle-association")],
)
def test_an_entity_no_event_or_release_links_is_unknown(
    agenda_world, client, name, slug
):
    """It exists, but readers may not know of it: refused as a slug nothing has."""
    response = client.get(AGENDA, {name: slug})
    assert listed(response) == matches({})
    assert f"facet-{name}-error" in errors_by_field(response)
    assert client.get(f"/news/{kinds.get(name).segment}/{slug}/").status_code == 404


def test_unknown_slug_leaves_other_filters_applied(agenda_world, client):
    response = client.get(AGENDA, {"sector": "no-such-sector", "region": "china"})
    assert listed(response) == matches({"region": "china"})
    assert set(errors_by_field(response)) == {"facet-sector-error"}


def test_malformed_and_inverted_dates(agenda_world, client):
    response = client.get(AGENDA, {"from": "2023-02-30", "to": day(-1)})
    assert listed(response) == matches({"to": day(-1)})
    assert set(errors_by_field(response)) == {"filter-from-error"}
    response = client.get(AGENDA, {"from": day(5), "to": day(-5)})
    assert set(errors_by_field(response)) == {"filter-to-error"}
    assert listed(response) == matches({"from": day(5)})


def test_the_form_speaks_of_events(agenda_world, client):
    page = soup(client.get(AGENDA))
    assert page.select_one("form#filters")["aria-label"] == "Filter events"
    assert page.select_one("fieldset.facet--dates legend").get_text() == "Event date"
    # The agenda's order is its time line: there is nothing to sort by.
    assert page.select_one("#filter-sort") is None


def test_sort_has_no_say(agenda_world, client):
    for sort in ("oldest", "newest", "relevance", "bogus"):
        assert listed(client.get(AGENDA, {"sort": sort})) == matches({}), sort
    # but a search may still be ranked by relevance when asked to
    params = {"q": "tungsten", "sort": "relevance"}
    for path in (AGENDA, f"{AGENDA}feed/", f"{AGENDA}calendar.ics"):
        assert client.get(path, params).status_code == 200, path
    assert sorted(listed(client.get(AGENDA, params))) == sorted(matches(params))


def test_cards_show_status_zone_and_place(agenda_world, client):
    page = soup(client.get(AGENDA))
    cards = {
        card.select_one("a")["href"].rstrip("/").rsplit("/", 1)[-1]: card
        for card in page.select(".event-card")
    }
    assert set(cards) == set(EVENTS)
    e01 = cards["e01"].get_text(" ", strip=True)
    assert "09:00" in e01 and "10:30" in e01 and "WITA" in e01
    assert "Governor's office, Makassar" in e01
    assert "WIT" in cards["e03"].get_text() and "00:30" in cards["e03"].get_text()
    assert "15:00" in cards["e04"].get_text() and "CST" in cards["e04"].get_text()
    assert cards["e06"].select_one(".event-status--cancelled").get_text() == (
        "Cancelled"
    )
    assert "event-card--provisional" in cards["e02"]["class"]
    # the time element carries the instant, the text the local time
    for key, card in cards.items():
        instant = datetime.datetime.fromisoformat(card.select_one("time")["datetime"])
        assert instant == local_start(key), key


def test_upcoming_block_on_home_and_hubs(agenda_world, client):
    def upcoming(path):
        block = soup(client.get(path)).select_one("section.upcoming-events")
        if block is None:
            return []
        return [
            a["href"].rstrip("/").rsplit("/", 1)[-1]
            for a in block.select(".release-card__title a")
        ]

    assert upcoming("/") == UPCOMING[:3]
    assert (
        upcoming("/news/sectors/metals/")
        == [key for key in matches({"sector": "metals"}) if key in UPCOMING][:3]
    )
    assert upcoming("/news/officials/wang-jiangping/") == ["e04"]
    assert upcoming("/news/regions/central-sulawesi/") == ["e05"]
    assert upcoming("/news/topics/batteries/") == ["e03"]
    # A hub with releases and no event to come has no block.
    make_release("Chemical release", sectors=[agenda_world.sectors["chemicals"]])
    assert client.get("/news/sectors/chemicals/").status_code == 200
    assert upcoming("/news/sectors/chemicals/") == []
    block = soup(client.get("/")).select_one("section.upcoming-events")
    assert block.select_one("a[href='/news/agenda/']")


def test_headings_nest(agenda_world, client):
    """Events sit under "Upcoming events" and "Past events" (h3) on the agenda,
    and under the block's own h2 on the home page."""
    page = soup(client.get(AGENDA))
    levels = [h.name for h in page.select(".results h2, .results h3, .results h4")]
    assert levels[:3] == ["h2", "h3", "h4"]
    assert {h.name for h in page.select(".event-card .release-card__title")} == {"h4"}
    block = soup(client.get("/")).select_one("section.upcoming-events")
    assert block.select_one("h2") is not None
    assert {h.name for h in block.select(".release-card__title")} == {"h3"}


def test_an_event_under_way_is_not_past(agenda_world, client):
    """A three-day expo on its second day: first among the events to come, on
    the home page's block too, and not yet "taken place"."""
    expo = make_event(
        "Smelter expo",
        start=timezone.now() - datetime.timedelta(days=1),
        end=datetime.timedelta(days=3),
        slug="smelter-expo",
        sectors=[agenda_world.sectors["metals"]],
        parent=agenda_world.agenda,
    )
    assert listed(client.get(AGENDA)) == ["smelter-expo", *matches({})]
    home = soup(client.get("/")).select_one("section.upcoming-events")
    first = home.select_one(".release-card__title a")["href"]
    assert first == expo.url
    page = soup(client.get(expo.url)).get_text()
    assert "This event has taken place." not in page
    # Once it has ended, it is the latest of the past ones.
    ended = republish(expo, end=timezone.now() - datetime.timedelta(minutes=5))
    order = listed(client.get(AGENDA))
    assert order.index("smelter-expo") == len(UPCOMING)
    assert "This event has taken place." in soup(client.get(ended.url)).get_text()


def test_a_region_moved_takes_its_events_along(agenda_world, client):
    """Jayapura moved from Papua to South Sulawesi: its hearing (e03) is found
    under its new province, no longer under the old one."""
    jayapura = agenda_world.regions["jayapura"]
    south = agenda_world.regions["south-sulawesi"]
    jayapura.move(south, "sorted-child")
    assert listed(client.get(AGENDA, {"region": "papua"})) == ["p03"]
    assert listed(client.get(AGENDA, {"region": "south-sulawesi"})) == ["e01", "e03"]
    counts = shown_counts(client.get(AGENDA))["region"]
    assert counts["papua"] == 1 and counts["south-sulawesi"] == 2
