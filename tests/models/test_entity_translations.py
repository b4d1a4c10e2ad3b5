"""Officials, organisations, sectors, regions, topics and regulations in Indonesian
(#8).

An entity is one row in every language (newsroom/models/translations.py): releases
of both languages link to it, and a translation gives its Indonesian name, slug and
texts. Under /id/ facets, hubs, hub indexes, chips, feeds and the API show the
Indonesian names (English where there is none); both slugs find the entity.
"""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from newsroom import kinds
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.finder import entity_names
from newsroom.finder.facets import facet_options
from newsroom.finder.filterset import FACETS
from newsroom.models import (
    AppointmentTranslation,
    ContentVersion,
    Official,
    OfficialTranslation,
    Organisation,
    PressReleasePage,
    Region,
    RegionTranslation,
    Regulation,
    Sector,
    SectorTranslation,
    Topic,
    TopicTranslation,
)
from newsroom.models.listed import known_to_readers
from tests.factories import (
    AppointmentFactory,
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    default_newsroom,
    make_release,
    no_translations,
)
from tests.module_data import built_once, fresh

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 5)


def indonesian_locale():
    return Locale.objects.get(language_code="id")


def translate(entity, **fields):
    """A translation of ``entity`` into Indonesian, validated as the admin does."""
    model = entity.translations.model
    row = model(entity=entity, locale=indonesian_locale(), **fields)
    row.full_clean()
    row.save()
    return row


def build_world():
    """A release in English and its Indonesian translation, linked to entities with
    Indonesian names (and one topic without)."""
    newsroom = default_newsroom()
    ensure_site_tree(indonesian_locale())
    metals = SectorFactory(name="Basic metals", slug="basic-metals")
    smelting = SectorFactory(
        name="Nickel smelting", slug="nickel-smelting", parent=metals
    )
    smelting.description = "Nickel from laterite ore."
    smelting.save()
    translate(metals, name="Logam dasar")  # no slug of its own
    translate(
        smelting,
        name="Peleburan nikel",
        slug="peleburan-nikel",
        description="Nikel dari bijih laterit.",
    )
    sulawesi = RegionFactory(name="Central Sulawesi", slug="central-sulawesi")
    translate(sulawesi, name="Sulawesi Tengah", slug="sulawesi-tengah")
    ministry = OrganisationFactory(
        name="Ministry of Industry", slug="ministry-of-industry", country="China"
    )
    translate(
        ministry,
        name="Kementerian Perindustrian",
        slug="kementerian-perindustrian",
        country="Tiongkok",
    )
    agus = OfficialFactory(
        name="Agus Gumiwang Kartasasmita", slug="agus", bio="The minister."
    )
    appointment = AppointmentFactory(
        official=agus,
        organisation=ministry,
        position="Minister of Industry",
        start_date=datetime.date(2019, 10, 23),
    )
    AppointmentTranslation.objects.create(
        appointment=appointment,
        locale=indonesian_locale(),
        position="Menteri Perindustrian",
    )
    translate(agus, bio="Sang menteri.")  # the name stays as it is
    nickel = TopicFactory(name="nickel", slug="nickel")
    translate(nickel, name="nikel", slug="nikel")
    cobalt = TopicFactory(name="cobalt", slug="cobalt")  # not translated
    mining_law = RegulationFactory(
        type="law", number="3", year=2020, title="Amendments to the Mining Law"
    )
    # Its Indonesian name is made for it ("Undang-Undang Nomor 3 Tahun 2020").
    translate(mining_law, title="Perubahan atas UU Minerba", slug="uu-3-2020")
    english = make_release(
        "Nickel smelter opens",
        release_date=MARCH,
        officials=[agus],
        sectors=[smelting],
        regions=[sulawesi],
        organisations=[ministry],
        topics=[nickel, cobalt],
        regulations=[mining_law],
    )
    copy = english.copy_for_translation(indonesian_locale())
    copy.title = "Smelter nikel dibuka"
    copy.slug = "smelter-nikel-dibuka"
    copy.save_revision().publish()
    indonesian = PressReleasePage.objects.get(pk=copy.pk)
    return locals()


# Built once for the module, rolled back after it (tests/module_data.py).
_world_module = built_once(build_world)


