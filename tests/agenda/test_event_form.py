"""The event editor's form (EventForm), posted to the Wagtail admin as an editor's
browser posts it: times in the event's zone, public changes and their reasons,
roles of the day, entities listed once."""

import datetime
import re
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from wagtail.users.models import UserProfile

from newsroom.models import EventChange, EventPage
from tests.agenda.reading import feed
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

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MAKASSAR = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture
def agenda(newsroom):
    return default_agenda()


def add(client, agenda, **fields):
    data = event_admin_form_data(action="publish", **fields)
    response = client.post(event_admin_url(agenda=agenda), data)
    assert response.status_code == 302, admin_form_errors(response)
    return EventPage.objects.get(slug=fields.get("slug", "smelter-conference"))


def edit(client, event, action="publish", **fields):
    """Post the edit form; the response (a 302 when saved)."""
    return client.post(
        event_admin_url(event), event_admin_form_data(event, action, **fields)
    )


def saved(response):
    assert response.status_code == 302, admin_form_errors(response)


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return admin_form_errors(response)


def shown_value(client, event, name):
    page = BeautifulSoup(client.get(event_admin_url(event)).content, "html.parser")
    field = page.select_one(f"[name={name}]")
    return field.get("value") if field.name == "input" else field.get_text().strip()


@pytest.fixture
def published(agenda):
    """A confirmed, published event: 9:00 to 10:30 WITA on 2 March 2030."""
    return make_event(
        "Minister opens the smelter conference",
        start=datetime.datetime(2030, 3, 2, 9, 0),
        end=datetime.datetime(2030, 3, 2, 10, 30),
        zone="Asia/Makassar",
        slug="smelter-conference",
        place="Governor's office, Makassar",
    )


# --- times in the event's zone ---------------------------------------------------


@pytest.mark.parametrize("editor_zone", ["", "America/New_York"])
def test_time_typed_in_the_events_zone(admin_client, admin_user, agenda, editor_zone):
    """09:00 typed with Asia/Makassar is 01:00 UTC, whatever the editor's own
    zone, and is shown back as 09:00."""
    profile = UserProfile.get_for_user(admin_user)
    profile.current_time_zone = editor_zone
    profile.save()
    event = add(
        admin_client,
        agenda,
        start="2030-03-02 09:00",
        end="2 March 2030 10.30",  # as editors type it, too
        timezone="Asia/Makassar",
    )
    assert event.start == datetime.datetime(2030, 3, 2, 1, 0, tzinfo=UTC)
    assert event.end == datetime.datetime(2030, 3, 2, 2, 30, tzinfo=UTC)
    assert event.event_date == datetime.date(2030, 3, 2)
    assert shown_value(admin_client, event, "start") == "2030-03-02 09:00"
    assert shown_value(admin_client, event, "end") == "2030-03-02 10:30"
    page = BeautifulSoup(admin_client.get(event.url).content, "html.parser")
    when = page.select_one(".release__meta").get_text(" ", strip=True)
    assert "09:00 – 10:30 WITA" in " ".join(when.replace("–", " – ").split())


def test_a_date_after_midnight_in_jayapura(admin_client, agenda):
    """00:30 WIT is the day before in UTC and in Jakarta: the event's date is its
    own zone's."""
    event = add(
        admin_client, agenda, start="2030-03-02 00:30", timezone="Asia/Jayapura"
    )
    assert event.start == datetime.datetime(2030, 3, 1, 15, 30, tzinfo=UTC)
    assert event.event_date == datetime.date(2030, 3, 2)
    assert shown_value(admin_client, event, "start") == "2030-03-02 00:30"


def test_changing_the_zone_keeps_the_typed_time(admin_client, published):
    saved(edit(admin_client, published, action=None, timezone="Asia/Jakarta",
               change_reason="Held in Jakarta instead."))  # fmt: skip
    draft = EventPage.objects.get(pk=published.pk).get_latest_revision_as_object()
    assert draft.start == datetime.datetime(2030, 3, 2, 2, 0, tzinfo=UTC)
    assert shown_value(admin_client, published, "start") == "2030-03-02 09:00"


def test_a_zone_that_does_not_exist_and_an_end_before_the_start(admin_client, agenda):
    data = event_admin_form_data(action="publish", timezone="Asia/Atlantis")
    errors = form_errors(admin_client.post(event_admin_url(agenda=agenda), data))
    assert "Asia/Atlantis" in errors["timezone"][0]
    data = event_admin_form_data(
        action="publish", start="2030-03-02 09:00", end="2030-03-02 08:00"
    )
    errors = form_errors(admin_client.post(event_admin_url(agenda=agenda), data))
    assert errors["end"] == ["The end is before the start."]
    assert not EventPage.objects.exists()


