"""Reports › Translations (#8): which releases lack an up-to-date translation."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.editorial.translation_report import releases_with_translation_status
from newsroom.models import PressReleasePage
from tests.factories import make_release

pytestmark = pytest.mark.django_db

URL = "/admin/reports/translations/"
JANUARY = datetime.date(2024, 1, 1)


@pytest.fixture
def indonesian(newsroom):
    return ensure_site_tree(Locale.objects.get(language_code="id"))


def translate(release, title, publish=True):
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    copy.title = title
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return PressReleasePage.objects.get(pk=copy.pk)


def republish(page):
    page = PressReleasePage.objects.get(pk=page.pk)
    page.save_revision().publish()
    return PressReleasePage.objects.get(pk=page.pk)


def statuses():
    return {
        page.title: page.translation_status
        for page in releases_with_translation_status()
    }


def rows(response):
    """{release title: (status label, translation cell text)} of a report page."""
    assert response.status_code == 200, response.status_code
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S):
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if len(cells) >= 5:
            found[cells[0]] = (cells[3], cells[4])
    return found


def test_missing_then_up_to_date_then_out_of_date_then_up_to_date(
    admin_client, indonesian
):
    english = make_release("Nickel smelter opens")
    assert statuses() == {"Nickel smelter opens": "missing"}
    assert rows(admin_client.get(URL)) == {
        "Nickel smelter opens": ("missing", "Translate")
    }

    translated = translate(english, "Smelter nikel dibuka", publish=False)
    assert statuses() == {"Nickel smelter opens": "draft"}

    translated.get_latest_revision().publish()  # the translator's draft goes live
    assert statuses() == {"Nickel smelter opens": "current"}
    assert rows(admin_client.get(URL)) == {
        "Nickel smelter opens": ("up to date", "Smelter nikel dibuka")
    }

    # The original changes: the translation is out of date ...
    republish(english)
    assert statuses() == {"Nickel smelter opens": "outdated"}
    assert rows(admin_client.get(URL)) == {
        "Nickel smelter opens": ("out of date", "Smelter nikel dibuka")
    }
    # ... but not for a draft of the original, which readers do not see.
    PressReleasePage.objects.get(pk=english.pk).save_revision()
    republish(translated)
    PressReleasePage.objects.get(pk=english.pk).save_revision()
    assert statuses() == {"Nickel smelter opens": "current"}


def test_links_to_edit_the_original_and_the_translation(admin_client, indonesian):
    english = make_release("Steel exports grow")
    lonely = make_release("Cement plant opens", release_date=JANUARY)
    translated = translate(english, "Ekspor baja tumbuh")
    page = admin_client.get(URL).content.decode()
    for pk in (english.pk, translated.pk, lonely.pk):
        assert reverse("wagtailadmin_pages:edit", args=[pk]) in page
    assert (
        reverse("simple_translation:submit_page_translation", args=[lonely.pk]) in page
    )
    # Newest first.
    assert page.index("Steel exports grow") < page.index("Cement plant opens")


def test_filter_by_status(admin_client, indonesian):
    translate(make_release("Translated release"), "Rilis terjemahan")
    make_release("Untranslated release")
    assert set(rows(admin_client.get(URL, {"status": "missing"}))) == {
        "Untranslated release"
    }
    assert set(rows(admin_client.get(URL, {"status": "current"}))) == {
        "Translated release"
    }
    assert rows(admin_client.get(URL, {"status": "outdated"})) == {}


def test_indonesian_originals_without_english_are_listed(admin_client, indonesian):
    make_release("Rilis hanya dalam bahasa Indonesia", parent=indonesian)
    english = make_release("English original")
    translate(english, "Terjemahan")  # a translation, not an original: no row
    assert statuses() == {
        "Rilis hanya dalam bahasa Indonesia": "missing",
        "English original": "current",
    }
    found = rows(admin_client.get(URL))
    assert found["Rilis hanya dalam bahasa Indonesia"][0] == "missing"
    assert "Terjemahan" not in found


def test_drafts_and_withdrawn_originals_are_not_listed(indonesian):
    make_release("Draft release", live=False)
    assert statuses() == {}


def test_constant_number_of_queries(admin_client, indonesian):
    def add_releases(start, stop):
        for n in range(start, stop):
            release = make_release(
                f"Release {n}", release_date=datetime.date(2024, 1, 1)
            )
            if n % 2:
                translate(release, f"Rilis {n}")

    def queries_for_report():
        admin_client.get(URL)  # warm up the session, site and locale caches
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(URL)
        return len(rows(response)), len(queries)

    add_releases(0, 5)
    rows_5, queries_5 = queries_for_report()
    add_releases(5, 20)
    rows_20, queries_20 = queries_for_report()
    assert (rows_5, rows_20) == (5, 20)
    assert queries_20 == queries_5


def test_anonymous_is_sent_to_login(client, newsroom):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_press_office_and_superusers_see_it(
    editor_client, moderator_client, admin_client, indonesian
):
    make_release("Nickel smelter opens")
    for user_client in (editor_client, moderator_client, admin_client):
        assert "Nickel smelter opens" in rows(user_client.get(URL))
        menu = user_client.get("/admin/").content.decode()
        assert URL in menu


def test_admin_users_outside_the_press_office_are_refused(client, newsroom):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("viewer", "v@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    assert URL not in client.get("/admin/").content.decode()
