"""What each process remembers of the site (models/caching.py:remembered): the
site for a host with its home page, the site root paths, the administrations.
A page read on an empty response cache pays those queries only while the
process has not read them under the current structure version; any change to
them moves the version, in this process or another, and the next page reads
them afresh."""

import datetime
import types

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Site

from newsroom.models import ContentVersion, GovernmentPeriod
from newsroom.models.caching import forget_remembered, remembered
from tests.factories import make_release

REMEMBERED_TABLES = (
    "wagtailcore_site",
    "newsroom_homepage",
    "wagtailcore_locale",
    "newsroom_governmentperiod",
)


def read(client, url):
    """The page on an empty response cache: its status, text and the tables its
    queries read from (the first name after each FROM)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    tables = [
        query["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
        for query in context.captured_queries
        if " FROM " in query["sql"]
    ]
    return response.content.decode(), tables, len(context.captured_queries)


@pytest.fixture
def release(newsroom):
    GovernmentPeriod.objects.create(
        name="Onward Indonesia Cabinet",
        start_date=datetime.date(2019, 10, 23),
        end_date=datetime.date(2024, 10, 20),
    )
    GovernmentPeriod.objects.create(
        name="Red and White Cabinet", start_date=datetime.date(2024, 10, 21)
    )
    return make_release("Smelter statement", release_date=datetime.date(2022, 3, 1))


def test_a_second_reader_pays_no_query_for_the_site(client, release):
    html, first_tables, first = read(client, release.url)
    assert "Onward Indonesia Cabinet" in html
    assert set(REMEMBERED_TABLES) <= set(first_tables)

    html_again, tables, again = read(client, release.url)
    assert html_again == html
    assert not set(REMEMBERED_TABLES) & set(tables), tables
    # The site, the home page with its translations, the locales, the site root
    # paths (2), the newsroom with its translations and the administrations.
    # (Wagtail's routing read the active locale on every page: now on none.)
    assert again == first - 7


def test_publishing_a_release_keeps_what_was_remembered(client, release):
    read(client, release.url)
    version = ContentVersion.read()
    make_release("Another statement")
    assert ContentVersion.read()[1] == version[1]  # content moved, structure not
    _, tables, _ = read(client, release.url)
    assert not set(REMEMBERED_TABLES) & set(tables)


def test_a_new_administration_is_read_on_the_next_page(client, release):
    read(client, release.url)
    GovernmentPeriod.objects.filter(name="Onward Indonesia Cabinet").delete()
    GovernmentPeriod.objects.create(
        name="Working Cabinet",
        start_date=datetime.date(2014, 10, 27),
        end_date=datetime.date(2024, 10, 20),
    )
    html, tables, _ = read(client, release.url)
    assert "newsroom_governmentperiod" in tables
    assert "Working Cabinet" in html and "Onward" not in html


def test_a_new_site_address_reaches_every_link(client, release, site):
    read(client, release.url)
    site.hostname, site.port = "press.example.org", 443
    site.save()
    html, tables, _ = read(client, release.url)
    assert "wagtailcore_site" in tables
    assert f'<link rel="canonical" href="https://press.example.org{release.url}">' in (
        html
    )


def test_a_change_on_another_node_is_seen_on_the_next_page(client, release):
    """Another process changed the administrations: no signal ran here, only
    the version it moved in the database tells this process."""
    read(client, release.url)
    GovernmentPeriod.objects.filter(name="Onward Indonesia Cabinet").update(
        name="Indonesia Maju Cabinet"
    )
    html, _, _ = read(client, release.url)
    assert "Onward Indonesia Cabinet" in html  # nothing told this process yet
    ContentVersion.objects.filter(pk=1).update(
        value=F("value") + 1, structure=F("structure") + 1
    )
    html, tables, _ = read(client, release.url)
    assert "newsroom_governmentperiod" in tables
    assert "Indonesia Maju Cabinet" in html


def test_an_older_version_never_replaces_a_newer_one():
    """A replica behind the primary answers an older version: what it reads is
    used for that request only."""
    forget_remembered()
    loads = []

    def answer(version):
        request = types.SimpleNamespace(_structure_version=version)
        return remembered(request, "test", lambda: loads.append(version) or version)

    assert answer(5) == 5
    assert answer(4) == 4  # read afresh, not remembered
    assert answer(5) == 5
    assert loads == [5, 4]
    assert answer(6) == 6
    assert loads == [5, 4, 6]
    # A request that read no version (an editor's) always reads afresh.
    assert remembered(types.SimpleNamespace(), "test", lambda: "fresh") == "fresh"


def test_a_structure_change_in_a_held_import_moves_the_structure_once(newsroom):
    from newsroom.channels.page_cache import content_changes_held

    value, structure = ContentVersion.read()
    with content_changes_held():
        make_release("Imported statement")
        Site.objects.update(site_name="Press office")  # no signal: not counted
        GovernmentPeriod.objects.create(
            name="Working Cabinet", start_date=datetime.date(2014, 10, 27)
        )
        GovernmentPeriod.objects.create(
            name="Onward Indonesia Cabinet", start_date=datetime.date(2019, 10, 23)
        )
        assert ContentVersion.read() == (value, structure)
    assert ContentVersion.read() == (value + 1, structure + 1)


def test_an_edited_home_page_is_served_afresh(client, home):
    """The home page routing starts from is remembered with its site: editing
    it moves the structure version."""
    read(client, "/")
    structure = ContentVersion.read()[1]
    home.intro = "The ministry's press office, now with an agenda."
    home.save_revision().publish()
    assert ContentVersion.read()[1] > structure
    html, tables, _ = read(client, "/")
    assert "newsroom_homepage" in tables
    assert "now with an agenda" in html


def test_an_edited_newsroom_is_served_afresh(client, newsroom, release):
    """The newsroom routing finds under the home page is remembered too: its
    edits (its intro, its slug) move the structure version."""
    read(client, "/news/")
    structure = ContentVersion.read()[1]
    page = newsroom.get_latest_revision_as_object()
    page.intro = "Statements of the ministry, newest first."
    page.slug = "press"
    page.save_revision().publish()
    assert ContentVersion.read()[1] > structure
    html, _, queries = read(client, "/press/")
    assert "Statements of the ministry" in html
    cache.clear()
    assert client.get("/news/").status_code == 404
    assert client.get("/press/smelter-statement/").status_code == 200


def test_a_restriction_on_the_newsroom_is_honoured_on_the_next_page(
    client, newsroom, release
):
    """Whether a view restriction is at or above the newsroom is remembered
    with it: adding one moves the structure version, and the listing closes."""
    from wagtail.models import PageViewRestriction

    assert "Smelter statement" in read(client, "/news/")[0]
    PageViewRestriction.objects.create(
        page=newsroom, restriction_type="password", password="s3cret"
    )
    cache.clear()
    html = client.get("/news/").content.decode()
    assert 'type="password"' in html
    assert "Smelter statement" not in html


def test_each_request_routes_its_own_copy_of_the_newsroom(rf, newsroom, release):
    """Routing sets attributes on the pages it walks: two requests never share
    the remembered instance."""
    home = newsroom.get_parent().specific
    firsts = []
    for _ in range(2):
        request = rf.get("/news/")
        request._structure_version = ContentVersion.read()[1]
        routed = home.route(request, ["news"])
        firsts.append(routed.page)
    assert firsts[0] is not firsts[1]
    assert firsts[0].pk == firsts[1].pk == newsroom.pk
    assert firsts[0].get_parent() is home


def test_a_slug_that_is_not_there_is_not_remembered(client, newsroom):
    """Any reader may ask for any slug: only newsrooms found are kept."""
    from newsroom.models import caching

    read(client, "/news/")
    cache.clear()
    assert client.get("/no-such-newsroom/").status_code == 404
    slugs = {name[2] for name in caching._remembered if name[0] == "child"}
    assert slugs == {"news"}


def test_a_failing_receiver_after_it_still_closes_the_newsroom(
    client, newsroom, release, monkeypatch
):
    """The structure moves before the other receivers of a restriction run:
    one failing after it cannot leave the newsroom remembered as open."""
    from wagtail.models import PageViewRestriction

    from newsroom.channels import pictures

    read(client, "/news/")
    structure = ContentVersion.read()[1]

    def fail(*args, **kwargs):
        raise RuntimeError("picture flags unavailable")

    monkeypatch.setattr(pictures, "page_changed", fail)
    with pytest.raises(RuntimeError):
        PageViewRestriction.objects.create(
            page=newsroom, restriction_type="password", password="s3cret"
        )
    assert ContentVersion.read()[1] > structure


@pytest.mark.parametrize("language", ["en", "id", "id-id", "fr", None])
def test_the_remembered_home_page_is_localized_as_wagtail_localizes_it(
    rf, home, language
):
    """Routing starts from ``site.root_page.localized``: the remembered home
    page answers from what it read with the site, as Wagtail's would answer
    from the database, whatever the active language, and when the Indonesian
    home page is not live."""
    from django.utils import translation

    from newsroom.channels.page_cache import site_for
    from newsroom.models import HomePage

    indonesian = home.get_translation(Locale.objects.get(language_code="id"))
    for live in (True, False):
        HomePage.objects.filter(pk=indonesian.pk).update(live=live)
        remembered_root = site_for(rf.get("/")).root_page
        assert remembered_root.pk == home.pk
        assert remembered_root.localized_by_language is not None
        with translation.override(language):
            wagtails = HomePage.objects.get(pk=home.pk).localized
            assert remembered_root.localized.pk == wagtails.pk


def test_the_api_remembers_its_newsroom_and_locales(client, release):
    """A second reader of the API pays no query for the locale or the
    newsroom, and unpublishing the newsroom still empties the API at once."""
    url = "/api/v2/releases/?locale=en"
    read(client, "/news/")  # the site and what every page reads, remembered
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).json()["meta"]["total_count"] == 1
    cache.clear()
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).json()["meta"]["total_count"] == 1
    assert len(again.captured_queries) == len(first.captured_queries) - 2
    tables = {q["sql"].split(" FROM ", 1)[1].split()[0] for q in again.captured_queries}
    assert not {'"wagtailcore_locale"', '"newsroom_newsroompage"'} & tables

    release.get_parent().specific.unpublish()
    cache.clear()
    assert client.get(url).status_code == 404
