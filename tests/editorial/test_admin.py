"""Editors writing releases through the Wagtail admin, end to end."""

import datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from newsroom.models import PressReleasePage, Regulation, ReleaseOfficial
from newsroom.models.blocks import RICH_TEXT_FEATURES
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    make_official,
    make_release,
)

SECRETARY_GENERAL = "Secretary General, Ministry of Industry"


@pytest.fixture
def people(db):
    ministry = OrganisationFactory(name="Ministry of Industry", acronym="Kemenperin")
    miit = OrganisationFactory(
        name="Ministry of Industry and Information Technology", acronym="MIIT"
    )
    eko = make_official(
        "Eko S.A. Cahyanto",
        [("Secretary General", ministry, "2020-01-01", None)],
    )
    wang = make_official(
        "Wang Jiangping",
        [("Deputy Minister", miit, "2022-01-01", None)],
    )
    return {"ministry": ministry, "miit": miit, "eko": eko, "wang": wang}


@pytest.fixture
def places(db):
    metals = SectorFactory(name="Basic Metals")
    return {
        "metals": metals,
        "steel": SectorFactory(name="Steel", parent=metals),
        "photovoltaics": SectorFactory(name="Photovoltaics"),
        "jakarta": RegionFactory(name="Jakarta"),
        "central-sulawesi": RegionFactory(name="Central Sulawesi"),
    }


@pytest.fixture
def register(db):
    """Regulations in the register, none of them public yet."""
    mining = RegulationFactory(
        type="law", number="4", year=2009, title="Mineral and Coal Mining"
    )
    return {
        "law-4-2009": mining,
        "law-3-2020": RegulationFactory(
            type="law", number="3", year=2020, title="Amendments", amends=[mining]
        ),
        "presidential-regulation-55-2019": RegulationFactory(
            type="presidential_regulation",
            number="55",
            year=2019,
            title="Battery Electric Vehicles",
        ),
    }


def add_url(newsroom):
    return f"/admin/pages/add/newsroom/pressreleasepage/{newsroom.pk}/"


def release_data(
    officials=(),
    sectors=(),
    regions=(),
    organisations=(),
    corrections=(),
    regulations=(),
    publish=True,
    **fields,
):
    """POST data of the release edit form; relations are lists of form dicts."""
    data = {
        "title": "Indonesia and China deepen green industry cooperation",
        "slug": "indonesia-china-green-industry",
        "standfirst": "The Secretary General met China's Deputy Minister in Jakarta.",
        "dateline": "Jakarta",
        "release_date": "2024-09-27",
        "event_date": "2024-09-25",
        "reference": "SP-123/HMS/IX/2024",
        "topics": "",
        "media_contact_name": "",
        "media_contact_email": "",
        "media_contact_phone": "",
        "body": streamfield(
            [
                (
                    "paragraph",
                    rich_text(
                        "<p>The two ministries discussed photovoltaics.</p>",
                        features=RICH_TEXT_FEATURES,
                    ),
                ),
                (
                    "key_figures",
                    {
                        "count": "1",
                        "0": {
                            "value": {
                                "value": "1200000000",
                                "unit": "USD",
                                "is_currency": "on",
                                "label": "PV components investment",
                            },
                            "deleted": "",
                            "order": "0",
                        },
                    },
                ),
            ]
        ),
        "release_officials": inline_formset(list(officials)),
        "release_sectors": inline_formset(list(sectors)),
        "release_regions": inline_formset(list(regions)),
        "release_organisations": inline_formset(list(organisations)),
        "release_regulations": inline_formset(list(regulations)),
        "corrections": inline_formset(list(corrections)),
        "related_links": inline_formset([]),
        "release_contacts": inline_formset([]),
    }
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)


def full_release_data(people, places, **fields):
    return release_data(
        officials=[
            {"official": people["eko"].pk, "role": SECRETARY_GENERAL, "quoted": "on"},
            {"official": people["wang"].pk, "role": "Deputy Minister, MIIT"},
        ],
        sectors=[
            {"sector": places["photovoltaics"].pk},
            {"sector": places["steel"].pk},
        ],
        regions=[
            {"region": places["jakarta"].pk},
            {"region": places["central-sulawesi"].pk},
        ],
        organisations=[
            {"organisation": people["ministry"].pk},
            {"organisation": people["miit"].pk},
        ],
        corrections=[
            {"date": "2024-10-02 10:00", "note": "Corrected the investment figure."}
        ],
        topics="nickel, green industry, downstreaming",
        **fields,
    )


