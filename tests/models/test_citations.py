"""Citations of regulations read out of English and Indonesian text.

TABLE is shared with bench/citation_table.py, which scores the parser on it.
"""

import pytest

from newsroom.citations import (
    BY_CODE,
    TYPES,
    Citation,
    find_citations,
    parse_reference,
    slug_for,
    type_from_name,
)

LAW = "law"
PERPPU = "perppu"
GR = "government_regulation"
PR = "presidential_regulation"
PI = "presidential_instruction"
INDUSTRY = "minister_of_industry_regulation"
MINISTERIAL = "ministerial_regulation"
REGIONAL = "regional_regulation"

TABLE_EN = [
    ("Law Number 3 of 2020", [(LAW, "3", 2020)]),
    ("Law No. 3 of 2020", [(LAW, "3", 2020)]),
    ("Law No. 3/2020", [(LAW, "3", 2020)]),
    ("Law 3/2020", [(LAW, "3", 2020)]),
    ("Law Nr. 3 of 2020", [(LAW, "3", 2020)]),
    ("the law no. 3 of 2020 applies to all permits", [(LAW, "3", 2020)]),
    ("Law No. 03 of 2020", [(LAW, "3", 2020)]),
    (
        "Law Number 3 of 2020 concerning Amendments to Law Number 4 of 2009 "
        "concerning Mineral and Coal Mining",
        [(LAW, "3", 2020), (LAW, "4", 2009)],
    ),
    (
        "Law of the Republic of Indonesia Number 11 of 2020 on Job Creation",
        [(LAW, "11", 2020)],
    ),
    (
        "The Job Creation Law No. 11/2020 was replaced by Law No. 6/2023.",
        [(LAW, "11", 2020), (LAW, "6", 2023)],
    ),
    ("Government Regulation (PP) No. 25 of 2023", [(GR, "25", 2023)]),
    ("Government Regulation Number 25 of 2023", [(GR, "25", 2023)]),
    ("GR 25/2023 sets the royalty rates.", [(GR, "25", 2023)]),
    (
        "Government Regulation in Lieu of Law (Perppu) Number 2 of 2022",
        [(PERPPU, "2", 2022)],
    ),
    (
        "Perppu No. 2 of 2022 on Job Creation was enacted as Law No. 6 of 2023.",
        [(PERPPU, "2", 2022), (LAW, "6", 2023)],
    ),
    ("Presidential Regulation Number 55 of 2019", [(PR, "55", 2019)]),
    ("Presidential Regulation (Perpres) No. 55 of 2019", [(PR, "55", 2019)]),
    (
        "Presidential Regulation Number 55 of 2019 as amended by Presidential "
        "Regulation Number 79 of 2023",
        [(PR, "55", 2019), (PR, "79", 2023)],
    ),
    (
        "The government issued Perpres 55/2019 to speed up electric vehicles.",
        [(PR, "55", 2019)],
    ),
    ("Presidential Instruction No. 2 of 2022", [(PI, "2", 2022)]),
    ("Ministries must follow Inpres 2/2022 when buying.", [(PI, "2", 2022)]),
    ("Minister of Industry Regulation No. 12 of 2024", [(INDUSTRY, "12", 2024)]),
    (
        "Regulation of the Minister of Industry Number 12 of 2024",
        [(INDUSTRY, "12", 2024)],
    ),
    ("Industry Minister Regulation No. 12 of 2024", [(INDUSTRY, "12", 2024)]),
    (
        "Regulation of the Minister of Industry of the Republic of Indonesia "
        "Number 12 of 2024",
        [(INDUSTRY, "12", 2024)],
    ),
    # The acronym names the ministry when the English name does not.
    ("Ministerial Regulation (Permenperin) No. 12A of 2024", [(INDUSTRY, "12A", 2024)]),
    ("Ministerial Regulation No. 7 of 2020", [(MINISTERIAL, "7", 2020)]),
    ("Minister of Trade Regulation No. 7 of 2020", [(MINISTERIAL, "7", 2020)]),
    (
        "Regulation of the Minister of Energy and Mineral Resources Number 7 of 2020",
        [(MINISTERIAL, "7", 2020)],
    ),
    (
        "Minister of Law and Human Rights Regulation No. 7 of 2020",
        [(MINISTERIAL, "7", 2020)],
    ),
    (
        "Under the Trade Minister Regulation (Permendag) No. 36 of 2023 on import "
        "policy, steel needs a technical approval.",
        [(MINISTERIAL, "36", 2023)],
    ),
    # The Industry and Trade ministry of 1999-2004 was not today's Ministry of
    # Industry.
    (
        "Minister of Industry and Trade Regulation No. 5 of 2003",
        [(MINISTERIAL, "5", 2003)],
    ),
    # The number after "and" is the law's, not part of the ministry's name.
    (
        "the Regulation of the Minister of Trade and Law No. 7 of 2014 on Trade",
        [(LAW, "7", 2014)],
    ),
    ("Regional Regulation No. 4 of 2021", [(REGIONAL, "4", 2021)]),
    (
        "Regional Regulation of Central Sulawesi Province No. 4 of 2021",
        [(REGIONAL, "4", 2021)],
    ),
    (
        "JAKARTA – The Ministry of Industry has issued Minister of Industry "
        "Regulation No. 12 of 2024 on local content, implementing Government "
        "Regulation No. 29 of 2018 on Industrial Empowerment and Presidential "
        "Instruction No. 2 of 2022.",
        [(INDUSTRY, "12", 2024), (GR, "29", 2018), (PI, "2", 2022)],
    ),
    (
        "Speaking in Jakarta on Tuesday, the minister said Law 3/2020 and PP "
        "25/2023 give smelters legal certainty, while the 2020 law's rules on "
        "permits were clarified in Law No. 3 of 2020.",
        [(LAW, "3", 2020), (GR, "25", 2023), (LAW, "3", 2020)],
    ),
    # Negatives.
    ("Number 3 of 2020", []),
    ("No. 3 of 2020", []),
    ("see pp. 25/2023 of the annual report", []),
    ("pp 25/2023", []),
    ("p. 3/2020", []),
    ("page 3 of 2020", []),
    ("utilisation reached 3/2020% of plan", []),
    ("exports grew 3% in 2020", []),
    ("the contract was signed on 3/12/2020", []),
    ("PP 3/12/2020", []),
    ("the Mining Law", []),
    ("Law No. 3 was passed quickly", []),
    ("the 2020 law", []),
    # A lower-case word between a type and a number breaks it.
    ("a law firm 3/2020 filing", []),
    ("APPS 3/2020", []),
    ("Law 3/20", []),
    ("Law 3/1944", []),
    ("By-law No. 3 of 2020 of the golf club", []),
    ("Presidential Decree No. 12 of 2020", []),
    ("Governor Regulation No. 4 of 2021", []),
    ("BPOM Regulation No. 3 of 2020", []),
    # Title-case text writes pages as "PP."; a citation has no full stop there.
    ("PP. 25/2023", []),
]

