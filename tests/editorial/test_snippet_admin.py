"""The taxonomy and people snippets, their chooser, and the admin release listing."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    Appointment,
    Official,
    Organisation,
    Region,
    Regulation,
    Sector,
    Topic,
)
from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_official,
    make_release,
    no_translations,
)


def snippet_url(model, action="list", pk=None):
    name = f"wagtailsnippets_newsroom_{model}:{action}"
    return reverse(name, args=[pk] if pk is not None else [])


def row_texts(response, name):
    """The text of each cell of the listing row whose text contains ``name``."""
    soup = BeautifulSoup(response.content, "html.parser")
    for row in soup.select("table tbody tr"):
        if name in row.get_text(" ", strip=True):
            return [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    raise AssertionError(f"no row for {name!r}")


def field_errors(response, field):
    return response.context["form"].errors.get(field)


# --- officials ------------------------------------------------------------------


def official_data(name="Eko S.A. Cahyanto", slug="eko-sa-cahyanto", appointments=()):
    return nested_form_data(
        {
            "honorific": "Dr.",
            "name": name,
            "slug": slug,
            "portrait": "",
            "bio": "Secretary General of the Ministry of Industry.",
            "appointments": inline_formset(
                [{**item, "translations": inline_formset([])} for item in appointments]
            ),
            "translations": inline_formset([]),
        }
    )


class TestOfficials:
    def test_list_with_release_counts(self, admin_client, newsroom):
        eko = OfficialFactory(name="Eko S.A. Cahyanto")
        OfficialFactory(name="Wang Jiangping")
        make_release("One", officials=[eko])
        make_release("Two", officials=[eko])
        response = admin_client.get(snippet_url("official"))
        assert response.status_code == 200
        assert "2" in row_texts(response, "Eko S.A. Cahyanto")
        assert "0" in row_texts(response, "Wang Jiangping")

    def test_create_with_appointments(self, admin_client, db):
        ministry = OrganisationFactory(name="Ministry of Industry")
        data = official_data(
            appointments=[
                {
                    "position": "Director General",
                    "organisation": ministry.pk,
                    "start_date": "2015-03-01",
                    "end_date": "2019-12-31",
                },
                {
                    "position": "Secretary General",
                    "organisation": ministry.pk,
                    "start_date": "2020-01-01",
                    "end_date": "",
                },
            ]
        )
        response = admin_client.post(snippet_url("official", "add"), data)
        assert response.status_code == 302, response.context["form"].errors
        official = Official.objects.get(slug="eko-sa-cahyanto")
        assert official.display_name == "Dr. Eko S.A. Cahyanto"
        assert official.appointments.count() == 2
        assert official.role_on(datetime.date(2024, 9, 27)) == (
            "Secretary General, Ministry of Industry"
        )
        assert official.role_on(datetime.date(2018, 1, 1)) == (
            "Director General, Ministry of Industry"
        )
        # Entered oldest first, the form lists them newest first once saved.
        form = admin_client.get(snippet_url("official", "edit", official.pk))
        formset = form.context["form"].formsets["appointments"]
        assert [f.instance.position for f in formset.forms] == [
            "Secretary General",
            "Director General",
        ]

    def test_appointment_ending_before_it_starts_is_a_form_error(
        self, admin_client, db
    ):
        data = official_data(
            appointments=[
                {
                    "position": "Adviser",
                    "organisation": "",
                    "start_date": "2024-05-01",
                    "end_date": "2024-04-01",
                }
            ]
        )
        response = admin_client.post(snippet_url("official", "add"), data)
        assert response.status_code == 200
        formset = response.context["form"].formsets["appointments"]
        assert "end_date" in formset.forms[0].errors
        assert not Official.objects.exists()

    def test_duplicate_slug_is_a_form_error(self, admin_client, db):
        OfficialFactory(name="Eko S.A. Cahyanto", slug="eko-sa-cahyanto")
        response = admin_client.post(snippet_url("official", "add"), official_data())
        assert response.status_code == 200
        assert field_errors(response, "slug")
        assert Official.objects.count() == 1

    def test_edit_adds_an_appointment(self, admin_client, db):
        official = make_official(
            "Agus Gumiwang Kartasasmita",
            [("Minister of Industry", "Ministry of Industry", "2019-10-23", None)],
        )
        existing = official.appointments.get()
        data = official_data(
            name=official.name,
            slug=official.slug,
            appointments=[
                {
                    "id": existing.pk,
                    "position": existing.position,
                    "organisation": existing.organisation_id,
                    "start_date": "2019-10-23",
                    "end_date": "2024-10-20",
                },
                {
                    "id": "",
                    "position": "Minister of Industry (second term)",
                    "organisation": existing.organisation_id,
                    "start_date": "2024-10-21",
                    "end_date": "",
                },
            ],
        )
        data["appointments-INITIAL_FORMS"] = "1"
        edit = snippet_url("official", "edit", official.pk)
        assert admin_client.get(edit).status_code == 200
        response = admin_client.post(edit, data)
        assert response.status_code == 302, response.context["form"].errors
        official = Official.objects.get(pk=official.pk)
        assert official.appointments.count() == 2
        assert official.role_on(datetime.date(2024, 11, 1)) == (
            "Minister of Industry (second term), Ministry of Industry"
        )
        assert Appointment.objects.get(pk=existing.pk).end_date == datetime.date(
            2024, 10, 20
        )

    @pytest.mark.parametrize(
        ("query", "found"),
        [("Cahy", True), ("cahyanto", True), ("Eko", True), ("Jiang", False)],
    )
    def test_chooser_finds_officials_by_partial_name(
        self, admin_client, db, query, found
    ):
        OfficialFactory(name="Eko S.A. Cahyanto")
        OfficialFactory(name="Agus Gumiwang Kartasasmita")
        url = reverse("wagtailsnippetchoosers_newsroom_official:choose_results")
        response = admin_client.get(url, {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        assert ("Eko S.A. Cahyanto" in html) is found
        assert "Agus Gumiwang Kartasasmita" not in html

    def test_chooser_opens(self, admin_client, db):
        OfficialFactory(name="Eko S.A. Cahyanto")
        url = reverse("wagtailsnippetchoosers_newsroom_official:choose")
        assert url == "/admin/snippets/choose/newsroom/official/"
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "Eko S.A. Cahyanto" in response.json()["html"]


# --- searching the snippet listings ------------------------------------------------


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        pytest.param("official", OfficialFactory),
        pytest.param("organisation", OrganisationFactory),
        pytest.param("sector", SectorFactory),
        pytest.param("region", RegionFactory),
        pytest.param("topic", TopicFactory),
    ],
)
def test_listing_search(admin_client, db, model, factory):
    factory(name="Wang Jiangping")
    factory(name="Eko Cahyanto")
    response = admin_client.get(snippet_url(model), {"q": "Wang"})
    assert response.status_code == 200
    assert b"Wang Jiangping" in response.content
    assert b"Eko Cahyanto" not in response.content


# --- organisations --------------------------------------------------------------


def organisation_data(**fields):
    data = {
        "name": "Ministry of Industry",
        "acronym": "Kemenperin",
        "slug": "ministry-of-industry",
        "kind": "ministry",
        "country": "Indonesia",
        "parent": "",
        "website": "https://kemenperin.go.id/",
        **no_translations(),
        **no_translations("default_contacts"),
    }
    data.update(fields)
    return data


class TestOrganisations:
    def test_create(self, admin_client, db):
        response = admin_client.post(
            snippet_url("organisation", "add"), organisation_data()
        )
        assert response.status_code == 302
        org = Organisation.objects.get(slug="ministry-of-industry")
        assert (org.acronym, org.kind, org.country) == (
            "Kemenperin",
            "ministry",
            "Indonesia",
        )

    def test_create_with_parent_and_edit(self, admin_client, db):
        ministry = OrganisationFactory(name="Ministry of Industry")
        response = admin_client.post(
            snippet_url("organisation", "add"),
            organisation_data(
                name="Directorate General of Metal Industries",
                slug="dg-metal",
                acronym="ILMATE",
                kind="agency",
                parent=ministry.pk,
            ),
        )
        assert response.status_code == 302
        directorate = Organisation.objects.get(slug="dg-metal")
        assert directorate.parent == ministry

        edit = snippet_url("organisation", "edit", directorate.pk)
        assert admin_client.get(edit).status_code == 200
        response = admin_client.post(
            edit,
            organisation_data(
                name="Directorate General of Metal Industries",
                slug="dg-metal",
                acronym="ILMATE",
                kind="agency",
                parent="",
                website="",
            ),
        )
        assert response.status_code == 302
        directorate.refresh_from_db()
        assert directorate.parent is None
        assert directorate.website == ""

    def test_parent_loop_is_a_form_error(self, admin_client, db):
        ministry = OrganisationFactory(name="Ministry of Industry")
        directorate = OrganisationFactory(name="Directorate", parent=ministry)
        response = admin_client.post(
            snippet_url("organisation", "edit", ministry.pk),
            organisation_data(slug=ministry.slug, parent=directorate.pk),
        )
        assert response.status_code == 200
        assert field_errors(response, "parent")
        ministry.refresh_from_db()
        assert ministry.parent is None

    def test_list_with_release_counts(self, admin_client, newsroom):
        ministry = OrganisationFactory(name="Ministry of Industry", acronym="MoI")
        OrganisationFactory(name="Idle Association")
        make_release("One", organisations=[ministry])
        response = admin_client.get(snippet_url("organisation"))
        assert response.status_code == 200
        assert "1" in row_texts(response, "Ministry of Industry")
        assert "0" in row_texts(response, "Idle Association")


# --- sectors and regions: trees through the "parent" field ------------------------


class TestSectorTree:
    def post_sector(self, client, name, slug, parent="", pk=None, code=""):
        url = snippet_url("sector", "edit", pk) if pk else snippet_url("sector", "add")
        data = {
            "name": name,
            "slug": slug,
            "parent": parent,
            "code": code,
            "description": "",
            **no_translations(),
        }
        return client.post(url, data)

    def test_create_root_and_child(self, admin_client, db):
        response = self.post_sector(admin_client, "Basic Metals", "basic-metals")
        assert response.status_code == 302
        metals = Sector.objects.get(slug="basic-metals")
        assert metals.is_root()

        response = self.post_sector(
            admin_client, "Steel", "steel", parent=metals.pk, code="C2410"
        )
        assert response.status_code == 302
        steel = Sector.objects.get(slug="steel")
        assert steel.get_parent() == metals
        assert steel.code == "C2410"
        assert steel.label_with_ancestors == "Basic Metals > Steel"
        metals.refresh_from_db()
        assert metals.numchild == 1

    def test_add_form_lists_parents_indented(self, admin_client, db):
        metals = SectorFactory(name="Basic Metals")
        SectorFactory(name="Steel", parent=metals)
        response = admin_client.get(snippet_url("sector", "add"))
        assert response.status_code == 200
        assert "\u2003Steel" in response.content.decode()

    def test_edit_form_shows_the_current_parent(self, admin_client, db):
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Steel", parent=metals)
        response = admin_client.get(snippet_url("sector", "edit", steel.pk))
        assert response.status_code == 200
        assert response.context["form"].initial["parent"] == metals

    def test_move_a_node_with_its_children(self, admin_client, db):
        metals = SectorFactory(name="Basic Metals")
        energy = SectorFactory(name="Energy")
        steel = SectorFactory(name="Steel", parent=metals)
        SectorFactory(name="Stainless Steel", parent=steel)

        response = self.post_sector(
            admin_client, "Steel", "steel", parent=energy.pk, pk=steel.pk
        )
        assert response.status_code == 302
        steel = Sector.objects.get(pk=steel.pk)
        assert steel.get_parent() == energy
        stainless = Sector.objects.get(slug="stainless-steel")
        assert stainless.label_with_ancestors == "Energy > Steel > Stainless Steel"
        energy.refresh_from_db()
        assert [s.name for s in Sector.get_tree(energy)] == [
            "Energy",
            "Steel",
            "Stainless Steel",
        ]
        assert Sector.get_tree(Sector.objects.get(pk=metals.pk)).count() == 1
        assert Sector.find_problems() == ([], [], [], [], [])

    def test_move_to_the_top_level(self, admin_client, db):
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Steel", parent=metals)
        response = self.post_sector(admin_client, "Steel", "steel", pk=steel.pk)
        assert response.status_code == 302
        assert Sector.objects.get(pk=steel.pk).is_root()
        assert Sector.find_problems() == ([], [], [], [], [])

    def test_rename_keeps_the_place(self, admin_client, db):
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Steel", parent=metals)
        response = self.post_sector(
            admin_client, "Steel and iron", "steel", parent=metals.pk, pk=steel.pk
        )
        assert response.status_code == 302
        steel = Sector.objects.get(pk=steel.pk)
        assert steel.name == "Steel and iron"
        assert steel.get_parent() == metals

    @pytest.mark.parametrize("target", ["self", "child", "grandchild"])
    def test_cannot_move_under_itself_or_a_descendant(self, admin_client, db, target):
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Steel", parent=metals)
        stainless = SectorFactory(name="Stainless Steel", parent=steel)
        parent = {"self": metals, "child": steel, "grandchild": stainless}[target]
        response = self.post_sector(
            admin_client, "Basic Metals", "basic-metals", parent=parent.pk, pk=metals.pk
        )
        assert response.status_code == 200
        assert field_errors(response, "parent")
        assert Sector.objects.get(pk=metals.pk).is_root()
        assert Sector.find_problems() == ([], [], [], [], [])

    def test_sibling_with_a_common_prefix_is_not_a_descendant(self, admin_client, db):
        # Paths of siblings share no prefix with each other, but check the guard
        # does not confuse a node with the next one along.
        first = SectorFactory(name="A sector")
        second = SectorFactory(name="B sector")
        response = self.post_sector(
            admin_client, "A sector", "a-sector", parent=second.pk, pk=first.pk
        )
        assert response.status_code == 302
        assert Sector.objects.get(pk=first.pk).get_parent() == second

    def test_list_shows_paths_and_counts(self, admin_client, newsroom):
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Steel", parent=metals, code="C2410")
        make_release("One", sectors=[steel])
        make_release("Two", sectors=[steel, metals])
        response = admin_client.get(snippet_url("sector"))
        assert response.status_code == 200
        cells = row_texts(response, "Basic Metals > Steel")
        assert "2" in cells
        assert "C2410" in cells


class TestTreeListingsOpenTheirEntries:
    """Each row of the sectors' and regions' lists links to its edit form and
    carries the row's actions, for every role that may change the entries."""

    @pytest.fixture(params=["admin_client", "editor_client", "moderator_client"])
    def user_client(self, request):
        return request.getfixturevalue(request.param)

    @pytest.mark.parametrize("model", ["sector", "region"])
    def test_rows_link_to_their_edit_forms(self, user_client, db, model):
        factory = {"sector": SectorFactory, "region": RegionFactory}[model]
        parent = factory(name="Indonesia")
        child = factory(name="Central Sulawesi", parent=parent)
        response = user_client.get(snippet_url(model))
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        row = next(
            row
            for row in soup.select("table tbody tr")
            if "Indonesia > Central Sulawesi" in row.get_text(" ", strip=True)
        )
        edit_url = snippet_url(model, "edit", child.pk)
        title_link = row.select_one("td a[href]")
        assert title_link["href"] == edit_url
        assert title_link.get_text(strip=True) == "Indonesia > Central Sulawesi"
        assert row.select_one("[data-controller~='w-dropdown']") is not None
        header = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
        assert "Name" in header
        # The link leads to a working form.
        form = user_client.get(title_link["href"])
        assert form.status_code == 200
        assert form.context["form"].instance == child

    @pytest.mark.parametrize("model", ["sector", "region"])
    def test_no_edit_link_without_the_change_permission(self, client, db, model):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Permission

        viewer = get_user_model().objects.create_user("viewer", password="pw")
        viewer.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename=f"view_{model}"),
        )
        client.force_login(viewer)
        factory = {"sector": SectorFactory, "region": RegionFactory}[model]
        node = factory(name="Only seen")
        response = client.get(snippet_url(model))
        assert response.status_code == 200
        assert snippet_url(model, "edit", node.pk) not in response.content.decode()