def form_errors(response):
    """Field errors of the page form and its formsets, for assertion messages."""
    form = response.context["form"]
    errors = dict(form.errors)
    for name, formset in form.formsets.items():
        if formset.non_form_errors():
            errors[name] = list(formset.non_form_errors())
        for index, child in enumerate(formset.forms):
            if child.errors:
                errors[f"{name}-{index}"] = dict(child.errors)
    return errors


def test_add_form_shows_the_relation_panels(admin_client, newsroom):
    response = admin_client.get(add_url(newsroom))
    assert response.status_code == 200
    html = response.content.decode()
    for name in [
        "release_officials-TOTAL_FORMS",
        "release_sectors-TOTAL_FORMS",
        "release_regions-TOTAL_FORMS",
        "release_organisations-TOTAL_FORMS",
        "release_regulations-TOTAL_FORMS",
        "corrections-TOTAL_FORMS",
        "related_links-TOTAL_FORMS",
        'name="topics"',
        'name="release_date"',
        'name="event_date"',
        'id="body"',
    ]:
        assert name in html


def test_create_and_publish_a_release(admin_client, newsroom, people, places):
    response = admin_client.post(add_url(newsroom), full_release_data(people, places))
    assert response.status_code == 302, form_errors(response)

    release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
    assert release.live
    assert release.get_parent().pk == newsroom.pk
    links = list(release.release_officials.order_by("sort_order"))
    assert [(link.official, link.role, link.quoted) for link in links] == [
        (people["eko"], SECRETARY_GENERAL, True),
        (people["wang"], "Deputy Minister, MIIT", False),
    ]
    assert set(release.sectors) == {places["photovoltaics"], places["steel"]}
    assert set(release.regions) == {places["jakarta"], places["central-sulawesi"]}
    assert set(release.organisations) == {people["ministry"], people["miit"]}
    assert {t.name for t in release.topics.all()} == {
        "nickel",
        "green industry",
        "downstreaming",
    }
    assert [f["label"] for f in release.key_figures()] == ["PV components investment"]
    assert release.corrections.count() == 1

    page = admin_client.get(release.url)
    assert page.status_code == 200
    html = page.content.decode()
    for text in [
        "Indonesia and China deepen green industry cooperation",
        "Eko S.A. Cahyanto",
        SECRETARY_GENERAL,
        "Wang Jiangping",
        "Deputy Minister, MIIT",
        "Photovoltaics",
        "Steel",
        "Jakarta",
        "Central Sulawesi",
        "Ministry of Industry and Information Technology",
        "green industry",
        "downstreaming",
        "USD 1.2 billion",
        "PV components investment",
        "The two ministries discussed photovoltaics.",
        "Corrected the investment figure.",
        "SP-123/HMS/IX/2024",
    ]:
        assert text in html, text
    assert "/news/officials/eko-sa-cahyanto/" in html


def test_regulations_chosen_and_cited_in_the_text_are_linked(
    admin_client, newsroom, register
):
    """Chosen in the panel, or cited in the text and in the register: linked on
    save, in the order chosen then cited. A citation of a regulation not in the
    register adds nothing to it."""
    data = release_data(
        regulations=[{"regulation": register["presidential-regulation-55-2019"].pk}],
        body=streamfield(
            [
                (
                    "paragraph",
                    rich_text(
                        "<p>Under UU No. 3 Tahun 2020, amending Law No. 4 of 2009, "
                        "and PP 99/2030, smelters must report output.</p>",
                        features=RICH_TEXT_FEATURES,
                    ),
                )
            ]
        ),
    )
    response = admin_client.post(add_url(newsroom), data)
    assert response.status_code == 302, form_errors(response)

    release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
    # chosen first, then cited, in the order of first citation
    linked = [link.regulation.slug for link in release.release_regulations.all()]
    assert linked == ["presidential-regulation-55-2019", "law-3-2020", "law-4-2009"]
    assert not Regulation.objects.filter(year=2030).exists()
    # the revision holds them too: publishing it again keeps them
    revision = release.get_latest_revision_as_object()
    assert {link.regulation.slug for link in revision.release_regulations.all()} == (
        set(linked)
    )
    html = admin_client.get(release.url).content.decode()
    assert "Regulations cited" in html
    for slug in linked:
        assert f"/news/regulations/{slug}/" in html
    # the release made them public
    assert admin_client.get("/news/regulations/law-4-2009/").status_code == 200