TABLE_ID = [
    ("Undang-Undang Nomor 3 Tahun 2020", [(LAW, "3", 2020)]),
    ("Undang-undang No. 3 Tahun 2020", [(LAW, "3", 2020)]),
    ("UU No. 3 Tahun 2020", [(LAW, "3", 2020)]),
    ("UU 3/2020", [(LAW, "3", 2020)]),
    ("UU Nomor 3 Tahun 2020", [(LAW, "3", 2020)]),
    ("UU Nomor 03 Tahun 2020", [(LAW, "3", 2020)]),
    ("UU No.3/2020", [(LAW, "3", 2020)]),
    (
        "Undang-Undang Republik Indonesia Nomor 11 Tahun 2020 tentang Cipta Kerja",
        [(LAW, "11", 2020)],
    ),
    ("UU Cipta Kerja Nomor 11 Tahun 2020", [(LAW, "11", 2020)]),
    (
        "UU No. 3 Tahun 2020 tentang Perubahan atas UU No. 4 Tahun 2009 tentang "
        "Pertambangan Mineral dan Batubara",
        [(LAW, "3", 2020), (LAW, "4", 2009)],
    ),
    ("PP 25/2023", [(GR, "25", 2023)]),
    ("PP No. 25 Tahun 2023", [(GR, "25", 2023)]),
    ("Peraturan Pemerintah Nomor 25 Tahun 2023", [(GR, "25", 2023)]),
    ("PERATURAN PEMERINTAH NOMOR 25 TAHUN 2023", [(GR, "25", 2023)]),
    ("Perppu No. 2 Tahun 2022", [(PERPPU, "2", 2022)]),
    ("Perpu 2/2022", [(PERPPU, "2", 2022)]),
    (
        "Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022",
        [(PERPPU, "2", 2022)],
    ),
    ("Peraturan Presiden Nomor 55 Tahun 2019", [(PR, "55", 2019)]),
    (
        "Perpres Nomor 55 Tahun 2019 sebagaimana telah diubah dengan Perpres Nomor "
        "79 Tahun 2023",
        [(PR, "55", 2019), (PR, "79", 2023)],
    ),
    ("Instruksi Presiden Nomor 2 Tahun 2022", [(PI, "2", 2022)]),
    (
        "Sesuai Inpres 2/2022, kementerian wajib membeli produk dalam negeri. "
        "Permenperin 12/2024 mengatur tata caranya.",
        [(PI, "2", 2022), (INDUSTRY, "12", 2024)],
    ),
    ("Permenperin No. 12 Tahun 2024", [(INDUSTRY, "12", 2024)]),
    ("Peraturan Menteri Perindustrian Nomor 12 Tahun 2024", [(INDUSTRY, "12", 2024)]),
    (
        "Peraturan Menteri Perindustrian Republik Indonesia Nomor 12 Tahun 2024",
        [(INDUSTRY, "12", 2024)],
    ),
    (
        "Peraturan Menteri Perindustrian (Permenperin) Nomor 12 Tahun 2024",
        [(INDUSTRY, "12", 2024)],
    ),
    (
        "Peraturan Menteri Energi dan Sumber Daya Mineral Nomor 7 Tahun 2020",
        [(MINISTERIAL, "7", 2020)],
    ),
    ("Permen ESDM No. 7 Tahun 2020", [(MINISTERIAL, "7", 2020)]),
    ("Permendag 7/2020", [(MINISTERIAL, "7", 2020)]),
    ("Peraturan Menteri Keuangan Nomor 190 Tahun 2022", [(MINISTERIAL, "190", 2022)]),
    (
        "Peraturan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Nomor 3 "
        "Tahun 2022",
        [(MINISTERIAL, "3", 2022)],
    ),
    ("Perda No. 4 Tahun 2021", [(REGIONAL, "4", 2021)]),
    ("Peraturan Daerah Nomor 4 Tahun 2021", [(REGIONAL, "4", 2021)]),
    (
        "Peraturan Daerah Provinsi Sulawesi Tengah Nomor 4 Tahun 2021",
        [(REGIONAL, "4", 2021)],
    ),
    ("Perda DKI Jakarta No. 4 Tahun 2021", [(REGIONAL, "4", 2021)]),
    (
        "JAKARTA – Kementerian Perindustrian menerbitkan Peraturan Menteri "
        "Perindustrian Nomor 12 Tahun 2024 tentang Tata Cara Penghitungan TKDN, "
        "sebagai pelaksanaan Peraturan Pemerintah Nomor 29 Tahun 2018 tentang "
        "Pemberdayaan Industri dan Undang-Undang Nomor 3 Tahun 2014 tentang "
        "Perindustrian.",
        [(INDUSTRY, "12", 2024), (GR, "29", 2018), (LAW, "3", 2014)],
    ),
    (
        "Menteri Perindustrian Agus Gumiwang Kartasasmita mengatakan Perppu Nomor "
        "2 Tahun 2022 telah ditetapkan menjadi UU Nomor 6 Tahun 2023.",
        [(PERPPU, "2", 2022), (LAW, "6", 2023)],
    ),
    # Negatives.
    ("Nomor 3 Tahun 2020", []),
    ("hal. 3/2020", []),
    ("halaman 3 dari 2020", []),
    ("UU Minerba", []),
    ("uu 3/2020", []),
    ("tarif PPN 25/2023", []),
    ("UUD 1945", []),
    ("Undang-Undang Dasar 1945", []),
    ("DUU 3/2020", []),
    ("UU 3/2020%", []),
    ("ekonomi tumbuh 5,3% pada 2020", []),
    ("Peraturan Pemerintah Nomor 25", []),
    ("Perppu 2022", []),
    ("Inpres 2/22", []),
    ("Keputusan Presiden Nomor 12 Tahun 2020", []),
    ("Keputusan Menteri Perindustrian Nomor 12 Tahun 2024", []),
    ("Surat Edaran Menteri Perindustrian Nomor 3 Tahun 2020", []),
    ("Peraturan Gubernur DKI Jakarta Nomor 4 Tahun 2021", []),
    ("Peraturan Bank Indonesia Nomor 3 Tahun 2020", []),
]

