"""The demo site: ``load_demo`` builds it, and running it again changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site

from newsroom.loading import demo_site
from newsroom.loading.demo_site import DEMO_HOSTNAME, DEMO_PORT
from newsroom.models import (
    Appointment,
    AppointmentTranslation,
    ContentVersion,
    EventPage,
    HomePage,
    NewsroomPage,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Regulation,
    RegulationTranslation,
    ReleaseOfficial,
    ReleaseRegulation,
    Sector,
    Topic,
)
from tests.loading.test_link_regulations import linked, run_link

COUNTED = {
    "pages": Page,
    "releases": PressReleasePage,
    "officials": Official,
    "appointments": Appointment,
    "organisations": Organisation,
    "sectors": Sector,
    "regions": Region,
    "topics": Topic,
    "release officials": ReleaseOfficial,
    "regulations": Regulation,
    "regulation translations": RegulationTranslation,
    "release regulations": ReleaseRegulation,
}


def snapshot():
    counts = {name: model.objects.count() for name, model in COUNTED.items()}
    counts["images"] = get_image_model().objects.count()
    # Releases in English (imported) and their Indonesian translations.
    english = PressReleasePage.objects.filter(locale__language_code="en")
    counts["releases"] = english.count()
    counts["translations"] = PressReleasePage.objects.exclude(
        locale__language_code="en"
    ).count()
    # What a run that changes nothing must leave as it was: page and snippet
    # revisions, publishing times, the rows behind the officials' appointments and
    # their translations, and the content version every cached page is keyed by.
    counts["revisions"] = Revision.objects.count()
    counts["last published"] = sorted(
        PressReleasePage.objects.values_list("pk", "last_published_at")
    )
    counts["appointment rows"] = sorted(Appointment.objects.values_list("pk"))
    counts["appointment translation rows"] = sorted(
        AppointmentTranslation.objects.values_list("pk")
    )
    counts["content version"] = ContentVersion.current()
    site = Site.objects.get(is_default_site=True)
    counts["site"] = (site.hostname, site.port)
    return counts


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run load_demo twice, once for the whole module; roll it all back after."""
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        first_out = io.StringIO()
        call_command("load_demo", stdout=first_out, stderr=io.StringIO())
        first = snapshot()
        second_out = io.StringIO()
        call_command("load_demo", stdout=second_out, stderr=io.StringIO())
        second = snapshot()
        yield {
            "first": first,
            "second": second,
            "first_out": first_out.getvalue(),
            "second_out": second_out.getvalue(),
            "media": media,
        }
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db, settings):
    settings.MEDIA_ROOT = demo["media"]  # where the demo pictures were drawn
    return demo


def test_second_run_creates_nothing_new(loaded):
    assert loaded["second"] == loaded["first"]
    releases = loaded["first"]["releases"]
    assert f"{releases} release(s) created, 0 updated" in loaded["first_out"]
    assert (
        f"0 release(s) created, 0 updated, {releases} unchanged"
        in (loaded["second_out"])
    )


def test_second_run_writes_no_revision_and_publishes_nothing(loaded):
    first, second = loaded["first"], loaded["second"]
    assert second["revisions"] == first["revisions"]
    assert second["last published"] == first["last published"]
    assert second["content version"] == first["content version"]
    assert second["appointment rows"] == first["appointment rows"]
    assert (
        second["appointment translation rows"]
        == (first["appointment translation rows"])
    )


def test_a_changed_demo_release_is_still_updated(loaded):
    """The no-op is for unchanged releases only: a release edited since (or a
    changed demo file) is brought back to what the file says, as a new revision."""
    release = PressReleasePage.objects.get(
        release_date=datetime.date(2024, 9, 27), locale__language_code="en"
    )
    standfirst = release.standfirst
    release.standfirst = "Edited since the demo was loaded."
    release.save_revision().publish()
    revisions = release.revisions.count()

    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())

    assert "0 release(s) created, 1 updated" in out.getvalue()
    release.refresh_from_db()
    assert release.standfirst == standfirst
    assert release.revisions.count() == revisions + 1
    assert not release.has_unpublished_changes