class TestDeletingTreeNodes:
    def test_unused_node_is_deleted(self, admin_client, db):
        steel = SectorFactory(name="Steel")
        response = admin_client.post(snippet_url("sector", "delete", steel.pk))
        assert response.status_code == 302
        assert not Sector.objects.exists()

    def test_node_used_by_a_release_is_kept(self, admin_client, newsroom):
        steel = SectorFactory(name="Steel")
        make_release("Uses steel", sectors=[steel])
        url = snippet_url("sector", "delete", steel.pk)
        assert admin_client.get(url).status_code == 200
        response = admin_client.post(url)
        assert response.status_code in (200, 302)
        assert Sector.objects.filter(pk=steel.pk).exists()

    @pytest.mark.parametrize("model", ["sector", "region"])
    def test_node_whose_child_is_used_is_kept(self, admin_client, newsroom, model):
        factory = {"sector": SectorFactory, "region": RegionFactory}[model]
        parent = factory(name="Parent")
        child = factory(name="Child", parent=parent)
        make_release("Uses the child", **{f"{model}s": [child]})
        response = admin_client.post(snippet_url(model, "delete", parent.pk))
        assert response.status_code in (200, 302)
        assert type(parent).objects.filter(pk=parent.pk).exists()


class TestRegionTree:
    def test_three_levels_and_a_move(self, admin_client, db):
        add = snippet_url("region", "add")
        for name, slug, parent, kind, iso in [
            ("Indonesia", "indonesia", None, "country", "ID"),
            ("Central Sulawesi", "central-sulawesi", "indonesia", "province", "ID-ST"),
            ("Morowali Regency", "morowali-regency", "central-sulawesi", "regency", ""),
            ("China", "china", None, "country", "CN"),
        ]:
            parent_pk = Region.objects.get(slug=parent).pk if parent else ""
            response = admin_client.post(
                add,
                {
                    "name": name,
                    "slug": slug,
                    "parent": parent_pk,
                    "kind": kind,
                    "iso_code": iso,
                    **no_translations(),
                },
            )
            assert response.status_code == 302
        morowali = Region.objects.get(slug="morowali-regency")
        assert morowali.depth == 3
        assert morowali.label_with_ancestors == (
            "Indonesia > Central Sulawesi > Morowali Regency"
        )
        assert Region.objects.get(slug="central-sulawesi").iso_code == "ID-ST"

        # Moving a province takes its regency along.
        sulawesi = Region.objects.get(slug="central-sulawesi")
        china = Region.objects.get(slug="china")
        response = admin_client.post(
            snippet_url("region", "edit", sulawesi.pk),
            {
                "name": "Central Sulawesi",
                "slug": "central-sulawesi",
                "parent": china.pk,
                "kind": "province",
                "iso_code": "ID-ST",
                **no_translations(),
            },
        )
        assert response.status_code == 302
        assert Region.objects.get(slug="morowali-regency").label_with_ancestors == (
            "China > Central Sulawesi > Morowali Regency"
        )

    def test_cannot_move_a_country_into_its_regency(self, admin_client, db):
        indonesia = RegionFactory(name="Indonesia", kind="country")
        sulawesi = RegionFactory(name="Central Sulawesi", parent=indonesia)
        morowali = RegionFactory(name="Morowali Regency", parent=sulawesi)
        response = admin_client.post(
            snippet_url("region", "edit", indonesia.pk),
            {
                "name": "Indonesia",
                "slug": "indonesia",
                "parent": morowali.pk,
                "kind": "country",
                "iso_code": "ID",
                **no_translations(),
            },
        )
        assert response.status_code == 200
        assert field_errors(response, "parent")
        assert Region.objects.get(pk=indonesia.pk).is_root()

    def test_list_with_counts_and_filter(self, admin_client, newsroom):
        indonesia = RegionFactory(name="Indonesia", kind="country")
        jakarta = RegionFactory(name="Jakarta", parent=indonesia, kind="province")
        make_release("One", regions=[jakarta])
        response = admin_client.get(snippet_url("region"))
        assert response.status_code == 200
        assert "1" in row_texts(response, "Indonesia > Jakarta")
        response = admin_client.get(snippet_url("region"), {"kind": "country"})
        assert response.status_code == 200
        assert b"Indonesia > Jakarta" not in response.content