@pytest.fixture
def world(_world_module, db):
    """The module's world, each object read afresh: a test's changes roll back with
    its savepoint, and none reaches the next test through a shared instance."""
    return fresh(_world_module)


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def facet_labels(page, name):
    """{value: label} of the facet ``name``'s options."""
    fieldset = re.search(
        rf'<fieldset class="facet" id="facet-{name}">.*?</fieldset>', page, re.S
    ).group(0)
    return {
        value: unescape(label)
        for value, label in re.findall(
            r'value="([^"]+)"[^>]*> <span class="facet__label">([^<]*)</span>',
            fieldset,
        )
    }


def switcher_link(page, code):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    return unescape(re.search(rf'<a href="([^"]*)" hreflang="{code}"', nav).group(1))


# --- facets and hub indexes --------------------------------------------------------


def test_facets_show_names_in_the_pages_language(client, world):
    indonesian = html(client.get("/id/news/"))
    assert facet_labels(indonesian, "sector") == {
        "basic-metals": "Logam dasar",
        "peleburan-nikel": "Peleburan nikel",
    }
    assert facet_labels(indonesian, "region") == {"sulawesi-tengah": "Sulawesi Tengah"}
    assert facet_labels(indonesian, "organisation") == {
        "kementerian-perindustrian": "Kementerian Perindustrian"
    }
    # No translation: the English name and slug.
    assert facet_labels(indonesian, "topic") == {"cobalt": "cobalt", "nikel": "nikel"}
    assert facet_labels(indonesian, "official") == {
        "agus": "Agus Gumiwang Kartasasmita"
    }
    assert facet_labels(indonesian, "regulation") == {
        "uu-3-2020": "Undang-Undang Nomor 3 Tahun 2020"
    }
    english = html(client.get("/news/"))
    assert facet_labels(english, "sector") == {
        "basic-metals": "Basic metals",
        "nickel-smelting": "Nickel smelting",
    }
    assert facet_labels(english, "topic") == {"cobalt": "cobalt", "nickel": "nickel"}
    assert facet_labels(english, "regulation") == {"law-3-2020": "Law No. 3 of 2020"}
    assert "Peleburan" not in english and "Kementerian" not in english


def test_cards_and_release_page_name_entities_in_their_language(client, world):
    listing = html(client.get("/id/news/"))
    card = re.search(r'<article class="release-card">.*?</article>', listing, re.S)
    assert "Peleburan nikel" in card.group(0)
    assert "Sulawesi Tengah" in card.group(0)
    page = html(client.get(world["indonesian"].url))
    assert 'href="/id/news/sectors/peleburan-nikel/">Peleburan nikel</a>' in page
    assert 'href="/id/news/topics/nikel/">nikel</a>' in page
    assert 'href="/id/news/topics/cobalt/">cobalt</a>' in page
    assert (
        'href="/id/news/organisations/kementerian-perindustrian/">'
        "Kementerian Perindustrian</a>" in page
    )
    assert (
        'href="/id/news/regulations/uu-3-2020/">Undang-Undang Nomor 3 Tahun 2020</a>'
        in page
    )
    assert "Perubahan atas UU Minerba" in page
    english = html(client.get(world["english"].url))
    assert 'href="/news/sectors/nickel-smelting/">Nickel smelting</a>' in english
    assert 'href="/news/regulations/law-3-2020/">Law No. 3 of 2020</a>' in english


def test_hub_indexes_link_the_translated_slugs(client, world):
    page = html(client.get("/id/news/sectors/"))
    assert '<a href="/id/news/sectors/peleburan-nikel/">Peleburan nikel</a>' in page
    assert '<a href="/id/news/sectors/basic-metals/">Logam dasar</a>' in page
    page = html(client.get("/news/sectors/"))
    assert '<a href="/news/sectors/nickel-smelting/">Nickel smelting</a>' in page
    # Flat kinds are listed alphabetically in the page's language.
    page = html(client.get("/id/news/topics/"))
    assert page.index(">cobalt</a>") < page.index(">nikel</a>")
    page = html(client.get("/id/news/regulations/"))
    assert (
        '<a href="/id/news/regulations/uu-3-2020/">Undang-Undang Nomor 3 Tahun 2020</a>'
        in page
    )


# --- hubs ----------------------------------------------------------------------------


