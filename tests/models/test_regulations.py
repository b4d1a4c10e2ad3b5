"""The register of regulations (newsroom/models/regulations.py): names and slugs
made from type, number and year, one row per regulation, the chain of amendments
and revocations, Indonesian names, and a release's citations read from its text."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale
from wagtail.rich_text import RichText

from newsroom.models import Regulation, RegulationTranslation
from newsroom.models.regulations import link_cited, read_citations
from tests.factories import RegulationFactory, make_release

pytestmark = pytest.mark.django_db


def indonesian():
    return Locale.objects.get(language_code="id")


# --- name and slug --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "number", "year", "name", "slug"),
    [
        ("law", "3", 2020, "Law No. 3 of 2020", "law-3-2020"),
        (
            "government_regulation",
            "25",
            2023,
            "Government Regulation No. 25 of 2023",
            "government-regulation-25-2023",
        ),
        (
            "minister_of_industry_regulation",
            "12",
            2024,
            "Minister of Industry Regulation No. 12 of 2024",
            "minister-of-industry-regulation-12-2024",
        ),
        (
            "presidential_regulation",
            "55",
            2019,
            "Presidential Regulation No. 55 of 2019",
            "presidential-regulation-55-2019",
        ),
    ],
)
def test_name_and_slug_are_made_from_type_number_and_year(
    type_, number, year, name, slug
):
    regulation = Regulation.objects.create(
        type=type_, number=number, year=year, title="Subject"
    )
    regulation.refresh_from_db()
    assert (regulation.type, regulation.name, regulation.slug) == (type_, name, slug)
    assert str(regulation) == name


def test_the_type_is_stored_as_its_code():
    regulation = RegulationFactory(type="government_regulation", number="96")
    assert Regulation.objects.filter(pk=regulation.pk, type="government_regulation")
    assert regulation.get_type_display() == "Government Regulation"


def test_a_number_with_leading_zeros_or_spaces_is_the_same_number():
    regulation = Regulation.objects.create(
        type="law", number=" 03 ", year=2020, title="Amendments"
    )
    assert regulation.number == "3"
    assert (regulation.name, regulation.slug) == ("Law No. 3 of 2020", "law-3-2020")
    # cleaned as the admin cleans it, too
    unsaved = Regulation(type="law", number="007", year=2014, title="Industry")
    unsaved.full_clean()
    assert (unsaved.number, unsaved.slug) == ("7", "law-7-2014")


def test_name_and_slug_follow_a_corrected_number():
    regulation = RegulationFactory(type="law", number="3", year=2020)
    regulation.number = "4"
    regulation.year = 2009
    regulation.save()
    regulation.refresh_from_db()
    assert (regulation.name, regulation.slug) == ("Law No. 4 of 2009", "law-4-2009")


# --- one row per regulation -------------------------------------------------------


@pytest.mark.parametrize("number", ["3", "03"])
def test_the_same_type_number_and_year_is_refused_clearly(number):
    RegulationFactory(type="law", number="3", year=2020)
    again = Regulation(type="law", number=number, year=2020, title="Again")
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert (
        "This regulation is in the register already."
        in (refused.value.message_dict["__all__"])
    )


def test_the_same_number_of_another_type_or_year_is_another_regulation():
    RegulationFactory(type="law", number="3", year=2020)
    for type_, year in (("government_regulation", 2020), ("law", 2021)):
        other = Regulation(type=type_, number="3", year=year, title="Other")
        other.full_clean()
        other.save()
    assert Regulation.objects.filter(number="3").count() == 3


def test_a_year_outside_the_republic_is_refused():
    for year in (1900, 2200):
        with pytest.raises(ValidationError) as refused:
            Regulation(type="law", number="1", year=year, title="x").full_clean()
        assert "year" in refused.value.message_dict


def test_an_unknown_type_is_refused():
    with pytest.raises(ValidationError) as refused:
        Regulation(type="decree", number="1", year=2020, title="x").full_clean()
    assert "type" in refused.value.message_dict


# --- the chain ------------------------------------------------------------------------


@pytest.mark.parametrize("relation", ["amends", "revokes"])
def test_a_regulation_cannot_amend_or_revoke_itself(relation):
    regulation = RegulationFactory(type="law", number="3", year=2020)
    getattr(regulation, relation).set([regulation])
    with pytest.raises(ValidationError) as refused:
        regulation.full_clean()
    assert refused.value.message_dict["__all__"] == [
        "A regulation cannot amend or revoke itself."
    ]


def test_amending_sets_the_amended_status_and_the_reverse_relation():
    mining = RegulationFactory(type="law", number="4", year=2009)
    assert mining.status == Regulation.Status.IN_FORCE
    amendment = RegulationFactory(type="law", number="3", year=2020, amends=[mining])
    mining.refresh_from_db()
    assert mining.status == Regulation.Status.AMENDED
    assert list(mining.amended_by.all()) == [amendment]
    assert list(amendment.amends.all()) == [mining]
    assert amendment.status == Regulation.Status.IN_FORCE


def test_revoking_sets_the_revoked_status_and_the_reverse_relation():
    old = RegulationFactory(type="government_regulation", number="23", year=2010)
    new = RegulationFactory(type="government_regulation", number="96", year=2021)
    new.revokes.set([old])
    new.save()
    old.refresh_from_db()
    assert old.status == Regulation.Status.REVOKED
    assert list(old.revoked_by.all()) == [new]
    assert list(new.revokes.all()) == [old]


def test_a_revoked_regulation_stays_revoked_when_amended_too():
    old = RegulationFactory(type="law", number="4", year=2009)
    RegulationFactory(type="law", number="1", year=2015, revokes=[old])
    RegulationFactory(type="law", number="3", year=2020, amends=[old])
    old.refresh_from_db()
    assert old.status == Regulation.Status.REVOKED
    assert old.amended_by.count() == old.revoked_by.count() == 1


# --- Indonesian -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "number", "year", "name"),
    [
        ("law", "3", 2020, "Undang-Undang Nomor 3 Tahun 2020"),
        (
            "government_regulation",
            "25",
            2023,
            "Peraturan Pemerintah Nomor 25 Tahun 2023",
        ),
        (
            "minister_of_industry_regulation",
            "12",
            2024,
            "Peraturan Menteri Perindustrian Nomor 12 Tahun 2024",
        ),
    ],
)
def test_the_indonesian_name_is_filled_in(type_, number, year, name):
    regulation = RegulationFactory(type=type_, number=number, year=year)
    translation = RegulationTranslation.objects.create(
        entity=regulation, locale=indonesian(), title="Perihal"
    )
    translation.refresh_from_db()
    assert translation.name == name
    assert regulation.local_name("id") == name
    assert regulation.local_name("en") == regulation.name


def test_a_translations_citation_follows_the_type_and_number():
    """Not typed by a translator: the citation in Indonesian is made as the
    English one is, and follows a corrected number."""
    regulation = RegulationFactory(type="law", number="3", year=2020)
    translation = RegulationTranslation.objects.create(
        entity=regulation, locale=indonesian(), name="UU Minerba"
    )
    assert translation.name == "Undang-Undang Nomor 3 Tahun 2020"
    regulation.number = "4"
    regulation.save()
    translation.refresh_from_db()
    assert translation.name == "Undang-Undang Nomor 4 Tahun 2020"


# --- a release's citations ------------------------------------------------------------


def test_read_citations_finds_the_register_and_what_it_lacks():
    law = RegulationFactory(type="law", number="3", year=2020)
    release = make_release(
        "Smelter rules",
        standfirst="Menurut UU No. 3 Tahun 2020 dan UU 7/2014, smelter wajib lapor.",
        body=[("paragraph", RichText("<p>See also UU No. 3 Tahun 2020.</p>"))],
    )
    known, unknown = read_citations(release)
    assert known == [law]  # once, though cited twice
    assert [(c.type, c.number, c.year) for c in unknown] == [("law", "7", 2014)]
    assert not Regulation.objects.filter(slug="law-7-2014").exists()


def test_citations_in_the_body_count_too():
    regulation = RegulationFactory(type="government_regulation", number="25", year=2023)
    release = make_release(
        "Industrial estates",
        standfirst="New rules for estates.",
        body=[("paragraph", RichText("<p>Under PP 25/2023 estates must report.</p>"))],
    )
    assert read_citations(release)[0] == [regulation]


def test_link_cited_adds_the_cited_regulations_once():
    law = RegulationFactory(type="law", number="3", year=2020)
    decree = RegulationFactory(type="presidential_regulation", number="55", year=2019)
    release = make_release(
        "Battery rules",
        standfirst="Under UU No. 3 Tahun 2020 the ministry acts.",
        regulations=[decree],
    )
    added = link_cited(release)
    assert added == [law]
    links = list(release.release_regulations.all())
    assert [link.regulation for link in links] == [decree, law]
    assert [link.sort_order for link in links] == [0, 1]  # after the editor's own
    release.save_revision().publish()
    release.refresh_from_db()
    assert release.regulations == [decree, law]
    # Read again, nothing more to add.
    assert link_cited(release) == []
    assert len(release.release_regulations.all()) == 2


def test_link_cited_adds_nothing_for_a_text_without_citations():
    RegulationFactory(type="law", number="3", year=2020)
    release = make_release("Plain", standfirst="No regulation is named here.")
    assert read_citations(release) == ([], [])
    assert link_cited(release) == []
    assert not release.release_regulations.exists()
