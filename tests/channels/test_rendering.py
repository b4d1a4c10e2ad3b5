"""Every public page type renders, with the content a reader expects."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import Correction, PressReleasePage, RelatedRelease
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    key_figures_block,
    make_official,
    make_release,
)

D = datetime.date
SECRETARY_GENERAL = "Secretary General, Ministry of Industry"


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        newsroom = ensure_site_tree()
        ministry = OrganisationFactory(
            name="Ministry of Industry",
            acronym="Kemenperin",
            country="Indonesia",
            website="https://kemenperin.go.id/",
        )
        miit = OrganisationFactory(
            name="Ministry of Industry and Information Technology",
            acronym="MIIT",
            country="China",
            kind="foreign_government",
        )
        eko = make_official(
            "Eko S.A. Cahyanto",
            [
                ("Director General", ministry, "2015-01-01", "2019-12-31"),
                ("Secretary General", ministry, "2020-01-01", None),
            ],
            honorific="Dr.",
            bio="Secretary General of the Ministry of Industry since 2020.",
        )
        wang = make_official(
            "Wang Jiangping", [("Deputy Minister", miit, "2022-01-01", None)]
        )
        metals = SectorFactory(name="Basic Metals", code="C24")
        nickel = SectorFactory(
            name="Nickel Smelting", parent=metals, description="Smelters."
        )
        pv = SectorFactory(name="Photovoltaics")
        indonesia = RegionFactory(name="Indonesia", kind="country", iso_code="ID")
        sulawesi = RegionFactory(
            name="Central Sulawesi", parent=indonesia, kind="province", iso_code="ID-ST"
        )
        morowali = RegionFactory(name="Morowali Regency", parent=sulawesi)
        china = RegionFactory(name="China", kind="country", iso_code="CN")
        green = TopicFactory(name="green industry")
        nickel_topic = TopicFactory(name="nickel")
        # The older release cites two regulations later amended or revoked by two
        # the main release cites; the withdrawn and the draft cite a ghost.
        mining = RegulationFactory(
            type="law",
            number="4",
            year=2009,
            title="Mineral and Coal Mining",
            enacted=D(2009, 1, 12),
        )
        vehicles = RegulationFactory(
            type="presidential_regulation",
            number="55",
            year=2019,
            title="Battery Electric Vehicles",
            enacted=D(2019, 8, 8),
        )
        job_creation = RegulationFactory(
            type="law",
            number="6",
            year=2023,
            title="Job Creation",
            enacted=D(2023, 3, 31),
            url="https://peraturan.go.id/id/uu-no-6-tahun-2023",
            amends=[mining],
        )
        estates = RegulationFactory(
            type="government_regulation",
            number="25",
            year=2023,
            title="Industrial Estates",
            enacted=D(2023, 3, 1),
            revokes=[vehicles],
        )
        ghost = RegulationFactory(
            type="minister_of_industry_regulation",
            number="99",
            year=2024,
            title="Unannounced levy",
        )

        main = make_release(
            "Indonesia and China deepen green industry cooperation",
            slug="indonesia-china-green-industry",
            release_date=D(2024, 9, 27),
            event_date=D(2024, 9, 25),
            dateline="Jakarta",
            reference="SP-123/HMS/IX/2024",
            standfirst="The Secretary General met China's Deputy Minister.",
            media_contact_name="Press office",
            media_contact_email="press@example.org",
            featured=True,
            body=[
                {"type": "paragraph", "value": "<p>Talks on photovoltaics.</p>"},
                {
                    "type": "quote",
                    "value": {
                        "text": "Downstreaming is our priority.",
                        "official": eko.pk,
                        "attribution": "",
                    },
                },
                key_figures_block(
                    (Decimal("1200000000"), "USD", True, "investment"),
                    (Decimal("500"), "MW", False, "solar capacity"),
                    (Decimal("3000"), "jobs", False, "jobs"),
                ),
            ],
            officials=[
                (eko, SECRETARY_GENERAL, True),
                (wang, "Deputy Minister", False),
            ],
            sectors=[pv, nickel],
            regions=[morowali, china],
            organisations=[ministry, miit],
            topics=[green, nickel_topic],
            regulations=[job_creation, estates],
        )
        older = make_release(
            "Smelter review in Morowali",
            slug="smelter-review-morowali",
            release_date=D(2022, 2, 10),
            standfirst="A review of nickel processing.",
            officials=[(eko, "Director General, Ministry of Industry", False)],
            sectors=[metals],
            regions=[sulawesi],
            organisations=[ministry],
            topics=[nickel_topic],
            regulations=[mining, vehicles],
        )
        withdrawn = make_release(
            "Statement issued in error",
            slug="statement-issued-in-error",
            release_date=D(2024, 5, 2),
            officials=[eko],
            sectors=[nickel],
            regions=[morowali],
            organisations=[ministry],
            topics=[nickel_topic],
            regulations=[ghost],
            withdrawn=True,
            withdrawn_on=D(2024, 5, 3),
            withdrawal_reason="The figures were wrong; see the corrected release.",
        )
        draft = make_release(
            "Unpublished draft plan",
            slug="unpublished-draft-plan",
            release_date=D(2024, 6, 1),
            officials=[eko],
            sectors=[nickel],
            regions=[morowali],
            organisations=[ministry],
            topics=[nickel_topic],
            regulations=[ghost],
            live=False,
        )
        Correction.objects.create(
            page=main,
            date=datetime.datetime(2024, 10, 2, 9, tzinfo=datetime.UTC),
            note="Corrected the investment figure.",
        )
        for target in (older, withdrawn, draft):
            RelatedRelease.objects.create(page=main, release=target)
        yield {
            "newsroom": newsroom,
            "main": main,
            "older": older,
            "withdrawn": withdrawn,
            "draft": draft,
            "eko": eko,
            "wang": wang,
        }
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db):
    return _world


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def text_of(html, selector):
    soup = BeautifulSoup(html, "html.parser")
    return [node.get_text(" ", strip=True) for node in soup.select(selector)]


MAIN = "Indonesia and China deepen green industry cooperation"
OLDER = "Smelter review in Morowali"
WITHDRAWN = "Statement issued in error"
DRAFT = "Unpublished draft plan"


def test_home_page(client, world):
    html = get(client, "/")
    assert "Ministry of Industry Newsroom" in html
    assert 'href="/news/"' in html
    featured = text_of(html, ".featured .release-card__title")
    assert featured == [MAIN]
    latest = text_of(html, ".release-list .release-card__title")
    assert latest == [MAIN, OLDER]  # newest first, no withdrawn or draft


def test_news_listing(client, world):
    html = get(client, "/news/")
    assert text_of(html, ".release-card__title") == [MAIN, OLDER]
    assert "2 releases" in text_of(html, ".result-count")[0]
    card = text_of(html, ".release-card")[0]
    assert "27 September 2024" in card
    assert "Eko S.A. Cahyanto" in card
    assert "Photovoltaics" in card
    assert "Morowali Regency" in card


def test_release_page(client, world):
    html = get(client, "/news/indonesia-china-green-industry/")
    for text in [
        MAIN,
        "The Secretary General met China",
        "SP-123/HMS/IX/2024",
        "Jakarta",
        "27 September 2024",
        "25 September 2024",  # the event date
        "Talks on photovoltaics.",
        "Downstreaming is our priority.",
        "USD 1.2 billion",
        "500 MW",
        "3,000 jobs",
        "Corrected the investment figure.",
        "press@example.org",
        "Ministry of Industry and Information Technology",
    ]:
        assert text in html, text
    officials = text_of(html, ".officials li")
    assert officials[0].startswith("Dr. Eko S.A. Cahyanto")
    assert SECRETARY_GENERAL in officials[0]
    assert "Quoted" in officials[0]
    assert "Wang Jiangping" in officials[1]
    assert "Deputy Minister" in officials[1]
    assert set(text_of(html, ".tag--sector")) == {"Photovoltaics", "Nickel Smelting"}
    assert set(text_of(html, ".tag--region")) == {"Morowali Regency", "China"}
    assert {"green industry", "nickel"} <= set(text_of(html, ".tags .tag"))
    # The quote takes the role recorded on the release.
    caption = text_of(html, ".quote figcaption")
    assert len(caption) == 1
    assert caption[0].replace(" ,", ",") == (
        f"Dr. Eko S.A. Cahyanto, {SECRETARY_GENERAL}"
    )
    # Related releases: the live one only.
    related = text_of(html, ".related li")
    assert len(related) == 1
    assert OLDER in related[0]
    for hub in [
        "/news/officials/eko-sa-cahyanto/",
        "/news/sectors/photovoltaics/",
        "/news/regions/morowali-regency/",
        "/news/organisations/ministry-of-industry/",
        "/news/topics/green-industry/",
        "/news/regulations/law-6-2023/",
        "/news/regulations/government-regulation-25-2023/",
    ]:
        assert f'href="{hub}"' in html, hub
    # Regulations cited: in force, nothing later to note.
    cited = text_of(html, ".regulations li")
    assert cited == [
        "Law No. 6 of 2023 Job Creation In force",
        "Government Regulation No. 25 of 2023 Industrial Estates In force",
    ]


def test_release_page_notes_later_amendments_and_revocations(client, world):
    html = get(client, "/news/smelter-review-morowali/")
    assert "Regulations cited" in html
    cited = text_of(html, ".regulations li")
    assert cited == [
        "Law No. 4 of 2009 Mineral and Coal Mining Amended "
        "Later amended by Law No. 6 of 2023",
        "Presidential Regulation No. 55 of 2019 Battery Electric Vehicles Revoked "
        "Revoked on 1 March 2023 by Government Regulation No. 25 of 2023",
    ]


def test_release_with_hero_image(client, newsroom):
    image = get_image_model().objects.create(
        title="Smelter at dusk", file=get_test_image_file(size=(1600, 900))
    )
    release = make_release("With a picture", hero_image=image)
    html = get(client, release.url)
    assert 'class="release__hero"' in html
    hero = BeautifulSoup(html, "html.parser").select_one(".release__hero img")
    assert hero["src"].startswith("/media/images/")
    assert hero["alt"] == image.default_alt_text
    assert int(hero["width"]) > 0


def test_withdrawn_release_keeps_its_url_with_a_notice(client, world):
    html = get(client, "/news/statement-issued-in-error/")
    notice = text_of(html, ".notice--withdrawn")
    assert len(notice) == 1
    assert "This release has been withdrawn" in notice[0]
    assert "3 May 2024" in notice[0]
    assert "The figures were wrong" in notice[0]


def test_draft_release_is_not_public(client, world):
    get(client, "/news/unpublished-draft-plan/", status=404)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/news/",
        "/news/officials/eko-sa-cahyanto/",
        "/news/sectors/nickel-smelting/",
        "/news/regions/morowali-regency/",
        "/news/organisations/ministry-of-industry/",
        "/news/topics/nickel/",
        "/news/regulations/law-6-2023/",
        "/news/officials/",
        "/news/sectors/",
        "/news/regions/",
        "/news/organisations/",
        "/news/topics/",
        "/news/regulations/",
    ],
)
def test_withdrawn_and_draft_releases_are_listed_nowhere(client, world, url):
    html = get(client, url)
    assert WITHDRAWN not in html
    assert DRAFT not in html
    # nor the regulation only they cite
    assert "No. 99 of 2024" not in html and "Unannounced levy" not in html


class TestHubs:
    def test_official(self, client, world):
        html = get(client, "/news/officials/eko-sa-cahyanto/")
        assert "Dr. Eko S.A. Cahyanto" in text_of(html, "h1")
        assert "Secretary General of the Ministry of Industry since 2020." in html
        appointments = text_of(html, ".appointments li")
        assert any(SECRETARY_GENERAL in a and "present" in a for a in appointments)
        assert any("Director General" in a for a in appointments)
        assert text_of(html, ".release-card__title") == [MAIN, OLDER]

    def test_official_shows_the_current_role(self, client, world):
        html = get(client, "/news/officials/eko-sa-cahyanto/")
        assert text_of(html, ".hub-header__role") == [SECRETARY_GENERAL]

    def test_sector_includes_sub_sectors(self, client, world):
        html = get(client, "/news/sectors/basic-metals/")
        assert "Basic Metals" in text_of(html, "h1")
        assert "Classification code: C24" in html
        assert "Nickel Smelting" in text_of(html, ".hub-children li")
        assert text_of(html, ".release-card__title") == [MAIN, OLDER]

        html = get(client, "/news/sectors/nickel-smelting/")
        assert "Smelters." in html
        assert 'href="/news/sectors/basic-metals/"' in html  # "Part of"
        assert text_of(html, ".release-card__title") == [MAIN]

    def test_region_includes_places_inside(self, client, world):
        html = get(client, "/news/regions/indonesia/")
        assert "ISO 3166 code: ID" in html
        assert text_of(html, ".release-card__title") == [MAIN, OLDER]
        html = get(client, "/news/regions/china/")
        assert text_of(html, ".release-card__title") == [MAIN]

    def test_organisation(self, client, world):
        html = get(client, "/news/organisations/ministry-of-industry/")
        assert "Ministry of Industry (Kemenperin)" in text_of(html, "h1")
        assert "https://kemenperin.go.id/" in html
        people = text_of(html, ".appointments li")
        assert any("Eko S.A. Cahyanto" in p for p in people)
        assert text_of(html, ".release-card__title") == [MAIN, OLDER]

    def test_topic(self, client, world):
        html = get(client, "/news/topics/green-industry/")
        assert "green industry" in text_of(html, "h1")
        assert text_of(html, ".release-card__title") == [MAIN]

    def test_regulation_with_its_chain(self, client, world):
        html = get(client, "/news/regulations/law-6-2023/")
        assert text_of(html, "h1") == ["Law No. 6 of 2023"]
        assert text_of(html, ".hub-header__kind") == ["Regulation · Law · In force"]
        assert "Job Creation" in text_of(html, ".hub-header__lead")
        assert "31 March 2023" in html
        assert 'href="https://peraturan.go.id/id/uu-no-6-tahun-2023"' in html
        assert text_of(html, ".hub-header .regulations li") == [
            "Law No. 4 of 2009 Mineral and Coal Mining"
        ]
        assert text_of(html, ".release-card__title") == [MAIN]
        html = get(client, "/news/regulations/presidential-regulation-55-2019/")
        assert text_of(html, ".hub-header__kind") == [
            "Regulation · Presidential Regulation · Revoked"
        ]
        assert "Revoked by" in text_of(html, ".hub-header")[0]
        assert text_of(html, ".release-card__title") == [OLDER]

    @pytest.mark.parametrize(
        "url",
        [
            "/news/officials/nobody/",
            "/news/sectors/nothing/",
            "/news/regions/nowhere/",
            "/news/organisations/none/",
            "/news/topics/no-topic/",
            "/news/regulations/law-1-1999/",
            # cited by the withdrawn release and the draft only
            "/news/regulations/minister-of-industry-regulation-99-2024/",
            "/news/people/eko-sa-cahyanto/",
        ],
    )
    def test_unknown_hub_is_404(self, client, world, url):
        get(client, url, status=404)


class TestHubIndexes:
    def test_officials(self, client, world):
        html = get(client, "/news/officials/")
        entries = text_of(html, ".entity-index li")
        assert "Eko S.A. Cahyanto 2 releases" in entries
        assert "Wang Jiangping 1 release" in entries

    def test_sectors_count_their_subtree(self, client, world):
        html = get(client, "/news/sectors/")
        entries = text_of(html, ".entity-index li")
        assert entries == [
            "Basic Metals 2 releases",
            "Nickel Smelting 1 release",
            "Photovoltaics 1 release",
        ]

    def test_regions(self, client, world):
        html = get(client, "/news/regions/")
        entries = text_of(html, ".entity-index li")
        assert "Indonesia 2 releases" in entries
        assert "Morowali Regency 1 release" in entries
        assert "China 1 release" in entries

    def test_organisations(self, client, world):
        entries = text_of(get(client, "/news/organisations/"), ".entity-index li")
        assert "Ministry of Industry 2 releases" in entries

    def test_topics(self, client, world):
        entries = text_of(get(client, "/news/topics/"), ".entity-index li")
        assert entries == ["green industry 1 release", "nickel 2 releases"]

    def test_regulations(self, client, world):
        entries = text_of(get(client, "/news/regulations/"), ".entity-index li")
        assert entries == [
            "Government Regulation No. 25 of 2023 1 release",
            "Law No. 4 of 2009 1 release",
            "Law No. 6 of 2023 1 release",
            "Presidential Regulation No. 55 of 2019 1 release",
        ]  # not the ghost


def test_empty_site_renders(client, newsroom):
    # The module's shared releases may exist already: unpublish them for this test
    # (rolled back afterwards), the way the admin does, so the listing table and
    # its stored counts follow.
    for release in PressReleasePage.objects.live():
        release.unpublish()
    assert "No releases have been published yet." in get(client, "/")
    assert "No releases match" in get(client, "/news/")
    assert "Nothing here yet." in get(client, "/news/sectors/")
