"""What search engines and link previews read: JSON-LD, canonical URLs, robots rules,
OpenGraph, the sitemap and robots.txt."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup

from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_release,
)

pytestmark = pytest.mark.django_db

XSS = '</script><script>alert("x")</script>'


def jsonld(response):
    soup = BeautifulSoup(response.content, "html.parser")
    blocks = []
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        blocks.extend(data if isinstance(data, list) else [data])
    return {block["@type"]: block for block in blocks}


@pytest.fixture
def release(newsroom):
    official = OfficialFactory(name="Eko S.A. Cahyanto")
    return make_release(
        "Green industry talks",
        standfirst="The Secretary General met a delegation.",
        dateline="Jakarta",
        officials=[(official, "Secretary General, Ministry of Industry", True)],
        organisations=[OrganisationFactory(name="Ministry of Industry")],
        regions=[RegionFactory(name="Central Sulawesi")],
        sectors=[SectorFactory(name="Nickel Smelting")],
        topics=[TopicFactory(name="nickel")],
        regulations=[RegulationFactory(type="law", number="3", year=2020)],
    )


def test_release_carries_newsarticle_and_breadcrumbs(client, release):
    data = jsonld(client.get(release.url))
    article = data["NewsArticle"]
    assert article["headline"] == "Green industry talks"
    assert article["datePublished"] == "2024-09-27"
    assert article["dateModified"] == "2024-09-27"
    assert article["publisher"]["@type"] == "GovernmentOrganization"
    assert article["url"].endswith(release.url)
    people = [a for a in article["about"] if a["@type"] == "Person"]
    assert people == [
        {
            "@type": "Person",
            "name": "Eko S.A. Cahyanto",
            "jobTitle": "Secretary General, Ministry of Industry",
            "url": "http://testserver/news/officials/eko-sa-cahyanto/",
        }
    ]
    assert {"@type": "Organization", "name": "Ministry of Industry"}.items() <= [
        a for a in article["about"] if a["@type"] == "Organization"
    ][0].items()
    assert [m["name"] for m in article["mentions"] if m["@type"] == "Place"] == [
        "Central Sulawesi"
    ]
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "News", "Green industry talks"]


def test_a_cited_regulation_is_a_legislation_citation(client, release):
    mining = RegulationFactory(
        type="law",
        number="4",
        year=2009,
        enacted=datetime.date(2009, 1, 12),
        url="https://peraturan.go.id/id/uu-no-4-tahun-2009",
    )
    RegulationFactory(type="law", number="1", year=2015, revokes=[mining])
    cited = make_release("Mining rules", regulations=[mining])
    [citation] = jsonld(client.get(cited.url))["NewsArticle"]["citation"]
    assert citation == {
        "@type": "Legislation",
        "name": "Law No. 4 of 2009",
        "legislationIdentifier": "Undang-Undang Nomor 4 Tahun 2009",
        "legislationType": "Undang-Undang",
        "legislationJurisdiction": "ID",
        "legislationLegalForce": "https://schema.org/NotInForce",
        "url": "http://testserver/news/regulations/law-4-2009/",
        "legislationDate": "2009-01-12",
        "sameAs": "https://peraturan.go.id/id/uu-no-4-tahun-2009",
    }
    [in_force] = jsonld(client.get(release.url))["NewsArticle"]["citation"]
    assert in_force["legislationLegalForce"] == "https://schema.org/InForce"
    assert "legislationDate" not in in_force and "sameAs" not in in_force


def test_date_modified_follows_the_latest_correction(client, release):
    from newsroom.models import Correction

    release.corrections.add(Correction(note="Figures revised"))
    release.save_revision().publish()
    article = jsonld(client.get(release.url))["NewsArticle"]
    assert article["dateModified"] > article["datePublished"]


def test_no_field_can_close_the_script_element(client, newsroom):
    official = OfficialFactory(name=XSS)
    release = make_release(
        "Title " + XSS, standfirst="Summary " + XSS, officials=[official], slug="xss"
    )
    html = client.get(release.url).content.decode()
    for script in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ):
        assert "<" not in script and ">" not in script
    assert '<script>alert("x")</script>' not in html
    assert jsonld(client.get(release.url))["NewsArticle"]["headline"].startswith(
        "Title </script>"
    )


def test_official_hub_carries_a_person(client, release):
    data = jsonld(client.get("/news/officials/eko-sa-cahyanto/"))
    assert data["Person"]["name"] == "Eko S.A. Cahyanto"


def meta(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    tag = soup.find("meta", attrs={"name": name}) or soup.find(
        "meta", attrs={"property": name}
    )
    return tag and tag["content"]


def canonical(response):
    link = BeautifulSoup(response.content, "html.parser").find("link", rel="canonical")
    return link and link["href"]


def test_release_has_title_description_canonical_and_opengraph(client, release):
    response = client.get(release.url)
    assert meta(response, "description") == "The Secretary General met a delegation."
    # The canonical host is the Site record's, as for Wagtail's own full_url.
    assert canonical(response) == release.full_url
    assert meta(response, "og:type") == "article"
    assert meta(response, "og:title") == "Green industry talks"
    assert meta(response, "twitter:card") in {"summary", "summary_large_image"}


@pytest.mark.parametrize(
    ("query", "robots", "canonical_query"),
    [
        ("", "index, follow", ""),
        ("?sector=nickel-smelting", "index, follow", "?sector=nickel-smelting"),
        (
            "?region=central-sulawesi&sector=nickel-smelting",
            "noindex, follow",
            "?sector=nickel-smelting&region=central-sulawesi",
        ),
        ("?q=nickel", "noindex, follow", ""),
        (
            "?sector=nickel-smelting&sort=oldest&utm_source=x",
            "index, follow",
            "?sector=nickel-smelting",
        ),
        ("?sector=nickel-smelting&page=1", "index, follow", "?sector=nickel-smelting"),
    ],
)
def test_listing_canonical_and_robots_rules(
    client, release, query, robots, canonical_query
):
    response = client.get("/news/" + query)
    assert meta(response, "robots") == robots
    assert canonical(response) == "http://testserver/news/" + canonical_query


def test_hubs_are_indexable(client, release):
    response = client.get("/news/sectors/nickel-smelting/")
    assert meta(response, "robots") == "index, follow"
    assert canonical(response) == "http://testserver/news/sectors/nickel-smelting/"


def test_sitemap_lists_releases_hub_indexes_and_hubs(client, release):
    draft = make_release("Draft only", live=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert release.url in xml
    assert draft.url not in xml
    for path in (
        "/news/officials/",
        "/news/officials/eko-sa-cahyanto/",
        "/news/sectors/nickel-smelting/",
        "/news/regions/central-sulawesi/",
        "/news/topics/nickel/",
        "/news/regulations/",
        "/news/regulations/law-3-2020/",
    ):
        assert f"{path}</loc>" in xml
    # cited by a draft only: no hub to list
    RegulationFactory(type="law", number="9", year=2024)
    make_release(
        "Draft citing",
        live=False,
        regulations=[RegulationFactory(type="law", number="8", year=2024)],
    )
    xml = client.get("/sitemap.xml").content.decode()
    assert "/news/regulations/law-8-2024/" not in xml
    assert "/news/regulations/law-9-2024/" not in xml


def test_robots_txt_points_at_the_sitemap(client, newsroom):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
