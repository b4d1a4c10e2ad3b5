"""Hub pages (/news/<kind>/<slug>/), hub indexes (/news/<kind>/), release links."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.conf import settings as django_settings

from newsroom import kinds
from newsroom.finder.filterset import FACETS
from newsroom.models import (
    HubCount,
    Official,
    Organisation,
    Region,
    Regulation,
    Sector,
)
from tests.caches import empty_caches
from tests.factories import (
    FILTER_WORLD_FACETS,
    FILTER_WORLD_GHOST_REGULATION,
    AppointmentFactory,
    filter_world_facet_counts,
    filter_world_matches,
    filter_world_name,
    filter_world_slugs,
)

KINDS = {  # URL segment: facet name
    "officials": "official",
    "organisations": "organisation",
    "sectors": "sector",
    "regions": "region",
    "topics": "topic",
    "regulations": "regulation",
}
assert list(KINDS) == list(kinds.SEGMENTS), "a hub kind is missing here"
IS_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def listed(soup):
    return [
        link["href"].rstrip("/").rsplit("/", 1)[-1]
        for link in soup.select(".release-card__title a")
    ]


def text_of(node):
    return " ".join(node.get_text().split())


def html_counts(soup):
    counts = {}
    for name in FILTER_WORLD_FACETS:
        counts[name] = {}
        for item in soup.select(f"fieldset#facet-{name} li.facet__option"):
            count = re.search(r"\d+", text_of(item.select_one(".facet__count")))
            counts[name][item.select_one("input")["value"]] = int(count.group())
    return counts


# --- one hub per kind: only its releases ---------------------------------------------

HUBS = [
    ("officials", "eko-cahyanto"),
    ("officials", "agus-gumiwang"),
    ("organisations", "kemenperin"),
    ("organisations", "bip"),
    ("sectors", "metals"),  # with its sub-sectors
    ("sectors", "energy"),
    ("sectors", "steel"),
    ("regions", "indonesia"),  # three levels
    ("regions", "central-sulawesi"),  # with its regencies and cities
    ("regions", "morowali-regency"),
    ("topics", "green-industry"),
    ("topics", "cobalt"),
    ("regulations", "law-3-2020"),
    ("regulations", "law-4-2009"),  # not the releases citing what amends it
]


@pytest.mark.parametrize(("kind", "slug"), HUBS)
def test_hub_lists_only_its_releases_with_facets_in_scope(
    filter_world, client, kind, slug
):
    soup = soup_of(client.get(f"/news/{kind}/{slug}/"))
    scope = (KINDS[kind], slug)
    expected = filter_world_matches({}, scope=scope)
    assert expected  # every hub above has releases
    assert listed(soup) == expected
    n = len(expected)
    assert text_of(soup.select_one(".result-count")) == (
        f"{n} release{'s' if n != 1 else ''}"
    )
    heading = text_of(soup.select_one(".hub-header h1"))
    assert heading.startswith(filter_world_name(KINDS[kind], slug))
    crumbs = [a["href"] for a in soup.select("nav.breadcrumbs a")]
    assert crumbs == ["/news/", f"/news/{kind}/"]
    # the facets count within the hub's releases
    assert html_counts(soup) == filter_world_facet_counts({}, scope)


def test_a_whole_hub_reads_its_stored_counts(filter_world, client):
    """The counts above come from HubCount while the hub is unfiltered (a count
    changed there shows), and are counted live as soon as a filter is chosen."""
    sector = Sector.objects.get(slug="metals")
    stored = HubCount.objects.filter(
        hub_facet="sector", hub_id=sector.pk, facet="region"
    )
    china = Region.objects.get(slug="china")
    live = html_counts(soup_of(client.get("/news/sectors/metals/")))["region"]
    stored.filter(entity_id=china.pk).update(n=99)
    client.cookies.clear()
    empty_caches()
    tampered = html_counts(soup_of(client.get("/news/sectors/metals/")))["region"]
    assert tampered == {**live, "china": 99}
    empty_caches()
    filtered = soup_of(client.get("/news/sectors/metals/", {"region": "china"}))
    assert html_counts(filtered)["region"]["china"] == live["china"]


@pytest.mark.parametrize(("kind", "slug"), HUBS)
def test_one_entity_chosen_counts_as_its_hub_and_the_whole_facet(
    filter_world, client, kind, slug
):
    """``/news/?sector=metals`` reads the hub's stored counts, its own facet
    over the whole newsroom (disjunctive): the same as counted live (a date
    before any release keeps the same releases and counts them live)."""
    facet = KINDS[kind]
    stored = soup_of(client.get("/news/", {facet: slug}))
    live = soup_of(client.get("/news/", {facet: slug, "from": "1000-01-01"}))
    assert html_counts(stored) == html_counts(live)
    assert text_of(stored.select_one(".result-count")) == text_of(
        live.select_one(".result-count")
    )
    assert listed(stored) == listed(live)


def test_one_entity_chosen_reads_the_stored_counts(filter_world, client):
    metals = Sector.objects.get(slug="metals")
    china = Region.objects.get(slug="china")
    before = html_counts(soup_of(client.get("/news/", {"sector": "metals"})))
    HubCount.objects.filter(
        hub_facet="sector", hub_id=metals.pk, facet="region", entity_id=china.pk
    ).update(n=99)
    empty_caches()
    after = html_counts(soup_of(client.get("/news/", {"sector": "metals"})))
    assert after == {**before, "region": {**before["region"], "china": 99}}


HUB_FILTERS = [
    ("sectors", "metals", {"region": "china"}, ["r09", "r01"]),
    ("sectors", "metals", {"sector": "steel"}, ["r09", "r03"]),
    ("sectors", "metals", {"sector": "photovoltaics"}, ["r06"]),
    ("sectors", "nickel-smelting", {"sector": "steel"}, []),
    (
        "officials",
        "faisol-riza",
        {"sector": "metals", "from": "2023-01-01"},
        ["r12", "r03"],
    ),
    ("officials", "eko-cahyanto", {"official": "wang-jiangping"}, ["r01"]),
    ("regions", "indonesia", {"region": "southeast-sulawesi"}, ["r04"]),
    (
        "regions",
        "central-sulawesi",
        {"topic": ["nickel", "green-industry"]},
        ["r08", "r01"],
    ),
    ("regions", "central-sulawesi", {"to": "2022-12-31"}, ["r05", "r07"]),
    (
        "organisations",
        "kemenperin",
        {"official": "agus-gumiwang"},
        ["r02", "r03", "r11", "r10"],
    ),
    (
        "topics",
        "green-industry",
        {"sector": "energy", "sort": "oldest"},
        ["r10", "r02", "r08"],
    ),
    ("topics", "lithium", {"region": "north-maluku", "from": "2024-01-15"}, ["r12"]),
    ("regulations", "law-3-2020", {"topic": "lithium"}, ["r06"]),
    ("regulations", "law-3-2020", {"regulation": "law-4-2009"}, ["r11"]),
    (
        "regulations",
        "presidential-regulation-55-2019",
        {"sector": "nickel-smelting", "sort": "oldest"},
        ["r06", "r12"],
    ),
    ("sectors", "metals", {"regulation": "law-4-2009"}, ["r04"]),
    (
        "officials",
        "eko-cahyanto",
        {"regulation": ["law-3-2020", "presidential-regulation-55-2019"]},
        ["r01", "r11"],
    ),
]


@pytest.mark.parametrize(("kind", "slug", "params", "expected"), HUB_FILTERS)
def test_hub_applies_the_listing_filters(
    filter_world, client, kind, slug, params, expected
):
    soup = soup_of(client.get(f"/news/{kind}/{slug}/", params))
    assert listed(soup) == expected
    scope = (KINDS[kind], slug)
    if "sort" not in params:
        assert filter_world_matches(params, scope=scope) == expected
    assert html_counts(soup) == filter_world_facet_counts(params, scope)


def test_hub_search_stays_in_scope(filter_world, client):
    soup = soup_of(
        client.get(
            "/news/regions/central-sulawesi/", {"q": "tungsten", "sort": "newest"}
        )
    )
    assert listed(soup) == ["r05"]  # r10 and r12 match, elsewhere
    soup = soup_of(client.get("/news/sectors/metals/", {"q": "tungsten"}))
    assert sorted(listed(soup)) == ["r05", "r12"]
    soup = soup_of(client.get("/news/officials/faisol-riza/", {"q": "Cahyanto"}))
    assert listed(soup) == []


def test_hub_bad_parameters(filter_world, client, settings):
    response = client.get("/news/sectors/metals/", {"region": "atlantis"})
    soup = soup_of(response)
    assert len(listed(soup)) == 7
    assert "atlantis" in text_of(soup.select_one("#facet-region .form-error"))
    settings.NEWSROOM_PAGE_SIZE = 5
    assert client.get("/news/sectors/metals/", {"page": "2"}).status_code == 200
    assert client.get("/news/sectors/metals/", {"page": "3"}).status_code == 404
    assert client.get("/news/sectors/metals/", {"page": "x"}).status_code == 404


def test_hub_links_keep_the_hub_and_the_filters(filter_world, client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    params = {"region": "indonesia", "sort": "oldest"}
    soup = soup_of(client.get("/news/sectors/metals/", params))
    assert listed(soup) == ["r06", "r05"]
    parts = urlsplit(soup.select_one('nav.pagination a[rel="next"]')["href"])
    assert parts.path in ("", "/news/sectors/metals/")
    assert parse_qs(parts.query) == {
        "region": ["indonesia"],
        "sort": ["oldest"],
        "page": ["2"],
    }
    feed = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    parts = urlsplit(feed["href"])
    assert parts.path == "/news/sectors/metals/feed/"
    assert parse_qs(parts.query) == {"region": ["indonesia"], "sort": ["oldest"]}
    assert soup.select_one(".clear-all")["href"] == "/news/sectors/metals/"
    chip = soup.select_one(".active-filters a.chip")
    assert parse_qs(urlsplit(chip["href"]).query) == {"sort": ["oldest"]}


@pytest.mark.parametrize(
    "path",
    [
        "/news/officials/no-such-official/",
        "/news/organisations/no-such-organisation/",
        "/news/sectors/no-such-sector/",
        "/news/regions/no-such-region/",
        "/news/topics/no-such-topic/",
        "/news/regulations/law-99-2020/",
        "/news/sectors/china/",  # a region, not a sector
        "/news/regulations/metals/",
        "/news/regions/metals/",
        "/news/people/eko-cahyanto/",  # no such kind of hub
        "/news/people/",
    ],
)
def test_unknown_hub_is_404(filter_world, client, path):
    assert client.get(path).status_code == 404


def mark_public(entity):
    """As an editor does in the admin: a save, which refreshes cached pages."""
    entity.marked_public = True
    entity.save()


# Linked only by the draft, withdrawn and private releases, or by nothing at all.
UNANNOUNCED = [
    ("officials", "ghost-official"),
    ("organisations", "ghost-org"),
    ("organisations", "idle-association"),
    ("sectors", "fertiliser"),
    ("sectors", "chemicals"),  # above fertiliser only
    ("regions", "kendari"),
    ("topics", "ghost-topic"),
    ("regulations", FILTER_WORLD_GHOST_REGULATION),
    ("regulations", "law-3-2014"),
]


@pytest.mark.parametrize(("kind", "slug"), UNANNOUNCED)
def test_hub_of_an_entity_no_visible_release_links_is_404(
    filter_world, client, kind, slug
):
    # Its name must not be public before a release readers may see names it.
    for path in ("", "feed/", "export.csv"):
        assert client.get(f"/news/{kind}/{slug}/{path}").status_code == 404, path
        assert client.get(f"/id/news/{kind}/{slug}/{path}").status_code == 404, path


@pytest.mark.parametrize(("kind", "slug"), UNANNOUNCED)
def test_hub_of_an_entity_an_editor_marked_public(filter_world, client, kind, slug):
    mark_public(FACETS[KINDS[kind]].model.objects.get(slug=slug))
    soup = soup_of(client.get(f"/news/{kind}/{slug}/"))
    assert listed(soup) == []
    assert text_of(soup.select_one(".result-count")) == "0 releases"
    assert client.get(f"/news/{kind}/{slug}/feed/").status_code == 200
    assert client.get(f"/news/{kind}/{slug}/export.csv").status_code == 200


def test_a_hub_names_only_public_children(filter_world, client):
    def children():
        soup = soup_of(client.get("/news/regions/southeast-sulawesi/"))
        return [text_of(a) for a in soup.select(".hub-header .hub-children a")]

    assert children() == ["Konawe Regency"]  # not Kendari: hidden releases only
    mark_public(Region.objects.get(slug="kendari"))
    assert children() == ["Kendari", "Konawe Regency"]


def test_a_sector_marked_public_makes_its_parent_public(filter_world, client):
    assert client.get("/news/sectors/chemicals/").status_code == 404
    mark_public(Sector.objects.get(slug="fertiliser"))
    soup = soup_of(client.get("/news/sectors/chemicals/"))
    assert [text_of(a) for a in soup.select(".hub-children a")] == ["Fertiliser"]
    assert "Part of Chemicals" in text_of(
        soup_of(client.get("/news/sectors/fertiliser/")).select_one(".hub-header")
    )


def test_an_organisation_hub_names_a_parent_only_if_public(filter_world, client):
    def header():
        soup = soup_of(client.get("/news/organisations/bip/"))
        return text_of(soup.select_one(".hub-header"))

    bip = Organisation.objects.get(slug="bip")
    bip.parent = Organisation.objects.get(slug="ghost-org")
    bip.save()
    assert "Ghost Holdings" not in header()
    assert "Part of" not in header()
    mark_public(Organisation.objects.get(slug="ghost-org"))
    assert "Part of Ghost Holdings" in header()


# --- profiles ------------------------------------------------------------------------


def test_official_hub_profile(filter_world, client):
    official = Official.objects.get(slug="eko-cahyanto")
    official.honorific = "Dr."
    official.bio = "Secretary General of the Ministry since 2023."
    official.portrait = wagtail_factories.ImageFactory(title="Eko portrait")
    official.save()
    ministry = Organisation.objects.get(slug="kemenperin")
    AppointmentFactory(
        official=official,
        position="Secretary General",
        organisation=ministry,
        start_date=datetime.date(2023, 1, 1),
    )
    AppointmentFactory(
        official=official,
        position="Director General of Metal Industry",
        organisation=ministry,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    soup = soup_of(client.get("/news/officials/eko-cahyanto/"))
    header = soup.select_one(".hub-header")
    assert text_of(header.select_one("h1")) == "Dr. Eko S.A. Cahyanto"
    portrait = header.select_one("img.hub-portrait")
    assert portrait["alt"] == "Portrait of Eko S.A. Cahyanto"
    assert portrait["src"]
    assert "Secretary General of the Ministry since 2023." in text_of(header)
    appointments = [text_of(li) for li in header.select("ul.appointments li")]
    assert appointments == [
        "Secretary General, Ministry of Industry (January 2023 – present)",
        "Director General of Metal Industry, Ministry of Industry "
        "(January 2019 – December 2022)",
    ]
    assert listed(soup) == ["r08", "r01", "r11", "r04"]


def test_official_hub_shows_the_current_role(filter_world, client):
    official = Official.objects.get(slug="eko-cahyanto")
    AppointmentFactory(
        official=official,
        position="Secretary General",
        organisation=Organisation.objects.get(slug="kemenperin"),
        start_date=datetime.date(2023, 1, 1),
    )
    soup = soup_of(client.get("/news/officials/eko-cahyanto/"))
    role = soup.select_one(".hub-header .hub-header__role")
    assert role is not None
    assert text_of(role) == "Secretary General, Ministry of Industry"


def test_organisation_hub_profile(filter_world, client):
    ministry = Organisation.objects.get(slug="kemenperin")
    ministry.country = "Indonesia"
    ministry.website = "https://kemenperin.go.id/"
    ministry.save()
    soup = soup_of(client.get("/news/organisations/kemenperin/"))
    header = soup.select_one(".hub-header")
    assert text_of(header.select_one("h1")) == "Ministry of Industry (Kemenperin)"
    assert "Ministry · Indonesia" in text_of(header.select_one(".hub-header__kind"))
    assert header.select_one('a[href="https://kemenperin.go.id/"]') is not None
    assert listed(soup) == ["r01", "r02", "r03", "r11", "r05", "r10"]


def test_organisation_hub_lists_its_people_current_first(filter_world, client):
    ministry = Organisation.objects.get(slug="kemenperin")
    for slug, position, start, end in [
        ("faisol-riza", "Director General", "2018-01-01", "2021-06-30"),
        ("eko-cahyanto", "Secretary General", "2023-01-01", None),
        ("agus-gumiwang", "Minister of Industry", "2019-10-23", None),
    ]:
        AppointmentFactory(
            official=Official.objects.get(slug=slug),
            position=position,
            organisation=ministry,
            start_date=datetime.date.fromisoformat(start),
            end_date=end and datetime.date.fromisoformat(end),
        )
    soup = soup_of(client.get("/news/organisations/kemenperin/"))
    people = [text_of(li) for li in soup.select(".hub-header ul.appointments li")]
    assert people == [
        "Agus Gumiwang Kartasasmita, Minister of Industry",
        "Eko S.A. Cahyanto, Secretary General",
        "Faisol Riza, Director General (until June 2021)",
    ]
    links = [a["href"] for a in soup.select(".hub-header ul.appointments a")]
    assert links[0] == "/news/officials/agus-gumiwang/"


def test_organisation_hub_leaves_out_unannounced_people(filter_world, client):
    ministry = Organisation.objects.get(slug="kemenperin")
    ghost = Official.objects.get(slug="ghost-official")  # on hidden releases only
    for official in (ghost, Official.objects.get(slug="eko-cahyanto")):
        AppointmentFactory(
            official=official,
            position="Secretary General",
            organisation=ministry,
            start_date=datetime.date(2024, 1, 1),
        )

    def people():
        soup = soup_of(client.get("/news/organisations/kemenperin/"))
        return [text_of(li) for li in soup.select(".hub-header ul.appointments li")]

    assert people() == ["Eko S.A. Cahyanto, Secretary General"]
    mark_public(ghost)
    assert people() == [
        "Eko S.A. Cahyanto, Secretary General",
        "Ghost Official, Secretary General",
    ]


def test_sector_hub_profile_with_children(filter_world, client):
    soup = soup_of(client.get("/news/sectors/metals/"))
    header = soup.select_one(".hub-header")
    assert text_of(header.select_one(".hub-header__kind")) == "Sector"
    assert text_of(header.select_one("h1")) == "Metals"
    assert "Part of" not in text_of(header)
    children = [(a["href"], text_of(a)) for a in header.select(".hub-children a")]
    assert children == [
        ("/news/sectors/nickel-smelting/", "Nickel smelting"),
        ("/news/sectors/steel/", "Steel"),
    ]


def test_sector_hub_profile_with_parent(filter_world, client):
    soup = soup_of(client.get("/news/sectors/steel/"))
    header = soup.select_one(".hub-header")
    parent = header.select_one('a[href="/news/sectors/metals/"]')
    assert text_of(parent) == "Metals"
    assert "Part of Metals" in text_of(header)
    assert header.select_one(".hub-children") is None
    assert listed(soup) == ["r09", "r03"]


def test_region_hub_profile(filter_world, client):
    region = Region.objects.get(slug="central-sulawesi")
    region.iso_code = "ID-ST"
    region.save()
    soup = soup_of(client.get("/news/regions/central-sulawesi/"))
    header = soup.select_one(".hub-header")
    assert text_of(header.select_one(".hub-header__kind")) == "Region · Province"
    assert "ISO 3166 code: ID-ST" in text_of(header)
    assert text_of(header.select_one('a[href="/news/regions/indonesia/"]')) == (
        "Indonesia"
    )
    children = [text_of(a) for a in header.select(".hub-children a")]
    assert children == ["Morowali Regency", "Palu"]
    # the third level: a regency, part of its province
    soup = soup_of(client.get("/news/regions/morowali-regency/"))
    header = soup.select_one(".hub-header")
    assert "Part of Central Sulawesi" in text_of(header)
    assert listed(soup) == ["r08", "r01"]


def test_topic_hub(filter_world, client):
    soup = soup_of(client.get("/news/topics/green-industry/"))
    assert text_of(soup.select_one(".hub-header h1")) == "green industry"
    assert listed(soup) == ["r08", "r02", "r03", "r10"]


def test_regulation_hub_profile_and_chain(filter_world, client):
    law = Regulation.objects.get(slug="law-3-2020")
    law.enacted = datetime.date(2020, 6, 10)
    law.url = "https://peraturan.go.id/id/uu-no-3-tahun-2020"
    law.save()
    soup = soup_of(client.get("/news/regulations/law-3-2020/"))
    header = soup.select_one(".hub-header")
    assert text_of(header.select_one(".hub-header__kind")) == (
        "Regulation · Law · In force"
    )
    assert text_of(header.select_one("h1")) == "Law No. 3 of 2020"
    assert text_of(header.select_one(".hub-header__lead")) == (
        "Amendments to Law Number 4 of 2009 concerning Mineral and Coal Mining"
    )
    assert "10 June 2020" in text_of(header.select_one(".facts"))
    assert header.select_one('a[href="https://peraturan.go.id/id/uu-no-3-tahun-2020"]')
    chain = [(text_of(a), a["href"]) for a in header.select("ul.regulations a")]
    assert chain == [("Law No. 4 of 2009", "/news/regulations/law-4-2009/")]
    assert "Amends" in text_of(header)
    assert listed(soup) == ["r01", "r11", "r06"]
    # and the other way: Law 4/2009 is amended, by Law 3/2020
    soup = soup_of(client.get("/news/regulations/law-4-2009/"))
    header = soup.select_one(".hub-header")
    assert "Amended" in text_of(header.select_one(".hub-header__kind"))
    assert "Amended by" in text_of(header)
    chain = [a["href"] for a in header.select("ul.regulations a")]
    assert chain == ["/news/regulations/law-3-2020/"]
    assert listed(soup) == ["r11", "r04"]


def test_regulation_hub_names_only_public_amendments(filter_world, client):
    """The ghost (cited by hidden releases only) amending a public regulation
    stays unnamed on its hub until it is public."""
    ghost = Regulation.objects.get(slug=FILTER_WORLD_GHOST_REGULATION)
    ghost.amends.add(Regulation.objects.get(slug="presidential-regulation-55-2019"))
    ghost.save()

    def header():
        soup = soup_of(client.get("/news/regulations/presidential-regulation-55-2019/"))
        return text_of(soup.select_one(".hub-header"))

    assert "Minister of Industry Regulation No. 66 of 2024" not in header()
    assert "Amended by" not in header()
    assert "Amended" in header()  # its status says so all the same
    mark_public(ghost)
    assert "Amended by Minister of Industry Regulation No. 66 of 2024" in header()


# --- hub indexes ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_hub_index_lists_entities_with_published_release_counts(
    filter_world, client, kind
):
    facet = KINDS[kind]
    soup = soup_of(client.get(f"/news/{kind}/"))
    entries = {}
    for item in soup.select("ul.entity-index li"):
        link = item.select_one("a")
        slug = link["href"].rstrip("/").rsplit("/", 1)[-1]
        assert link["href"] == f"/news/{kind}/{slug}/"
        assert text_of(link) == filter_world_name(facet, slug)
        count = text_of(item.select_one(".entity-index__count"))
        entries[slug] = int(re.fullmatch(r"(\d+) releases?", count).group(1))
        if count.startswith("1 "):
            assert count == "1 release"
    # every entity with a published release, with its count; none without
    expected = filter_world_facet_counts({})[facet]
    assert entries == expected
    if facet in ("sector", "region"):  # trees in order, indented by depth
        order = [slug for slug in filter_world_slugs(facet) if slug in expected]
        assert list(entries) == order
    else:
        names = [filter_world_name(facet, slug).casefold() for slug in entries]
        assert names == sorted(names)


def test_hub_index_counts_written_out(filter_world, client):
    soup = soup_of(client.get("/news/regions/"))
    items = {
        item.select_one("a")["href"]: (
            item["class"],
            text_of(item.select_one(".entity-index__count")),
        )
        for item in soup.select("ul.entity-index li")
    }
    assert items["/news/regions/indonesia/"] == (["depth-1"], "11 releases")
    assert items["/news/regions/central-sulawesi/"] == (["depth-2"], "4 releases")
    assert items["/news/regions/palu/"] == (["depth-3"], "2 releases")
    assert "/news/regions/kendari/" not in items  # hidden releases only
    soup = soup_of(client.get("/news/officials/"))
    links = [a["href"] for a in soup.select("ul.entity-index a")]
    assert "/news/officials/ghost-official/" not in links
    assert len(links) == 4
    soup = soup_of(client.get("/news/regulations/"))
    items = {
        a["href"]: text_of(a.find_parent("li").select_one(".entity-index__count"))
        for a in soup.select("ul.entity-index a")
    }
    assert items == {
        "/news/regulations/government-regulation-96-2021/": "2 releases",
        "/news/regulations/law-3-2020/": "3 releases",
        "/news/regulations/law-4-2009/": "2 releases",
        "/news/regulations/presidential-regulation-55-2019/": "2 releases",
    }  # not the ghost (hidden releases only), not Law 3/2014 (cited by nothing)


# --- the release page links everything to its hub ------------------------------------


def test_release_page_links_every_entity_to_its_hub(filter_world, client):
    soup = soup_of(client.get("/news/r01/"))
    aside = soup.select_one(".release__aside")
    # Hubs only: the release's own downloads (its PDF, kit, ninjs) are beside them.
    hrefs = [
        a["href"]
        for a in aside.select("a")
        if a["href"].startswith("/news/") and not a["href"].startswith("/news/r01/")
    ]
    by_kind = {}
    for href in hrefs:
        by_kind.setdefault(href.split("/")[2], []).append(href.split("/")[3])
    assert by_kind == {
        "officials": ["eko-cahyanto", "wang-jiangping"],  # in the release's order
        "sectors": ["nickel-smelting"],
        "regions": ["morowali-regency", "china"],
        "organisations": ["kemenperin", "miit"],
        "topics": by_kind["topics"],
        "regulations": ["law-3-2020", "government-regulation-96-2021"],
    }
    assert sorted(by_kind["topics"]) == ["downstreaming", "nickel"]
    names = [text_of(a) for a in aside.select("a")]
    assert names[:2] == ["Eko S.A. Cahyanto", "Wang Jiangping"]
    assert {
        "Nickel smelting",
        "Morowali Regency",
        "China",
        "Ministry of Industry",
        "Law No. 3 of 2020",
        "Government Regulation No. 96 of 2021",
    } <= set(names)
    for href in hrefs:
        assert "r01" in listed(soup_of(client.get(href))), href


def test_hub_links_to_its_own_export(filter_world, client):
    import csv
    import io

    soup = soup_of(client.get("/news/sectors/energy/", {"from": "2022-01-01"}))
    link = next(a["href"] for a in soup.select(".feed-link a") if "CSV" in a.text)
    assert urlsplit(link).path == "/news/sectors/energy/export.csv"
    assert parse_qs(urlsplit(link).query) == {"from": ["2022-01-01"]}
    response = client.get(link)
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    exported = [row["url"].rstrip("/").rsplit("/", 1)[-1] for row in rows]
    assert exported == listed(soup) == ["r08", "r02", "r06"]
    # The listing's own link stays the whole newsroom's.
    soup = soup_of(client.get("/news/"))
    link = next(a["href"] for a in soup.select(".feed-link a") if "CSV" in a.text)
    assert urlsplit(link).path == "/news/export.csv"