def test_hub_pages_in_indonesian(client, world):
    page = html(client.get("/id/news/sectors/peleburan-nikel/"))
    assert "<h1>Peleburan nikel</h1>" in page
    assert "Nikel dari bijih laterit." in page
    assert 'href="/id/news/sectors/basic-metals/">Logam dasar</a>' in page  # parent
    assert world["indonesian"].title in page
    assert 'href="/id/news/sectors/peleburan-nikel/feed/' in page
    official = html(client.get("/id/news/officials/agus/"))
    assert "Menteri Perindustrian, Kementerian Perindustrian" in official
    assert "Sang menteri." in official and "The minister." not in official
    organisation = html(client.get("/id/news/organisations/kementerian-perindustrian/"))
    # The organisation's kind and country and a tree's kind read in Indonesian.
    assert "Organisasi · Kementerian · Tiongkok" in organisation
    assert '<p class="hub-header__kind">Sektor</p>' in page
    assert "Agus Gumiwang Kartasasmita</a>, Menteri Perindustrian" in organisation
    regulation = html(client.get("/id/news/regulations/uu-3-2020/"))
    assert "<h1>Undang-Undang Nomor 3 Tahun 2020</h1>" in regulation
    assert "Perubahan atas UU Minerba" in regulation
    assert "Amendments to the Mining Law" not in regulation
    assert "Peraturan · Undang-Undang · Berlaku" in " ".join(
        re.sub(r"<[^>]+>", " ", regulation).split()
    )


def test_hub_pages_in_english_are_unchanged(client, world):
    page = html(client.get("/news/sectors/nickel-smelting/"))
    assert "<h1>Nickel smelting</h1>" in page
    assert '<p class="hub-header__kind">Sector</p>' in page
    organisation = html(client.get("/news/organisations/ministry-of-industry/"))
    assert "Organisation · Ministry · China" in organisation
    assert "Nickel from laterite ore." in page
    official = html(client.get("/news/officials/agus/"))
    assert "Minister of Industry, Ministry of Industry" in official
    assert "The minister." in official
    assert "Peleburan" not in page and "Menteri" not in official
    regulation = html(client.get("/news/regulations/law-3-2020/"))
    assert "<h1>Law No. 3 of 2020</h1>" in regulation
    assert "Amendments to the Mining Law" in regulation
    assert "Undang-Undang" not in regulation and "Perubahan" not in regulation


def test_either_slug_finds_the_hub_of_the_pages_language(client, world):
    response = client.get("/id/news/sectors/nickel-smelting/?from=2024-01-01")
    assert response.status_code == 302
    assert response["Location"] == "/id/news/sectors/peleburan-nikel/?from=2024-01-01"
    response = client.get("/news/sectors/peleburan-nikel/")
    assert response.status_code == 302
    assert response["Location"] == "/news/sectors/nickel-smelting/"
    # Without a translated slug the English one serves both languages.
    assert client.get("/id/news/sectors/basic-metals/").status_code == 200
    assert client.get("/id/news/sectors/logam-dasar/").status_code == 404
    # Feeds answer at either slug.
    for url in (
        "/id/news/sectors/nickel-smelting/feed/",
        "/id/news/sectors/peleburan-nikel/feed/",
        "/news/sectors/peleburan-nikel/feed/",
        "/id/news/regulations/law-3-2020/feed/",
        "/news/regulations/uu-3-2020/feed/",
    ):
        assert client.get(url).status_code == 200, url
    # A regulation's translated slug, likewise.
    response = client.get("/id/news/regulations/law-3-2020/")
    assert response.status_code == 302
    assert response["Location"] == "/id/news/regulations/uu-3-2020/"
    response = client.get("/news/regulations/uu-3-2020/")
    assert response["Location"] == "/news/regulations/law-3-2020/"


# --- filters and chips ---------------------------------------------------------------


def chips(page):
    return [
        (unescape(href), label.strip())
        for href, label in re.findall(
            r'<a class="chip" href="([^"]*)">([^<]*)<span', page
        )
    ]


def test_a_translated_slug_filters_in_either_language(client, world):
    page = html(client.get("/id/news/", {"sector": "peleburan-nikel", "q": "nikel"}))
    assert world["indonesian"].title in page
    assert chips(page)[1] == ("?q=nikel", "Peleburan nikel")
    assert 'value="peleburan-nikel" checked' in page
    page = html(client.get("/news/", {"sector": "peleburan-nikel"}))
    assert world["english"].title in page
    assert chips(page) == [("?", "Nickel smelting")]
    # The English slug on the Indonesian listing: the chip removes what was given.
    page = html(client.get("/id/news/", {"sector": "nickel-smelting"}))
    assert chips(page) == [("?", "Peleburan nikel")]
    page = html(client.get("/id/news/", {"topic": ["nikel", "cobalt"]}))
    assert [label for _, label in chips(page)] == ["cobalt", "nikel"]
    page = html(client.get("/id/news/", {"regulation": "uu-3-2020"}))
    assert chips(page) == [("?", "Undang-Undang Nomor 3 Tahun 2020")]
    assert world["indonesian"].title in page
    page = html(client.get("/news/", {"regulation": "uu-3-2020"}))
    assert chips(page) == [("?", "Law No. 3 of 2020")]


