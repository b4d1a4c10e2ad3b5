"""The agenda's import: newsroom.loading.events and import_events (the demo's
agendas are tested in test_load_demo.py, with the demo loaded once)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Locale, Revision

from newsroom.models import (
    AgendaPage,
    AppointmentTranslation,
    ContentVersion,
    EventChange,
    EventPage,
    ListedEvent,
    Official,
    Organisation,
    Region,
)
from tests.factories import RegulationFactory, make_official, make_release

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def event(**fields):
    """A complete, valid record in the documented format; ``fields`` override,
    and a field given as None is left out."""
    data = {
        "title": "Press conference on nickel downstreaming",
        "slug": "press-conference-nickel-makassar",
        "kind": "press conference",
        "start": "2025-03-04T09:00",
        "end": "2025-03-04T10:30",
        "timezone": "Asia/Makassar",
        "place": "Governor's Office of South Sulawesi",
        "address": "Jl. Urip Sumoharjo, Makassar",
        "region": "Indonesia > South Sulawesi > Makassar City",
        "status": "confirmed",
        "officials": [
            {"name": "Rina Wulandari"},
            {"name": "Arief Lubis", "role": "Chairman", "organisation": "INSA"},
        ],
        "organisations": ["Ministry of Industry"],
        "sectors": ["Basic Metals > Nickel Smelting"],
        "topics": ["nickel"],
        "language": "en",
        "summary": "Smelter investment in Sulawesi.",
        "accreditation": "Register by noon the day before.",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def run(tmp_path, records, *args):
    """Run the command on ``records``; return (stdout, stderr, error or None)."""
    path = tmp_path / "events.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_events", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def the_event(slug="press-conference-nickel-makassar", code="en"):
    return EventPage.objects.get(slug=slug, locale__language_code=code)


@pytest.fixture
def rina(db):
    return make_official(
        "Rina Wulandari",
        [
            ("Director General of ILMATE", "Ministry of Industry", "2024-01-08", None),
            (
                "Director of Upstream Metal",
                "Ministry of Industry",
                "2020-03-02",
                "2024-01-07",
            ),
        ],
    )


# --- the happy path ----------------------------------------------------------------


def test_imports_an_event_into_a_new_agenda(tmp_path, rina):
    out, err, error = run(tmp_path, [event()])

    assert error is None, err
    assert "1 event(s) were created, 0 updated, 0 unchanged, 0 failed." in out
    agenda = AgendaPage.objects.get(locale__language_code="en")
    assert (agenda.title, agenda.slug, agenda.live) == ("Agenda", "agenda", True)
    page = the_event()
    assert page.url == "/news/agenda/press-conference-nickel-makassar/"
    assert page.live and page.get_parent().pk == agenda.pk
    assert (page.kind, page.status, page.timezone) == (
        "press_conference",
        "confirmed",
        "Asia/Makassar",
    )
    # 09:00 WITA is 01:00 UTC.
    assert page.start == datetime.datetime(2025, 3, 4, 1, 0, tzinfo=UTC)
    assert page.end == datetime.datetime(2025, 3, 4, 2, 30, tzinfo=UTC)
    assert page.event_date == datetime.date(2025, 3, 4)
    assert page.place == "Governor's Office of South Sulawesi"
    assert page.accreditation == "Register by noon the day before."
    assert [(link.official.name, link.role) for link in page.event_officials.all()] == [
        ("Rina Wulandari", "Director General of ILMATE, Ministry of Industry"),
        ("Arief Lubis", "Chairman, INSA"),
    ]
    assert Organisation.objects.filter(name="INSA").exists()
    assert page.linked("organisation")[0].name == "Ministry of Industry"
    assert [s.name for s in page.linked("sector")] == ["Nickel Smelting"]
    assert [t.name for t in page.linked("topic")] == ["nickel"]
    assert (page.sequence, page.changes.count()) == (0, 0)
    assert ListedEvent.objects.filter(event=page).exists()


def test_importing_the_same_file_again_writes_nothing(tmp_path, rina):
    run(tmp_path, [event(), event(slug="second", title="Second")])
    page = the_event()
    revisions, version = Revision.objects.count(), ContentVersion.current()

    out, err, error = run(tmp_path, [event(), event(slug="second", title="Second")])

    assert error is None, err
    assert "0 event(s) were created, 0 updated, 2 unchanged, 0 failed." in out
    assert Revision.objects.count() == revisions
    assert ContentVersion.current() == version
    again = the_event()
    assert again.last_published_at == page.last_published_at
    assert EventPage.objects.count() == 2


def test_a_changed_record_updates_the_event(tmp_path, rina):
    run(tmp_path, [event()])
    out, _, error = run(tmp_path, [event(summary="New summary.", topics=["steel"])])

    assert error is None
    assert "0 event(s) were created, 1 updated" in out
    page = the_event()
    assert page.summary == "New summary."
    assert [t.name for t in page.linked("topic")] == ["steel"]
    # Nothing readers see of time, place or status changed: no log entry.
    assert (page.sequence, page.changes.count()) == (0, 0)


def test_without_a_slug_an_event_is_matched_on_title_and_date(tmp_path):
    run(tmp_path, [event(slug=None)])
    out, _, _ = run(tmp_path, [event(slug=None)])
    assert "0 event(s) were created, 0 updated, 1 unchanged" in out
    assert the_event("press-conference-on-nickel-downstreaming")


def test_a_dry_run_writes_nothing(tmp_path):
    out, _, error = run(tmp_path, [event()], "--dry-run")
    assert error is None
    assert "1 event(s) would be created" in out
    assert not EventPage.objects.exists()


# --- bad records --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": None}, "'start' must be a date and time like 2025-03-04T09:00"),
        ({"start": "2025-03-04"}, "'start' must be a date and time"),
        ({"start": "2025-13-04T09:00"}, "'start' is not a valid date and time"),
        ({"start": "1800-03-04T09:00"}, "'start' is not between 1900 and 2100"),
        (
            {"start": "2025-03-04T09:00+07:00"},
            "is at UTC+0700 but Asia/Makassar is at UTC+0800 then",
        ),
        (
            {"start": "2025-03-09T02:30", "end": None, "timezone": "America/New_York"},
            "does not exist in America/New_York",
        ),
        ({"end": "2025-03-04T08:00"}, "'end' is before 'start'"),
        ({"timezone": "Mars/Olympus"}, "'timezone' 'Mars/Olympus' is not a time zone"),
        ({"timezone": "Asia"}, "'timezone' 'Asia' is not a time zone"),
        ({"kind": "party"}, "'kind' 'party' is not one of: press conference, visit"),
        ({"status": "maybe"}, "'status' 'maybe' is not one of: provisional"),
        ({"title": None}, "'title' is required"),
        ({"slug": "Not a slug"}, "'slug' 'Not a slug' is not a valid slug"),
        ({"slug": "feed"}, "'slug' 'feed' is the agenda's feed"),
        ({"region": 5}, "'region' must be a name or a path"),
        ({"regions": "Makassar"}, "'regions' must be a list of names"),
        ({"officials": "Rina"}, "'officials' must be a list"),
        ({"officials": [{"name": ""}]}, "official 1: 'name' is required"),
        ({"officials": [{"name": "A", "quoted": True}]}, "official 1: unknown field"),
        ({"officials": [{"name": "A"}, {"name": "a"}]}, "official 'a' is listed twice"),
        ({"regulations": ["Law 99/2020"]}, "'regulations': UU 99/2020"),
        ({"regulations": ["the mining law"]}, "is not a reference to a regulation"),
        ({"release": "nope"}, "'release': no release 'nope' in en: import it first"),
        ({"release": 5}, "'release' must be the slug of a release"),
        ({"language": "fr"}, "unknown language 'fr'"),
        ({"colour": "red"}, "unknown field(s): colour"),
        ({"live": "yes"}, "'live' must be true or false"),
        ({"media_contact_email": "x@"}, "media_contact_email: Enter a valid email"),
        ({"changes": [{"change": "moved"}]}, "change 1: 'reason' is required"),
        (
            {"changes": [{"change": "vanished", "reason": "x"}]},
            "change 1: 'change' 'vanished' is not one of",
        ),
        (
            {"changes": [{"change": "moved", "reason": "x", "previous_start": "soon"}]},
            "change 1: 'previous_start' must be a date and time",
        ),
    ],
)
def test_a_bad_field_fails_its_line_and_the_others_are_imported(
    tmp_path, fields, message
):
    good = event(slug="good", title="Good", officials=None, region=None)
    out, err, error = run(tmp_path, [good, event(**fields), good])

    assert error is not None
    assert "line 2: " in err and message in err, err
    assert "line 1" not in err and "line 3" not in err
    assert "1 event(s) were created, 0 updated, 1 unchanged, 1 failed." in out
    assert list(EventPage.objects.values_list("slug", flat=True)) == ["good"]


def test_lines_that_are_not_records_are_reported(tmp_path):
    _, err, error = run(tmp_path, ["{not json", "[1, 2]", event()])
    assert error is not None
    assert "line 1: invalid JSON" in err
    assert "line 2: each record must be a JSON object" in err
    assert the_event()


def test_a_failed_record_leaves_nothing_behind(tmp_path):
    record = event(
        officials=[{"name": "Nobody Yet"}],
        region="Atlantis > Deep City",
        regulations=["Law 99/2020"],
    )
    _, _, error = run(tmp_path, [record])
    assert error is not None
    assert not Official.objects.filter(name="Nobody Yet").exists()
    assert not Region.objects.filter(name="Atlantis").exists()


# --- times and zones ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "zone", "utc", "abbreviation"),
    [
        ("2025-03-04T09:00", "Asia/Jakarta", (3, 4, 2), "WIB"),
        ("2025-03-04T09:00", "Asia/Makassar", (3, 4, 1), "WITA"),
        ("2025-03-04T09:00", "WITA", (3, 4, 1), "WITA"),
        ("2025-03-04T09:00+08:00", "Asia/Makassar", (3, 4, 1), "WITA"),
        ("2025-03-04T06:00", "Asia/Jayapura", (3, 3, 21), "WIT"),
        ("2025-03-04T15:00", "asia/shanghai", (3, 4, 7), "CST"),
    ],
)
def test_local_times_are_stored_in_utc(tmp_path, start, zone, utc, abbreviation):
    _, err, error = run(tmp_path, [event(start=start, end=None, timezone=zone)])
    assert error is None, err
    page = the_event()
    month, day, hour = utc
    assert page.start == datetime.datetime(2025, month, day, hour, tzinfo=UTC)
    assert page.zone_abbreviation == abbreviation
    assert page.event_date == datetime.date(2025, 3, 4)  # the local date
    assert page.local_start.strftime("%H:%M") == start[11:16]


# --- entities -----------------------------------------------------------------------


def test_regions_by_path_and_by_name(tmp_path):
    run(tmp_path, [event()])
    makassar = Region.objects.get(name="Makassar City")
    path = [node.name for node in makassar.get_ancestors()]
    assert path == ["Indonesia", "South Sulawesi"]

    record = event(
        slug="two", region="Makassar City", regions=["China", "Makassar City"]
    )
    run(tmp_path, [record])
    assert [r.name for r in the_event("two").linked("region")] == [
        "Makassar City",
        "China",
    ]
    assert Region.objects.filter(name="Makassar City").count() == 1


def test_a_blank_role_is_the_appointment_on_the_event_date(tmp_path, rina):
    before = event(slug="old", start="2023-05-01T09:00", end=None)
    run(tmp_path, [before])
    role = the_event("old").event_officials.first().role
    assert role == "Director of Upstream Metal, Ministry of Industry"


def test_an_indonesian_event_names_the_role_in_indonesian(tmp_path, rina):
    appointment = rina.appointments.get(end_date=None)
    AppointmentTranslation.objects.create(
        appointment=appointment,
        locale=Locale.objects.get(language_code="id"),
        position="Direktur Jenderal ILMATE",
    )
    run(tmp_path, [event(language="id", officials=[{"name": "Rina Wulandari"}])])
    role = the_event(code="id").event_officials.first().role
    assert role.startswith("Direktur Jenderal ILMATE")


def test_regulations_are_resolved_in_the_register(tmp_path):
    law = RegulationFactory(type="law", number="3", year=2020)
    decree = RegulationFactory(type="presidential_regulation", number="55", year=2019)
    refs = ["Law 3/2020", "UU No. 3 Tahun 2020", "Perpres 55/2019"]
    _, err, error = run(tmp_path, [event(regulations=refs)])
    assert error is None, err
    assert the_event().linked("regulation") == [law, decree]


def test_the_outcome_release_in_the_same_language(tmp_path):
    release = make_release("Smelter investment announced", slug="smelter-investment")
    _, err, error = run(tmp_path, [event(release="smelter-investment")])
    assert error is None, err
    assert [o.release.pk for o in the_event().outcomes.all()] == [release.pk]

    _, err, error = run(tmp_path, [event(language="id", release="smelter-investment")])
    assert "no release 'smelter-investment' in id: only in en" in err


# --- the change log -----------------------------------------------------------------


def moved(**fields):
    return event(start="2025-03-05T09:00", end="2025-03-05T10:30", **fields)


def test_moving_a_public_confirmed_event_needs_a_reason(tmp_path):
    run(tmp_path, [event()])
    _, err, error = run(tmp_path, [moved()])

    assert error is not None
    assert (
        "line 1: this public event is moved from 2025-03-04 09:00 WITA to "
        "2025-03-05 09:00 WITA: give the public reason" in err
    )
    assert the_event().start.day == 4


def test_a_reason_logs_the_move_and_raises_the_sequence(tmp_path):
    run(tmp_path, [event()])
    out, err, error = run(tmp_path, [moved(reason="The governor asked.")])
    assert error is None, err
    page = the_event()
    assert page.start == datetime.datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
    assert page.sequence == 1
    change = page.changes.get()
    assert (change.change, change.reason) == ("moved", "The governor asked.")
    assert change.previous_start == datetime.datetime(2025, 3, 4, 1, 0, tzinfo=UTC)

    out, _, _ = run(tmp_path, [moved(reason="The governor asked.")])
    assert "1 unchanged" in out
    assert the_event().sequence == 1 and the_event().changes.count() == 1


def test_a_changes_entry_gives_the_reason(tmp_path):
    run(tmp_path, [event()])
    entry = {
        "change": "moved",
        "reason": "Regency's request.",
        "made_at": "2025-03-01T16:00",
    }
    _, err, error = run(tmp_path, [moved(changes=[entry])])
    assert error is None, err
    change = the_event().changes.get()
    assert change.made_at == datetime.datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert change.previous_start == datetime.datetime(2025, 3, 4, 1, 0, tzinfo=UTC)
    assert the_event().sequence == 1
    out, _, _ = run(tmp_path, [moved(changes=[entry])])
    assert "1 unchanged" in out


def test_cancelling_a_public_event_needs_a_reason(tmp_path):
    run(tmp_path, [event(status="provisional")])
    _, err, _ = run(tmp_path, [event(status="cancelled")])
    assert "this public event is cancelled: give the public reason" in err

    entry = {"change": "cancelled", "reason": "Flights are suspended."}
    _, err, error = run(tmp_path, [event(status="cancelled", changes=[entry])])
    assert error is None, err
    page = the_event()
    assert (page.status, page.sequence) == ("cancelled", 1)


def test_a_provisional_event_moves_without_a_reason_but_is_logged(tmp_path):
    run(tmp_path, [event(status="provisional")])
    _, err, error = run(tmp_path, [moved(status="provisional")])
    assert error is None, err
    page = the_event()
    assert [(c.change, c.reason) for c in page.changes.all()] == [
        ("moved", "moved to another time")
    ]
    assert page.sequence == 1


def test_a_draft_moves_freely(tmp_path):
    run(tmp_path, [event(live=False)])
    _, err, error = run(tmp_path, [moved(live=False)])
    assert error is None, err
    assert the_event().get_latest_revision_as_object().changes.count() == 0


def test_changes_of_a_new_event_are_its_log(tmp_path):
    entries = [
        {
            "change": "moved",
            "reason": "First move.",
            "previous_start": "2025-03-02T09:00",
        },
        {
            "change": "moved",
            "reason": "Second move.",
            "previous_start": "2025-03-03T09:00",
        },
    ]
    run(tmp_path, [event(changes=entries)])
    page = the_event()
    assert [c.reason for c in page.changes.all()] == ["First move.", "Second move."]
    assert page.changes.first().previous_start.hour == 1  # 09:00 WITA
    assert page.sequence == 2


def test_the_log_keeps_what_the_press_office_wrote(tmp_path):
    run(tmp_path, [event()])
    page = the_event()
    page.changes = [EventChange(change="updated", reason="Room changed.")]
    page.save_revision().publish()

    out, err, error = run(tmp_path, [moved(reason="The governor asked.")])
    assert error is None, err
    reasons = [c.reason for c in the_event().changes.all()]
    assert reasons == ["Room changed.", "The governor asked."]


# --- draft or live, and languages ---------------------------------------------------


def test_a_draft_stays_a_draft_until_a_record_says_live(tmp_path, client):
    run(tmp_path, [event(live=False)])
    page = the_event()
    assert not page.live and page.revisions.count() == 1
    assert not ListedEvent.objects.exists()
    assert "nickel" not in client.get("/news/agenda/").content.decode()

    out, _, _ = run(tmp_path, [event()])
    assert "1 updated" in out
    assert the_event().live


def test_a_draft_record_of_a_live_event_does_not_unpublish_it(tmp_path):
    run(tmp_path, [event()])
    run(tmp_path, [event(live=False, summary="Draft summary.")])
    page = the_event()
    assert page.live and page.has_unpublished_changes
    assert page.summary == "Smelter investment in Sulawesi."
    assert page.get_latest_revision_as_object().summary == "Draft summary."


def test_indonesian_events_go_to_the_indonesian_agenda(tmp_path, client):
    start = (timezone.now() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT09:00")
    english = event(start=start, end=None)
    indonesian = event(
        start=start, end=None, language="id", title="Konferensi pers hilirisasi nikel"
    )
    _, err, error = run(tmp_path, [english, indonesian])
    assert error is None, err

    page = the_event(code="id")
    assert page.url == "/id/news/agenda/press-conference-nickel-makassar/"
    agendas = AgendaPage.objects.order_by("locale__language_code")
    assert [a.locale.language_code for a in agendas] == ["en", "id"]
    assert agendas[0].translation_key == agendas[1].translation_key
    assert the_event().title == "Press conference on nickel downstreaming"
    body = client.get("/id/news/agenda/").content.decode()
    assert "Konferensi pers hilirisasi nikel" in body
