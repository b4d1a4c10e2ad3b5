"""Changed URLs keep working: Wagtail's redirects app answers the old URL with a 301.

Wagtail creates the redirect from ``page_slug_changed``, sent on commit, so the
changes run inside ``django_capture_on_commit_callbacks(execute=True)``.

A release cannot move between two newsrooms (there is one News page, under the one
home page), and the News page cannot move either; its slug can change, which moves
every release URL below it.
"""

import datetime

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from newsroom.models import HomePage, PressReleasePage
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)


@pytest.fixture
def release(newsroom):
    return make_release(
        "Nickel smelter statement",
        slug="nickel-smelter-statement",
        release_date=datetime.date(2024, 9, 27),
    )


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, (old, response.status_code)
    assert response["Location"] in (new, f"http://localhost{new}")
    assert client.get(new).status_code == 200


def test_slug_change_through_the_admin_redirects(
    moderator_client, client, release, django_capture_on_commit_callbacks
):
    data = release_admin_form_data(
        release, action="publish", slug="nickel-smelter-governance"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    assert_moved(
        client, "/news/nickel-smelter-statement/", "/news/nickel-smelter-governance/"
    )
    redirect = Redirect.objects.get(old_path="/news/nickel-smelter-statement")
    assert redirect.is_permanent
    assert redirect.automatically_created
    assert redirect.redirect_page_id == release.pk


def test_slug_change_in_code_redirects(
    client, release, django_capture_on_commit_callbacks
):
    draft = release.get_latest_revision_as_object()
    draft.slug = "nickel-statement-corrected"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert_moved(
        client, "/news/nickel-smelter-statement/", "/news/nickel-statement-corrected/"
    )


def test_old_url_keeps_its_query_string_target(
    client, release, django_capture_on_commit_callbacks
):
    draft = release.get_latest_revision_as_object()
    draft.slug = "renamed-statement"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    response = client.get("/news/nickel-smelter-statement/?utm_source=wire")
    assert response.status_code == 301
    assert response["Location"].split("?")[0].endswith("/news/renamed-statement/")


def test_two_renames_both_redirect_to_the_current_url(
    client, release, django_capture_on_commit_callbacks
):
    for slug in ("second-name", "third-name"):
        draft = release.get_latest_revision_as_object()
        draft.slug = slug
        with django_capture_on_commit_callbacks(execute=True):
            draft.save_revision().publish()
    assert_moved(client, "/news/nickel-smelter-statement/", "/news/third-name/")
    assert_moved(client, "/news/second-name/", "/news/third-name/")


def test_slug_change_in_an_unpublished_draft_changes_nothing(
    client, release, django_capture_on_commit_callbacks
):
    draft = release.get_latest_revision_as_object()
    draft.slug = "not-yet"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision()
    assert client.get("/news/nickel-smelter-statement/").status_code == 200
    assert client.get("/news/not-yet/").status_code == 404
    assert not Redirect.objects.exists()


def test_renamed_release_is_listed_under_its_new_url_only(
    client, release, django_capture_on_commit_callbacks
):
    draft = release.get_latest_revision_as_object()
    draft.slug = "nickel-statement-v2"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    listing = client.get("/news/").content.decode()
    assert 'href="/news/nickel-statement-v2/"' in listing
    assert 'href="/news/nickel-smelter-statement/"' not in listing
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/news/nickel-statement-v2/" in sitemap
    assert "/news/nickel-smelter-statement/" not in sitemap


def test_news_page_cannot_be_moved(newsroom, home):
    """The only parent a News page may have is a home page, and there is one."""
    root = Page.get_first_root_node()
    assert not newsroom.specific.can_move_to(root)
    assert HomePage.objects.filter(locale=home.locale).count() == 1
    assert not PressReleasePage.can_create_at(home)


def test_news_slug_change_redirects_every_release(
    client, newsroom, release, django_capture_on_commit_callbacks
):
    newsroom = Page.objects.get(pk=newsroom.pk).specific  # fresh: numchild changed
    draft = newsroom.get_latest_revision_as_object()
    draft.slug = "press"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert_moved(client, "/news/", "/press/")
    assert_moved(
        client, "/news/nickel-smelter-statement/", "/press/nickel-smelter-statement/"
    )