def test_alert_filters_keep_the_english_slugs(client, world):
    page = html(client.get("/id/news/", {"sector": "peleburan-nikel"}))
    assert "/alerts/subscribe/?sector=nickel-smelting" in unescape(page)
    page = html(client.get("/id/news/sectors/peleburan-nikel/"))
    assert "/alerts/subscribe/?sector=nickel-smelting" in unescape(page)
    page = html(client.get("/id/news/regulations/uu-3-2020/"))
    assert "/alerts/subscribe/?regulation=law-3-2020" in unescape(page)


def test_unknown_slugs_are_still_form_errors(client, world):
    page = html(client.get("/id/news/", {"sector": "peleburan"}))
    assert "peleburan" in page and 'class="form-error"' in page
    api = client.get(reverse("wagtailapi:releases:listing"), {"sector": "nope"})
    assert api.status_code == 400


def test_filter_and_hub_share_one_entity(world):
    sector = world["smelting"]
    queryset = Sector.objects.all()
    assert entity_names.resolve_slug(queryset, "peleburan-nikel").pk == sector.pk
    assert entity_names.resolve_slug(queryset, "nickel-smelting").pk == sector.pk
    assert entity_names.resolve_slug(queryset, "nikel") is None  # a topic's slug


def test_slugs_of_several_kinds_resolve_in_one_query(world):
    """The entities come back as the ORM loads them (every field, of its type),
    each with its translations, and in their kind's order; unknown slugs are
    simply not found."""
    requests = {
        "sector": (Sector.objects.all(), ["peleburan-nikel", "basic-metals"]),
        "organisation": (Organisation.objects.all(), ["kementerian-perindustrian"]),
        "official": (Official.objects.all(), ["agus", "nobody"]),
        "topic": (Topic.objects.all(), ["cobalt", "nikel"]),
        "region": (Region.objects.all(), []),
        "regulation": (Regulation.objects.all(), ["uu-3-2020", "law-4-2009"]),
    }
    with CaptureQueriesContext(connection) as queries:
        found = entity_names.resolve_slugs_in(requests)
    assert len(queries) == 1
    assert list(found["sector"]) == ["basic-metals", "peleburan-nikel"]  # by path
    assert list(found["topic"]) == ["cobalt", "nikel"]  # by name
    assert found["official"].keys() == {"agus"}
    assert found["region"] == {}
    assert found["regulation"].keys() == {"uu-3-2020"}
    for kind, by_slug in found.items():
        for entity in by_slug.values():
            loaded = type(entity).objects.get(pk=entity.pk)
            for field in type(entity)._meta.concrete_fields:
                mine = getattr(entity, field.attname)
                theirs = getattr(loaded, field.attname)
                assert (mine, type(mine)) == (theirs, type(theirs)), (kind, field)
            assert not entity._state.adding
    with CaptureQueriesContext(connection) as queries:
        smelting = found["sector"]["peleburan-nikel"]
        assert entity_names.localized_name(smelting, "id") == "Peleburan nikel"
        assert entity_names.localized_slug(found["sector"]["basic-metals"], "id") == (
            "basic-metals"
        )
        assert entity_names.localized_name(found["topic"]["nikel"], "id") == "nikel"
    assert len(queries) == 0


def test_public_slugs_compiled_once_answer_as_the_querysets_do(world):
    """resolve_public_slugs (compiled once per shape, run with each request's
    slugs) finds what resolve_slugs_in finds among the entities readers may know
    of, the same entities loaded the same way, in one query."""
    asked = [
        {"sector": ["peleburan-nikel", "basic-metals"], "topic": ["nikel"]},
        {"sector": ["basic-metals", "nobody"], "topic": ["cobalt"]},  # same shape
        {"official": ["agus", "nobody"], "organisation": ["kementerian-perindustrian"]},
        {"regulation": ["uu-3-2020"], "region": []},
        {"sector": ["50%_off"], "topic": ["%"]},
    ]
    found_any = False
    for requests in asked:
        for texts in (False, True):
            expected = entity_names.resolve_slugs_in(
                {
                    name: (known_to_readers(kinds.get(name)), slugs)
                    for name, slugs in requests.items()
                },
                texts=texts,
            )
            with CaptureQueriesContext(connection) as queries:
                found = entity_names.resolve_public_slugs(
                    {name: (name, slugs) for name, slugs in requests.items()},
                    texts=texts,
                )
            assert len(queries) <= 1
            assert found.keys() == expected.keys()
            for name, by_slug in found.items():
                assert list(by_slug) == list(expected[name]), (requests, name)
                for slug, entity in by_slug.items():
                    theirs = expected[name][slug]
                    assert entity.pk == theirs.pk
                    assert vars(entity).keys() - {"_state"} == (
                        vars(theirs).keys() - {"_state"}
                    )
                    found_any = True
    assert found_any


