"""The checks themselves catch what they are for, so a pass means something."""

import pytest

from tests.browser.support import (
    axe_violations,
    check_html,
    horizontal_overflow,
)

pytestmark = pytest.mark.browser

BROKEN = """<!DOCTYPE html>
<html><head><title>Broken</title></head>
<body>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p style="color:#bbb;background:#fff">Too faint to read.</p>
  <div style="width:2000px">Too wide.</div>
  <a href="/"></a>
</body></html>"""


@pytest.fixture
def bare_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def test_axe_and_the_scroll_check_catch_a_broken_page(bare_page):
    bare_page.set_content(BROKEN)
    found = {violation["id"] for violation in axe_violations(bare_page)}
    assert {"html-has-lang", "image-alt", "color-contrast", "link-name"} <= found
    sizes = horizontal_overflow(bare_page)
    assert sizes["scrollWidth"] > sizes["innerWidth"] == 375
    assert any(element.startswith("div") for element in sizes["wide"])


def test_the_html_checker_reports_errors_and_warnings(tmp_path):
    results = check_html(
        {
            "broken": "<!DOCTYPE html><html lang=en><title>x</title><p><div></span>",
            "fine": '<!DOCTYPE html><html lang="en"><title>Fine</title><p>Fine.</p>',
            "warned": '<!DOCTYPE html><html lang="en"><title>W</title>'
            "<section><p>A section without a heading.</p></section>",
        },
        tmp_path,
    )
    assert any("Stray end tag" in error for error in results["broken"]["errors"])
    assert results["fine"] == {"errors": [], "warnings": []}
    assert not results["warned"]["errors"]
    assert results["warned"]["warnings"]
