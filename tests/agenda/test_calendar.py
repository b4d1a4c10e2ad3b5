"""iCalendar (RFC 5545): the agenda's calendar with the listing's filters, each
hub's, and one event's; parsed with icalendar as a calendar program would."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from newsroom.channels.agenda import add_time_zones
from newsroom.models import EventPage
from tests.agenda.reading import calendar, listed, uid_pk, uids, vevents
from tests.agenda.world import EVENTS, day, local_end, local_start, matches
from tests.factories import (
    admin_form_errors,
    event_admin_form_data,
    event_admin_url,
    make_event,
    republish,
)

CALENDAR = "/news/agenda/calendar.ics"
ZONES = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Shanghai"}


def keys_of(world, response):
    by_pk = {event.pk: key for key, event in world.events.items()}
    return [by_pk[uid_pk(uid)] for uid in uids(response)]


def entry_of(response, event):
    found = [e for e in vevents(response) if uid_pk(str(e["UID"])) == event.pk]
    assert len(found) == 1
    return found[0]


def test_every_event_in_its_own_zone(agenda_world, client):
    response = client.get(CALENDAR)
    parsed = calendar(response)
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["METHOD"]) == "PUBLISH"
    # One VTIMEZONE per zone used, the three of Indonesia and China's.
    zones = [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")]
    assert sorted(zones) == sorted(ZONES)
    for key, event in agenda_world.events.items():
        entry = entry_of(response, event)
        zone = EVENTS[key][3]
        assert entry["DTSTART"].params["TZID"] == zone, key
        start = entry["DTSTART"].dt
        assert start.tzinfo.key == zone
        assert start == local_start(key)
        # the wall-clock time is the invitation's
        assert start.strftime("%H:%M") == EVENTS[key][2]
        if local_end(key) is None:
            assert "DTEND" not in entry, key
        else:
            assert entry["DTEND"].params["TZID"] == zone
            assert entry["DTEND"].dt == local_end(key)
        assert entry["DTSTAMP"].dt.tzinfo is not None
    # the VTIMEZONEs carry the zones' offsets
    offsets = {
        str(tz["TZID"]): tz.walk("STANDARD")[0]["TZOFFSETTO"].td
        for tz in parsed.walk("VTIMEZONE")
    }
    hours = {zone: offset.total_seconds() / 3600 for zone, offset in offsets.items()}
    assert hours["Asia/Jakarta"] == 7
    assert hours["Asia/Makassar"] == 8
    assert hours["Asia/Jayapura"] == 9


def test_status_location_url_and_description(agenda_world, client):
    response = client.get(CALENDAR)
    events = agenda_world.events
    expected_status = {
        "e01": "CONFIRMED",
        "e02": "TENTATIVE",  # provisional
        "e05": "TENTATIVE",  # postponed
        "e06": "CANCELLED",
    }
    for key, status in expected_status.items():
        assert str(entry_of(response, events[key])["STATUS"]) == status, key
    e01 = entry_of(response, events["e01"])
    assert str(e01["LOCATION"]) == "Governor's office, Makassar"
    assert str(e01["URL"]) == "http://localhost/news/agenda/e01/"
    assert str(e01["SUMMARY"]) == EVENTS["e01"][0]
    assert str(e01["DESCRIPTION"]) == EVENTS["e01"][7]
    assert int(e01["SEQUENCE"]) == 0
    assert str(entry_of(response, events["e05"])["DESCRIPTION"]).startswith("POSTPONED")
    e06 = entry_of(response, events["e06"])
    assert "LOCATION" not in e06  # no place given
    assert str(e06["DESCRIPTION"]) == "CANCELLED"


CALENDAR_CASES = [
    {},
    {"sector": "metals"},
    {"region": "indonesia"},
    {"region": ["makassar", "china"]},
    {"official": "eko-cahyanto"},
    {"organisation": "bip"},
    {"topic": ["green-industry", "batteries"]},
    {"regulation": "law-3-2020"},
    {"q": "tungsten"},
    {"from": day(8), "to": day(8)},
    {"to": day(-1)},
    {"sector": "metals", "region": "indonesia", "from": day(-20)},
    {"sector": "textiles", "official": "agus-gumiwang"},
]


@pytest.mark.parametrize("params", CALENDAR_CASES)
def test_the_agenda_calendar_has_the_listings_events(agenda_world, client, params):
    response = client.get(CALENDAR, params)
    keys = keys_of(agenda_world, response)
    assert keys == listed(client.get("/news/agenda/", params)) == matches(params)


HUBS = [
    ("sector", "metals", {}),
    ("sector", "nickel-smelting", {"region": "central-sulawesi"}),
    ("region", "indonesia", {}),
    ("region", "papua", {"from": day(0)}),
    ("official", "agus-gumiwang", {"topic": "green-industry"}),
    ("organisation", "bip", {}),
    ("topic", "nickel", {}),
    ("regulation", "law-3-2020", {"to": day(-1)}),
]


@pytest.mark.parametrize(("facet", "slug", "params"), HUBS)
def test_each_hub_calendar_has_the_hubs_events(
    agenda_world, client, facet, slug, params
):
    path = f"/news/{facet}s/{slug}/calendar.ics"
    response = client.get(path, params)
    expected = matches(params, scope=(facet, slug))
    assert keys_of(agenda_world, response) == expected
    # the agenda's listing filtered by the hub's entity gives the same events
    assert listed(client.get("/news/agenda/", {facet: slug, **params})) == expected
    name = calendar(response)["X-WR-CALNAME"]
    assert str(name).startswith("Agenda — Events: ")


def test_bad_parameters_and_places_without_a_calendar(agenda_world, client):
    response = client.get(CALENDAR, {"sector": "no-such-sector"})
    assert response.status_code == 400
    assert "sector" in response.content.decode()
    assert client.get(CALENDAR, {"from": "yesterday"}).status_code == 400
    for path in [
        "/news/sectors/no-such-sector/calendar.ics",
        "/news/sectors/chemicals/calendar.ics",  # not known to readers
        "/news/calendar.ics",
        "/news/sectors/calendar.ics",
        "/news/agenda/feed/calendar.ics",
        "/news/agenda/no-such-event/calendar.ics",
        "/calendar.ics",
    ]:
        assert client.get(path).status_code == 404, path


def test_one_events_calendar_is_an_attachment(agenda_world, client):
    response = client.get("/news/agenda/e03/calendar.ics")
    assert response["Content-Disposition"] == 'attachment; filename="e03.ics"'
    parsed = calendar(response)
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Jayapura"]
    (entry,) = parsed.walk("VEVENT")
    assert uid_pk(str(entry["UID"])) == agenda_world.events["e03"].pk
    assert str(parsed["X-WR-CALNAME"]) == EVENTS["e03"][0]


def test_an_event_with_a_unicode_slug_has_a_calendar(agenda_world, client):
    event = make_event(
        "Kunjungan ke Beijing", slug="kunjungan-北京", zone="Asia/Shanghai"
    )
    response = client.get(f"{event.url}calendar.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''kunjungan-%E5%8C%97%E4%BA%AC.ics"
        in (response["Content-Disposition"])
    )
    assert len(vevents(response)) == 1


def test_the_uid_stays_whatever_changes(agenda_world, client):
    event = agenda_world.events["e02"]
    before = entry_of(client.get(CALENDAR), event)
    moved = republish(
        event,
        title="Solar wafer plant visit (new date)",
        slug="wafer-visit",
        start=event.start + datetime.timedelta(days=1),
        end=event.end + datetime.timedelta(days=1),
    )
    after = entry_of(client.get(CALENDAR), moved)
    assert after["UID"] == before["UID"] == f"event-{event.pk}@localhost"
    assert str(after["URL"]) == "http://localhost/news/agenda/wafer-visit/"
    assert after["DTSTART"].dt == before["DTSTART"].dt + datetime.timedelta(days=1)
    one = vevents(client.get("/news/agenda/wafer-visit/calendar.ics"))[0]
    assert one["UID"] == before["UID"]


def post_event(client, event, **fields):
    response = client.post(
        event_admin_url(event), event_admin_form_data(event, "publish", **fields)
    )
    assert response.status_code == 302, admin_form_errors(response)
    return EventPage.objects.get(pk=event.pk)


def test_sequence_rises_with_each_public_change_only(
    agenda_world, admin_client, client
):
    event = agenda_world.events["e01"]
    paths = [CALENDAR, f"{event.url}calendar.ics", "/news/sectors/metals/calendar.ics"]

    def entries():
        return [entry_of(client.get(path), event) for path in paths]

    assert [int(e["SEQUENCE"]) for e in entries()] == [0, 0, 0]
    event = post_event(
        admin_client,
        event,
        start=(local_start("e01") + datetime.timedelta(days=1)).strftime(
            "%Y-%m-%d %H:%M"
        ),
        end=(local_end("e01") + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        change_reason="The regent asked for a later day.",
    )
    for entry in entries():
        assert int(entry["SEQUENCE"]) == 1
        assert entry["DTSTART"].dt == local_start("e01") + datetime.timedelta(days=1)
        assert "The regent asked for a later day." in str(entry["DESCRIPTION"])
    # Published again with nothing readers see changed: the same sequence.
    event = post_event(admin_client, event, summary=EVENTS["e01"][7])
    assert [int(e["SEQUENCE"]) for e in entries()] == [1, 1, 1]
    event = post_event(
        admin_client,
        event,
        status="cancelled",
        change_reason="The minister must attend a cabinet meeting.",
    )
    for entry in entries():
        assert int(entry["SEQUENCE"]) == 2
        assert str(entry["STATUS"]) == "CANCELLED"
        description = str(entry["DESCRIPTION"])
        assert description.startswith("CANCELLED")
        # newest change first, each with its reason
        assert description.index("cabinet meeting") < description.index("regent")
    assert event.sequence == 2


def test_the_calendar_parses_back_to_what_it_was(agenda_world, client):
    """What icalendar writes it reads back the same: nothing lost in escaping."""
    body = client.get(CALENDAR).content
    assert Calendar.from_ical(body).to_ical() == body


def test_zones_are_worked_out_once_and_each_calendar_gets_its_own():
    def calendar_with_events_in(*zones):
        made = Calendar()
        for zone in zones:
            entry = Event()
            entry.add(
                "dtstart", datetime.datetime(2026, 5, 1, 9, tzinfo=ZoneInfo(zone))
            )
            made.add_component(entry)
        return made

    zones = ("Asia/Makassar", "Asia/Jakarta")
    first, second, icalendars = (calendar_with_events_in(*zones) for _ in range(3))
    add_time_zones(first)
    add_time_zones(second)
    icalendars.add_missing_timezones()
    # What icalendar itself adds, the zones in a fixed order.
    assert [str(tz["TZID"]) for tz in first.timezones] == sorted(zones)
    assert first.to_ical() == second.to_ical()
    assert sorted(tz.to_ical() for tz in first.timezones) == sorted(
        tz.to_ical() for tz in icalendars.timezones
    )
    # A calendar changing its zone must not change the next one's.
    assert first.timezones[0] is not second.timezones[0]
    first.timezones[0]["TZID"] = "Changed"
    assert str(second.timezones[0]["TZID"]) == "Asia/Jakarta"
