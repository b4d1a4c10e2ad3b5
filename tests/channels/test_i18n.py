"""English and Indonesian (#8): locales, translated releases, the language switcher.

English keeps every URL of docs/contracts.md (no prefix); Indonesian is under /id/, with
a home and a newsroom that are translations (same translation_key) of the English ones.
A release's translation is a separate page under the Indonesian newsroom.
"""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    HomePage,
    NewsroomPage,
    PressReleasePage,
    RegulationTranslation,
    ReleaseRegulation,
)
from tests.factories import RegulationFactory, SectorFactory, make_release

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 5)


def translate(release, title, standfirst, slug=None):
    """The Indonesian translation of ``release``, published, as simple_translation
    makes it (Wagtail's copy_for_translation) and an editor then edits it."""
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    copy.title = title
    copy.standfirst = standfirst
    if slug:
        copy.slug = slug
    copy.save_revision().publish()
    return PressReleasePage.objects.get(pk=copy.pk)


@pytest.fixture
def indonesian(newsroom):
    return ensure_site_tree(Locale.objects.get(language_code="id"))


@pytest.fixture
def pair(newsroom, indonesian):
    sector = SectorFactory(name="Nickel", slug="nickel")
    english = make_release(
        "Nickel smelter opens in Morowali",
        release_date=MARCH,
        sectors=[sector],
        standfirst="The minister opened the smelter.",
    )
    translated = translate(
        english,
        "Smelter nikel dibuka di Morowali",
        "Menteri meresmikan smelter tersebut.",
        slug="smelter-nikel-dibuka",
    )
    return english, translated


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def switcher_link(page_html, code):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page_html, re.S)
    assert nav, "no language switcher"
    link = re.search(rf'<a href="([^"]*)" hreflang="{code}"[^>]*>', nav.group(0))
    return unescape(link.group(1)) if link else None


def hreflangs(page_html):
    return {
        code: unescape(href)
        for code, href in re.findall(
            r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page_html
        )
    }


# --- The tree -------------------------------------------------------------------


def test_indonesian_home_and_newsroom_are_translations(newsroom, indonesian):
    assert indonesian.locale.language_code == "id"
    assert indonesian.translation_key == newsroom.translation_key
    assert indonesian.url == "/id/news/"
    assert indonesian.title == "Berita"
    home = HomePage.objects.get(locale=indonesian.locale)
    assert home.translation_key == newsroom.get_parent().translation_key
    assert home.url == "/id/"
    # ensure_site_tree is idempotent in every language.
    assert ensure_site_tree().pk == newsroom.pk
    assert ensure_site_tree(indonesian.locale).pk == indonesian.pk
    assert NewsroomPage.objects.count() == 2


def test_english_urls_and_pages_unchanged(client, pair):
    english, _ = pair
    assert english.url == "/news/nickel-smelter-opens-in-morowali/"
    for url in ["/", "/news/", english.url, "/news/sectors/nickel/", "/news/feed/"]:
        assert client.get(url).status_code == 200, url
    page = html(client.get("/news/"))
    assert '<html lang="en">' in page
    assert "Apply filters" in page
    # No language is guessed from the browser: an unprefixed URL is English.
    page = html(client.get("/news/", HTTP_ACCEPT_LANGUAGE="id"))
    assert '<html lang="en">' in page


def test_indonesian_interface_and_month_names(client, pair):
    _, translated = pair
    page = html(client.get("/id/news/"))
    assert '<html lang="id">' in page
    assert "Terapkan filter" in page  # Apply filters
    assert "Tanggal rilis" in page  # Release date
    assert "5 Maret 2024" in page
    assert "Apply filters" not in page
    release = html(client.get(translated.url))
    assert "5 Maret 2024" in release
    assert "Siaran pers" in release  # the kicker "Press release"
    english = html(client.get("/news/"))
    assert "5 March 2024" in english


# --- A release and its translation -------------------------------------------------


def test_release_and_translation_link_to_each_other(client, pair):
    english, translated = pair
    assert translated.translation_key == english.translation_key
    assert translated.get_parent().specific.locale.language_code == "id"
    assert translated.url == "/id/news/smelter-nikel-dibuka/"

    english_html = html(client.get(english.url))
    assert switcher_link(english_html, "id") == translated.url
    assert hreflangs(english_html) == {
        "en": f"http://testserver{english.url}",
        "id": f"http://testserver{translated.url}",
        # English (no prefix) is what a reader of any other language is sent to.
        "x-default": f"http://testserver{english.url}",
    }
    indonesian_html = html(client.get(translated.url))
    assert '<html lang="id">' in indonesian_html
    assert switcher_link(indonesian_html, "en") == english.url
    assert hreflangs(indonesian_html) == hreflangs(english_html)


