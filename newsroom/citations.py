"""Regulations as people cite them: the types of Indonesian regulation and a
parser that finds citations ("UU No. 3 Tahun 2020", "Law 3/2020") in text.

Plain Python with no Django models, so the models (type choices), the admin,
the importer and ``link_regulations`` share one reading of a citation.

What is read as a citation: a type name, then a number, then a year.

- Type names: each type's English and Indonesian names, abbreviations and other
  names (below), in any letter case, with "Undang-Undang" also written
  "Undang-undang" or "Undang Undang". The all-capital short abbreviations (UU,
  PP, GR) count only in capitals and as whole words: "pp 25/2023" is a page,
  "PPN 25/2023" a tax, "UUD 1945" the constitution.
- Ministers' regulations in every shape a ministry is named in: "Minister of X
  Regulation", "Regulation of the Minister of X", "X Minister Regulation",
  "Peraturan Menteri X", "Permen X", "Permendag". They are the Minister of
  Industry's when the ministry named (or the acronym in brackets) is Industry /
  Perindustrian / Permenperin and nothing else; any other ministry, including
  the old Industry and Trade ministry, is a ministerial regulation. Apart from
  Industry, Indonesian ministry names are read only when capitalised.
- Between the name and the number, capitalised words that qualify it ("of the
  Republic of Indonesia", "RI", "Provinsi Sulawesi Tengah", "on Job Creation",
  "UU Cipta Kerja") and an acronym in brackets ("(PP)", "(Perppu)"). The
  region of a regional regulation is not kept: Regulation rows are keyed by
  (type, number, year), so two provinces' Perda 4/2021 share a key.
- The number: "Number", "No.", "No", "Nr.", "Nomor" (optionally with a colon),
  or nothing; digits with at most one capital letter after ("12A"), leading
  zeros dropped. Then "of", "Tahun", "Year", "Th." or "/", and a four-digit
  year from 1945 to 2099.

Deliberately not read: a number with no type ("No. 3 of 2020"), a type with no
number or no year ("the Mining Law", "Law No. 3"), two-digit years, a year
followed by "%" or by more of a date ("3/12/2020"), lower-case words between
the name and the number ("law firm 3/2020"), decrees (Keputusan, Presidential
Decree) and regulations of types not in TYPES (governors', agencies', Bank
Indonesia's). A list sharing one type name ("Laws No. 3 and 4 of 2020",
"Perpres 55/2019 dan 79/2023") yields only the citation that names its type,
and ministries' composite numbers ("190/PMK.04/2022") are not read.
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify


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
    # Other ways the type is named, in either language: translations of the
    # Indonesian name vary between ministries and newspapers.
    other_names: tuple = ()

    @property
    def names(self):
        return (self.english, self.indonesian, *self.abbreviations, *self.other_names)


# In the order of the hierarchy of Law 12/2011 (highest first), the
# ministries' own regulations after the presidential ones.
TYPES = (
    RegulationType("law", "Law", "Undang-Undang", ("UU",)),
    RegulationType(
        "perppu",
        "Government Regulation in Lieu of Law",
        "Peraturan Pemerintah Pengganti Undang-Undang",
        ("Perppu", "Perpu"),
        (
            "Government Regulation in Lieu of a Law",
            "Regulation in Lieu of Law",
            "Peraturan Pemerintah Pengganti UU",
        ),
    ),
    RegulationType(
        "government_regulation",
        "Government Regulation",
        "Peraturan Pemerintah",
        # GR is how English-language Indonesian legal news shortens it.
        ("PP", "GR"),
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
        (
            "Regulation of the Minister of Industry",
            "Industry Minister Regulation",
            "Ministry of Industry Regulation",
        ),
    ),
    RegulationType(
        "ministerial_regulation",
        "Ministerial Regulation",
        "Peraturan Menteri",
        ("Permen",),
        ("Minister Regulation", "Minister's Regulation", "Ministry Regulation"),
    ),
    RegulationType(
        "regional_regulation",
        "Regional Regulation",
        "Peraturan Daerah",
        ("Perda",),
        ("Provincial Regulation", "Regency Regulation"),
    ),
)
BY_CODE = {regulation_type.code: regulation_type for regulation_type in TYPES}

INDUSTRY = "minister_of_industry_regulation"
MINISTERIAL = "ministerial_regulation"


def slug_for(type_code, number, year):
    """The slug of a regulation: "law-3-2020", "government-regulation-25-2023"."""
    return slugify(f"{BY_CODE[type_code].english} {number} {year}")


@dataclass(frozen=True)
class Citation:
    """One citation found in a text; ``start:end`` is ``text`` in that text."""

    type: str
    number: str
    year: int
    start: int
    end: int
    text: str

    @property
    def key(self):
        return (self.type, self.number, self.year)

    @property
    def slug(self):
        return slug_for(self.type, self.number, self.year)


def _normalise(name):
    return re.sub(r"[\s-]+", " ", name.replace("’", "'").casefold()).strip()


_BY_NAME = {}
for _type in TYPES:
    _BY_NAME[_type.code] = _type.code
    for _name in _type.names:
        _BY_NAME[_normalise(_name)] = _type.code


def _name_pattern(name):
    words = re.split(r"[\s-]+", name)
    pattern = r"(?:\s*-\s*|\s+)".join(
        re.escape(word).replace("'", "['’]") for word in words
    )
    # In lower case these are ordinary letters: "pp 25/2023" is pages.
    return f"(?-i:{pattern})" if name.isupper() else pattern


# Longest first, so that "Peraturan Pemerintah Pengganti Undang-Undang" is
# tried before "Peraturan Pemerintah" at the same place.
_FIXED = "|".join(
    _name_pattern(name)
    for name in sorted(
        {name for t in TYPES for name in t.names}, key=lambda name: (-len(name), name)
    )
)

# Words that end a qualifier: the number's own words, and the start of another
# type's name, so "the Law and PP 25/2023" is read as PP, not as a law.
_STOP = (
    r"(?:Number|Nomor|Nr|No|Tahun|Year|Th|UU|PP|GR|Perp?pu|Perpres|Inpres"
    r"|Permen[\w-]*|Perda|Peraturan|Undang|Instruksi|Keputusan|Laws?|Government"
    r"|Presidential|President|Regional|Provincial|Regency|Minist\w*"
    r"|Regulations?|Decree)(?!\w)"
)
_CAPITALISED = r"(?-i:[A-Z])[\w'’-]*(?:/(?-i:[A-Z])[\w-]*)*"
_QUALIFIER = (
    rf"(?:,?\s+(?:(?!{_STOP}){_CAPITALISED}|(?-i:of|the|and|dan|on)(?!\w)|&))"
    r"{0,10}"
)

# A ministry between "Minister of" and "Regulation" (or a number) is fenced
# on both sides, so its words may be in any case, and may be the words of
# types' names ("Minister of Law and Human Rights") but not abbreviations.
_LOOSE_STOP = (
    r"(?:Number|Nomor|Nr|No|Tahun|Year|Th|UU|PP|GR|Perp?pu|Perpres|Inpres"
    r"|Permen[\w-]*|Perda|Peraturan|Undang|Instruksi|Keputusan|Minist\w*"
    r"|Regulations?|Decree|of|the)(?!\w)"
)
_LOOSE_WORD = rf"(?!{_LOOSE_STOP})[^\W\d_][\w'’-]*"
_STRICT_WORD = rf"(?!{_STOP}|of\b|the\b)[^\W\d_][\w'’-]*"
_AND = r",?\s+(?:(?:and|&)\s+)?"
_MINISTRY = rf"{_LOOSE_WORD}(?:{_AND}{_LOOSE_WORD}){{0,6}}"
# Before a number the last word may not start a type's name, so in "the
# Regulation of the Minister of Trade and Law No. 7 of 2014" the number is
# the law's.
_MINISTRY_LAST = rf"(?:{_LOOSE_WORD}{_AND}){{0,6}}{_STRICT_WORD}"
# A ministry before "Minister" has only its right side fenced: capitals only,
# and no article or preposition to start it, so "the Trade Minister
# Regulation" starts at "Trade".
_PREFIX_STOP = (
    r"(?:The|A|An|This|That|These|Those|Its|Their|Under|In|By|With|For|On|Of|And"
    r"|Or|As|At|From|To|Per|New|Latest|Recent|Revised|Amended|Draft|Former"
    r"|Current|Indonesian|Indonesia)(?!\w)"
)
_PREFIX_WORD = r"(?!Minist\w*|Regulations?\b)(?-i:[A-Z])[\w-]*(?![\w'’])"
_PREFIX = (
    rf"(?!{_PREFIX_STOP}){_PREFIX_WORD}(?:\s+(?:(?:and|&)\s+)?{_PREFIX_WORD}){{0,3}}"
)
_MINISTER_FORMS = "|".join(
    (
        rf"Minist(?:er|ry)\s+of\s+(?:the\s+)?{_MINISTRY}\s+Regulation",
        rf"Regulation\s+of\s+the\s+Minist(?:er|ry)\s+of\s+(?:the\s+)?{_MINISTRY_LAST}",
        rf"Regulation\s+of\s+the\s+{_PREFIX}\s+Minister",
        rf"{_PREFIX}\s+(?:Minist(?:er|ry)(?:['’]s)?|Ministerial)\s+Regulation",
        r"Permen[\w-]*",
    )
)

_NAME = (
    rf"(?P<name>{_FIXED}|{_MINISTER_FORMS})(?!\w)(?P<qualifier>{_QUALIFIER})"
    r"(?:\s*\(\s*(?P<acronym>[^\W\d_](?:[^\W\d]|[ .&/-]){0,30}?)\s*\))?"
)
_NUMBER_PART = (
    r"(?:\s*(?:Number|Nomor|Nr|No)(?!\w)\.?\s*:?\s*|\s+)"
    r"0*(?P<number>\d{1,4}(?-i:[A-Z])?)(?!\w)"
    r"(?:\s*/\s*|\s+(?:of|Tahun|Year|Th(?!\w)\.?)\s*)"
    # Not part of a percentage or of a longer date or number.
    r"(?P<year>19(?:4[5-9]|[5-9]\d)|20\d\d)(?!\w|\s*%|[/.,]\d)"
)
_START = r"(?<![\w'’-])"
_CITATION = re.compile(_START + _NAME + _NUMBER_PART, re.IGNORECASE)
_NAME_ONLY = re.compile(_START + _NAME, re.IGNORECASE)

_MINISTRY_NOISE = {
    "minister",
    "ministry",
    "ministerial",
    "regulation",
    "of",
    "the",
    "s",
    "peraturan",
    "menteri",
    "negara",
    "permen",
    "republic",
    "republik",
    "indonesia",
    "indonesian",
    "ri",
}
_INDUSTRY_WORDS = {"industry", "industri", "perindustrian", "perin"}


def _names_industry(text):
    """Whether a minister's regulation's name names the Ministry of Industry
    and nothing else ("Permenperin", "Peraturan Menteri Perindustrian RI")."""
    words = []
    for word in re.findall(r"[^\W\d_]+", text.casefold()):
        if word.startswith("permen") and word != "permen":
            word = word.removeprefix("permen")
        if word not in _MINISTRY_NOISE:
            words.append(word)
    return len(words) == 1 and words[0] in _INDUSTRY_WORDS


def _type_of(match):
    # A name not in the table is one of the generic minister forms.
    code = _BY_NAME.get(_normalise(match["name"]), MINISTERIAL)
    if code in (INDUSTRY, MINISTERIAL):
        acronym = match["acronym"]
        named = _names_industry(f"{match['name']} {match['qualifier']}")
        code = (
            INDUSTRY if named or (acronym and _names_industry(acronym)) else MINISTERIAL
        )
    return code


def _citation(match, offset=0):
    return Citation(
        type=_type_of(match),
        number=match["number"],
        year=int(match["year"]),
        start=offset + match.start(),
        end=offset + match.end(),
        text=match.group(),
    )


def find_citations(text):
    """Every citation in ``text``, in order, repeats included."""
    return [_citation(match) for match in _CITATION.finditer(text)]


def parse_reference(text):
    """The citation that is the whole of ``text`` (bar surrounding
    whitespace), or None."""
    stripped = text.strip()
    match = _CITATION.fullmatch(stripped)
    if match is None:
        return None
    return _citation(match, offset=len(text) - len(text.lstrip()))


def type_from_name(name):
    """The type code for a type's name in either language, an abbreviation or
    the code itself; None if it names no type."""
    known = _BY_NAME.get(_normalise(name))
    if known:
        return known
    spaced = " ".join(name.split())
    # Ministries' and regions' names are read only when capitalised in text;
    # a name given on its own may be in any case.
    capitalised = " ".join(word[:1].upper() + word[1:] for word in spaced.split())
    for candidate in (spaced, capitalised):
        match = _NAME_ONLY.fullmatch(candidate)
        if match:
            return _type_of(match)
    return None
