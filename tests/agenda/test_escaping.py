"""An event's text stays text: a script, an image with a handler, quotes and an
ampersand in every field an editor fills in (and in the search a reader types)
come out escaped on the page, the listing, the upcoming blocks and the Atom
feed, and as the very same characters, plain text, in the iCalendar files."""

import datetime

import pytest
from icalendar import Calendar

from newsroom.models import EventPage
from tests.factories import (
    SectorFactory,
    admin_form_errors,
    default_agenda,
    event_admin_form_data,
    event_admin_url,
    make_event,
    make_official,
    make_release,
)
from tests.matrices.test_escaping_matrix import FeedOutput, HtmlOutput

pytestmark = pytest.mark.django_db

PAYLOAD = (
    "</script><script>alert(1)</script><img src=x onerror=alert(1)>"
    "\" onblur=alert(1) '&"
)
# A newline and a property: a calendar field must not start a line of its own.
ICS_BREAKOUT = "\r\nUID:forged@example.org\r\nEND:VEVENT"
# The search as the listing keeps it: double quotes are search syntax to SQLite.
SEARCHED = " ".join(PAYLOAD.replace('"', " ").split())


def value(name):
    return f"{name}: {PAYLOAD}"


@pytest.fixture
def hostile(admin_client, newsroom):
    """An event whose every text field holds the payload, made and moved in the
    admin (so its change log holds a hostile reason too)."""
    agenda = default_agenda()
    sector = SectorFactory(name="Nickel smelting", slug="nickel-smelting")
    official = make_official("Siti Rahma")
    event = make_event(
        value("title"),
        start=datetime.datetime(2030, 3, 4, 9, 0),
        end=datetime.timedelta(hours=1),
        zone="Asia/Makassar",
        slug="hostile-event",
        summary=value("summary"),
        place=value("place") + ICS_BREAKOUT,
        address=value("address"),
        accreditation=value("accreditation"),
        media_contact_name=value("contact"),
        sectors=[sector],
        officials=[(official, value("role"))],
        parent=agenda,
    )
    response = admin_client.post(
        event_admin_url(event),
        event_admin_form_data(
            event,
            "publish",
            start="2030-03-05 09:00",
            end="2030-03-05 10:00",
            change_reason=value("reason"),
        ),
    )
    assert response.status_code == 302, admin_form_errors(response)
    return EventPage.objects.get(pk=event.pk)


SHOWN_ON_THE_PAGE = [
    "title",
    "summary",
    "place",
    "address",
    "accreditation",
    "contact",
    "role",
    "reason",
]
SHOWN_ON_CARDS = ["title", "summary", "place"]


def html(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200, (path, response.status_code)
    return HtmlOutput(response)


def test_the_event_page(client, hostile):
    page = html(client, hostile.url)
    for name in SHOWN_ON_THE_PAGE:
        assert page.shows(value(name)), name


@pytest.mark.parametrize(
    "path", ["/news/agenda/", "/", "/news/sectors/nickel-smelting/"]
)
def test_cards(client, hostile, path):
    page = html(client, path)
    for name in SHOWN_ON_CARDS:
        assert page.shows(value(name)), (path, name)


def test_a_readers_search_is_echoed_as_text(client, hostile):
    page = html(client, "/news/agenda/", {"q": PAYLOAD})
    assert page.shows(SEARCHED)


def test_the_atom_feed(client, hostile):
    for params in ({}, {"q": "title"}):
        response = client.get("/news/agenda/feed/", params)
        assert response.status_code == 200
        output = FeedOutput(response)
        for name in ("title", "summary", "reason"):
            assert output.shows(value(name)), name
        # summaries are text for the reader to show as such, not markup
        assert b'<summary type="text">' in response.content
    output = FeedOutput(client.get("/news/agenda/feed/", {"q": PAYLOAD}))
    assert output.shows(SEARCHED)


@pytest.mark.parametrize(
    "path",
    [
        "/news/agenda/calendar.ics",
        "/news/agenda/hostile-event/calendar.ics",
        "/news/sectors/nickel-smelting/calendar.ics",
    ],
)
def test_calendars_carry_the_characters_as_plain_text(client, hostile, path):
    response = client.get(path)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    # Not HTML: nothing is escaped as for a browser.
    assert "&lt;" not in body and "&amp;" not in body and "&#" not in body
    # No value starts a line of its own: the forged UID stays inside LOCATION.
    assert "\r\nUID:forged" not in body and "\nUID:forged" not in body
    parsed = Calendar.from_ical(response.content)
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{hostile.pk}@localhost"
    assert str(entry["SUMMARY"]) == value("title")
    # (a line break is one, written as \n, whichever the editor typed)
    place = value("place") + ICS_BREAKOUT.replace("\r\n", "\n")
    assert str(entry["LOCATION"]) == f"{place}, {value('address')}"
    description = str(entry["DESCRIPTION"])
    for name in ("summary", "reason", "accreditation"):
        assert value(name) in description, name


def test_a_search_in_the_calendars_name_is_plain_text(client, hostile):
    response = client.get("/news/agenda/calendar.ics", {"q": "title"})
    name = str(Calendar.from_ical(response.content)["X-WR-CALNAME"])
    assert "title" in name
    response = client.get("/news/agenda/calendar.ics", {"q": PAYLOAD})
    assert response.status_code == 200
    name = str(Calendar.from_ical(response.content)["X-WR-CALNAME"])
    assert SEARCHED in name


def test_the_outcome_release_names_the_event_as_text(client, hostile):
    release = make_release("Licence granted", slug="licence-granted")
    hostile.outcomes.create(release=release, sort_order=0)
    hostile.save_revision().publish()
    page = html(client, release.url)
    assert page.shows(value("title"))