# --- topics -------------------------------------------------------------------


class TestTopics:
    def test_create_edit_and_list(self, admin_client, newsroom):
        response = admin_client.post(
            snippet_url("topic", "add"),
            {"name": "nickel", "slug": "nickel", **no_translations()},
        )
        assert response.status_code == 302
        topic = Topic.objects.get(slug="nickel")
        make_release("Tagged", topics=[topic])
        TopicFactory(name="cobalt")

        response = admin_client.post(
            snippet_url("topic", "edit", topic.pk),
            {"name": "nickel ore", "slug": "nickel-ore", **no_translations()},
        )
        assert response.status_code == 302
        topic.refresh_from_db()
        assert (topic.name, topic.slug) == ("nickel ore", "nickel-ore")

        response = admin_client.get(snippet_url("topic"))
        assert response.status_code == 200
        assert "1" in row_texts(response, "nickel ore")
        assert "0" in row_texts(response, "cobalt")


# --- regulations --------------------------------------------------------------


def regulation_data(**fields):
    data = {
        "type": "law",
        "number": "03",
        "year": "2020",
        "title": "Amendments to the Mineral and Coal Mining Law",
        "enacted": "2020-06-10",
        "status": "in_force",
        "url": "https://peraturan.go.id/id/uu-no-3-tahun-2020",
        **no_translations(),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


class TestRegulations:
    def test_create_names_it_from_type_number_and_year(self, admin_client, db):
        mining = RegulationFactory(type="law", number="4", year=2009)
        response = admin_client.post(
            snippet_url("regulation", "add"), regulation_data(amends=[mining.pk])
        )
        assert response.status_code == 302, response.context["form"].errors
        regulation = Regulation.objects.get(slug="law-3-2020")
        assert (regulation.number, regulation.name) == ("3", "Law No. 3 of 2020")
        assert list(regulation.amends.all()) == [mining]
        mining.refresh_from_db()
        assert mining.status == Regulation.Status.AMENDED

    def test_the_same_regulation_twice_is_a_form_error(self, admin_client, db):
        RegulationFactory(type="law", number="3", year=2020)
        response = admin_client.post(
            snippet_url("regulation", "add"), regulation_data(number="3")
        )
        assert response.status_code == 200
        assert "This regulation is in the register already." in (
            response.context["form"].non_field_errors()
        )
        assert Regulation.objects.count() == 1

    def test_amending_itself_is_a_form_error(self, admin_client, db):
        regulation = RegulationFactory(type="law", number="3", year=2020)
        response = admin_client.post(
            snippet_url("regulation", "edit", regulation.pk),
            regulation_data(number="3", amends=[regulation.pk]),
        )
        assert response.status_code == 200
        # On the field that names it, where the editor looks.
        assert response.context["form"].errors["amends"] == [
            "A regulation cannot amend or revoke itself."
        ]
        assert not regulation.amends.exists()

    def test_add_form_filled_from_a_citation(self, admin_client, db):
        response = admin_client.get(
            snippet_url("regulation", "add"),
            {"type": "government_regulation", "number": "25", "year": "2023"},
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert (form["type"].value(), form["number"].value(), form["year"].value()) == (
            "government_regulation",
            "25",
            2023,
        )
        # What it cannot read is left blank, not a server error.
        response = admin_client.get(
            snippet_url("regulation", "add"),
            {"type": "decree", "number": "x" * 100, "year": "20x3"},
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert not form["type"].value() and not form["year"].value()
        assert len(form["number"].value()) == 30

    def test_list_with_release_counts_and_filter_by_type(self, admin_client, newsroom):
        law = RegulationFactory(type="law", number="3", year=2020)
        RegulationFactory(type="presidential_regulation", number="55", year=2019)
        make_release("One", regulations=[law])
        make_release("Two", regulations=[law])
        response = admin_client.get(snippet_url("regulation"))
        assert response.status_code == 200
        assert "2" in row_texts(response, "Law No. 3 of 2020")
        assert "0" in row_texts(response, "Presidential Regulation No. 55 of 2019")
        response = admin_client.get(
            snippet_url("regulation"), {"type": "presidential_regulation"}
        )
        assert b"Presidential Regulation No. 55 of 2019" in response.content
        assert b"Law No. 3 of 2020" not in response.content

    def test_listing_search_by_name_or_title(self, admin_client, db):
        RegulationFactory(type="law", number="3", year=2020, title="Mining")
        RegulationFactory(type="law", number="7", year=2014, title="Industry")
        for query in ("Mining", "3 of 2020"):
            response = admin_client.get(snippet_url("regulation"), {"q": query})
            assert response.status_code == 200
            assert b"Law No. 3 of 2020" in response.content, query
            assert b"Law No. 7 of 2014" not in response.content, query

    def test_a_regulation_a_release_cites_is_kept(self, admin_client, newsroom):
        law = RegulationFactory(type="law", number="3", year=2020)
        make_release("Cites it", regulations=[law])
        url = snippet_url("regulation", "delete", law.pk)
        assert admin_client.get(url).status_code == 200
        response = admin_client.post(url)
        assert response.status_code in (200, 302)
        assert Regulation.objects.filter(pk=law.pk).exists()
        unused = RegulationFactory(type="law", number="7", year=2014)
        response = admin_client.post(snippet_url("regulation", "delete", unused.pk))
        assert response.status_code == 302
        assert not Regulation.objects.filter(pk=unused.pk).exists()


# --- the admin listing of releases -----------------------------------------------


@pytest.fixture(scope="module")
def _listing_world(django_db_setup, django_db_blocker):
    """Releases for the listing filters, built once for the module."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_site_tree()
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Steel", parent=metals)
        energy = SectorFactory(name="Energy")
        indonesia = RegionFactory(name="Indonesia")
        sulawesi = RegionFactory(name="Central Sulawesi", parent=indonesia)
        china = RegionFactory(name="China")
        eko = OfficialFactory(name="Eko S.A. Cahyanto")
        wang = OfficialFactory(name="Wang Jiangping")
        mining = RegulationFactory(type="law", number="4", year=2009)
        amendment = RegulationFactory(
            type="law", number="3", year=2020, amends=[mining]
        )
        make_release(
            "Steel mills meet",
            sectors=[steel],
            regions=[sulawesi],
            officials=[eko],
            regulations=[amendment],
        )
        make_release(
            "Metals review",
            sectors=[metals],
            regions=[indonesia],
            officials=[wang],
            regulations=[mining],
        )
        make_release("Energy forum", sectors=[energy], regions=[china], officials=[])
        make_release(
            "Draft steel note",
            sectors=[steel],
            officials=[eko],
            regulations=[amendment],
            live=False,
        )
        yield {
            "metals": metals,
            "steel": steel,
            "indonesia": indonesia,
            "china": china,
            "eko": eko,
            "wang": wang,
            "mining": mining,
            "amendment": amendment,
        }
        transaction.set_rollback(True)


class TestReleaseListing:
    @pytest.fixture
    def world(self, _listing_world, db):
        return _listing_world

    def titles(self, client, **params):
        response = client.get(reverse("press_releases:index"), params)
        assert response.status_code == 200
        html = response.content.decode()
        return {
            title
            for title in [
                "Steel mills meet",
                "Metals review",
                "Energy forum",
                "Draft steel note",
            ]
            if title in html
        }

    def test_url_and_everything_listed(self, admin_client, world):
        assert reverse("press_releases:index") == "/admin/press_releases/"
        assert self.titles(admin_client) == {
            "Steel mills meet",
            "Metals review",
            "Energy forum",
            "Draft steel note",
        }

    def test_filter_by_sector_includes_sub_sectors(self, admin_client, world):
        assert self.titles(admin_client, sector=world["metals"].pk) == {
            "Steel mills meet",
            "Metals review",
            "Draft steel note",
        }
        assert self.titles(admin_client, sector=world["steel"].pk) == {
            "Steel mills meet",
            "Draft steel note",
        }

    def test_filter_by_region_includes_places_inside(self, admin_client, world):
        assert self.titles(admin_client, region=world["indonesia"].pk) == {
            "Steel mills meet",
            "Metals review",
        }
        assert self.titles(admin_client, region=world["china"].pk) == {"Energy forum"}

    def test_filter_by_official(self, admin_client, world):
        assert self.titles(admin_client, official=world["eko"].pk) == {
            "Steel mills meet",
            "Draft steel note",
        }

    def test_filter_by_regulation_cited(self, admin_client, world):
        # drafts too (the admin's listing); not those citing what amends it
        assert self.titles(admin_client, regulation=world["amendment"].pk) == {
            "Steel mills meet",
            "Draft steel note",
        }
        assert self.titles(admin_client, regulation=world["mining"].pk) == {
            "Metals review"
        }
        assert self.titles(
            admin_client, q="steel", regulation=world["amendment"].pk
        ) == {"Steel mills meet", "Draft steel note"}

    def test_filters_combine(self, admin_client, world):
        assert self.titles(
            admin_client, sector=world["metals"].pk, official=world["wang"].pk
        ) == {"Metals review"}

    def test_search(self, admin_client, world):
        assert self.titles(admin_client, q="mills") == {"Steel mills meet"}

    def test_search_with_sector_and_region(self, admin_client, world):
        assert self.titles(admin_client, q="steel", sector=world["metals"].pk) == {
            "Steel mills meet",
            "Draft steel note",
        }
        assert self.titles(admin_client, q="steel", region=world["indonesia"].pk) == {
            "Steel mills meet"
        }

    def test_search_with_official(self, admin_client, world):
        assert self.titles(admin_client, q="steel", official=world["eko"].pk) == {
            "Steel mills meet",
            "Draft steel note",
        }

    def test_bad_filter_value_is_not_a_server_error(self, admin_client, world):
        response = admin_client.get(
            reverse("press_releases:index"),
            {"sector": "999999", "official": "x", "regulation": "law-3-2020"},
        )
        assert response.status_code == 200


class TestSlugFromName:
    """Issue #26 item 7: a new entry's slug is made from its name when left
    blank, a taken one is refused on the form, and the help names the entry's
    own page address."""

    def add_region(self, client, name, slug=""):
        return client.post(
            snippet_url("region", "add"),
            {
                "name": name,
                "slug": slug,
                "parent": "",
                "kind": "province",
                "iso_code": "",
                **no_translations(),
            },
        )

    def test_blank_slug_is_made_from_the_name(self, admin_client, db):
        response = self.add_region(admin_client, "Pulau Taliabu")
        assert response.status_code == 302, response.context["form"].errors
        assert Region.objects.get(name="Pulau Taliabu").slug == "pulau-taliabu"

    def test_a_taken_slug_is_refused_on_the_form(self, admin_client, db):
        assert self.add_region(admin_client, "Pulau Taliabu").status_code == 302
        response = self.add_region(admin_client, "Pulau  Taliabu")
        assert response.status_code == 200
        assert "slug" in response.context["form"].errors
        assert Region.objects.filter(name__startswith="Pulau").count() == 1

    def test_help_text_names_the_kinds_own_address(self, admin_client, db):
        page = admin_client.get(snippet_url("region", "add")).content.decode()
        assert "/news/regions/name-of-the-entry/" in page
        assert "?sector=" not in page

    def test_officials_and_organisations_too(self, admin_client, db):
        response = admin_client.post(
            snippet_url("organisation", "add"),
            organisation_data(name="Ministry of Investment", slug=""),
        )
        assert response.status_code == 302, response.context["form"].errors
        assert Organisation.objects.filter(slug="ministry-of-investment").exists()
