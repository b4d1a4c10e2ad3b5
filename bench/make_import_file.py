"""Write N synthetic releases in the import format (JSON Lines) for timing imports.

python bench/make_import_file.py 10000 > /tmp/releases.jsonl

bench/import_rate.py writes one and times its import.
"""

import datetime
import json
import random
import sys

SECTORS = [
    "Basic Metals > Nickel Smelting",
    "Basic Metals > Steel",
    "Basic Metals > Aluminium",
    "Renewable Energy Equipment > Photovoltaics",
    "Renewable Energy Equipment > Batteries and Electric Vehicles",
    "Chemicals > Silica Processing",
    "Chemicals > Petrochemicals",
    "Automotive > Motor Vehicles",
    "Agro-industry > Palm Oil Processing",
    "Textiles > Garments",
]
REGIONS = [
    "Indonesia > Central Sulawesi > Morowali Regency",
    "Indonesia > Southeast Sulawesi > Konawe Regency",
    "Indonesia > North Maluku > Central Halmahera Regency",
    "Indonesia > West Java > Bekasi Regency",
    "Indonesia > East Java > Gresik Regency",
    "Indonesia > Jakarta",
    "China",
    "Japan",
]
TOPICS = ["nickel", "steel", "downstreaming", "green industry", "investment", "export"]
WORDS = (
    "industry ministry investment smelter downstream capacity export cooperation "
    "policy estate workforce technology certification supply chain green energy"
).split()


def record(n, rng):
    date = datetime.date(2006, 1, 1) + datetime.timedelta(days=rng.randrange(7300))
    body = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ".</p>"
        for _ in range(3)
    )
    return {
        "title": f"Synthetic release {n}: {' '.join(rng.sample(WORDS, 4))}",
        "slug": f"synthetic-release-{n}",
        "date": date.isoformat(),
        "dateline": "Jakarta",
        "summary": " ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + ".",
        "body_html": body,
        "officials": [
            {
                "name": f"Official {rng.randrange(300)}",
                "role": "Director",
                "organisation": "Ministry of Industry",
                "quoted": rng.random() < 0.5,
            }
            for _ in range(rng.randrange(0, 3))
        ],
        "organisations": ["Ministry of Industry"],
        "sectors": rng.sample(SECTORS, rng.randrange(0, 3)),
        "regions": rng.sample(REGIONS, rng.randrange(0, 3)),
        "topics": rng.sample(TOPICS, rng.randrange(0, 4)),
    }


def write_records(count, stream):
    rng = random.Random(2024)
    for n in range(1, count + 1):
        stream.write(json.dumps(record(n, rng)) + "\n")


def main():
    write_records(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, sys.stdout)


if __name__ == "__main__":
    main()
