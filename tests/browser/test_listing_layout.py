"""The listing as a phone shows it, and on wide screens.

At 375 px the results come first: the facet panel folds behind a "Filters (n
selected)" summary (a <details>, so it works without JavaScript), opens and closes
by keyboard, and "Show N results" closes it; the active filters are chips above the
results, each removing its own filter. Wide screens keep the side panel. The
language switcher is a horizontal control. (axe in both colour schemes and the
screenshots for a person to look at: tests/browser/test_pages.py.)
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import Sector
from tests.browser.remote import expect
from tests.browser.shared_data import committed_once
from tests.browser.support import (
    WIDTHS,
)
from tests.factories import build_filter_world

# The tests only read the world, built once for them all.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(serialized_rollback=True)]

PHONE = 375
FIRST_SCREEN = 800  # px: the first result's title ends above this line
SECTOR, REGION = "metals", "indonesia"


world = committed_once(build_filter_world)


def query(page):
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("where", ["listing", "hub"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(world, new_page, where):
    page = new_page(width=PHONE)
    path = (
        "/news/"
        if where == "listing"
        else Sector.objects.get(slug=SECTOR).get_absolute_url()
    )
    page.goto(path)
    title = page.locator(".release-card__title").first
    box = title.bounding_box()
    assert box["y"] + box["height"] <= FIRST_SCREEN, f"{path}: title at {box}"
    # the facets are folded away, behind their summary
    expect(page.locator(".filters-panel__toggle")).to_be_visible()
    expect(page.locator("#filters fieldset").first).to_be_hidden()


def test_the_filters_panel_opens_and_closes_by_keyboard(world, new_page):
    page = new_page(width=PHONE)
    page.goto(f"/news/?sector={SECTOR}")
    toggle = page.locator(".filters-panel__toggle")
    expect(toggle).to_have_text("Filters (1 selected)")
    panel = page.locator("#filters-panel")
    facet = page.locator(f"#filters input[name=sector][value={SECTOR}]")

    toggle.focus()
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    expect(facet).to_be_visible()
    page.keyboard.press("Escape")  # static/js/filters.js
    expect(panel).not_to_have_attribute("open", "")
    expect(facet).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press(" ")
    expect(facet).to_be_visible()
    # "Show N results": the results already follow the choices, so it only closes
    show = page.locator("[data-show-results]")
    count = page.locator(".result-count").inner_text().split()[0]
    expect(show).to_have_text(f"Show {count} results")
    show.focus()
    page.keyboard.press("Enter")
    expect(panel).not_to_have_attribute("open", "")
    expect(toggle).to_be_focused()
    assert query(page) == {"sector": [SECTOR]}  # no new request was made


def test_without_javascript_show_results_applies_the_choices(world, new_page):
    page = new_page(width=PHONE, javascript=False)
    page.goto("/news/")
    page.locator(".filters-panel__toggle").click()
    page.check(f"#filters input[name=sector][value={SECTOR}]")
    with page.expect_navigation():
        page.locator("[data-show-results]").click()
    assert query(page)["sector"] == [SECTOR]
    expect(page.locator("#filters-panel")).not_to_have_attribute("open", "")
    expect(page.locator(".filters-panel__toggle")).to_have_text("Filters (1 selected)")


def test_a_chip_removes_its_own_filter(world, new_page):
    page = new_page(width=PHONE)
    page.goto(f"/news/?sector={SECTOR}&region={REGION}")
    chips = page.locator(".active-filters .chip")
    expect(chips).to_have_count(2)
    # the chips sit above the results, the count is announced
    assert (
        chips.first.bounding_box()["y"]
        < page.locator(".release-card__title").first.bounding_box()["y"]
    )
    expect(page.locator(".result-count")).to_have_attribute("role", "status")
    with page.expect_navigation():
        chips.filter(has_text="Metals").click()
    assert query(page) == {"region": [REGION]}
    expect(chips).to_have_count(1)
    expect(page.locator(".filters-panel__toggle")).to_have_text("Filters (1 selected)")


def test_wide_screens_keep_the_side_panel(world, new_page):
    page = new_page(width=1280)
    page.goto("/news/")
    expect(page.locator(".filters-panel__toggle")).to_be_hidden()
    facet = page.locator(f"#filters input[name=sector][value={SECTOR}]")
    expect(facet).to_be_visible()
    filters = page.locator("#filters").bounding_box()
    results = page.locator(".results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    assert abs(filters["y"] - results["y"]) < 50  # side by side


def test_indonesian_filters_summary(world, new_page):
    ensure_site_tree(Locale.objects.get(language_code="id"))
    page = new_page(width=PHONE)
    page.goto("/id/news/")
    expect(page.locator(".filters-panel__toggle")).to_have_text("Filter (0 dipilih)")
    expect(page.locator("[data-show-results]")).to_contain_text("Tampilkan")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_language_switcher_is_a_horizontal_control(world, new_page, width):
    page = new_page(width=width)
    page.goto("/news/")
    items = page.locator(".language-switcher li")
    expect(items).to_have_count(2)
    first, second = (item.bounding_box() for item in items.all())
    assert abs(first["y"] - second["y"]) < 1
    assert second["x"] >= first["x"] + first["width"] - 1
    # no bullets: a control, not a list
    assert items.first.evaluate("e => getComputedStyle(e).listStyleType") == "none"
