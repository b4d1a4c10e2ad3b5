"""The map of Indonesia's provinces in the browser: axe finds nothing at 375 and
1280 px, in the light and the dark scheme, with its table closed and open;
nothing scrolls sideways; a keyboard reaches each province's link, sees where it
is, and follows it. Screenshots of each map and page go to build/screenshots/
(region-map-*.png)."""

import pytest

from tests.browser.support import (
    REPORT,
    SCREENSHOTS,
    WIDTHS,
    axe_violations,
    describe_violations,
    horizontal_overflow,
)
from tests.factories.region_map import build_region_map_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    ("region index", "/news/regions/"),
    ("region index, Indonesian", "/id/news/regions/"),
    ("province hub", "/news/regions/central-sulawesi/"),
    ("country hub, filtered", "/news/regions/indonesia/?sector=nickel"),
]


def check_axe(page, subtests, label, path):
    for scheme in ("light", "dark"):
        with subtests.test(msg=f"axe, {scheme} scheme", page=label):
            page.emulate_media(color_scheme=scheme)
            try:
                violations = axe_violations(page)
            finally:
                page.emulate_media(color_scheme="light")
            REPORT["axe"][f"{label} {scheme}"] = {
                v["id"]: len(v["targets"]) for v in violations
            }
            assert not violations, f"{path}\n{describe_violations(violations)}"


def test_region_map_passes_axe_and_fits_both_widths(new_page, subtests):
    build_region_map_world()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = new_page(width=width)
        for name, path in PAGES:
            label = f"{name} @{width}px"
            response = page.goto(path)
            with subtests.test(msg="status", page=label):
                assert response.status == 200, path
            figure = page.locator("figure.region-map")
            with subtests.test(msg="the map is drawn", page=label):
                assert figure.count() == 1
                assert figure.locator("svg a").count() >= 1
            check_axe(page, subtests, label, path)
            with subtests.test(msg="no horizontal scroll", page=label):
                sizes = horizontal_overflow(page)
                REPORT["scroll"][label] = (
                    f"{sizes['scrollWidth']} <= {sizes['innerWidth']}"
                )
                assert sizes["scrollWidth"] <= sizes["innerWidth"], (path, sizes)
            slug = "region-map-" + name.replace(" ", "-").replace(",", "")
            figure.screenshot(path=str(SCREENSHOTS / f"{slug}-{width}.png"))
            page.screenshot(
                path=str(SCREENSHOTS / f"{slug}-{width}-page.png"), full_page=True
            )
            # The table, opened: the same checks.
            figure.locator("summary").click()
            check_axe(page, subtests, f"{label}, table open", path)
            with subtests.test(msg="no horizontal scroll, table open", page=label):
                sizes = horizontal_overflow(page)
                assert sizes["scrollWidth"] <= sizes["innerWidth"], (path, sizes)


def test_a_keyboard_reaches_and_follows_a_province(new_page):
    build_region_map_world()
    page = new_page(width=1280)
    page.goto("/news/regions/")
    links = page.locator("figure.region-map svg a")
    names = [links.nth(i).get_attribute("aria-label") for i in range(links.count())]
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.closest('figure.region-map svg a')"
            " ? document.activeElement.getAttribute('aria-label') : null"
        )
        if focused:
            reached.append(focused)
            if focused.startswith("Central Sulawesi"):
                page.locator("figure.region-map").screenshot(
                    path=str(SCREENSHOTS / "region-map-keyboard-focus-1280.png")
                )
                break
    assert reached == names[: len(reached)]
    assert reached[-1] == "Central Sulawesi: 2 releases"
    page.keyboard.press("Enter")
    page.wait_for_url("**/news/regions/central-sulawesi/")
    current = page.locator('figure.region-map svg a[aria-current="page"]')
    assert current.get_attribute("aria-label") == "Central Sulawesi: 2 releases"