def test_links_to_cited_regulations_are_numbered_after_the_chosen(
    admin_client, newsroom, register
):
    data = release_data(
        regulations=[{"regulation": register["presidential-regulation-55-2019"].pk}],
        standfirst="Under UU No. 3 Tahun 2020 and Law No. 4 of 2009.",
    )
    response = admin_client.post(add_url(newsroom), data)
    assert response.status_code == 302, form_errors(response)
    release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
    links = release.release_regulations.all()
    assert {link.regulation.slug: link.sort_order for link in links} == {
        "presidential-regulation-55-2019": 0,
        "law-3-2020": 1,  # cited first
        "law-4-2009": 2,
    }


def test_blank_role_is_filled_from_the_appointment(
    admin_client, newsroom, people, places
):
    data = release_data(
        officials=[
            {"official": people["eko"].pk, "role": "", "quoted": "on"},
            {"official": people["wang"].pk, "role": "Deputy Minister, MIIT"},
        ]
    )
    response = admin_client.post(add_url(newsroom), data)
    assert response.status_code == 302
    release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
    roles = dict(release.release_officials.values_list("official__name", "role"))
    assert roles == {
        "Eko S.A. Cahyanto": SECRETARY_GENERAL,
        "Wang Jiangping": "Deputy Minister, MIIT",
    }


def test_save_draft_does_not_publish(admin_client, newsroom, people, places):
    data = full_release_data(people, places, publish=False)
    response = admin_client.post(add_url(newsroom), data)
    assert response.status_code == 302, form_errors(response)
    release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
    assert not release.live
    assert admin_client.get("/news/indonesia-china-green-industry/").status_code == 404


class TestInvalidInput:
    """Each mistake comes back as a form error, never a server error."""

    def post(self, client, newsroom, data):
        response = client.post(add_url(newsroom), data)
        assert response.status_code == 200
        assert not PressReleasePage.objects.filter(
            slug="indonesia-china-green-industry"
        ).exists()
        return response

    def test_event_date_after_release_date(
        self, admin_client, newsroom, people, places
    ):
        data = full_release_data(people, places, event_date="2024-09-30")
        response = self.post(admin_client, newsroom, data)
        errors = response.context["form"].errors
        assert "event_date" in errors
        assert "after the release date" in errors["event_date"][0]

    def test_same_official_twice(self, admin_client, newsroom, people, places):
        eko = people["eko"].pk
        data = release_data(
            officials=[
                {"official": eko, "role": SECRETARY_GENERAL},
                {"official": eko, "role": "Secretary General"},
            ]
        )
        response = self.post(admin_client, newsroom, data)
        formset = response.context["form"].formsets["release_officials"]
        assert formset.non_form_errors() or any(f.errors for f in formset.forms)
        assert ReleaseOfficial.objects.count() == 0

    def test_same_official_twice_gets_the_newsroom_message(
        self, admin_client, newsroom, people, places
    ):
        eko = people["eko"].pk
        data = release_data(
            officials=[
                {"official": eko, "role": SECRETARY_GENERAL},
                {"official": eko, "role": "Secretary General"},
            ]
        )
        response = self.post(admin_client, newsroom, data)
        messages = " ".join(response.context["form"].non_field_errors())
        assert "is listed twice" in messages

    def test_same_sector_twice(self, admin_client, newsroom, people, places):
        steel = places["steel"].pk
        data = release_data(sectors=[{"sector": steel}, {"sector": steel}])
        response = self.post(admin_client, newsroom, data)
        formset = response.context["form"].formsets["release_sectors"]
        assert formset.non_form_errors() or any(f.errors for f in formset.forms)

    def test_same_regulation_twice(self, admin_client, newsroom, register):
        law = register["law-3-2020"].pk
        data = release_data(regulations=[{"regulation": law}, {"regulation": law}])
        response = self.post(admin_client, newsroom, data)
        formset = response.context["form"].formsets["release_regulations"]
        assert formset.non_form_errors() or any(f.errors for f in formset.forms)
        messages = " ".join(response.context["form"].non_field_errors())
        assert "Law No. 3 of 2020 is listed twice" in messages

    @pytest.mark.parametrize(
        "slug", ["feed", "officials", "sectors", "regulations", "export.csv"]
    )
    def test_reserved_slug(self, admin_client, newsroom, people, places, slug):
        data = full_release_data(people, places, slug=slug)
        response = self.post(admin_client, newsroom, data)
        assert "slug" in response.context["form"].errors
        assert not PressReleasePage.objects.filter(slug=slug).exists()

    def test_missing_required_fields(self, admin_client, newsroom):
        data = release_data(standfirst="", release_date="")
        response = self.post(admin_client, newsroom, data)
        errors = response.context["form"].errors
        assert "standfirst" in errors
        assert "release_date" in errors

    def test_withdrawn_without_reason(self, admin_client, newsroom, people, places):
        data = full_release_data(people, places, withdrawn="on", withdrawal_reason="")
        response = self.post(admin_client, newsroom, data)
        assert "withdrawal_reason" in response.context["form"].errors

    def test_unknown_official_id(self, admin_client, newsroom):
        data = release_data(officials=[{"official": "999999", "role": "Minister"}])
        response = self.post(admin_client, newsroom, data)
        formset = response.context["form"].formsets["release_officials"]
        assert formset.forms[0].errors


