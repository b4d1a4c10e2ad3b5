"""0027 counts the months of the rows already listed, as every later write of a
listing row keeps them (ListedRows.counted)."""

import datetime
from collections import Counter

import pytest

from newsroom.models import ListedCount, ListedRelease
from newsroom.models.listed import MONTH
from tests.factories import make_release

BEFORE = [("newsroom", "0026_figures_carry_filter_columns")]
AFTER = [("newsroom", "0027_listed_month_counts")]


def stored_months():
    return dict(ListedCount.objects.filter(facet=MONTH).values_list("entity_id", "n"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_are_counted_per_month(newsroom, migrate_for_test):
    for day in (1, 15, 28):
        make_release(f"March {day}", release_date=datetime.date(2024, 3, day))
    make_release("New year", release_date=datetime.date(2025, 1, 2))
    make_release("Draft", release_date=datetime.date(2025, 1, 3), live=False)
    expected = {202403: 3, 202501: 1}
    assert stored_months() == expected  # kept by the writes themselves
    migrate_for_test(BEFORE)
    ListedCount.objects.filter(facet=MONTH).delete()
    migrate_for_test(AFTER)
    assert stored_months() == expected
    counted = Counter()
    for row in ListedRelease.objects.all():
        counted.update(key for key in row.counted() if key[1] == MONTH)
    assert set(
        ListedCount.objects.filter(facet=MONTH).values_list(
            "newsroom_id", "facet", "entity_id", "n"
        )
    ) == {(*key, n) for key, n in counted.items()}