TABLE = TABLE_EN + TABLE_ID


@pytest.mark.parametrize(("phrase", "expected"), TABLE)
def test_table(phrase, expected):
    assert [citation.key for citation in find_citations(phrase)] == expected


@pytest.mark.parametrize("phrase", [phrase for phrase, expected in TABLE if expected])
def test_offsets_are_the_citation_in_the_text(phrase):
    for citation in find_citations(phrase):
        assert phrase[citation.start : citation.end] == citation.text


def test_offsets_of_two_citations():
    text = "Lihat UU 3/2020 dan Peraturan Pemerintah Nomor 25 Tahun 2023."
    first, second = find_citations(text)
    assert (first.start, first.end, first.text) == (6, 15, "UU 3/2020")
    assert second.text == "Peraturan Pemerintah Nomor 25 Tahun 2023"
    assert second.start == text.index("Peraturan")
    assert second.end == text.index(".", second.start + 30)


def test_a_citation_starts_at_its_type_not_at_the_sentence():
    (citation,) = find_citations("Under the Trade Minister Regulation No. 7 of 2020")
    assert citation.text == "Trade Minister Regulation No. 7 of 2020"


def test_citation_is_a_frozen_value():
    citation = find_citations("Law 3/2020")[0]
    assert citation == Citation(LAW, "3", 2020, 0, 10, "Law 3/2020")
    assert citation.key == (LAW, "3", 2020)
    with pytest.raises(AttributeError):
        citation.year = 2021