class TestEditRelease:
    @pytest.fixture
    def release(self, newsroom, people, places):
        return make_release(
            "Steel talks",
            slug="steel-talks",
            standfirst="Steel makers met the ministry.",
            officials=[(people["eko"], SECRETARY_GENERAL, True)],
            sectors=[places["steel"], places["photovoltaics"]],
            regions=[places["jakarta"]],
            organisations=[people["ministry"]],
        )

    def edit_data(self, release, sectors, **fields):
        official = release.release_officials.get()
        region = release.release_regions.get()
        organisation = release.release_organisations.get()
        data = release_data(
            officials=[
                {
                    "id": official.pk,
                    "official": official.official_id,
                    "role": official.role,
                    "quoted": "on",
                }
            ],
            regions=[{"id": region.pk, "region": region.region_id}],
            organisations=[
                {"id": organisation.pk, "organisation": organisation.organisation_id}
            ],
            sectors=sectors,
            title=release.title,
            slug=release.slug,
            standfirst=release.standfirst,
            **fields,
        )
        for prefix in ["release_officials", "release_regions", "release_organisations"]:
            data[f"{prefix}-INITIAL_FORMS"] = "1"
        data["release_sectors-INITIAL_FORMS"] = str(
            sum(1 for form in sectors if form.get("id"))
        )
        return data

    def test_edit_view_renders(self, admin_client, release):
        response = admin_client.get(f"/admin/pages/{release.pk}/edit/")
        assert response.status_code == 200
        assert b"Steel talks" in response.content

    def test_change_sectors(self, admin_client, release, places):
        steel_link = release.release_sectors.get(sector=places["steel"])
        pv_link = release.release_sectors.get(sector=places["photovoltaics"])
        sectors = [
            {"id": steel_link.pk, "sector": places["steel"].pk},
            {"id": pv_link.pk, "sector": places["photovoltaics"].pk, "DELETE": "on"},
            {"id": "", "sector": places["metals"].pk},
        ]
        response = admin_client.post(
            f"/admin/pages/{release.pk}/edit/", self.edit_data(release, sectors)
        )
        assert response.status_code == 302, form_errors(response)

        release = PressReleasePage.objects.get(pk=release.pk)
        assert set(release.sectors) == {places["steel"], places["metals"]}
        html = admin_client.get(release.url).content.decode()
        assert "/news/sectors/basic-metals/" in html
        assert "/news/sectors/photovoltaics/" not in html
        # The role recorded on the release survives the edit.
        assert release.release_officials.get().role == SECRETARY_GENERAL

    def test_edit_with_a_repeated_sector_is_refused(
        self, admin_client, release, places
    ):
        steel_link = release.release_sectors.get(sector=places["steel"])
        pv_link = release.release_sectors.get(sector=places["photovoltaics"])
        sectors = [
            {"id": steel_link.pk, "sector": places["steel"].pk},
            {"id": pv_link.pk, "sector": places["steel"].pk},
        ]
        response = admin_client.post(
            f"/admin/pages/{release.pk}/edit/", self.edit_data(release, sectors)
        )
        assert response.status_code == 200
        release = PressReleasePage.objects.get(pk=release.pk)
        assert set(release.sectors) == {places["steel"], places["photovoltaics"]}

    def test_edit_event_date_after_release_date(self, admin_client, release, places):
        sectors = [
            {"id": link.pk, "sector": link.sector_id}
            for link in release.release_sectors.all()
        ]
        response = admin_client.post(
            f"/admin/pages/{release.pk}/edit/",
            self.edit_data(release, sectors, event_date="2024-10-30"),
        )
        assert response.status_code == 200
        assert "event_date" in response.context["form"].errors
        release = PressReleasePage.objects.get(pk=release.pk)
        assert release.event_date is None

    def test_add_official_with_blank_role_when_editing(
        self, admin_client, release, people
    ):
        sectors = [
            {"id": link.pk, "sector": link.sector_id}
            for link in release.release_sectors.all()
        ]
        data = self.edit_data(release, sectors)
        data.update(
            {
                "release_officials-TOTAL_FORMS": "2",
                "release_officials-1-id": "",
                "release_officials-1-official": str(people["wang"].pk),
                "release_officials-1-role": "",
                "release_officials-1-ORDER": "1",
                "release_officials-1-DELETE": "",
            }
        )
        response = admin_client.post(f"/admin/pages/{release.pk}/edit/", data)
        assert response.status_code == 302
        link = ReleaseOfficial.objects.get(page=release, official=people["wang"])
        assert link.role == (
            "Deputy Minister, Ministry of Industry and Information Technology"
        )