def test_a_slug_the_agendas_feed_holds_is_refused(admin_client, client, agenda):
    """/news/agenda/feed/ is the agenda's Atom feed: an event there could never
    be read."""
    data = event_admin_form_data(action="publish", slug="feed")
    errors = form_errors(admin_client.post(event_admin_url(agenda=agenda), data))
    assert "reserved" in errors["slug"][0]
    assert not EventPage.objects.exists()
    assert client.get("/news/agenda/feed/")["Content-Type"].startswith(
        "application/atom+xml"
    )


# --- public changes need a reason ------------------------------------------------


def test_moving_a_published_confirmed_event_needs_a_reason(admin_client, published):
    for action in ("publish", None):
        response = edit(
            admin_client,
            published,
            action,
            start="2030-03-03 09:00",
            end="2030-03-03 10:30",
        )
        errors = form_errors(response)
        assert list(errors) == ["change_reason"]
        assert "Give the public reason" in errors["change_reason"][0]
        assert "moved" in errors["change_reason"][0]
    stored = EventPage.objects.get(pk=published.pk)
    assert stored.start == published.start
    assert stored.sequence == 0
    assert not EventChange.objects.exists()


@pytest.mark.parametrize("status", ["cancelled", "postponed"])
def test_cancelling_or_postponing_needs_a_reason(admin_client, published, status):
    errors = form_errors(edit(admin_client, published, status=status))
    assert status in errors["change_reason"][0]
    saved(edit(admin_client, published, status=status, change_reason="Floods."))
    stored = EventPage.objects.get(pk=published.pk)
    assert stored.status == status
    assert stored.sequence == 1
    assert [(c.change, c.reason) for c in stored.changes.all()] == [(status, "Floods.")]
    # the notice on the page says why
    page = BeautifulSoup(admin_client.get(stored.url).content, "html.parser")
    notice = page.select_one(".notice--withdrawn").get_text(" ", strip=True)
    assert f"This event has been {status}" in notice and "Floods." in notice


def test_a_provisional_event_moves_without_a_reason(admin_client, agenda):
    event = make_event(
        "Visit",
        start=datetime.datetime(2030, 3, 2, 9, 0),
        zone="Asia/Makassar",
        status="provisional",
    )
    saved(edit(admin_client, event, start="2030-03-04 09:00"))
    stored = EventPage.objects.get(pk=event.pk)
    assert stored.start == datetime.datetime(2030, 3, 4, 1, 0, tzinfo=UTC)
    assert stored.sequence == 1
    assert [c.change for c in stored.changes.all()] == ["moved"]
    # but cancelling it does need one
    assert "change_reason" in form_errors(
        edit(admin_client, stored, status="cancelled")
    )


def test_an_event_never_published_changes_freely(admin_client, agenda):
    event = make_event(
        "Draft visit", start=datetime.datetime(2030, 3, 2, 9, 0), live=False
    )
    saved(edit(admin_client, event, action=None, start="2030-03-05 09:00"))
    saved(edit(admin_client, event, status="cancelled"))
    stored = EventPage.objects.get(pk=event.pk)
    assert stored.live and stored.status == "cancelled" and stored.sequence == 0
    assert not stored.changes.exists()


