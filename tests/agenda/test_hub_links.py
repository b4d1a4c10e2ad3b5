"""What the agenda adds to other pages: each hub's "Subscribe to calendar" link,
and searching the agenda by the names of whom and what an event links."""

import re

import pytest
from icalendar import Calendar

from tests.agenda.reading import listed, soup
from tests.agenda.world import UPCOMING, all_slugs, matches

AGENDA = "/news/agenda/"


@pytest.mark.parametrize(
    "hub",
    [
        "/news/sectors/metals/",
        "/news/officials/wang-jiangping/",
        "/news/regions/central-sulawesi/",
        "/news/sectors/chemicals/",  # no event: its calendar is empty, not absent
    ],
)
def test_each_hub_links_its_calendar(agenda_world, client, hub):
    from tests.factories import make_release

    make_release("Chemical release", sectors=[agenda_world.sectors["chemicals"]])
    page = soup(client.get(hub))
    webcal = page.select_one("a.calendar-subscribe__webcal")
    https = page.select_one("a.calendar-subscribe__https")
    assert webcal.get_text() == "Subscribe to calendar"
    assert https["href"] == f"http://testserver{hub}calendar.ics"
    assert webcal["href"] == f"webcal://testserver{hub}calendar.ics"
    response = client.get(https["href"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    Calendar.from_ical(response.content)


def test_the_home_page_has_no_hub_calendar_link(agenda_world, client):
    assert soup(client.get("/")).select_one(".calendar-subscribe") is None


@pytest.mark.parametrize(
    "words",
    ["Jiangping", "Wang Jiangping", "Bahodopi", "Morowali Regency", "batteries"],
)
def test_search_finds_events_by_linked_names(agenda_world, client, words):
    expected = matches({"q": words})
    assert expected  # every word names something some event links
    assert sorted(listed(client.get(AGENDA, {"q": words}))) == sorted(expected)


INDEXES = {
    "official": ("officials", ["agus-gumiwang", "eko-cahyanto", "wang-jiangping"]),
    "organisation": ("organisations", ["kemenperin", "miit", "bip"]),
    "sector": ("sectors", ["metals", "nickel-smelting", "energy", "textiles"]),
    "region": ("regions", ["indonesia", "makassar", "china", "jayapura"]),
}


@pytest.mark.parametrize("facet", INDEXES)
def test_entities_named_only_by_events_have_hubs(agenda_world, client, facet):
    """The world has no release: every entity is known by its events alone."""
    segment, some = INDEXES[facet]
    page = soup(client.get(f"/news/{segment}/"))
    shown = {
        item.select_one("a")["href"].rstrip("/").rsplit("/", 1)[-1]: item
        for item in page.select(".entity-index li")
    }
    linked = {slug for slug in all_slugs(facet) if matches({facet: slug})}
    assert set(shown) == linked and set(some) <= linked
    for slug, item in shown.items():
        events = len(matches({facet: slug}))
        assert item.select_one(".entity-index__events").get_text() == (
            f"{events} event" if events == 1 else f"{events} events"
        ), slug
        assert item.select_one(".entity-index__count") is None, slug
    # and each hub works, with its upcoming events
    for slug in some:
        hub = soup(client.get(f"/news/{segment}/{slug}/"))
        cards = [
            a["href"].rstrip("/").rsplit("/", 1)[-1]
            for a in hub.select("section.upcoming-events .release-card__title a")
        ]
        upcoming = [key for key in matches({facet: slug}) if key in UPCOMING]
        assert cards == upcoming[:3], slug


def test_entities_without_a_listed_event_have_no_hub(agenda_world, client):
    assert client.get("/news/sectors/chemicals/").status_code == 404
    assert client.get("/news/organisations/idle-association/").status_code == 404
    text = client.get("/news/sectors/").content.decode()
    assert "/news/sectors/chemicals/" not in text


def test_a_release_and_events_both_count(agenda_world, client):
    from tests.factories import make_release

    make_release("Steel release", sectors=[agenda_world.sectors["steel"]])
    page = soup(client.get("/news/sectors/"))
    item = page.select_one(".entity-index a[href='/news/sectors/steel/']").parent
    assert item.select_one(".entity-index__count").get_text() == "1 release"
    events = len(matches({"sector": "steel"}))
    assert item.select_one(".entity-index__events").get_text() == f"{events} events"


def test_the_sitemap_lists_hubs_of_event_only_entities(agenda_world, client):
    text = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>([^<]+)</loc>", text))
    for facet, (segment, _some) in INDEXES.items():
        for slug in all_slugs(facet):
            url = f"http://localhost/news/{segment}/{slug}/"
            assert (url in locations) == bool(matches({facet: slug})), url
