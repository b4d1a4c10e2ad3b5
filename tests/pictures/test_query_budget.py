"""The release page's queries: the Media section costs none of its own (it reads
the pictures the body has loaded), and the page keeps within a budget."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.releases import make_release
from tests.pictures.helpers import image_block, make_picture
from tests.pictures.test_media_section import gallery_block

# Measured at 2026-12-03 for a release with a hero, a body picture and a gallery of
# three; most of it is the page's own (route, links, regulations, renditions).
RELEASE_PAGE_BUDGET = 60


@pytest.fixture
def release(newsroom):
    pictures = [make_picture(f"Picture {n}", credit="Ministry") for n in range(5)]
    release = make_release(
        "Smelter opens",
        hero_image=pictures[0],
        body=[image_block(pictures[1]), gallery_block(*pictures[2:])],
    )
    return release


def queries_of(client, url):
    cache.clear()  # neither the page cache nor the renditions' may answer
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("prefix", ["", "/id"])
def test_the_media_section_adds_no_query(client, release, prefix):
    url = release.url
    if prefix:
        from wagtail.models import Locale

        from newsroom.editorial.site_tree import ensure_site_tree

        ensure_site_tree(Locale.objects.get(language_code="id"))
        copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
        copy.save_revision().publish()
        url = copy.url
    queries_of(client, url)  # renditions made once
    with mock.patch("newsroom.templatetags.picture_tags.media_items", return_value=[]):
        without, response = queries_of(client, url)
    assert b'class="release-media"' not in response.content
    with_section, response = queries_of(client, url)
    assert b'class="release-media"' in response.content
    assert with_section == without
    assert with_section <= RELEASE_PAGE_BUDGET, with_section
