"""The map of Indonesia's provinces (newsroom/channels/region_map.py) on the region
index and the Indonesian region hubs: its links and counts are the index's and
the hub's own, the provinces of 2022 sit on the shape they came from, foreign
regions stay off it, and it speaks Indonesian under /id/."""

import re

import pytest
from bs4 import BeautifulSoup

from newsroom.channels.region_map import scale, step_bounds
from tests.factories.region_map import build_region_map_world
from tests.module_data import built_once

pytestmark = pytest.mark.django_db

COUNT = re.compile(r"(\d+) releases?$")


world = built_once(build_region_map_world)


def soup_of(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def text_of(node):
    return " ".join(node.get_text().split())


def map_links(soup):
    """{href: (label, shade class)} of the map's province links."""
    return {
        link["href"]: (
            link["aria-label"],
            next(c for c in link["class"] if c.startswith("shade-")),
        )
        for link in soup.select("figure.region-map svg a")
    }


def table_counts(soup):
    """{href: count} of the map's table of provinces."""
    return {
        row.select_one("th a")["href"]: int(text_of(row.select_one("td")))
        for row in soup.select(
            "table.region-map__table:not(.region-map__table--within) tbody tr"
        )
    }


def label_counts(label):
    """{name: count} of a link's label: "Papua: 1 release; South Papua (...): 2
    releases"."""
    counts = {}
    for part in label.split("; "):
        name = part.split(":")[0].split(" (")[0]
        counts[name] = int(COUNT.search(part).group(1))
    return counts


def index_counts(soup):
    counts = {}
    for item in soup.select("ul.entity-index li"):
        link = item.select_one("a")
        count = item.select_one(".entity-index__count")
        counts[link["href"]] = (text_of(link), int(COUNT.search(text_of(count))[1]))
    return counts


def test_index_map_links_and_counts_agree_with_the_index(world, client):
    soup = soup_of(client, "/news/regions/")
    index = index_counts(soup)
    links = map_links(soup)
    assert set(links) == {
        "/news/regions/central-sulawesi/",
        "/news/regions/southeast-sulawesi/",
        "/news/regions/papua/",  # with South Papua on its shape
    }
    drawn = {}
    for href, (label, _) in links.items():
        drawn.update(label_counts(label))
        name, count = index[href]
        assert label_counts(label)[name] == count
    by_name = dict(index.values())
    assert drawn == {name: by_name[name] for name in drawn}
    assert drawn == {
        "Central Sulawesi": 2,
        "Southeast Sulawesi": 1,
        "Papua": 1,
        "South Papua": 2,
    }
    # The table: every province the map draws, with the index's link and count.
    provinces = {href: index[href][1] for href in table_counts(soup)}
    assert table_counts(soup) == provinces
    assert set(provinces) == {
        "/news/regions/central-sulawesi/",
        "/news/regions/southeast-sulawesi/",
        "/news/regions/papua/",
        "/news/regions/south-papua/",
    }
    # Neither China (abroad) nor Indonesia (a country, not a province) is drawn.
    assert "/news/regions/china/" in index
    assert "/news/regions/china/" not in links | table_counts(soup)
    assert "/news/regions/indonesia/" not in links


def test_shades_step_with_the_counts_and_the_legend_says_so(world, client):
    soup = soup_of(client, "/news/regions/")
    links = map_links(soup)
    # Counts 1, 2 and 3 (Papua's shape: 1 + 2): one step each, lightest to darkest.
    assert links["/news/regions/southeast-sulawesi/"][1] == "shade-1"
    assert links["/news/regions/central-sulawesi/"][1] == "shade-3"
    assert links["/news/regions/papua/"][1] == "shade-5"
    legend = [text_of(item) for item in soup.select(".region-map__legend li")]
    assert legend == ["0", "1", "2", "3"]
    shades = [
        item.select_one("rect")["class"][0]
        for item in soup.select(".region-map__legend li")
    ]
    assert shades == ["shade-0", "shade-1", "shade-3", "shade-5"]
    # The rest of the country is land without a link, a name or a count.
    land = soup.select("figure.region-map .region-map__land path")
    assert len(land) == 34 - 3
    assert soup.select_one(".region-map__land")["aria-hidden"] == "true"
    summary = text_of(soup.select_one(".region-map__summary"))
    assert summary == (
        "4 provinces have releases; Central Sulawesi has the most, 2 releases."
    )


def test_provinces_of_2022_are_drawn_on_the_shape_they_came_from(world, client):
    soup = soup_of(client, "/news/regions/")
    label = map_links(soup)["/news/regions/papua/"][0]
    assert label == (
        "Papua: 1 release; South Papua (carved out in 2022, drawn on the shape "
        "of the province it came from): 2 releases"
    )
    row = soup.select_one(
        'table.region-map__table a[href="/news/regions/south-papua/"]'
    )
    assert text_of(row.find_parent("th")) == (
        "South Papua Carved out in 2022: drawn on the shape of the province it "
        "came from."
    )
    # Central Papua, named only by a draft, is neither counted nor named.
    assert "Central Papua" not in soup.decode()


def test_a_carved_province_links_its_shape_when_the_original_has_no_hub(world, client):
    from newsroom.models import PressReleasePage

    PressReleasePage.objects.get(slug="steel-in-jayapura").unpublish()
    soup = soup_of(client, "/news/regions/")
    links = map_links(soup)
    assert "/news/regions/papua/" not in links
    label, shade = links["/news/regions/south-papua/"]
    assert label == (
        "South Papua (carved out in 2022, drawn on the shape of the province it "
        "came from): 2 releases"
    )
    assert shade == "shade-5"


def facet_counts(soup):
    """{slug: count} of the hub's region facet."""
    counts = {}
    for item in soup.select("fieldset#facet-region li.facet__option"):
        count = re.search(r"\d+", text_of(item.select_one(".facet__count")))
        counts[item.select_one("input")["value"]] = int(count.group())
    return counts


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"central-sulawesi": 2, "southeast-sulawesi": 1, "papua": 1}),
        # Papua itself has none: its shape links to South Papua.
        (
            {"sector": "nickel"},
            {"central-sulawesi": 1, "southeast-sulawesi": 1, "south-papua": 1},
        ),
        ({"sector": "steel"}, {"central-sulawesi": 1, "papua": 1}),
    ],
)
def test_hub_map_shades_by_the_counts_of_the_current_filter(
    world, client, params, expected
):
    soup = soup_of(client, "/news/regions/indonesia/", params)
    facet = facet_counts(soup)
    drawn = {}
    for href, (label, _) in map_links(soup).items():
        slug = href.rstrip("/").rsplit("/", 1)[-1]
        counts = label_counts(label)
        drawn[slug] = counts[next(iter(counts))]
        # The same number as the filter panel shows for that province.
        assert drawn[slug] == facet[slug], (href, label)
    assert drawn == expected
    assert {
        href.rstrip("/").rsplit("/", 1)[-1]: count
        for href, count in table_counts(soup).items()
    } == {slug: facet[slug] for slug in table_counts_slugs(soup)}


