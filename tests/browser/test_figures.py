"""The figures tracker and a hub with its chart pass axe at both widths, fit them,
and their charts are legible: screenshots of each go to build/screenshots/."""

import pytest

from tests.browser.support import (
    REPORT,
    SCREENSHOTS,
    WIDTHS,
    axe_violations,
    describe_violations,
    horizontal_overflow,
)
from tests.figures.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    ("figures tracker", "/news/figures/"),
    ("figures tracker by region, Indonesian", "/id/news/figures/?group=region"),
    ("listing with its chart", "/news/"),
    ("sector hub with its chart", "/news/sectors/nickel-smelting/"),
]


def test_figures_and_charts_pass_axe_and_fit_both_widths(new_page, subtests):
    build_world()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = new_page(width=width)
        for name, path in PAGES:
            label = f"{name} @{width}px"
            response = page.goto(path)
            with subtests.test(msg="status", page=name, width=width):
                assert response.status == 200, path
            with subtests.test(msg="axe", page=name, width=width):
                violations = axe_violations(page)
                REPORT["axe"][label] = {v["id"]: len(v["targets"]) for v in violations}
                assert not violations, f"{path}\n{describe_violations(violations)}"
            with subtests.test(msg="no horizontal scroll", page=name, width=width):
                sizes = horizontal_overflow(page)
                assert sizes["scrollWidth"] <= sizes["innerWidth"], (path, sizes)
            charts = page.locator("figure.chart")
            with subtests.test(msg="a chart is shown", page=name, width=width):
                assert charts.count() >= 1
            slug = name.replace(" ", "-").replace(",", "")
            charts.first.screenshot(path=str(SCREENSHOTS / f"{slug}-{width}.png"))
            page.screenshot(
                path=str(SCREENSHOTS / f"{slug}-{width}-page.png"), full_page=True
            )