def test_missing_translation_falls_back_to_the_other_home(client, pair, newsroom):
    lonely = make_release("Only in English", release_date=MARCH)
    page = html(client.get(lonely.url))
    assert switcher_link(page, "id") == "/id/"
    assert 'data-translated="false"' in page
    assert hreflangs(page) == {}
    # An unpublished translation counts as missing.
    draft = lonely.copy_for_translation(Locale.objects.get(language_code="id"))
    assert not draft.live
    assert switcher_link(html(client.get(lonely.url)), "id") == "/id/"
    only_id = translate(make_release("Second", release_date=MARCH), "Kedua", "Dua.")
    only_id.get_translation(newsroom.locale).unpublish()
    assert switcher_link(html(client.get(only_id.url)), "en") == "/"


def test_unpublished_newsroom_translation_counts_as_missing(client, pair, newsroom):
    """The listing's translations come with its routing; a draft one is not
    linked, and the switcher offers the other language's home."""
    indonesian = newsroom.get_translation(Locale.objects.get(language_code="id"))
    assert switcher_link(html(client.get("/news/?q=x")), "id") == "/id/news/?q=x"
    indonesian.unpublish()
    assert switcher_link(html(client.get("/news/?q=x")), "id") == "/id/"


def test_switcher_keeps_the_route_and_filters(client, pair):
    query = "?sector=nickel&q=smelter&from=2024-01-01&sort=oldest"
    page = html(client.get("/news/" + query))
    assert switcher_link(page, "id") == "/id/news/" + query
    page = html(client.get("/id/news/" + query))
    assert switcher_link(page, "en") == "/news/" + query
    hub = html(client.get("/news/sectors/nickel/?from=2024-01-01"))
    assert switcher_link(hub, "id") == "/id/news/sectors/nickel/?from=2024-01-01"
    index = html(client.get("/id/news/sectors/"))
    assert switcher_link(index, "en") == "/news/sectors/"
    assert switcher_link(html(client.get("/id/")), "en") == "/"


def test_navigation_stays_in_the_language(client, pair):
    page = html(client.get("/id/news/"))
    assert 'action="/id/news/"' in page
    assert 'href="/id/news/sectors/"' in page
    assert 'href="/id/news/feed/"' in page
    release = html(client.get(pair[1].url))
    assert 'href="/id/news/sectors/nickel/"' in release


# --- Each language shows only its own releases -------------------------------------


def test_listing_hub_search_feed_and_api_keep_to_their_language(client, pair):
    english, translated = pair
    checks = [
        ("/news/", "/id/news/"),
        ("/news/?q=Morowali", "/id/news/?q=Morowali"),
        ("/news/sectors/nickel/", "/id/news/sectors/nickel/"),
        ("/news/feed/", "/id/news/feed/"),
        ("/news/export.csv", "/id/news/export.csv"),
    ]
    for english_url, indonesian_url in checks:
        en = client.get(english_url)
        en = b"".join(en.streaming_content) if en.streaming else en.content
        id_ = client.get(indonesian_url)
        id_ = b"".join(id_.streaming_content) if id_.streaming else id_.content
        assert english.title.encode() in en, english_url
        assert translated.title.encode() not in en, english_url
        assert translated.title.encode() in id_, indonesian_url
        assert english.title.encode() not in id_, indonesian_url
    # Indonesian words are found in the Indonesian newsroom only.
    assert translated.title in html(client.get("/id/news/?q=nikel"))
    assert translated.title not in html(client.get("/news/?q=nikel"))

    api = reverse("wagtailapi:releases:listing")
    titles = [item["title"] for item in client.get(api).json()["items"]]
    assert titles == [english.title]
    response = client.get(api, {"locale": "id"})
    titles = [item["title"] for item in response.json()["items"]]
    assert titles == [translated.title]
    [item] = response.json()["items"]
    assert item["meta"]["html_url"].endswith(translated.url)
    assert item["meta"]["locale"] == "id"
    assert client.get(api, {"locale": "fr"}).status_code == 400


def test_home_pages_show_their_language(client, pair):
    english, translated = pair
    assert english.title in html(client.get("/"))
    assert translated.title not in html(client.get("/"))
    assert translated.title in html(client.get("/id/"))
    assert english.title not in html(client.get("/id/"))


