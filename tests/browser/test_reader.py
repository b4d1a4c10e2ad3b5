"""A reader narrows the listing down, pages on, reads a release, reaches a hub.

On the filter world of tests/factories/filter_world.py, whose expected results and facet
counts are computed from its plain data; two releases to a page, so there is a next
page.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.remote import expect
from tests.browser.shared_data import committed_once
from tests.factories import (
    FILTER_WORLD_OFFICIALS,
    FILTER_WORLD_RELEASES,
    build_filter_world,
    filter_world_facet_counts,
    filter_world_matches,
)

# The tests only read the world, built once for them all.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(serialized_rollback=True)]

PAGE_SIZE = 2
SECTOR, REGION = "metals", "indonesia"


world = committed_once(build_filter_world)


@pytest.fixture(autouse=True)
def _page_size(settings):
    settings.NEWSROOM_PAGE_SIZE = PAGE_SIZE


def result_count(page):
    text = page.locator(".result-count").inner_text()
    return int(re.match(r"(\d+) releases?", text).group(1))


def shown_counts(page, facet):
    """{slug: count} as the facet's checkboxes show them."""
    counts = {}
    for option in page.locator(f"#facet-{facet} input[name={facet}]").all():
        label = page.locator(f"label[for='{option.get_attribute('id')}']")
        text = label.locator(".facet__count").inner_text()
        counts[option.get_attribute("value")] = int(re.search(r"\d+", text).group())
    return counts


def shown_titles(page):
    return page.locator(".release-card__title").all_inner_texts()


def query(page):
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def assert_listing_shows(page, params, page_number=1):
    expected = filter_world_matches(params)
    assert result_count(page) == len(expected)
    start = (page_number - 1) * PAGE_SIZE
    assert shown_titles(page) == [
        FILTER_WORLD_RELEASES[key][0] for key in expected[start : start + PAGE_SIZE]
    ]
    counts = filter_world_facet_counts(params)
    for facet in ("sector", "region", "official", "topic"):
        assert shown_counts(page, facet) == counts[facet], facet


def test_reader_filters_pages_on_reads_a_release_and_finds_the_hub_feed(world, page):
    page.goto("/news/")
    assert_listing_shows(page, {})
    before = shown_counts(page, "region")

    # The form submits itself when a box is ticked (static/js/filters.js).
    with page.expect_navigation():
        page.check(f"#filters input[name=sector][value={SECTOR}]")
    assert query(page) == {"sector": [SECTOR], "sort": ["newest"]}
    assert_listing_shows(page, {"sector": SECTOR})
    assert shown_counts(page, "region") != before

    with page.expect_navigation():
        page.check(f"#filters input[name=region][value={REGION}]")
    params = {"sector": SECTOR, "region": REGION}
    assert query(page) == {"sector": [SECTOR], "region": [REGION], "sort": ["newest"]}
    assert_listing_shows(page, params)
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.locator(".clear-all")).to_be_visible()
    expect(page.locator(f"#filters input[value={SECTOR}]")).to_be_checked()

    # Page 2 keeps the filters and links back.
    expect(page.locator("a[rel=prev]")).to_have_count(0)
    with page.expect_navigation():
        page.click("a[rel=next]")
    assert query(page)["page"] == ["2"]
    assert query(page)["region"] == [REGION]
    assert_listing_shows(page, params, page_number=2)
    expect(page.locator("a[rel=prev]")).to_have_count(1)

    # The first release on this page, and the first official on it.
    key = filter_world_matches(params)[PAGE_SIZE]
    title, officials = FILTER_WORLD_RELEASES[key][0], FILTER_WORLD_RELEASES[key][4]
    with page.expect_navigation():
        page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    official = officials[0]
    name = FILTER_WORLD_OFFICIALS[official]
    with page.expect_navigation():
        page.locator(".officials").get_by_role("link", name=name).click()

    hub = f"/news/officials/{official}/"
    assert urlsplit(page.url).path == hub
    expect(page.locator("h1")).to_have_text(name)
    expected = filter_world_matches({}, scope=("official", official))
    assert result_count(page) == len(expected)

    feed = page.locator('link[rel=alternate][type="application/atom+xml"]')
    expect(feed).to_have_count(1)
    assert feed.get_attribute("href") == f"{hub}feed/"
    visible = page.locator(".feed-link a", has_text="Atom feed")
    expect(visible).to_be_visible()
    assert visible.get_attribute("href") == f"{hub}feed/"
    response = page.request.get(visible.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert response.text().count("<entry>") == len(expected)


def test_filter_form_works_without_javascript(world, new_page):
    page = new_page(javascript=False)
    page.goto("/news/")
    page.check(f"#filters input[name=sector][value={SECTOR}]")
    page.check(f"#filters input[name=region][value={REGION}]")
    assert urlsplit(page.url).query == ""  # nothing happens until the button
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()

    assert query(page)["sector"] == [SECTOR]
    assert query(page)["region"] == [REGION]
    expect(page.locator(".form-error")).to_have_count(0)
    assert_listing_shows(page, {"sector": SECTOR, "region": REGION})
    with page.expect_navigation():
        page.click("a[rel=next]")
    assert_listing_shows(page, {"sector": SECTOR, "region": REGION}, page_number=2)
