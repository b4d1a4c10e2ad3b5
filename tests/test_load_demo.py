"""The demo site: ``load_demo`` builds it, and running it again changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from newsroom.models import (
    Appointment,
    HomePage,
    NewsroomPage,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    Sector,
    Topic,
)

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
    assert "0 release(s) created" in loaded["second_out"]
    releases = loaded["first"]["releases"]
    assert f"{releases} release(s) created, 0 updated" in loaded["first_out"]
    assert f"0 release(s) created, {releases} updated" in loaded["second_out"]


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
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert (
        "release-card" in client.get("/news/?region=central-sulawesi").content.decode()
    )