def test_citation_slug():
    citation = find_citations("Permenperin No. 12 Tahun 2024")[0]
    assert citation.slug == "minister-of-industry-regulation-12-2024"


@pytest.mark.parametrize(
    ("code", "number", "year", "slug"),
    [
        (LAW, "3", 2020, "law-3-2020"),
        (GR, "25", 2023, "government-regulation-25-2023"),
        (INDUSTRY, "12", 2024, "minister-of-industry-regulation-12-2024"),
        (PERPPU, "1", 2022, "government-regulation-in-lieu-of-law-1-2022"),
        (PR, "55", 2019, "presidential-regulation-55-2019"),
        (MINISTERIAL, "12A", 2019, "ministerial-regulation-12a-2019"),
        (REGIONAL, "4", 2021, "regional-regulation-4-2021"),
    ],
)
def test_slug_for(code, number, year, slug):
    assert slug_for(code, number, year) == slug


@pytest.mark.parametrize(
    ("reference", "key"),
    [
        ("Law 4/2009", (LAW, "4", 2009)),
        ("UU 4/2009", (LAW, "4", 2009)),
        ("Undang-Undang Nomor 4 Tahun 2009", (LAW, "4", 2009)),
        ("  PP No. 25 Tahun 2023\n", (GR, "25", 2023)),
        ("Permenperin 12/2024", (INDUSTRY, "12", 2024)),
    ],
)
def test_parse_reference(reference, key):
    citation = parse_reference(reference)
    assert citation.key == key
    assert reference[citation.start : citation.end] == citation.text


@pytest.mark.parametrize(
    "reference",
    [
        "",
        "Law 4",
        "4/2009",
        "see Law 4/2009",
        "Law 4/2009.",
        "Law 4/2009 and UU 3/2020",
        "pp 25/2023",
    ],
)
def test_parse_reference_refuses_anything_but_one_citation(reference):
    assert parse_reference(reference) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Law", LAW),
        ("law", LAW),
        ("Undang-Undang", LAW),
        ("undang  undang", LAW),
        ("UU", LAW),
        ("Government Regulation in Lieu of Law", PERPPU),
        ("Perppu", PERPPU),
        ("PERPU", PERPPU),
        ("Peraturan Pemerintah Pengganti Undang-Undang", PERPPU),
        ("government_regulation", GR),
        ("Peraturan  Pemerintah", GR),
        ("Perpres", PR),
        ("Instruksi Presiden", PI),
        ("Peraturan Menteri Perindustrian", INDUSTRY),
        ("Permenperin", INDUSTRY),
        ("Minister of Industry Regulation", INDUSTRY),
        ("regulation of the minister of industry", INDUSTRY),
        ("Peraturan Menteri", MINISTERIAL),
        ("Permendag", MINISTERIAL),
        ("Minister of Trade Regulation", MINISTERIAL),
        ("peraturan menteri energi dan sumber daya mineral", MINISTERIAL),
        ("Perda", REGIONAL),
        ("Peraturan Daerah Provinsi Bali", REGIONAL),
    ],
)
def test_type_from_name(name, code):
    assert type_from_name(name) == code


@pytest.mark.parametrize(
    "name", ["", "Mining Law", "Keputusan Presiden", "Presidential Decree", "Act"]
)
def test_type_from_name_refuses_other_names(name):
    assert type_from_name(name) is None


def test_every_type_reads_its_own_names():
    for regulation_type in TYPES:
        for name in regulation_type.names:
            assert type_from_name(name) == regulation_type.code, name
    assert set(BY_CODE) == {regulation_type.code for regulation_type in TYPES}


def test_every_type_is_found_by_each_of_its_names():
    for regulation_type in TYPES:
        for name in regulation_type.names:
            (citation,) = find_citations(f"menurut {name} Nomor 9 Tahun 2021 ini")
            assert citation.key == (regulation_type.code, "9", 2021), name


def test_long_runs_of_capitalised_words_stay_fast():
    # Qualifiers and ministries are runs of words; nested repeats over them
    # would backtrack exponentially on text that never reaches a number.
    text = "Law " + "Trade And " * 3000 + "Minister of " + "Energy and " * 3000
    assert find_citations(text + "Law 3/2020") == [
        Citation(LAW, "3", 2020, len(text), len(text) + 10, "Law 3/2020")
    ]