def test_demo_site_is_where_make_run_serves_it(loaded, client):
    """The demo's absolute links (feeds, CSV, API, alert emails) must reach the
    development server of ``make run``, at 127.0.0.1:8000, not port 80."""
    assert (DEMO_HOSTNAME, DEMO_PORT) == ("127.0.0.1", 8000)
    assert loaded["first"]["site"] == loaded["second"]["site"] == ("127.0.0.1", 8000)
    assert Site.objects.count() == 1
    host = {"HTTP_HOST": "127.0.0.1:8000"}
    release = PressReleasePage.objects.filter(locale__language_code="en").first()
    base = "http://127.0.0.1:8000"
    assert release.full_url == f"{base}{release.url}"

    feed = client.get("/news/feed/", **host).content.decode()
    assert f'href="{base}/news/' in feed
    assert "http://localhost" not in feed
    csv_text = b"".join(client.get("/news/export.csv", **host).streaming_content)
    assert f"{base}/news/".encode() in csv_text
    assert b"http://localhost" not in csv_text
    api = client.get("/api/v2/releases/", **host).json()
    assert api["items"][0]["meta"]["html_url"].startswith(f"{base}/news/")


def test_site_tree(loaded, client):
    # One home and one newsroom in each language: English at /, Indonesian at /id/.
    assert HomePage.objects.count() == 2
    newsroom = NewsroomPage.objects.get(locale__language_code="en")
    assert newsroom.url == "/news/"
    indonesian = NewsroomPage.objects.get(locale__language_code="id")
    assert indonesian.url == "/id/news/"
    assert indonesian.translation_key == newsroom.translation_key
    assert client.get("/").status_code == 200
    assert client.get("/id/").status_code == 200


def test_releases_in_both_languages(loaded, client):
    assert loaded["first"]["translations"] >= 10
    translations = PressReleasePage.objects.filter(locale__language_code="id").live()
    assert translations.count() == loaded["first"]["translations"]
    listing = client.get("/id/news/").content.decode()
    for translation in translations:
        original = translation.get_translation(Locale.objects.get(language_code="en"))
        assert original.live
        assert translation.url.startswith("/id/news/")
        assert translation.title != original.title
    newest = translations.order_by("-release_date").first()
    assert newest.title in listing
    page = client.get(newest.url).content.decode()
    assert 'hreflang="en"' in page


def test_enough_content(loaded):
    counts = loaded["first"]
    assert counts["releases"] >= 30
    assert counts["officials"] >= 10
    assert counts["organisations"] >= 4
    assert counts["sectors"] >= 10
    assert counts["regions"] >= 15
    assert counts["images"] >= 1
    english = PressReleasePage.objects.filter(locale__language_code="en")
    assert english.live().count() == counts["releases"]


def test_sectors_on_two_levels_and_regions_on_three(loaded):
    assert Sector.objects.filter(depth=1).exists()
    assert Sector.objects.filter(depth=2).exists()
    assert Region.objects.filter(depth=3).exists()
    morowali = Region.objects.get(name="Morowali Regency")
    assert morowali.label_with_ancestors == (
        "Indonesia > Central Sulawesi > Morowali Regency"
    )
    iso = dict(Region.objects.values_list("name", "iso_code"))
    assert iso["Central Sulawesi"] == "ID-ST"
    assert iso["Southeast Sulawesi"] == "ID-SG"
    assert iso["North Maluku"] == "ID-MU"
    assert iso["Jakarta"] == "ID-JK"
    assert iso["China"] == "CN"


def test_releases_span_three_years_or_more(loaded):
    span = PressReleasePage.objects.aggregate(
        first=Min("release_date"), last=Max("release_date")
    )
    assert span["last"] - span["first"] >= datetime.timedelta(days=3 * 365)
    years = {
        d.year for d in PressReleasePage.objects.values_list("release_date", flat=True)
    }
    assert len(years) >= 3


