"""Administrations: a release from an earlier government carries a banner naming it."""

import datetime
import re

import pytest
from django.utils import timezone

from newsroom.models import GovernmentPeriod
from tests.factories import admin_form_errors, make_release

BANNER = "notice--administration"
EARLIER = "Onward Indonesia Cabinet"
CURRENT = "Red and White Cabinet"


@pytest.fixture
def periods(db):
    earlier = GovernmentPeriod.objects.create(
        name=EARLIER,
        start_date=datetime.date(2019, 10, 23),
        end_date=datetime.date(2024, 10, 20),
    )
    current = GovernmentPeriod.objects.create(
        name=CURRENT, start_date=datetime.date(2024, 10, 21)
    )
    return earlier, current


def page_html(client, release):
    response = client.get(release.url)
    assert response.status_code == 200
    return response.content.decode()


def banner_text(html):
    found = re.search(rf'<div class="notice {BANNER}"[^>]*>(.*?)</div>', html, re.S)
    if not found:
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_release_of_an_earlier_administration_has_the_banner(client, newsroom, periods):
    release = make_release("Smelter meeting", release_date=datetime.date(2024, 9, 27))
    assert release.administration == periods[0]
    text = banner_text(page_html(client, release))
    assert text is not None
    assert EARLIER in text
    assert "2019–2024" in text
    assert CURRENT not in text


def test_last_day_of_the_earlier_term_is_still_earlier(client, newsroom, periods):
    release = make_release("Handover eve", release_date=datetime.date(2024, 10, 20))
    assert EARLIER in banner_text(page_html(client, release))


def test_release_of_the_current_administration_has_no_banner(client, newsroom, periods):
    for day in (datetime.date(2024, 10, 21), datetime.date(2025, 2, 10)):
        release = make_release(f"Current term {day}", release_date=day)
        assert release.administration is None
        html = page_html(client, release)
        assert BANNER not in html
        assert CURRENT not in html


def test_no_periods_no_banner(client, newsroom):
    release = make_release("Old statement", release_date=datetime.date(2015, 5, 5))
    assert release.administration is None
    assert BANNER not in page_html(client, release)


def test_release_before_any_recorded_period_has_no_banner(client, newsroom, periods):
    release = make_release("Archive", release_date=datetime.date(2015, 5, 5))
    assert release.administration is None
    assert BANNER not in page_html(client, release)


def test_current_is_the_latest_period_that_has_started(periods):
    earlier, current = periods
    assert GovernmentPeriod.current() == current
    upcoming = GovernmentPeriod.objects.create(
        name="Next Cabinet",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert GovernmentPeriod.current() == current
    assert GovernmentPeriod.covering(datetime.date(2024, 9, 27)) == earlier
    assert GovernmentPeriod.covering(upcoming.start_date) == upcoming


def test_banner_appears_when_a_moderator_records_the_periods(
    client, moderator_client, newsroom
):
    """Pages already cached must pick up a new administration at once."""
    release = make_release("Cached statement", release_date=datetime.date(2022, 3, 1))
    assert BANNER not in page_html(client, release)

    url = "/admin/snippets/newsroom/governmentperiod/add/"
    for name, start, end in [
        (EARLIER, "2019-10-23", "2024-10-20"),
        (CURRENT, "2024-10-21", ""),
    ]:
        response = moderator_client.post(
            url, {"name": name, "start_date": start, "end_date": end}
        )
        assert response.status_code == 302, admin_form_errors(response)
    assert EARLIER in banner_text(page_html(client, release))


def test_term_cannot_end_before_it_starts(moderator_client, newsroom):
    response = moderator_client.post(
        "/admin/snippets/newsroom/governmentperiod/add/",
        {"name": "Backwards", "start_date": "2024-10-21", "end_date": "2024-01-01"},
    )
    assert response.status_code == 200
    assert "end_date" in admin_form_errors(response)
    assert not GovernmentPeriod.objects.exists()
