"""A reader filters the listing, switches to Indonesian and back, keeping the filter.

On the filter world of tests/factories/filter_world.py, whose releases in one sector are
given Indonesian translations (as simple_translation makes them: same translation_key,
under the Indonesian newsroom at /id/news/).
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.models import Locale

from newsroom.models import PressReleasePage
from tests.browser.remote import expect
from tests.browser.shared_data import committed_once
from tests.factories import (
    FILTER_WORLD_RELEASES,
    build_filter_world,
    filter_world_matches,
)

# The tests only read the world, built once for them all.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(serialized_rollback=True)]

SECTOR = "metals"


def filter_world_with_translations():
    """{English title: Indonesian title} of the sector's releases, translated."""
    build_filter_world()
    locale = Locale.objects.get(language_code="id")
    titles = {}
    for key in filter_world_matches({"sector": SECTOR}):
        title = FILTER_WORLD_RELEASES[key][0]
        release = PressReleasePage.objects.get(title=title, locale__language_code="en")
        copy = release.copy_for_translation(locale)
        copy.title = f"Terjemahan: {title}"
        copy.save_revision().publish()
        titles[title] = copy.title
    return titles


world = committed_once(filter_world_with_translations)


def query(page):
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def test_switching_language_keeps_the_filter(world, page):
    page.goto("/news/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.check(f"#filters input[name=sector][value={SECTOR}]")
    assert query(page) == {"sector": [SECTOR], "sort": ["newest"]}
    english_titles = page.locator(".release-card__title").all_inner_texts()
    assert english_titles and set(english_titles) <= set(world)

    with page.expect_navigation():
        page.locator(".language-switcher a[hreflang=id]").click()
    assert urlsplit(page.url).path == "/id/news/"
    assert query(page) == {"sector": [SECTOR], "sort": ["newest"]}
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator(f"#filters input[value={SECTOR}]")).to_be_checked()
    expect(page.locator("#filters .filters__apply")).to_have_text("Terapkan filter")
    # The same releases, translated (ties on a date may fall in another order).
    assert sorted(page.locator(".release-card__title").all_inner_texts()) == sorted(
        world[title] for title in english_titles
    )

    with page.expect_navigation():
        page.locator(".language-switcher a[hreflang=en]").click()
    assert urlsplit(page.url).path == "/news/"
    assert query(page) == {"sector": [SECTOR], "sort": ["newest"]}
    expect(page.locator(f"#filters input[value={SECTOR}]")).to_be_checked()
    assert page.locator(".release-card__title").all_inner_texts() == english_titles


def test_a_release_leads_to_its_translation(world, page):
    title, translated = next(iter(world.items()))
    release = PressReleasePage.objects.get(title=title)
    page.goto(release.url)
    with page.expect_navigation():
        page.locator(".language-switcher a[hreflang=id]").click()
    expect(page.locator("h1")).to_have_text(translated)
    expect(page.locator("html")).to_have_attribute("lang", "id")
