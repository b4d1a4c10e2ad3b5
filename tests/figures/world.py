"""A small archive with typed figures, imported through ``import_releases``' code
path, and the totals computed from it in plain Python to compare channels with."""

import datetime
from collections import defaultdict
from decimal import Decimal

from newsroom.loading.importing import import_records

NICKEL = "Nickel smelting"
SOLAR = "Photovoltaics"
MOROWALI = "Indonesia > Central Sulawesi > Morowali Regency"
JAVA = "Indonesia > Central Java"
MALUKU = "Indonesia > North Maluku"


def figure(value, unit, label, is_currency=False, key=None):
    item = {"value": value, "unit": unit, "label": label, "is_currency": is_currency}
    if key:
        item["key"] = key
    return item


RECORDS = [
    {
        "title": "Morowali smelter announced",
        "slug": "fig-morowali-announced",
        "date": "2023-03-01",
        "summary": "A smelter is announced.",
        "sectors": [NICKEL],
        "regions": [MOROWALI],
        "key_figures": [
            figure("1200000000", "USD", "investment", True, "morowali-smelter"),
            figure("3000", "jobs", "jobs"),
        ],
    },
    {
        "title": "Morowali smelter breaks ground",
        "slug": "fig-morowali-ground",
        "date": "2024-05-01",
        "summary": "The smelter breaks ground.",
        "sectors": [NICKEL],
        "regions": [MOROWALI],
        "key_figures": [
            # The same investment, restated: counted once, at this value.
            figure("1250000000", "USD", "investment", True, "morowali-smelter"),
            figure("500", "MW", "captive solar"),
        ],
    },
    {
        "title": "Solar glass plant in Central Java",
        "slug": "fig-java-solar",
        "date": "2024-07-01",
        "summary": "A solar glass plant.",
        "sectors": [SOLAR],
        "regions": [JAVA],
        "key_figures": [
            figure("300000000", "USD", "investment", True),
            figure("5000000000000", "IDR", "local content", True),
            figure("1800", "jobs", "jobs"),
        ],
    },
    {
        # Not published: its figures, and its later value of the shared key,
        # must count nowhere.
        "title": "Draft: Morowali smelter doubles",
        "slug": "fig-morowali-draft",
        "date": "2024-08-01",
        "summary": "Not yet announced.",
        "live": False,
        "sectors": [NICKEL],
        "regions": [MOROWALI],
        "key_figures": [
            figure("999000000", "USD", "investment", True, "morowali-smelter"),
            figure("777", "secret-unit", "unannounced"),
        ],
    },
    {
        "title": "North Maluku battery materials",
        "slug": "fig-maluku-battery",
        "date": "2025-01-10",
        "summary": "Battery materials in North Maluku.",
        "sectors": [NICKEL, SOLAR],
        "regions": [MALUKU],
        "key_figures": [
            figure("4500", "jobs", "<script>alert(1)</script> jobs"),
            figure("200000000", "USD", "investment", True),
        ],
    },
    {
        # The Indonesian newsroom's own release: counted there, not in English.
        "title": "Smelter Morowali mulai dibangun",
        "slug": "fig-id-morowali",
        "date": "2024-05-02",
        "summary": "Peletakan batu pertama smelter.",
        "language": "id",
        "sectors": [NICKEL],
        "regions": [MOROWALI],
        "key_figures": [
            figure("1250000000", "USD", "investasi", True, "morowali-smelter"),
            figure("3200", "pekerja", "tenaga kerja"),
        ],
    },
]


def build_world():
    report = import_records(enumerate(RECORDS, start=1))
    assert not report.failures, report.failures
    return RECORDS


def leaf(path):
    return path.split(" > ")[-1]


def expected_totals(group=None, where=lambda record: True, language="en"):
    """{group key: {(unit, is_currency): (total, releases)}}: the published
    records' figures, a key counted once at the latest release's value, with the
    group key a year, or a directly linked sector's or region's name (``None``
    without ``group``)."""
    published = [
        r
        for r in RECORDS
        if r.get("live", True) and r.get("language", "en") == language and where(r)
    ]
    published.sort(key=lambda r: r["date"])
    latest_of_key = {}
    for record in published:
        for item in record["key_figures"]:
            if item.get("key"):
                latest_of_key[item["key"]] = (record["slug"], id(item))
    totals = defaultdict(lambda: defaultdict(lambda: [Decimal(0), set()]))
    for record in published:
        for item in record["key_figures"]:
            if item.get("key") and latest_of_key[item["key"]] != (
                record["slug"],
                id(item),
            ):
                continue
            if group is None:
                keys = [None]
            elif group == "year":
                keys = [datetime.date.fromisoformat(record["date"]).year]
            else:
                keys = [leaf(name) for name in record[f"{group}s"]]
            for key in keys:
                cell = totals[key][(item["unit"], item["is_currency"])]
                cell[0] += Decimal(item["value"])
                cell[1].add(record["slug"])
    return {
        key: {unit: (value, len(slugs)) for unit, (value, slugs) in units.items()}
        for key, units in totals.items()
    }