def test_hub_entity_brings_its_texts_in_the_same_query(world):
    with CaptureQueriesContext(connection) as queries:
        smelting = entity_names.resolve_slug(
            Sector.objects.all(), "peleburan-nikel", texts=True
        )
        text = entity_names.localized_text(smelting, "description", "id")
    assert text == "Nikel dari bijih laterit."
    assert len(queries) == 1


# --- the language switcher -----------------------------------------------------------


def test_switcher_maps_the_filters_slugs(client, world):
    query = "?sector=nickel-smelting&q=smelter&sector=basic-metals&sort=oldest"
    page = html(client.get("/news/" + query))
    assert switcher_link(page, "id") == (
        "/id/news/?sector=peleburan-nikel&q=smelter&sector=basic-metals&sort=oldest"
    )
    page = html(client.get("/id/news/?topic=nikel&region=sulawesi-tengah"))
    assert switcher_link(page, "en") == "/news/?topic=nickel&region=central-sulawesi"
    # A slug that finds nothing stays as it was (the form shows the error).
    page = html(client.get("/news/?sector=nope&topic=nickel"))
    assert switcher_link(page, "id") == "/id/news/?sector=nope&topic=nikel"


def test_switcher_maps_a_hubs_slug(client, world):
    page = html(client.get("/news/sectors/nickel-smelting/?topic=nickel"))
    assert switcher_link(page, "id") == "/id/news/sectors/peleburan-nikel/?topic=nikel"
    page = html(client.get("/id/news/sectors/peleburan-nikel/"))
    assert switcher_link(page, "en") == "/news/sectors/nickel-smelting/"
    hreflang = re.search(r'<link rel="alternate" hreflang="id" href="([^"]+)"', page)
    assert hreflang.group(1).endswith("/id/news/sectors/peleburan-nikel/")


# --- feeds and the API ---------------------------------------------------------------


