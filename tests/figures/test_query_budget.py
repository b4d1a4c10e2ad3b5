"""The tracker's queries do not grow with the releases or figures it totals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.loading.importing import import_records
from tests.caches import empty_caches
from tests.figures.world import build_world

# Measured on SQLite and PostgreSQL. The listing's share (site, locale, home and
# newsroom, content version, stored facet counts, root paths:
# tests/matrices/test_query_counts.py), the chosen slugs (1, when filtered),
# then the totals: per group (1; grouped by year, the overall totals are the
# years' sums), otherwise per unit and per group together (1), the groups'
# sectors or regions with their names (1) and the yearly totals of the charts (1).
BUDGETS = {
    ("year", False): 9,
    ("sector", False): 11,
    ("region", True): 12,
}


def count(client, params):
    empty_caches()
    with CaptureQueriesContext(connection) as context:
        response = client.get("/news/figures/", params)
    assert response.status_code == 200
    return len(context.captured_queries)


def more_releases(n):
    records = [
        {
            "title": f"More figures {i}",
            "slug": f"more-figures-{i}",
            "date": f"20{20 + i % 5}-0{1 + i % 9}-11",
            "summary": "More figures.",
            "sectors": ["Nickel smelting", f"Extra sector {i}"],
            "regions": [f"Indonesia > Extra province {i}"],
            "key_figures": [
                {"value": str(i), "unit": f"unit-{i}", "label": "x"},
                {
                    "value": "10",
                    "unit": "USD",
                    "is_currency": True,
                    "label": "y",
                    "key": f"shared-{i % 3}",
                },
            ],
        }
        for i in range(n)
    ]
    assert not import_records(enumerate(records, start=1)).failures


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "filtered"), list(BUDGETS))
def test_tracker_queries_do_not_grow(client, group, filtered):
    build_world()
    params = {"group": group, **({"sector": "nickel-smelting"} if filtered else {})}
    client.get("/news/figures/", params)  # warm the per-process caches
    before = count(client, params)
    more_releases(6)
    after = count(client, params)
    assert before == after
    assert after == BUDGETS[(group, filtered)], after