def test_a_move_with_a_reason_logs_one_change_however_often_the_draft_is_saved(
    admin_client, client, published
):
    reason = 'The regent asked for <a later> day & "quieter" roads.'
    saved(
        edit(
            admin_client,
            published,
            action=None,
            start="2030-03-03 09:00",
            end="2030-03-03 10:30",
            change_reason=reason,
        )
    )
    # The editor comes back to the draft and saves it again, reason and all.
    assert shown_value(admin_client, published, "change_reason") == reason
    saved(edit(admin_client, published, action=None, summary="Rescheduled."))
    draft = EventPage.objects.get(pk=published.pk).get_latest_revision_as_object()
    assert [(c.change, c.reason) for c in draft.changes.all()] == [("moved", reason)]
    # Readers still see the published time, and no change.
    assert "Changes" not in client.get(published.url).content.decode()
    saved(edit(admin_client, published))
    stored = EventPage.objects.get(pk=published.pk)
    assert stored.sequence == 1
    changes = list(EventChange.objects.filter(page=stored))
    assert [(c.change, c.reason) for c in changes] == [("moved", reason)]
    assert changes[0].previous_start == published.start
    assert stored.start == datetime.datetime(2030, 3, 3, 1, 0, tzinfo=UTC)

    # The page, the Atom feed and the calendar all give the reason.
    page = BeautifulSoup(client.get(stored.url).content, "html.parser")
    log = page.select_one(".event__changes").get_text(" ", strip=True)
    assert "Moved" in log and reason in log
    assert "was 2 March 2030, 09:00 WITA" in log  # in the event's zone
    (entry,) = feed(client.get("/news/agenda/feed/")).entries
    assert reason in entry.summary
    ics = Calendar.from_ical(client.get(f"{stored.url}calendar.ics").content)
    assert reason in str(ics.walk("VEVENT")[0]["DESCRIPTION"])
    # Published again without a change: nothing more is logged.
    saved(edit(admin_client, stored))
    assert EventChange.objects.filter(page=stored).count() == 1
    assert EventPage.objects.get(pk=stored.pk).sequence == 1


def test_moving_back_before_publishing_logs_nothing(admin_client, published):
    saved(edit(admin_client, published, action=None, start="2030-03-03 09:00",
               end="2030-03-03 10:30", change_reason="Moved a day."))  # fmt: skip
    saved(edit(admin_client, published, start="2030-03-02 09:00",
               end="2030-03-02 10:30"))  # fmt: skip
    stored = EventPage.objects.get(pk=published.pk)
    assert stored.start == published.start
    assert stored.sequence == 0
    assert not stored.changes.exists()


# --- links -----------------------------------------------------------------------


def test_a_blank_role_is_the_appointment_on_the_events_date(admin_client, agenda):
    """A reshuffle took effect on 2 March 2030. An event at 00:30 WIT that day is
    on 1 March in UTC: the role is the one of the event's own date."""
    official = make_official(
        "Siti Rahma",
        [
            ("Director General", "Ministry of Industry", "2020-01-01", "2030-03-01"),
            ("Minister of Industry", "Ministry of Industry", "2030-03-02", None),
        ],
    )
    event = add(
        admin_client,
        agenda,
        start="2030-03-02 00:30",
        timezone="Asia/Jayapura",
        event_officials=[{"official": official.pk, "role": ""}],
    )
    (link,) = event.event_officials.all()
    assert link.role == official.role_on(datetime.date(2030, 3, 2))
    assert "Minister of Industry" in link.role
    # A role typed by the editor stays as typed.
    response = edit(
        admin_client,
        event,
        event_officials=[{"id": link.pk, "official": official.pk, "role": "Host"}],
    )
    saved(response)
    assert EventPage.objects.get(pk=event.pk).event_officials.get().role == "Host"


@pytest.mark.parametrize("relation", ["event_sectors", "event_officials", "outcomes"])
def test_an_entity_listed_twice_is_refused_by_name(admin_client, agenda, relation):
    if relation == "event_sectors":
        entity = SectorFactory(name="Nickel smelting")
        rows = [{"sector": entity.pk}, {"sector": entity.pk}]
    elif relation == "outcomes":
        entity = make_release("Smelter rules explained")
        rows = [{"release": entity.pk}, {"release": entity.pk}]
    else:
        entity = make_official("Siti Rahma")
        rows = [{"official": entity.pk, "role": ""}] * 2
    data = event_admin_form_data(action="publish", **{relation: rows})
    response = admin_client.post(event_admin_url(agenda=agenda), data)
    errors = form_errors(response)
    messages = " ".join(map(str, errors.get("__all__", [])))
    assert f"{entity} is listed twice; list it once." in messages
    assert not EventPage.objects.exists()
    # and the message is on the page the editor sees
    assert re.search("listed twice", response.content.decode())


def test_the_press_office_edits_events(editor_client, moderator_client, agenda):
    """An Editor drafts and submits an event; a Moderator publishes it (the
    press office's roles reach the agenda as they reach the releases)."""
    data = event_admin_form_data(action="submit", slug="editors-event")
    response = editor_client.post(event_admin_url(agenda=agenda), data)
    saved(response)
    event = EventPage.objects.get(slug="editors-event")
    assert not event.live
    assert event.current_workflow_state.status == "in_progress"
    saved(edit(moderator_client, event))
    assert EventPage.objects.get(pk=event.pk).live