def test_the_27_september_2024_release(loaded, client):
    release = PressReleasePage.objects.get(
        release_date=datetime.date(2024, 9, 27), locale__language_code="en"
    )
    assert release.live
    assert release.event_date == datetime.date(2024, 9, 25)
    names = {link.official.name: link.role for link in release.release_officials.all()}
    assert "Eko S.A. Cahyanto" in names
    assert "Wang Jiangping" in names
    assert "Secretary General" in names["Eko S.A. Cahyanto"]
    assert "Deputy Minister" in names["Wang Jiangping"]
    topics = {topic.name.lower() for topic in release.topics.all()}
    assert {"downstreaming", "green industry"} <= topics

    html = client.get(release.url).content.decode()
    assert "Eko S.A. Cahyanto" in html
    assert "Wang Jiangping" in html


def test_every_official_has_an_appointment_and_a_portrait(loaded):
    for official in Official.objects.filter(appointments__isnull=True):
        assert official.release_links.exists(), official
    demo_officials = Official.objects.filter(portrait__isnull=False)
    assert demo_officials.count() >= 10


def test_every_filter_has_something_to_find(loaded, client):
    for path in [
        "/news/?sector=photovoltaics",
        "/news/?region=central-sulawesi",
        "/news/officials/eko-sa-cahyanto/",
        "/news/sectors/",
        "/news/regions/",
        "/news/officials/",
        "/news/organisations/",
        "/news/topics/",
        "/news/regulations/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert (
        "release-card" in client.get("/news/?region=central-sulawesi").content.decode()
    )


def test_the_register_of_regulations_and_the_releases_citing_it(loaded, client):
    counts = loaded["first"]
    assert counts["regulations"] >= 10
    assert counts["release regulations"] >= 5
    # Types stored as codes, names and slugs made from them.
    for regulation in Regulation.objects.all():
        assert regulation.get_type_display() != regulation.type, regulation
        assert regulation.slug.endswith(f"-{regulation.number}-{regulation.year}")
    mining = Regulation.objects.get(slug="law-4-2009")
    assert mining.name == "Law No. 4 of 2009"
    assert mining.status == Regulation.Status.AMENDED
    assert mining.amended_by.filter(slug="law-3-2020").exists()
    translation = mining.translations.get(locale__language_code="id")
    assert translation.name == "Undang-Undang Nomor 4 Tahun 2009"
    cited = Regulation.objects.filter(release_links__isnull=False).distinct().first()
    response = client.get(f"/news/regulations/{cited.slug}/")
    assert response.status_code == 200
    assert "release-card" in response.content.decode()


def test_demo_has_media_contacts_and_boilerplates(loaded, client):
    """#19: the ministry's releases show its press office and close with its
    "About" text, in both languages; the vCards are public."""
    from newsroom.models import MediaContact, Organisation

    assert MediaContact.objects.count() == 3
    ministry = Organisation.objects.get(name="Ministry of Industry")
    assert ministry.boilerplate.startswith("The Ministry of Industry")
    assert [link.contact.slug for link in ministry.default_contacts.all()] == [
        "rina-wulandari",
        "dimas-prasetyo",
    ]
    release = next(
        page
        for page in PressReleasePage.objects.live().filter(locale__language_code="en")
        if ministry in page.organisations
    )
    html = client.get(release.url).content.decode()
    assert 'href="/news/contacts/rina-wulandari.vcf"' in html
    assert "About Ministry of Industry" in html
    assert client.get("/news/contacts/rina-wulandari.vcf").status_code == 200
    assert client.get("/id/news/contacts/rina-wulandari.vcf").status_code == 200


# --- the demo's agenda (newsroom/loading/demo_site.py: load_events); in this module
# so the demo is loaded once for all the tests that read it.


def events_in(code):
    return EventPage.objects.filter(locale__language_code=code)