def feed_title(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return unescape(re.search(r"<title>([^<]*)</title>", response.content.decode())[1])


def test_feed_titles_in_the_feeds_language(client, world):
    title = feed_title(client, "/id/news/feed/", {"sector": "peleburan-nikel"})
    assert "Peleburan nikel" in title
    assert "Peleburan nikel" in feed_title(
        client, "/id/news/sectors/nickel-smelting/feed/"
    )
    title = feed_title(client, "/news/feed/", {"sector": "peleburan-nikel"})
    assert "Nickel smelting" in title
    feed = client.get("/id/news/feed/").content.decode()
    assert 'term="Peleburan nikel"' in feed
    assert (
        "/id/news/sectors/peleburan-nikel/"
        in client.get("/id/news/sectors/peleburan-nikel/feed/").content.decode()
    )


def test_api_names_in_the_requested_locale(client, world):
    url = reverse("wagtailapi:releases:listing")
    [item] = client.get(url, {"locale": "id"}).json()["items"]
    assert item["sectors"] == [{"name": "Peleburan nikel", "slug": "nickel-smelting"}]
    assert item["regions"][0]["name"] == "Sulawesi Tengah"
    assert item["organisations"][0]["name"] == "Kementerian Perindustrian"
    assert item["topics"] == [
        {"name": "cobalt", "slug": "cobalt"},
        {"name": "nikel", "slug": "nickel"},
    ] or item["topics"] == [
        {"name": "nikel", "slug": "nickel"},
        {"name": "cobalt", "slug": "cobalt"},
    ]
    assert item["officials"][0]["name"] == "Agus Gumiwang Kartasasmita"
    [regulation] = item["regulations"]
    assert (regulation["name"], regulation["slug"], regulation["title"]) == (
        "Undang-Undang Nomor 3 Tahun 2020",
        "law-3-2020",
        "Perubahan atas UU Minerba",
    )
    [item] = client.get(url).json()["items"]
    assert item["regulations"][0]["name"] == "Law No. 3 of 2020"
    assert item["sectors"] == [{"name": "Nickel smelting", "slug": "nickel-smelting"}]
    detail = client.get(f"/api/v2/releases/{world['indonesian'].pk}/").json()
    assert detail["sectors"][0]["name"] == "Peleburan nikel"
    # The filters take either slug in the API too.
    response = client.get(url, {"locale": "id", "sector": "peleburan-nikel"})
    assert response.json()["meta"]["total_count"] == 1

    sectors = client.get("/api/v2/sectors/", {"locale": "id"}).json()["items"]
    smelting = next(item for item in sectors if item["slug"] == "nickel-smelting")
    assert smelting["name"] == "Peleburan nikel"
    assert smelting["description"] == "Nikel dari bijih laterit."
    assert smelting["meta"]["html_url"].endswith("/id/news/sectors/peleburan-nikel/")
    [agus] = client.get("/api/v2/officials/", {"locale": "id"}).json()["items"]
    assert agus["bio"] == "Sang menteri."
    assert agus["appointments"][0]["position"] == "Menteri Perindustrian"
    assert agus["appointments"][0]["title"] == (
        "Menteri Perindustrian, Kementerian Perindustrian"
    )
    [agus] = client.get("/api/v2/officials/").json()["items"]
    assert (
        agus["appointments"][0]["title"] == "Minister of Industry, Ministry of Industry"
    )
    assert client.get("/api/v2/sectors/", {"locale": "fr"}).status_code == 400
    [law] = client.get("/api/v2/regulations/", {"locale": "id"}).json()["items"]
    assert (law["name"], law["title"]) == (
        "Undang-Undang Nomor 3 Tahun 2020",
        "Perubahan atas UU Minerba",
    )
    assert law["meta"]["html_url"].endswith("/id/news/regulations/uu-3-2020/")


# --- fallback, escaping, what must not leak -------------------------------------------


def test_english_where_a_translation_leaves_a_name_blank(world):
    agus = world["agus"]
    assert entity_names.localized_name(agus, "id") == agus.name
    assert entity_names.localized_text(agus, "bio", "id") == "Sang menteri."
    assert entity_names.localized_name(world["cobalt"], "id") == "cobalt"
    assert entity_names.localized_slug(world["metals"], "id") == "basic-metals"
    assert entity_names.localized_url(world["smelting"], "id") == (
        "/id/news/sectors/peleburan-nikel/"
    )
    assert [
        each.name
        for each in entity_names.localized(
            [world["smelting"], world["nickel"], world["cobalt"]], "id"
        )
    ] == ["Peleburan nikel", "nikel", "cobalt"]


def test_translated_names_are_escaped(client, world):
    translate(
        RegionFactory(name="Gorontalo", slug="gorontalo", marked_public=True),
        name="<script>alert(1)</script>",
        slug="gorontalo-id",
    )
    region = world["sulawesi"].translations.get()
    region.name = '<b onmouseover="x">Sulawesi</b>'
    region.save()
    for url in (
        "/id/news/",
        "/id/news/regions/",
        "/id/news/regions/sulawesi-tengah/",
        "/id/news/regions/gorontalo-id/",
        world["indonesian"].url,
    ):
        page = html(client.get(url))
        assert "<script>alert" not in page and "<b onmouseover" not in page, url
    assert "&lt;b onmouseover=&quot;x&quot;&gt;Sulawesi&lt;/b&gt;" in html(
        client.get("/id/news/regions/sulawesi-tengah/")
    )


def test_entities_of_unpublished_releases_stay_out_of_facets(client, world):
    hidden = SectorFactory(name="Secret sector", slug="secret-sector")
    translate(hidden, name="Sektor rahasia", slug="sektor-rahasia")
    make_release("Draft", sectors=[hidden], live=False)
    for url in ("/id/news/", "/id/news/sectors/", "/id/news/feed/", "/id/sitemap.xml"):
        response = client.get(url)
        content = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        assert b"rahasia" not in content, url
    api = client.get(reverse("wagtailapi:releases:listing"), {"locale": "id"})
    assert b"rahasia" not in api.content


# --- queries and caching -------------------------------------------------------------


def count_queries(client, url, params=None, only=""):
    """Queries to render a page afresh (not from the response cache); with
    ``only``, those whose SQL contains it."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len([q for q in context.captured_queries if only in q["sql"]])


# The one read of every Indonesian name (newsroom/finder/entity_names.py names_map).
NAMES_QUERY = "SELECT 'official' AS \"entity_kind\""


def test_indonesian_names_cost_one_query_whatever_the_page_shows(
    client, world, settings
):
    for n in range(6):
        sector = SectorFactory(name=f"Sector {n}", slug=f"sector-{n}")
        translate(sector, name=f"Sektor {n}", slug=f"sektor-{n}")
        make_release(f"Release {n}", release_date=MARCH, sectors=[sector])
    client.get("/news/")
    client.get("/id/news/")
    pages = [
        ("/news/", {"sector": "sector-1"}),
        ("/id/news/", {"sector": "sektor-1", "topic": "nickel"}),
        ("/id/news/sectors/peleburan-nikel/", {"region": "sulawesi-tengah"}),
        ("/id/news/officials/agus/", {}),
    ]
    for url, params in pages:
        settings.NEWSROOM_PAGE_SIZE = 2
        small = count_queries(client, url, params)
        settings.NEWSROOM_PAGE_SIZE = 20
        assert count_queries(client, url, params) == small, url
    # English pages never read the names; an Indonesian page reads them once
    # (facets, cards, chips, hub profile), whatever it shows. The chosen filters,
    # a hub's entity and an official's positions come with their own queries.
    for url in ("/news/", "/news/sectors/nickel-smelting/", "/news/officials/agus/"):
        assert count_queries(client, url, {"sector": "sector-1"}, NAMES_QUERY) == 0
    assert count_queries(client, "/id/news/sectors/", {}, NAMES_QUERY) == 1
    for url, params in [("/id/news/", {}), *pages[1:]]:
        assert count_queries(client, url, params, NAMES_QUERY) == 1, url


def test_editing_a_translation_refreshes_cached_pages(client, world):
    assert "Peleburan nikel" in html(client.get("/id/news/"))
    version = ContentVersion.current()
    row = world["smelting"].translations.get()
    row.name = "Smelter nikel"
    row.save()
    assert ContentVersion.current() > version
    page = html(client.get("/id/news/"))
    assert "Smelter nikel" in page and "Peleburan nikel" not in page


def test_facet_options_outside_a_request(world):
    rows = [
        {
            "entity_id": world["nickel"].pk,
            "entity_name": "nickel",
            "entity_slug": "nickel",
            "entity_path": "",
            "entity_depth": 1,
            "n": 3,
        }
    ]
    with translation.override("id"):
        [option] = facet_options(FACETS["topic"], rows)
    assert (option.label, option.slug) == ("nikel", "nikel")
    with translation.override("en"):
        [option] = facet_options(FACETS["topic"], rows)
    assert (option.label, option.slug) == ("nickel", "nickel")


# --- validation ----------------------------------------------------------------------


def errors_of(row):
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    return raised.value.message_dict


def test_a_translated_slug_cannot_take_a_slug_of_its_kind(world):
    steel = SectorFactory(name="Steel", slug="steel")
    row = SectorTranslation(entity=steel, locale=indonesian_locale(), name="Baja")
    row.slug = "nickel-smelting"  # another sector's English slug
    assert "Nickel smelting" in errors_of(row)["slug"][0]
    row.slug = "peleburan-nikel"  # another sector's Indonesian slug
    assert "Nickel smelting" in errors_of(row)["slug"][0]
    row.slug = "steel"  # its own English slug
    assert "leave the field blank" in errors_of(row)["slug"][0]
    row.slug = "nikel"  # a topic's slug is another kind's: allowed
    row.full_clean()


def test_an_english_slug_cannot_take_a_translated_one(world):
    steel = SectorFactory(name="Steel", slug="steel")
    steel.slug = "peleburan-nikel"
    with pytest.raises(ValidationError) as raised:
        steel.full_clean()
    assert "translated slug" in raised.value.message_dict["slug"][0]
    topic = TopicFactory(name="nickel ore", slug="nickel-ore")
    topic.slug = "nikel"
    with pytest.raises(ValidationError):
        topic.full_clean()


def test_no_english_translation_and_one_per_language(world):
    english = Locale.objects.get(language_code="en")
    row = RegionTranslation(
        entity=world["sulawesi"], locale=english, name="Central Sulawesi"
    )
    assert "locale" in errors_of(row)
    row = RegionTranslation(
        entity=world["sulawesi"], locale=indonesian_locale(), name="Sulteng"
    )
    assert "already has a translation" in str(errors_of(row))
    row = TopicTranslation(entity=world["cobalt"], locale=indonesian_locale(), name="")
    assert "name" in errors_of(row)
    # An official's name may stay blank (most names do not change).
    OfficialTranslation(
        entity=OfficialFactory(), locale=indonesian_locale(), bio="Bio."
    ).full_clean()


# --- the admin -----------------------------------------------------------------------


def test_the_sector_edit_view_saves_a_translation(admin_client, world):
    steel = SectorFactory(name="Steel", slug="steel")
    url = reverse("wagtailsnippets_newsroom_sector:edit", args=[steel.pk])
    form = admin_client.get(url)
    assert form.status_code == 200
    assert b"translations-TOTAL_FORMS" in form.content

    def post(slug):
        return admin_client.post(
            url,
            nested_form_data(
                {
                    "name": "Steel",
                    "slug": "steel",
                    "parent": "",
                    "code": "",
                    "description": "",
                    "translations": inline_formset(
                        [
                            {
                                "locale": indonesian_locale().pk,
                                "name": "Baja",
                                "slug": slug,
                                "description": "Besi dan baja.",
                            }
                        ]
                    ),
                }
            ),
        )

    response = post("peleburan-nikel")
    assert response.status_code == 200
    assert "Nickel smelting" in response.content.decode()
    assert not steel.translations.exists()
    response = post("baja")
    assert response.status_code == 302
    row = steel.translations.get()
    assert (row.name, row.slug, row.description) == ("Baja", "baja", "Besi dan baja.")
    assert row.locale.language_code == "id"


def test_the_official_edit_view_saves_a_position_and_a_bio(admin_client, world):
    agus, appointment = world["agus"], world["appointment"]
    url = reverse("wagtailsnippets_newsroom_official:edit", args=[agus.pk])
    assert admin_client.get(url).status_code == 200
    id_locale = indonesian_locale().pk
    translation_row = agus.translations.get()
    data = nested_form_data(
        {
            "honorific": "",
            "name": agus.name,
            "slug": agus.slug,
            "portrait": "",
            "bio": agus.bio,
            "appointments": inline_formset(
                [
                    {
                        "id": appointment.pk,
                        "position": appointment.position,
                        "organisation": appointment.organisation_id,
                        "start_date": "2019-10-23",
                        "end_date": "",
                        "translations": inline_formset(
                            [
                                {
                                    "id": appointment.translations.get().pk,
                                    "locale": id_locale,
                                    "position": "Menteri Perindustrian RI",
                                }
                            ],
                            initial=1,
                        ),
                    }
                ],
                initial=1,
            ),
            "translations": inline_formset(
                [
                    {
                        "id": translation_row.pk,
                        "locale": id_locale,
                        "name": "",
                        "slug": "",
                        "bio": "Menteri Perindustrian sejak 2019.",
                    }
                ],
                initial=1,
            ),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert agus.translations.get().bio == "Menteri Perindustrian sejak 2019."
    assert appointment.translations.get().position == "Menteri Perindustrian RI"


def test_the_topic_and_organisation_forms_have_translations(admin_client, world):
    for model, entity in (
        ("topic", world["nickel"]),
        ("organisation", world["ministry"]),
    ):
        url = reverse(f"wagtailsnippets_newsroom_{model}:edit", args=[entity.pk])
        response = admin_client.get(url)
        assert response.status_code == 200
        assert b"translations-TOTAL_FORMS" in response.content
    response = admin_client.post(
        reverse("wagtailsnippets_newsroom_topic:add"),
        {
            "name": "copper",
            "slug": "copper",
            "translations-0-locale": indonesian_locale().pk,
            "translations-0-name": "tembaga",
            "translations-0-slug": "nikel",
            **no_translations(),
            "translations-TOTAL_FORMS": "1",
        },
    )
    assert response.status_code == 200  # "nikel" is the nickel topic's
    assert "nickel" in response.content.decode()


def test_the_indonesian_sitemap_lists_hubs_by_their_indonesian_slugs(client, world):
    sitemap = client.get("/id/sitemap.xml").content.decode()
    assert "/id/news/sectors/peleburan-nikel/</loc>" in sitemap
    assert "/id/news/sectors/nickel-smelting/</loc>" not in sitemap
    assert "/id/news/sectors/basic-metals/</loc>" in sitemap  # no slug of its own
    assert "/id/news/topics/nikel/</loc>" in sitemap
    english = client.get("/sitemap.xml").content.decode()
    assert "/news/sectors/nickel-smelting/</loc>" in english
    assert "peleburan-nikel" not in english
