"""A reader finds an event on the agenda and adds it to a calendar; the agenda's
pages pass axe at both widths, fit them, and are valid HTML.

On the agenda world of tests/agenda/world.py, whose expected events and counts
are computed from its plain data.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from tests.agenda.world import EVENTS, build_agenda_world, facet_counts, matches
from tests.browser.remote import expect, in_browser
from tests.browser.support import (
    REPORT,
    WIDTHS,
    axe_violations,
    check_html,
    describe_violations,
    horizontal_overflow,
)
from tests.factories import make_release

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REGION = "papua"  # Jayapura's hearing to come (00:30 WIT) and a past visit


@pytest.fixture
def world():
    return build_agenda_world()


def titles(page):
    return page.locator(".event-card .release-card__title").all_inner_texts()


def result_count(page):
    text = page.locator(".result-count").inner_text()
    return int(re.match(r"(\d+) events?", text).group(1))


def shown_counts(page, facet):
    counts = {}
    for option in page.locator(f"#facet-{facet} input[name={facet}]").all():
        label = page.locator(f"label[for='{option.get_attribute('id')}']")
        text = label.locator(".facet__count").inner_text()
        counts[option.get_attribute("value")] = int(re.search(r"\d+", text).group())
    return counts


def download(page, link):
    """Click ``link`` and wait for the file it downloads: (name, bytes)."""
    return in_browser(_download, page, link)


def _download(page, link):
    with page.expect_download() as info:
        link.click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def test_reader_filters_by_region_and_adds_an_event_to_a_calendar(world, page):
    page.goto("/news/agenda/")
    assert titles(page) == [EVENTS[key][0] for key in matches({})]
    assert result_count(page) == len(EVENTS)

    # Ticking a region applies it (static/js/filters.js).
    with page.expect_navigation():
        page.check(f"#filters input[name=region][value={REGION}]")
    assert parse_qs(urlsplit(page.url).query) == {"region": [REGION]}
    expected = matches({"region": REGION})
    assert titles(page) == [EVENTS[key][0] for key in expected]
    assert result_count(page) == len(expected) == 2
    assert shown_counts(page, "region") == facet_counts({"region": REGION})["region"]
    expect(page.locator(".chip")).to_have_count(1)
    expect(page.locator(f"#filters input[value={REGION}]")).to_be_checked()
    # The listing's calendar and feed keep the filter.
    calendar_link = page.get_by_role("link", name=re.compile("to your calendar"))
    assert calendar_link.get_attribute("href") == (
        f"/news/agenda/calendar.ics?region={REGION}"
    )

    key = expected[0]
    title = EVENTS[key][0]
    with page.expect_navigation():
        page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    meta = page.locator(".release__meta").inner_text()
    assert "00:30" in meta and "WIT" in meta

    name, body = download(page, page.get_by_role("link", name="Add to calendar"))
    assert name == f"{key}.ics"
    calendar = Calendar.from_ical(body)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{world.events[key].pk}@localhost"
    assert str(entry["SUMMARY"]) == title
    assert entry["DTSTART"].params["TZID"] == "Asia/Jayapura"
    assert entry["DTSTART"].dt.strftime("%H:%M") == "00:30"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jayapura"]


@pytest.fixture
def agenda_pages(world):
    """[(name, path)]: the agenda's pages, with a moved, cancelled, past event."""
    moved = world.events["e01"]
    moved.changes.create(change="moved", reason="The regent asked for a later day.")
    outcome = make_release("Smelter rules explained", sectors=[world.sectors["metals"]])
    past = world.events["p01"]
    past.outcomes.create(release=outcome)
    for event in (moved, past):
        event.save_revision().publish()
    return [
        ("agenda", "/news/agenda/"),
        ("agenda filtered", f"/news/agenda/?region={REGION}&sector=metals"),
        ("agenda, nothing found", "/news/agenda/?q=nothing-like-this"),
        ("event, moved", moved.url),
        ("event, cancelled", world.events["e06"].url),
        ("event, postponed", world.events["e05"].url),
        ("event, past with outcome", past.url),
        ("home with upcoming events", "/"),
        ("hub with upcoming events", "/news/sectors/metals/"),
    ]


def test_agenda_pages_pass_axe_fit_both_widths_and_are_valid_html(
    new_page, agenda_pages, subtests, tmp_path
):
    documents = {}
    for width in WIDTHS:
        page = new_page(width=width)
        for name, path in agenda_pages:
            label = f"{name} @{width}px"
            response = page.goto(path)
            with subtests.test(msg="status", page=name, width=width):
                assert response.status == 200, path
            if width == WIDTHS[-1]:
                documents[name] = response.text()
            with subtests.test(msg="axe", page=name, width=width):
                violations = axe_violations(page)
                REPORT["axe"][label] = {v["id"]: len(v["targets"]) for v in violations}
                assert not violations, f"{path}\n{describe_violations(violations)}"
            with subtests.test(msg="no horizontal scroll", page=name, width=width):
                sizes = horizontal_overflow(page)
                REPORT["scroll"][label] = (
                    f"{sizes['scrollWidth']} <= {sizes['innerWidth']}"
                )
                assert sizes["scrollWidth"] <= sizes["innerWidth"], (
                    f"{path} scrolls sideways: {sizes}"
                )
    results = check_html(documents, tmp_path / "html")
    REPORT["html"].update(results)
    for name, result in results.items():
        with subtests.test(msg="valid HTML", page=name):
            assert not result["errors"], "\n".join(result["errors"])
