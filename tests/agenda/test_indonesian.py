"""The agenda in Indonesian, end to end: /id/news/agenda/ is the English agenda's
translation and lists its own events, with Indonesian dates, names and slugs,
in the listing, its filters, calendars, feed, hubs and the home page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import EventPage, RegionTranslation, SectorTranslation
from tests.agenda.reading import feed, listed, uid_pk, uids
from tests.factories import RegionFactory, SectorFactory, default_agenda, make_event

pytestmark = pytest.mark.django_db

AGENDA = "/id/news/agenda/"


@pytest.fixture
def world(newsroom):
    indonesian = Locale.objects.get(language_code="id")
    berita = ensure_site_tree(indonesian)
    english_agenda = default_agenda()
    agenda = default_agenda(berita)
    metals = SectorFactory(name="Metals", slug="metals")
    nickel = SectorFactory(
        name="Nickel smelting", slug="nickel-smelting", parent=metals
    )
    steel = SectorFactory(name="Steel", slug="steel", parent=metals)
    country = RegionFactory(name="Indonesia", slug="indonesia", kind="country")
    south = RegionFactory(
        name="South Sulawesi", slug="south-sulawesi", parent=country, kind="province"
    )
    makassar = RegionFactory(name="Makassar", slug="makassar", parent=south)
    SectorTranslation.objects.create(
        entity=nickel, locale=indonesian, name="Peleburan nikel", slug="peleburan-nikel"
    )
    RegionTranslation.objects.create(
        entity=south,
        locale=indonesian,
        name="Sulawesi Selatan",
        slug="sulawesi-selatan",
    )
    english = make_event(
        "Smelter press conference",
        start=datetime.datetime(2030, 3, 4, 9, 0),
        end=datetime.timedelta(hours=1),
        zone="Asia/Makassar",
        slug="smelter-press-conference",
        sectors=[nickel],
        regions=[makassar],
        parent=english_agenda,
    )
    make_event(
        "Steel mill visit",
        start=datetime.datetime(2030, 3, 12, 10, 0),
        slug="steel-mill-visit",
        sectors=[steel],
        parent=english_agenda,
    )
    # The press office translates the first; the second is Indonesian only.
    copy = english.copy_for_translation(indonesian)
    copy.title = "Konferensi pers smelter"
    copy.slug = "konferensi-pers-smelter"
    copy.summary = "Menteri memberi keterangan tentang aturan smelter."
    copy.save_revision().publish()
    translated = EventPage.objects.get(pk=copy.pk)
    cancelled = make_event(
        "Kunjungan pabrik baja",
        start=datetime.datetime(2030, 3, 18, 10, 0),
        slug="kunjungan-pabrik-baja",
        status="cancelled",
        sectors=[steel],
        parent=agenda,
    )
    return {"agenda": agenda, "translated": translated, "cancelled": cancelled}


def page(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def test_the_indonesian_agenda_lists_its_own_events(client, world):
    assert world["agenda"].url == AGENDA
    assert world["agenda"].translation_key == default_agenda().translation_key
    response = client.get(AGENDA)
    assert listed(response) == ["konferensi-pers-smelter", "kunjungan-pabrik-baja"]
    assert listed(client.get("/news/agenda/")) == [
        "smelter-press-conference",
        "steel-mill-visit",
    ]
    html = page(client, AGENDA)
    assert html.html["lang"] == "id"
    assert "Terapkan filter" in html.get_text()  # Apply filters
    cards = html.select(".event-card")
    first = cards[0].get_text(" ", strip=True)
    assert "Senin 4 Maret 2030, 09:00" in first and "WITA" in first
    # the breadcrumb leads back to the Indonesian newsroom
    assert html.select_one(".breadcrumbs a")["href"] == "/id/news/"


def test_indonesian_names_and_slugs_in_the_filters(client, world):
    html = page(client, AGENDA)
    option = html.select_one("#facet-sector input[value=peleburan-nikel]")
    assert option is not None
    label = html.select_one(f"label[for='{option['id']}']").get_text(" ", strip=True)
    assert "Peleburan nikel" in label
    for params in (
        {"sector": "peleburan-nikel"},
        {"sector": "nickel-smelting"},  # the English slug keeps working
        {"region": "sulawesi-selatan"},
    ):
        assert listed(client.get(AGENDA, params)) == ["konferensi-pers-smelter"]
    chip = page(client, AGENDA, {"sector": "peleburan-nikel"}).select_one(".chip")
    assert "Peleburan nikel" in chip.get_text()
    # and the English agenda takes the Indonesian slug for the same sector
    response = client.get("/news/agenda/", {"sector": "peleburan-nikel"})
    assert listed(response) == ["smelter-press-conference"]


def test_indonesian_calendars_and_feed(client, world):
    translated = world["translated"]
    response = client.get(f"{AGENDA}calendar.ics", {"sector": "peleburan-nikel"})
    assert [uid_pk(uid) for uid in uids(response)] == [translated.pk]
    body = response.content.decode()
    assert "URL:http://localhost/id/news/agenda/konferensi-pers-smelter/" in body
    response = client.get("/id/news/sectors/peleburan-nikel/calendar.ics")
    assert [uid_pk(uid) for uid in uids(response)] == [translated.pk]
    response = client.get(f"{translated.url}calendar.ics")
    assert response.status_code == 200
    parsed = feed(client.get(f"{AGENDA}feed/"))
    assert parsed.feed.language == "id"
    assert [entry.link for entry in parsed.entries] == [
        "http://localhost/id/news/agenda/konferensi-pers-smelter/",
        "http://localhost/id/news/agenda/kunjungan-pabrik-baja/",
    ]
    with translation.override("id"):
        cancelled = str(EventPage.Status.CANCELLED.label)
    assert parsed.entries[1].title.startswith(f"{cancelled}: ")


def test_indonesian_event_page_hub_and_home(client, world):
    translated = world["translated"]
    html = page(client, translated.url)
    assert html.html["lang"] == "id"
    assert html.select_one("h1").get_text() == "Konferensi pers smelter"
    assert "Senin 4 Maret 2030, 09:00" in html.select_one(".release__meta").get_text()
    sector = html.find("a", string="Peleburan nikel")
    assert sector["href"] == "/id/news/sectors/peleburan-nikel/"
    assert html.select_one("a[href$='calendar.ics']")["href"] == (
        f"{translated.url}calendar.ics"
    )

    def upcoming(path):
        block = page(client, path).select_one("section.upcoming-events")
        return [a["href"] for a in block.select(".release-card__title a")]

    assert upcoming("/id/news/sectors/peleburan-nikel/") == [translated.url]
    assert upcoming("/id/") == [translated.url, world["cancelled"].url]
    assert upcoming("/news/sectors/nickel-smelting/") == [
        "/news/agenda/smelter-press-conference/"
    ]


# Every string the agenda shows readers (templates, channels/agenda.py, the
# models' choices); the catalogue is locale/id/LC_MESSAGES/django.po.
AGENDA_STRINGS = [
    "%(title)s: events",
    "%(title)s: calendar",
    "Upcoming events",
    "Past events",
    "No events match these filters. Try removing one.",
    "Add these events to your calendar (iCalendar)",
    "Subscribe to these events (Atom feed)",
    "Filter events",
    "Event date",
    "This event has been cancelled",
    "This event has been postponed",
    "This event has taken place.",
    "Where",
    "Accreditation",
    "Changes",
    "was %(when)s %(zone)s",
    "Outcome",
    "Add to calendar",
    "Attending",
    "The whole agenda",
    "All events",
    "Events %(conditions)s",
    "Events: %(conditions)s",
    *(str(label) for _, label in EventPage.Kind.choices),
    *(str(label) for _, label in EventPage.Status.choices),
    "Moved",
    "Updated",
]
AGENDA_PLURALS = [("%(counter)s event", "%(counter)s events"), ("event", "events")]


def test_the_agendas_interface_is_in_indonesian():
    with translation.override("id"):
        untranslated = [s for s in AGENDA_STRINGS if translation.gettext(s) == s]
        untranslated += [
            singular
            for singular, plural in AGENDA_PLURALS
            if translation.ngettext(singular, plural, 2) == plural
        ]
    assert untranslated == []


def test_an_indonesian_hub_links_its_calendar(client, world):
    html = page(client, "/id/news/sectors/peleburan-nikel/")
    webcal = html.select_one("a.calendar-subscribe__webcal")
    assert webcal.get_text() == "Berlangganan kalender"
    assert webcal["href"] == (
        "webcal://testserver/id/news/sectors/peleburan-nikel/calendar.ics"
    )
    https = html.select_one("a.calendar-subscribe__https")["href"]
    assert https == "http://testserver/id/news/sectors/peleburan-nikel/calendar.ics"
    body = client.get(https.removeprefix("http://testserver")).content.decode()
    assert "konferensi-pers-smelter" in body