def test_withdraw_through_the_admin(admin_client, newsroom, people, places):
    release = make_release("To withdraw", slug="to-withdraw")
    data = release_data(
        title="To withdraw",
        slug="to-withdraw",
        standfirst=release.standfirst,
        withdrawn="on",
        withdrawal_reason="Issued in error; see the corrected statement.",
    )
    response = admin_client.post(f"/admin/pages/{release.pk}/edit/", data)
    assert response.status_code == 302, form_errors(response)
    release = PressReleasePage.objects.get(pk=release.pk)
    assert release.withdrawn
    assert release.withdrawn_on == datetime.date.today()
    html = admin_client.get(release.url).content.decode()
    assert "This release has been withdrawn" in html
    assert "Issued in error; see the corrected statement." in html


class TestMessagesNameTheProblem:
    """Issue #26 item 7: one message a problem, saying where it is."""

    def post(self, client, newsroom, data):
        return client.post(add_url(newsroom), data)

    def test_a_sector_chosen_twice_gets_one_message_on_its_row(
        self, admin_client, newsroom, people, places
    ):
        steel = places["steel"]
        data = release_data(sectors=[{"sector": steel.pk}, {"sector": steel.pk}])
        response = self.post(admin_client, newsroom, data)
        form = response.context["form"]
        assert list(form.non_field_errors()) == [
            f"Sectors: {steel} is listed twice; list it once."
        ]
        formset = form.formsets["release_sectors"]
        assert list(formset.non_form_errors()) == []
        row_errors = [e for f in formset.forms for e in f.non_field_errors()]
        assert row_errors == [f"{steel} is already chosen above: remove this row."]
        assert b"Please correct the duplicate" not in response.content

    def test_two_kinds_chosen_twice_get_a_message_each_one_per_problem(
        self, admin_client, newsroom, people, places
    ):
        """The tab's badge counts error messages: two problems, two messages."""
        steel, jakarta = places["steel"], places["jakarta"]
        data = release_data(
            sectors=[{"sector": steel.pk}, {"sector": steel.pk}],
            regions=[{"region": jakarta.pk}, {"region": jakarta.pk}],
        )
        response = self.post(admin_client, newsroom, data)
        assert list(response.context["form"].non_field_errors()) == [
            f"Sectors: {steel} is listed twice; list it once.",
            f"Regions: {jakarta} is listed twice; list it once.",
        ]
        relations = BeautifulSoup(response.content, "html.parser").select_one(
            "#tab-relations"
        )
        assert [
            m.get_text(" ", strip=True) for m in relations.select(".error-message")
        ] == [
            f"{steel} is already chosen above: remove this row.",
            f"{jakarta} is already chosen above: remove this row.",
        ]
        assert b"Please correct the duplicate" not in response.content

    def test_a_body_error_names_its_block(self, admin_client, newsroom, people, places):
        data = release_data(
            body=streamfield(
                [("quote", {"text": "", "official": "", "attribution": ""})]
            )
        )
        response = self.post(admin_client, newsroom, data)
        messages = [str(m) for m in response.context["form"].errors["body"]]
        assert messages and "StreamBlock" not in messages[0]
        assert "block 1 (Quote)" in messages[0]
        assert "text: This field is required" in messages[0]
