"""The response cache: anonymous readers share pages, and any change a reader could
see (publish, unpublish, correction, taxonomy edit) shows on the very next request."""

import pytest
from wagtail.models import PageViewRestriction

from newsroom.models import Correction
from tests.factories import RegulationFactory, SectorFactory, make_release

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    return client.get(url, **headers)


def test_second_request_is_served_from_the_cache(client, newsroom):
    make_release("Cached release")
    first = get(client, "/news/")
    second = get(client, "/news/")
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_api_responses_are_shared_and_refreshed_by_a_publish(client, newsroom):
    make_release("API release")
    first = get(client, "/api/v2/releases/")
    second = get(client, "/api/v2/releases/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    make_release("Another API release")
    titles = [
        item["title"] for item in get(client, "/api/v2/releases/").json()["items"]
    ]
    assert "Another API release" in titles


def test_an_api_error_is_not_stored(client, newsroom):
    assert get(client, "/api/v2/releases/?sector=nowhere").status_code == 400
    assert "X-Cache" not in get(client, "/api/v2/releases/?sector=nowhere")


def test_conditional_get_answers_304_until_something_changes(client, newsroom):
    release = make_release("Conditional")
    etag = get(client, "/news/")["ETag"]
    assert get(client, "/news/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    release.save_revision().publish()
    changed = get(client, "/news/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize(
    "url",
    ["/news/", "/news/feed/", "/news/sectors/steel/", "/api/v2/releases/?sector=steel"],
)
def test_publish_shows_on_the_next_request(client, newsroom, url):
    steel = SectorFactory(name="Steel", slug="steel")
    make_release("First steel release", sectors=[steel])
    assert b"Second steel release" not in get(client, url).content
    make_release("Second steel release", sectors=[steel])
    assert b"Second steel release" in get(client, url).content


def test_unpublish_shows_on_the_next_request(client, newsroom):
    release = make_release("Soon gone")
    assert b"Soon gone" in get(client, "/news/").content
    release.unpublish()
    assert b"Soon gone" not in get(client, "/news/").content
    assert get(client, release.url).status_code == 404


def test_correction_shows_on_the_release_page_at_once(client, newsroom):
    release = make_release("Corrected")
    assert b"Figures revised" not in get(client, release.url).content
    release.corrections.add(Correction(note="Figures revised"))
    release.save_revision().publish()
    assert b"Figures revised" in get(client, release.url).content


def test_taxonomy_edit_shows_on_the_next_request(client, newsroom):
    sector = SectorFactory(name="Steel", slug="steel")
    make_release("Steel news", sectors=[sector])
    assert b"Steel" in get(client, "/news/").content
    sector.name = "Iron and Steel"
    sector.save()
    assert b"Iron and Steel" in get(client, "/news/").content


def test_a_regulation_edit_shows_on_the_next_request(client, newsroom):
    """Its title, its number (and so its name), and a new amendment that a release
    readers see cites: each refreshes the cached hub, listing and release."""
    law = RegulationFactory(type="law", number="3", year=2020, title="Mining")
    release = make_release("Mining news", regulations=[law])
    hub = "/news/regulations/law-3-2020/"
    assert b"Mining" in get(client, hub).content
    assert b"Law No. 3 of 2020" in get(client, "/news/").content
    get(client, release.url)
    law.title = "Mineral and Coal Mining"
    law.save()
    assert b"Mineral and Coal Mining" in get(client, hub).content
    assert b"Mineral and Coal Mining" in get(client, release.url).content
    later = RegulationFactory(
        type="law", number="6", year=2023, amends=[law], marked_public=True
    )
    assert later.name.encode() in get(client, hub).content
    assert b"Later amended by Law No. 6 of 2023" in get(client, release.url).content


def test_logged_in_editors_always_get_fresh_pages(client, admin_user, newsroom):
    make_release("Fresh")
    client.force_login(admin_user)
    assert "X-Cache" not in get(client, "/news/")
    assert "X-Cache" not in get(client, "/news/")


def test_a_restricted_release_is_never_shared(client, newsroom):
    release = make_release("Password only")
    PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    locked = get(client, release.url)
    assert b"Password only</h1>" not in locked.content
    restriction = release.get_view_restrictions().first()
    form_url = f"/_util/authenticate_with_password/{restriction.pk}/{release.pk}/"
    client.post(form_url, {"password": "s3cret", "return_url": release.url})
    unlocked = get(client, release.url)
    assert unlocked.status_code == 200
    assert "private" in unlocked["Cache-Control"]
    client.logout()
    other_reader = type(client)()
    assert b"Password only</h1>" not in get(other_reader, release.url).content


def test_view_restrictions_in_one_query_agree_with_wagtails(
    newsroom, home, django_assert_num_queries
):
    """Served pages read their view restrictions in one query; the answer must be
    Wagtail's: the page's own, its ancestors', and for an alias its source's."""
    from wagtail.models import Page

    restricted = make_release("Restricted")
    public = make_release("Public")
    alias = restricted.create_alias(parent=home, update_slug="restricted-alias")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    section_restriction = PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.LOGIN
    )
    for page in [restricted, public, alias, newsroom, home]:
        fresh = page.specific_class.objects.get(pk=page.pk)
        with django_assert_num_queries(1):
            ours = set(fresh.get_view_restrictions())
        assert ours == set(Page.get_view_restrictions(fresh)), page
        # The home page is above both restrictions; the alias, outside the
        # newsroom, has its source's.
        assert bool(ours) == (page != home), page
    section_restriction.delete()
    fresh_public = public.specific_class.objects.get(pk=public.pk)
    assert not fresh_public.get_view_restrictions().exists()


def rendition_paths(html):
    """The media files a page's pictures point at."""
    import re

    return set(re.findall(r'src="/media/([^"]+)"', html))


def test_replacing_a_picture_in_the_admin_refreshes_cached_pages(
    client, admin_client, newsroom, settings
):
    """Replacing an image's file deletes its renditions: a page cached before
    must not keep pointing at them (a broken picture for up to an hour)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="Smelter at dusk", file=get_test_image_file(size=(1600, 900))
    )
    release = make_release("With a picture", hero_image=image)
    get(client, release.url)
    cached = get(client, release.url)
    assert cached["X-Cache"] == "hit"
    before = rendition_paths(cached.content.decode())
    assert before

    replaced = admin_client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Smelter at dusk",
            "file": SimpleUploadedFile(
                "new.png",
                get_test_image_file(size=(1200, 800)).file.getvalue(),
                content_type="image/png",
            ),
            "collection": image.collection_id,
            "tags": "",
            "description": "",
        },
    )
    assert replaced.status_code == 302, replaced.context["form"].errors

    fresh = get(client, release.url)
    assert fresh["X-Cache"] == "miss"
    after = rendition_paths(fresh.content.decode())
    assert after and after != before
    for path in after:
        assert (settings.MEDIA_ROOT / path).exists(), path


def test_document_edits_bump_the_content_version_but_uploads_do_not(newsroom):
    """Pages show a document's title and file link; a new upload is on none yet,
    so it leaves the cached pages alone."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from newsroom.models import ContentVersion

    version = ContentVersion.current()
    document = get_document_model().objects.create(
        title="Roadmap", file=ContentFile(b"%PDF-1.4 roadmap", name="roadmap.pdf")
    )
    assert ContentVersion.current() == version
    document.title = "Downstreaming roadmap 2025"
    document.save()
    assert ContentVersion.current() == version + 1
    document.delete()
    assert ContentVersion.current() == version + 2


def test_a_miss_reads_the_cache_once(client, newsroom):
    """The middleware looked the page up already; the page does not ask again
    (one Redis round trip per miss, one failed connection while Redis is down)."""
    from unittest import mock

    from django.core.cache import cache

    release = make_release("Read once")
    with mock.patch.object(cache, "get", wraps=cache.get) as reads:
        assert get(client, release.url)["X-Cache"] == "miss"
    response_reads = [
        c for c in reads.call_args_list if str(c.args[0]).startswith("newsroom:resp")
    ]
    assert len(response_reads) == 1
    assert get(client, release.url)["X-Cache"] == "hit"