# --- The admin: an editor translates a release ------------------------------------


def test_editor_translates_a_release_in_the_admin(client, newsroom, press_editor):
    english = make_release("Steel exports rise", release_date=MARCH)
    locale = Locale.objects.get(language_code="id")
    client.force_login(press_editor)
    url = reverse("simple_translation:submit_page_translation", args=[english.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [locale.pk]})
    assert response.status_code == 302
    copy = PressReleasePage.objects.get(locale=locale)
    assert copy.translation_key == english.translation_key
    assert copy.get_parent().specific == ensure_site_tree(locale)
    assert not copy.live  # a draft for the editor to translate and submit
    # The editor may edit it (the Indonesian newsroom is in the press office).
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk]))
    assert edit.status_code == 200


def test_each_language_has_its_sitemap(client, pair):
    english, translated = pair
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://localhost{english.url}" in sitemap
    assert translated.url not in sitemap
    sitemap = client.get("/id/sitemap.xml").content.decode()
    assert translated.url in sitemap
    assert "/id/news/sectors/nickel/" in sitemap
    assert english.url not in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/id/sitemap.xml" in robots


def test_hub_profile_strings_in_indonesian(client, pair):
    page = html(client.get("/id/news/sectors/nickel/"))
    assert "Siaran pers Kementerian Perindustrian tentang Nickel." in page


def test_feed_titles_in_the_feed_language(client, pair):
    url = "/news/feed/?sector=nickel&from=2024-03-01"
    english = client.get(url).content.decode()
    assert "<title>Releases on Nickel from 1 March 2024</title>" in english
    indonesian = client.get("/id" + url).content.decode()
    assert "<title>Siaran pers tentang Nickel sejak 1 Maret 2024</title>" in indonesian
    hub = client.get("/id/news/sectors/nickel/feed/").content.decode()
    assert "<title>Siaran pers: Nickel</title>" in hub


@pytest.fixture
def cited(pair):
    """Law 4/2009, amended by Law 3/2020, which both releases of the pair cite;
    each with its Indonesian translation (its name made for it)."""
    english, translated = pair
    mining = RegulationFactory(
        type="law", number="4", year=2009, title="Mineral and Coal Mining"
    )
    amendment = RegulationFactory(
        type="law",
        number="3",
        year=2020,
        title="Amendments to the Mining Law",
        enacted=datetime.date(2020, 6, 10),
        amends=[mining],
    )
    locale = Locale.objects.get(language_code="id")
    for regulation, title in (
        (mining, "Pertambangan Mineral dan Batubara"),
        (amendment, "Perubahan atas UU Minerba"),
    ):
        RegulationTranslation.objects.create(
            entity=regulation, locale=locale, title=title
        )
    for release in (english, translated):
        page = PressReleasePage.objects.get(pk=release.pk)
        page.release_regulations = [ReleaseRegulation(regulation=mining, sort_order=0)]
        page.save_revision().publish()
    return mining, amendment


def test_a_regulation_in_indonesian(client, cited):
    mining, amendment = cited
    hub = html(client.get("/id/news/regulations/law-4-2009/"))
    assert "Undang-Undang Nomor 4 Tahun 2009" in hub
    assert "Pertambangan Mineral dan Batubara" in hub
    assert "Undang-Undang · Diubah" in " ".join(re.sub(r"<[^>]+>", " ", hub).split())
    index = html(client.get("/id/news/regulations/"))
    assert "Undang-Undang Nomor 4 Tahun 2009" in index
    release = html(client.get("/id/news/smelter-nikel-dibuka/"))
    assert "Peraturan yang dirujuk" in release
    assert "Undang-Undang Nomor 4 Tahun 2009" in release
    assert 'href="/id/news/regulations/law-4-2009/"' in release
    # the English pages keep the English names
    english = html(client.get("/news/regulations/law-4-2009/"))
    assert "Law No. 4 of 2009" in english
    assert "Undang-Undang Nomor" not in english


def test_regulation_feed_titles_in_the_feed_language(client, cited):
    feed = client.get("/id/news/feed/?regulation=law-4-2009").content.decode()
    assert "<title>Siaran pers merujuk Undang-Undang Nomor 4 Tahun 2009</title>" in (
        feed
    )
    hub = client.get("/id/news/regulations/law-4-2009/feed/").content.decode()
    assert "<title>Siaran pers: Undang-Undang Nomor 4 Tahun 2009</title>" in hub
