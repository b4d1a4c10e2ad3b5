"""The content model: appointments and roles, release validation, figures, trees."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from newsroom.models import (
    RESERVED_SLUGS,
    Appointment,
    Correction,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    Sector,
)
from newsroom.models.blocks import KeyFigureBlock, format_figure
from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    SectorFactory,
    TopicFactory,
    key_figures_block,
    make_official,
    make_release,
)

D = datetime.date
SECRETARY_GENERAL = "Secretary General, Ministry of Industry"


@pytest.fixture
def eko(db):
    """Director General until 2019, then Secretary General from 2020 on."""
    return make_official(
        "Eko S.A. Cahyanto",
        [
            ("Director General", "Ministry of Industry", "2015-03-01", "2019-12-31"),
            ("Secretary General", "Ministry of Industry", "2020-01-01", None),
        ],
    )


# --- officials and appointments -----------------------------------------------


class TestAppointments:
    def test_role_follows_the_appointment_of_the_day(self, eko):
        assert eko.role_on(D(2014, 12, 31)) == ""
        assert eko.appointment_on(D(2014, 12, 31)) is None
        assert eko.role_on(D(2015, 3, 1)) == "Director General, Ministry of Industry"
        assert eko.role_on(D(2019, 12, 31)) == "Director General, Ministry of Industry"
        assert eko.role_on(D(2020, 1, 1)) == SECRETARY_GENERAL
        assert eko.role_on(D(2024, 9, 27)) == SECRETARY_GENERAL

    def test_appointment_on_returns_the_appointment(self, eko):
        appointment = eko.appointment_on(D(2024, 9, 27))
        assert isinstance(appointment, Appointment)
        assert appointment.position == "Secretary General"
        assert appointment.organisation.name == "Ministry of Industry"
        assert str(appointment) == SECRETARY_GENERAL

    def test_open_ended_appointment_covers_today(self, eko):
        assert eko.appointment_on(None).position == "Secretary General"

    def test_gap_between_appointments_has_no_role(self, db):
        official = make_official(
            "Gap Official",
            [
                ("Director", "Agency A", "2018-01-01", "2018-06-30"),
                ("Adviser", "Agency B", "2019-01-01", None),
            ],
        )
        assert official.role_on(D(2018, 10, 1)) == ""
        assert official.role_on(D(2019, 1, 1)) == "Adviser, Agency B"

    def test_overlapping_appointments_take_the_latest_start(self, db):
        official = make_official(
            "Busy Official",
            [
                ("Director", "Agency A", "2018-01-01", None),
                ("Acting Secretary General", "Ministry X", "2021-05-01", "2021-12-31"),
            ],
        )
        assert official.role_on(D(2021, 6, 1)) == "Acting Secretary General, Ministry X"
        assert official.role_on(D(2022, 1, 1)) == "Director, Agency A"

    def test_role_without_organisation_is_the_position(self, db):
        official = OfficialFactory(name="Spokesperson")
        Appointment.objects.create(
            official=official, position="Spokesperson", start_date=D(2020, 1, 1)
        )
        assert official.role_on(D(2024, 1, 1)) == "Spokesperson"

    def test_a_new_appointment_changes_the_role_from_its_start(self, eko):
        eko.appointments.filter(position="Secretary General").update(
            end_date=D(2024, 10, 20)
        )
        Appointment.objects.create(
            official=eko,
            position="Minister",
            organisation=Organisation.objects.get(name="Ministry of Industry"),
            start_date=D(2024, 10, 21),
        )
        eko = Official.objects.get(pk=eko.pk)
        assert eko.role_on(D(2024, 10, 20)) == SECRETARY_GENERAL
        assert eko.role_on(D(2024, 10, 21)) == "Minister, Ministry of Industry"

    def test_appointment_cannot_end_before_it_starts(self, eko):
        appointment = Appointment(
            official=eko,
            position="Adviser",
            start_date=D(2024, 5, 1),
            end_date=D(2024, 4, 30),
        )
        with pytest.raises(ValidationError) as error:
            appointment.full_clean()
        assert "end_date" in error.value.message_dict

    def test_one_day_appointment_is_valid(self, eko):
        appointment = Appointment(
            official=eko,
            position="Acting Minister",
            start_date=D(2024, 5, 1),
            end_date=D(2024, 5, 1),
        )
        appointment.full_clean()
        assert appointment.covers(D(2024, 5, 1))
        assert not appointment.covers(D(2024, 5, 2))

    def test_official_slug_display_name_and_url(self, db):
        official = Official.objects.create(name="Agus Gumiwang Kartasasmita")
        official.honorific = "H.E."
        assert official.slug == "agus-gumiwang-kartasasmita"
        assert official.display_name == "H.E. Agus Gumiwang Kartasasmita"
        assert official.get_absolute_url() == (
            "/news/officials/agus-gumiwang-kartasasmita/"
        )


# --- the release's own validation -----------------------------------------------


@pytest.fixture
def release(newsroom):
    return make_release("Steel talks in Jakarta", release_date=D(2024, 9, 27))


def assert_invalid(page, field):
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert field in error.value.message_dict, error.value.message_dict
    return error.value.message_dict[field]


class TestReleaseValidation:
    def test_a_valid_release_passes(self, release):
        release.event_date = D(2024, 9, 25)
        release.full_clean()

    def test_event_on_the_release_date_is_fine(self, release):
        release.event_date = release.release_date
        release.full_clean()

    def test_event_date_after_release_date_is_an_error_on_event_date(self, release):
        release.event_date = D(2024, 9, 28)
        messages = assert_invalid(release, "event_date")
        assert "after the release date" in messages[0]

    def test_reserved_slugs_are_the_newsroom_routes(self):
        assert RESERVED_SLUGS == {
            "feed",
            "officials",
            "sectors",
            "regions",
            "organisations",
            "topics",
            "regulations",
            "export.csv",
            "contacts",
            "figures",
        }

    @pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
    def test_reserved_slug_is_rejected(self, release, slug):
        release.slug = slug
        assert_invalid(release, "slug")

    @pytest.mark.parametrize("slug", ["feed", "officials", "topics"])
    def test_reserved_slug_cannot_be_created(self, newsroom, slug):
        page = PressReleasePage(
            title="Reserved", slug=slug, standfirst="S", release_date=D(2024, 9, 27)
        )
        with pytest.raises(ValidationError) as error:
            newsroom.add_child(instance=page)
        assert "slug" in error.value.message_dict
        assert not PressReleasePage.objects.filter(slug=slug).exists()

    def test_slug_that_merely_contains_a_reserved_word_is_fine(self, release):
        release.slug = "feedstock-for-smelters"
        release.full_clean()

    def test_withdrawn_needs_a_public_reason(self, release):
        release.withdrawn = True
        release.withdrawal_reason = "   "
        assert_invalid(release, "withdrawal_reason")

    def test_withdrawn_with_reason_gets_a_date(self, release):
        release.withdrawn = True
        release.withdrawal_reason = "Issued in error."
        release.full_clean()
        assert release.withdrawn_on == datetime.date.today()

    def test_withdrawn_keeps_an_explicit_date(self, release):
        release.withdrawn = True
        release.withdrawal_reason = "Issued in error."
        release.withdrawn_on = D(2024, 10, 1)
        release.full_clean()
        assert release.withdrawn_on == D(2024, 10, 1)


# --- the role recorded on a release -----------------------------------------------


class TestReleaseOfficialRole:
    def test_blank_role_is_filled_from_the_appointment_on_the_release_date(
        self, release, eko
    ):
        link = ReleaseOfficial(page=release, official=eko, role="")
        link.clean()
        assert link.role == SECRETARY_GENERAL

    def test_role_uses_the_release_date_not_today(self, newsroom, eko):
        old = make_release("An old release", release_date=D(2018, 5, 2))
        link = ReleaseOfficial(page=old, official=eko)
        link.clean()
        assert link.role == "Director General, Ministry of Industry"

    def test_explicit_role_is_kept(self, release, eko):
        link = ReleaseOfficial(page=release, official=eko, role="Acting spokesperson")
        link.clean()
        assert link.role == "Acting spokesperson"

    def test_official_without_appointment_keeps_a_blank_role(self, release):
        link = ReleaseOfficial(page=release, official=OfficialFactory(), role="")
        link.clean()
        assert link.role == ""

    def test_a_reshuffle_does_not_rewrite_old_releases(self, newsroom, eko):
        link = ReleaseOfficial(official=eko, role="")
        page = make_release("Before the reshuffle", release_date=D(2024, 9, 27))
        link.page = page
        link.clean()
        link.save()

        # The reshuffle: Eko becomes Minister from 21 October 2024.
        eko.appointments.filter(end_date__isnull=True).update(end_date=D(2024, 10, 20))
        Appointment.objects.create(
            official=eko,
            position="Minister",
            organisation=Organisation.objects.get(name="Ministry of Industry"),
            start_date=D(2024, 10, 21),
        )
        # Re-saving the old release keeps the title of the day.
        page = PressReleasePage.objects.get(pk=page.pk)
        page.save_revision().publish()
        stored = ReleaseOfficial.objects.get(page=page, official=eko)
        assert stored.role == SECRETARY_GENERAL

        newer = make_release("After the reshuffle", release_date=D(2024, 11, 1))
        new_link = ReleaseOfficial(page=newer, official=Official.objects.get(pk=eko.pk))
        new_link.clean()
        assert new_link.role == "Minister, Ministry of Industry"

    def test_str_shows_the_role(self, release, eko):
        assert str(ReleaseOfficial(page=release, official=eko, role="SG")) == (
            "Eko S.A. Cahyanto — SG"
        )
        assert str(ReleaseOfficial(page=release, official=eko)) == "Eko S.A. Cahyanto"


# --- key figures --------------------------------------------------------------


class TestKeyFigures:
    @pytest.mark.parametrize(
        ("value", "unit", "is_currency", "expected"),
        [
            (Decimal("1200000000"), "USD", True, "USD 1.2 billion"),
            (Decimal("1200000000.00"), "USD", True, "USD 1.2 billion"),
            (500, "MW", False, "500 MW"),
            (Decimal("500.00"), "MW", False, "500 MW"),
            (3000, "jobs", False, "3,000 jobs"),
            (Decimal("3000.00"), "jobs", False, "3,000 jobs"),
            (Decimal("1500000"), "IDR", True, "IDR 1.5 million"),
            (Decimal("2500000000000"), "USD", True, "USD 2.5 trillion"),
            (Decimal("1234.5"), "tonnes", False, "1,234.5 tonnes"),
            (Decimal("1000000"), "", False, "1 million"),
            (42, "", False, "42"),
            ("750000", "tonnes per year", False, "750,000 tonnes per year"),
        ],
    )
    def test_format_figure(self, value, unit, is_currency, expected):
        assert format_figure(value, unit, is_currency) == expected

    def test_format_nothing(self):
        assert format_figure(None, "USD", True) == ""

    def test_block_formats_its_value(self):
        block = KeyFigureBlock()
        value = block.to_python(
            {"value": "1200000000", "unit": "USD", "is_currency": True, "label": "x"}
        )
        assert block.formatted(value) == "USD 1.2 billion"

    def test_key_figures_lists_every_figure_in_body_order(self, newsroom):
        release = make_release(
            "Investment in Morowali",
            body=[
                {"type": "paragraph", "value": "<p>Intro.</p>"},
                key_figures_block(
                    (Decimal("1200000000"), "USD", True, "investment"),
                    (500, "MW", False, "solar capacity"),
                ),
                {"type": "paragraph", "value": "<p>More.</p>"},
                key_figures_block((3000, "jobs", False, "jobs created")),
            ],
        )
        release = PressReleasePage.objects.get(pk=release.pk)
        figures = release.key_figures()
        assert [figure["label"] for figure in figures] == [
            "investment",
            "solar capacity",
            "jobs created",
        ]
        assert [
            format_figure(f["value"], f["unit"], f["is_currency"]) for f in figures
        ] == ["USD 1.2 billion", "500 MW", "3,000 jobs"]

    def test_release_without_figures(self, release):
        assert release.key_figures() == []


# --- organisations ----------------------------------------------------------------


class TestOrganisation:
    def test_parent_chain_is_valid(self, db):
        ministry = OrganisationFactory(name="Ministry of Industry")
        directorate = OrganisationFactory(name="Directorate General", parent=ministry)
        directorate.full_clean()
        assert list(ministry.children.all()) == [directorate]

    def test_cannot_be_its_own_parent(self, db):
        ministry = OrganisationFactory(name="Ministry of Industry")
        ministry.parent = ministry
        with pytest.raises(ValidationError) as error:
            ministry.full_clean()
        assert "parent" in error.value.message_dict

    def test_parent_loop_is_rejected(self, db):
        a = OrganisationFactory(name="A")
        b = OrganisationFactory(name="B", parent=a)
        c = OrganisationFactory(name="C", parent=b)
        a.parent = c
        with pytest.raises(ValidationError) as error:
            a.full_clean()
        assert "parent" in error.value.message_dict

    def test_existing_loop_elsewhere_does_not_hang(self, db):
        x = OrganisationFactory(name="X")
        y = OrganisationFactory(name="Y", parent=x)
        Organisation.objects.filter(pk=x.pk).update(parent=y)  # bad data in the DB
        newcomer = Organisation(name="Newcomer", slug="newcomer", parent=y)
        newcomer.full_clean()

    def test_slug_str_and_url(self, db):
        org = Organisation.objects.create(
            name="Ministry of Industry and Information Technology", acronym="MIIT"
        )
        assert org.slug == "ministry-of-industry-and-information-technology"
        assert str(org) == "Ministry of Industry and Information Technology (MIIT)"
        assert org.get_absolute_url() == f"/news/organisations/{org.slug}/"


# --- trees ---------------------------------------------------------------------


class TestTrees:
    @pytest.fixture
    def metals(self, db):
        metals = SectorFactory(name="Basic Metals", code="C24")
        steel = SectorFactory(name="Steel", parent=metals)
        SectorFactory(name="Stainless Steel", parent=steel)
        SectorFactory(name="Nickel Smelting", parent=metals)
        SectorFactory(name="Food and Beverages")
        return metals

    def test_get_tree_lists_a_subtree_in_order(self, metals):
        names = [node.name for node in Sector.get_tree(metals)]
        assert names == ["Basic Metals", "Nickel Smelting", "Steel", "Stainless Steel"]
        assert len(Sector.get_tree()) == 5

    def test_label_with_ancestors(self, metals):
        stainless = Sector.objects.get(name="Stainless Steel")
        assert (
            stainless.label_with_ancestors == "Basic Metals > Steel > Stainless Steel"
        )
        assert metals.label_with_ancestors == "Basic Metals"

    def test_indented_name(self, metals):
        stainless = Sector.objects.get(name="Stainless Steel")
        assert stainless.indented_name == "\u2003\u2003Stainless Steel"
        assert metals.indented_name == "Basic Metals"

    def test_subtree_ids(self, metals):
        steel = Sector.objects.get(name="Steel")
        stainless = Sector.objects.get(name="Stainless Steel")
        assert set(steel.subtree_ids()) == {steel.pk, stainless.pk}

    def test_slug_from_name_and_url(self, db):
        node = Sector.add_root(instance=Sector(name="Green Industry"))
        assert node.slug == "green-industry"
        assert node.get_absolute_url() == "/news/sectors/green-industry/"

    def test_regions_three_levels(self, db):
        indonesia = RegionFactory(name="Indonesia", kind="country", iso_code="ID")
        sulawesi = RegionFactory(
            name="Central Sulawesi", parent=indonesia, kind="province", iso_code="ID-ST"
        )
        morowali = RegionFactory(name="Morowali Regency", parent=sulawesi)
        assert morowali.depth == 3
        assert morowali.label_with_ancestors == (
            "Indonesia > Central Sulawesi > Morowali Regency"
        )
        assert [r.name for r in Region.get_tree(indonesia)] == [
            "Indonesia",
            "Central Sulawesi",
            "Morowali Regency",
        ]
        assert morowali.get_absolute_url() == "/news/regions/morowali-regency/"

    def test_topic_url(self, db):
        topic = TopicFactory(name="green industry")
        assert topic.get_absolute_url() == "/news/topics/green-industry/"


# --- release relations ---------------------------------------------------------


def test_release_relation_helpers(newsroom, eko):
    steel = SectorFactory(name="Steel")
    jakarta = RegionFactory(name="Jakarta")
    ministry = Organisation.objects.get(name="Ministry of Industry")
    release = make_release(
        "Relations",
        officials=[(eko, "SG", True)],
        sectors=[steel],
        regions=[jakarta],
        organisations=[ministry],
        topics=[TopicFactory(name="nickel")],
    )
    release = PressReleasePage.objects.get(pk=release.pk)
    assert release.officials == [eko]
    assert release.sectors == [steel]
    assert release.regions == [jakarta]
    assert release.organisations == [ministry]
    assert [t.name for t in release.topics.all()] == ["nickel"]


def test_last_updated_is_the_latest_correction(release):
    assert release.last_updated is None
    first = Correction.objects.create(
        page=release,
        date=datetime.datetime(2024, 10, 2, 9, tzinfo=datetime.UTC),
        note="Corrected a figure.",
    )
    second = Correction.objects.create(
        page=release,
        date=datetime.datetime(2024, 10, 5, 9, tzinfo=datetime.UTC),
        note="Added a photo.",
    )
    release = PressReleasePage.objects.get(pk=release.pk)
    assert release.last_updated == second.date
    assert str(first).startswith("2024-10-02: Corrected")
