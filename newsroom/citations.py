"""Regulations as people cite them: the types of Indonesian regulation and a
parser that finds citations ("UU No. 3 Tahun 2020", "Law 3/2020") in text.

Plain Python with no Django models, so the models (type choices), the admin,
the importer and ``link_regulations`` share one reading of a citation.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RegulationType:
    """One type of regulation, with every name people write it under."""

    # Stored on Regulation.type.
    code: str
    # The English name; slugify("<english> <number> <year>") is the slug.
    english: str
    indonesian: str
    # Abbreviations in common use (matched case-sensitively where they could
    # be ordinary words).
    abbreviations: tuple = ()


# In the order of the hierarchy of Law 12/2011 (highest first), the
# ministries' own regulations after the presidential ones.
TYPES = (
    RegulationType("law", "Law", "Undang-Undang", ("UU",)),
    RegulationType(
        "perppu",
        "Government Regulation in Lieu of Law",
        "Peraturan Pemerintah Pengganti Undang-Undang",
        ("Perppu", "Perpu"),
    ),
    RegulationType(
        "government_regulation", "Government Regulation", "Peraturan Pemerintah", ("PP",)
    ),
    RegulationType(
        "presidential_regulation",
        "Presidential Regulation",
        "Peraturan Presiden",
        ("Perpres",),
    ),
    RegulationType(
        "presidential_instruction",
        "Presidential Instruction",
        "Instruksi Presiden",
        ("Inpres",),
    ),
    RegulationType(
        "minister_of_industry_regulation",
        "Minister of Industry Regulation",
        "Peraturan Menteri Perindustrian",
        ("Permenperin",),
    ),
    RegulationType(
        "ministerial_regulation",
        "Ministerial Regulation",
        "Peraturan Menteri",
        ("Permen",),
    ),
    RegulationType(
        "regional_regulation", "Regional Regulation", "Peraturan Daerah", ("Perda",)
    ),
)
BY_CODE = {regulation_type.code: regulation_type for regulation_type in TYPES}
