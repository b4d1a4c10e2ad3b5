"""0027 counts the listing pages' months of the rows already listed, and 0028
moves them into the total's months and counts each entity's months beside
them, as every later write of a listing row keeps them (ListedRows.counted)."""

import datetime
from collections import Counter

import pytest

from newsroom.models import ListedCount, ListedRelease
from newsroom.models.listed import ALL_DATES, TOTAL
from tests.factories import SectorFactory, make_release

BEFORE = [("newsroom", "0026_figures_carry_filter_columns")]


def stored_months():
    return set(
        ListedCount.objects.exclude(month=ALL_DATES)
        .exclude(n=0)
        .values_list("newsroom_id", "facet", "entity_id", "month", "n")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_are_counted_per_month(newsroom, migrate_for_test):
    nickel = SectorFactory(name="Nickel")
    for day in (1, 15, 28):
        make_release(f"March {day}", release_date=datetime.date(2024, 3, day))
    make_release("New year", release_date=datetime.date(2025, 1, 2), sectors=[nickel])
    make_release("Draft", release_date=datetime.date(2025, 1, 3), live=False)
    kept = stored_months()  # by the writes themselves
    totals = {(count[3], count[4]) for count in kept if count[1:3] == (TOTAL, 0)}
    assert totals == {(202403, 3), (202501, 1)}
    assert (newsroom.pk, "sector", nickel.pk, 202501, 1) in kept
    migrate_for_test(BEFORE)
    migrate_for_test([("newsroom", "0027_listed_month_counts")])
    migrate_for_test([("newsroom", "0028_listed_counts_per_entity_month")])
    assert stored_months() == kept
    counted = Counter()
    for row in ListedRelease.objects.all():
        counted.update(key for key in row.counted() if key[3] != ALL_DATES)
    assert kept == {(*key, n) for key, n in counted.items()}