def table_counts_slugs(soup):
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in table_counts(soup)]


def test_province_hub_marks_itself_and_lists_its_regencies(world, client):
    soup = soup_of(client, "/news/regions/central-sulawesi/")
    current = soup.select_one('figure.region-map svg a[aria-current="page"]')
    assert current["href"] == "/news/regions/central-sulawesi/"
    assert len(soup.select("figure.region-map .region-map__here")) == 1
    within = soup.select_one("table.region-map__table--within")
    assert text_of(within.caption) == "Regencies and cities of Central Sulawesi"
    rows = {
        row.select_one("a")["href"]: text_of(row.select_one("td"))
        for row in within.select("tbody tr")
    }
    assert rows == {"/news/regions/morowali-regency/": "1"}


def test_regency_hub_outlines_its_province(world, client):
    soup = soup_of(client, "/news/regions/morowali-regency/")
    assert soup.select_one("figure.region-map") is not None
    assert len(soup.select("figure.region-map .region-map__here")) == 1
    assert not soup.select('figure.region-map a[aria-current="page"]')
    assert soup.select_one("table.region-map__table--within") is None
    assert map_links(soup) == {
        "/news/regions/central-sulawesi/": ("Central Sulawesi: 1 release", "shade-5")
    }


def test_a_foreign_region_has_no_map(world, client):
    soup = soup_of(client, "/news/regions/china/")
    assert soup.select_one("figure.region-map") is None
    assert "maps.css" not in soup.decode()
    soup = soup_of(client, "/news/sectors/")
    assert soup.select_one("figure.region-map") is None


def test_the_map_in_indonesian(world, client):
    soup = soup_of(client, "/id/news/regions/")
    links = map_links(soup)
    assert links == {
        "/id/news/regions/sulawesi-tengah/": (
            "Sulawesi Tengah: 1 siaran pers",
            "shade-5",
        )
    }
    assert text_of(soup.select_one(".region-map__title")) == "Siaran pers per provinsi"
    assert text_of(soup.select_one(".region-map__credit")).startswith(
        "Peta: @svg-maps/indonesia"
    )
    soup = soup_of(client, "/id/news/regions/sulawesi-tengah/")
    within = soup.select_one("table.region-map__table--within")
    assert text_of(within.caption) == "Kabupaten dan kota di Sulawesi Tengah"


def test_the_credit_names_the_boundaries_and_their_licence(world, client):
    soup = soup_of(client, "/news/regions/")
    credit = soup.select_one(".region-map__credit")
    hrefs = [link["href"] for link in credit.select("a")]
    assert hrefs == [
        "https://www.npmjs.com/package/@svg-maps/indonesia",
        "https://mapsvg.com/maps/indonesia",
        "https://creativecommons.org/licenses/by/4.0/",
    ]


# --- the stepped scale ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("peak", "bounds"),
    [
        (0, []),
        (1, [1]),
        (4, [1, 2, 3, 4]),
        (5, [1, 2, 3, 4, 5]),
        (8, [1, 2, 3, 5]),
        (15, [1, 2, 3, 5, 10]),
        (100, [1, 3, 5, 20, 50]),
        (2500, [1, 5, 20, 100, 500]),
    ],
)
def test_step_bounds(peak, bounds):
    assert step_bounds(peak) == bounds


def test_scale_gives_the_top_step_the_darkest_shade():
    assert [(s.shade, s.low, s.high) for s in scale(8)] == [
        (1, 1, 1),
        (2, 2, 2),
        (4, 3, 4),
        (5, 5, 8),
    ]
    assert [(s.shade, s.text) for s in scale(1)] == [(5, "1")]
    assert scale(0) == []


HOSTILE = [
    {"sector": "<script>alert(1)</script>"},
    {"region": ["nowhere", "central-sulawesi"], "from": "2024-13-45"},
    {"q": "nickel\x00", "sort": "sideways"},
    {"page": "999"},
    {"official": "x" * 5000},
]


@pytest.mark.parametrize("params", HOSTILE)
@pytest.mark.parametrize("path", ["/news/regions/", "/news/regions/indonesia/"])
def test_hostile_parameters_never_break_the_map(world, client, path, params):
    response = client.get(path, params)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 200:
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one("figure.region-map svg a") is not None
        assert "<script>alert" not in response.content.decode()