def test_the_demo_has_agendas_in_both_languages(loaded):
    english, indonesian = events_in("en"), events_in("id")
    assert english.count() >= 12 and indonesian.count() >= 6
    zones = set(english.values_list("timezone", flat=True))
    assert {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Shanghai"} <= zones
    now = timezone.now()
    assert english.filter(start__lt=now).count() >= 3
    assert english.filter(start__gt=now).count() >= 6
    assert english.filter(status="provisional", live=True).exists()
    cancelled = english.get(status="cancelled")
    assert cancelled.changes.get().change == "cancelled" and cancelled.sequence == 1
    moved = english.get(changes__change="moved")
    assert moved.sequence == 1 and moved.changes.get().previous_start < moved.start
    past_outcomes = english.filter(outcomes__isnull=False, start__lt=now).distinct()
    assert past_outcomes.count() >= 2
    assert events_in("id").filter(outcomes__isnull=False).count() >= 2
    makassar = english.get(slug="press-conference-nickel-downstreaming-makassar")
    assert makassar.local_start.hour == 10 and makassar.zone_abbreviation == "WITA"
    assert makassar.linked("regulation") and makassar.linked("official")


def test_the_demo_agenda_lists_upcoming_events(loaded, client):
    body = client.get("/news/agenda/").content.decode()
    upcoming = events_in("en").filter(start__gt=timezone.now(), live=True)
    for page in upcoming:
        assert page.title.replace("'", "&#x27;") in body, page.title
    assert "A draft: not yet announced." not in body
    response = client.get("/id/news/agenda/")
    assert response.status_code == 200
    assert "Rapat kerja dengan Komisi VII DPR" in response.content.decode()


def test_loading_the_demo_events_again_writes_nothing(loaded):
    revisions, version = Revision.objects.count(), ContentVersion.current()
    demo_site.load_events()
    assert Revision.objects.count() == revisions
    assert ContentVersion.current() == version


def test_a_day_later_the_demo_events_move_with_today(loaded, monkeypatch):
    today = timezone.localdate()
    page = events_in("en").get(slug="meeting-battery-ev-roadmap")
    tomorrow = lambda timezone=None: today + datetime.timedelta(days=1)  # noqa: E731
    monkeypatch.setattr(demo_site.timezone, "localdate", tomorrow)

    demo_site.load_events()

    again = events_in("en").get(slug="meeting-battery-ev-roadmap")
    assert again.start - page.start == datetime.timedelta(days=1)
    assert again.sequence == 1 and again.changes.count() == 1
    assert (
        events_in("en").get(slug="visit-gresik-petrochemical-project").start.year
        == 2025
    )


# --- the demo's register of regulations and the releases citing it


def demo_links(slug):
    return set(linked(PressReleasePage.objects.get(slug=slug)))


def test_demo_register(loaded):
    assert Regulation.objects.count() >= 15
    mining = Regulation.objects.get(slug="law-4-2009")
    assert mining.status == "amended"
    assert [r.slug for r in mining.amended_by.all()] == ["law-3-2020"]
    assert Regulation.objects.get(slug="law-11-2020").status == "revoked"
    assert all(r.translations.filter(locale__language_code="id") for r in [mining])


def test_demo_releases_link_what_they_cite(loaded):
    assert {"law-3-2020", "law-4-2009"} <= demo_links(
        "morowali-nickel-processing-review"
    )
    assert demo_links("karawang-ev-local-content") == {
        "minister-of-industry-regulation-6-2022",
        "presidential-regulation-55-2019",
        "presidential-regulation-79-2023",
    }
    # Indonesian releases, linked by what their own text cites.
    assert "law-3-2014" in demo_links("dukungan-produsen-makanan-minuman-halal")
    assert {
        "presidential-regulation-55-2019",
        "minister-of-industry-regulation-6-2022",
    } <= demo_links("dialog-rantai-pasok-kendaraan-listrik-indonesia-jepang")


def test_demo_has_nothing_left_to_link_and_cites_the_unknown(loaded):
    out = run_link("--dry-run")

    assert "0 link(s) would be added" in out
    assert "UU 7/2014 — cited by 1 release, not in the register" in out
    assert "UU 33/2014 — cited by 1 release, not in the register" in out
