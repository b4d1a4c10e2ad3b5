"""``day_text`` (templatetags/newsroom_i18n.py): Django's date filter, remembered
per language, for the dates of the release cards."""

import datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import translation

from newsroom.templatetags.newsroom_i18n import day_text

DAY = datetime.date(2024, 9, 27)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("format", ["j F Y", "Y-m-d", "DATE_FORMAT"])
def test_a_date_reads_as_the_date_filter_writes_it(language, format):
    with translation.override(language):
        assert day_text(DAY, format) == date_filter(DAY, format)
        # Asked again, from memory: the same.
        assert day_text(DAY, format) == date_filter(DAY, format)


def test_each_language_has_its_own_month_names():
    # Remembered in one language, not served in the other.
    march = datetime.date(2024, 3, 5)
    with translation.override("id"):
        assert day_text(march, "j F Y") == "5 Maret 2024"
    with translation.override("en"):
        assert day_text(march, "j F Y") == "5 March 2024"


@pytest.mark.parametrize(
    "value",
    [datetime.datetime(2024, 9, 27, 23, 30, tzinfo=datetime.UTC), None, ""],
)
def test_anything_but_a_date_goes_to_the_date_filter(value):
    assert day_text(value, "j F Y") == date_filter(value, "j F Y")
