"""What the agenda adds to other pages: each hub's "Subscribe to calendar" link,
and searching the agenda by the names of whom and what an event links."""

import pytest
from icalendar import Calendar

from tests.agenda.reading import listed, soup
from tests.agenda.world import matches

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
