"""The register's import: newsroom.loading.regulations and import_regulations."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models.signals import post_save

from newsroom.loading.records import read_records
from newsroom.loading.regulations import import_regulation_records
from newsroom.models import ContentVersion, Regulation, RegulationTranslation

pytestmark = pytest.mark.django_db


def regulation(**fields):
    """A complete, valid record in the documented format; ``fields`` override,
    and a field given as None is left out."""
    data = {
        "type": "Law",
        "number": "3",
        "year": 2020,
        "title": "Amendment to Law Number 4 of 2009 concerning Mineral and Coal Mining",
        "title_id": "Perubahan atas Undang-Undang Nomor 4 Tahun 2009 tentang "
        "Pertambangan Mineral dan Batubara",
        "enacted": "2020-06-10",
        "status": "in force",
        "amends": ["Law 4/2009"],
        "revokes": [],
        "url": "https://peraturan.go.id/id/uu-no-3-tahun-2020",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def mining_law(**fields):
    values = {
        "type": "Undang-Undang",
        "number": "4",
        "year": 2009,
        "title": "Mineral and Coal Mining",
        "title_id": "Pertambangan Mineral dan Batubara",
        "enacted": "2009-01-12",
        "amends": None,
        "revokes": None,
        "url": None,
    }
    values.update(fields)
    return regulation(**values)


def write_jsonl(path, records):
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(tmp_path, records, *args):
    """Run the command on ``records``; return (stdout, stderr, error or None)."""
    path = write_jsonl(tmp_path / "regulations.jsonl", records)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_regulations", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def load(*records):
    return import_regulation_records(enumerate(records, start=1))


def slugs():
    return set(Regulation.objects.values_list("slug", flat=True))


def chain(slug):
    found = Regulation.objects.get(slug=slug)
    return (
        found.status,
        sorted(r.slug for r in found.amends.all()),
        sorted(r.slug for r in found.revokes.all()),
    )


@pytest.fixture
def saves():
    """Every model instance saved while the test runs, as (model name, pk)."""
    saved = []

    def record(sender, instance, **kwargs):
        saved.append((sender.__name__, instance.pk))

    post_save.connect(record)
    yield saved
    post_save.disconnect(record)


# --- the happy path ----------------------------------------------------------------


def test_imports_the_register_with_its_translation(tmp_path):
    out, err, error = run(tmp_path, [regulation(), mining_law()])

    assert error is None, err
    assert "2 regulation(s) were created, 0 updated, 0 unchanged, 0 failed." in out
    assert "link_regulations" in out
    law = Regulation.objects.get(slug="law-3-2020")
    assert (law.type, law.number, law.year) == ("law", "3", 2020)
    assert law.name == "Law No. 3 of 2020"
    assert law.title.startswith("Amendment to Law Number 4 of 2009")
    assert law.enacted == datetime.date(2020, 6, 10)
    assert law.url == "https://peraturan.go.id/id/uu-no-3-tahun-2020"
    indonesian = RegulationTranslation.objects.get(entity=law)
    assert indonesian.locale.language_code == "id"
    assert indonesian.name == "Undang-Undang Nomor 3 Tahun 2020"
    assert indonesian.title.startswith("Perubahan atas Undang-Undang Nomor 4")
    assert chain("law-3-2020") == ("in_force", ["law-4-2009"], [])
    # Amended by a regulation of the register: no longer simply in force.
    assert chain("law-4-2009") == ("amended", [], [])


def test_a_json_array_too(tmp_path):
    path = tmp_path / "regulations.json"
    path.write_text(json.dumps([regulation(), mining_law()]))
    with open(path, "rb") as stream:
        report = import_regulation_records(read_records(stream))
    assert report.ok and report.created == 2


def test_importing_again_changes_nothing(tmp_path, saves):
    records = [regulation(), mining_law(status="in force")]
    run(tmp_path, records)
    version = ContentVersion.current()
    saves.clear()

    out, err, error = run(tmp_path, records)

    assert error is None, err
    assert "0 regulation(s) were created, 0 updated, 2 unchanged, 0 failed." in out
    assert saves == []
    assert ContentVersion.current() == version
    assert Regulation.objects.count() == 2
    assert RegulationTranslation.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"title": "A corrected title"},
        {"title_id": "Judul yang dikoreksi"},
        {"enacted": "2020-06-11"},
        {"url": None},
        {"amends": []},
    ],
    ids=["title", "title_id", "enacted", "url", "amends"],
)
def test_importing_a_change_updates_the_regulation(tmp_path, change):
    run(tmp_path, [regulation(), mining_law()])

    out, err, error = run(tmp_path, [regulation(**change), mining_law()])

    assert error is None, err
    assert Regulation.objects.count() == 2
    law = Regulation.objects.get(slug="law-3-2020")
    if "title_id" in change:
        assert law.translations.get().title == "Judul yang dikoreksi"
    if "amends" not in change:
        assert "0 regulation(s) were created, 1 updated, 1 unchanged" in out
        return
    # Nothing amends Law 4/2009 any more: in force, as its line says, at once.
    assert "0 regulation(s) were created, 2 updated, 0 unchanged" in out
    assert chain("law-3-2020") == ("in_force", [], [])
    assert chain("law-4-2009") == ("in_force", [], [])


def test_a_leading_zero_is_the_same_number(tmp_path):
    run(tmp_path, [mining_law()])
    out, err, error = run(tmp_path, [mining_law(number="04")])
    assert error is None, err
    assert "0 regulation(s) were created, 0 updated, 1 unchanged" in out


def test_a_record_without_title_id_leaves_the_translation(tmp_path):
    run(tmp_path, [mining_law()])
    out, err, error = run(tmp_path, [mining_law(title_id=None)])
    assert error is None, err
    assert RegulationTranslation.objects.get().title == (
        "Pertambangan Mineral dan Batubara"
    )


# --- types and statuses as people write them -------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Law", "law"),
        ("Undang-Undang", "law"),
        ("undang-undang", "law"),
        ("UU", "law"),
        ("Perppu", "perppu"),
        ("Government Regulation in Lieu of Law", "perppu"),
        ("Peraturan Pemerintah Pengganti Undang-Undang", "perppu"),
        ("Government Regulation", "government_regulation"),
        ("Peraturan Pemerintah", "government_regulation"),
        ("PP", "government_regulation"),
        ("Presidential Regulation", "presidential_regulation"),
        ("Peraturan Presiden", "presidential_regulation"),
        ("Perpres", "presidential_regulation"),
        ("Instruksi Presiden", "presidential_instruction"),
        ("Minister of Industry Regulation", "minister_of_industry_regulation"),
        ("Peraturan Menteri Perindustrian", "minister_of_industry_regulation"),
        ("Permenperin", "minister_of_industry_regulation"),
        ("Peraturan Daerah", "regional_regulation"),
        ("government_regulation", "government_regulation"),
    ],
)
def test_type_in_either_language_or_abbreviated(name, code):
    report = load(mining_law(type=name))
    assert report.ok, report.failures
    assert Regulation.objects.get().type == code


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("in force", "in_force"),
        ("in_force", "in_force"),
        ("In Force", "in_force"),
        ("berlaku", "in_force"),
        ("amended", "amended"),
        ("diubah", "amended"),
        ("revoked", "revoked"),
        ("dicabut", "revoked"),
        ("Dicabut", "revoked"),
        (None, "in_force"),
    ],
)
def test_status_in_either_language(written, status):
    report = load(mining_law(status=written))
    assert report.ok, report.failures
    assert Regulation.objects.get().status == status


# --- chains ------------------------------------------------------------------------


def test_chains_resolve_across_lines_and_forwards(tmp_path, saves):
    records = [
        # Forward references: each names a regulation on a later line.
        regulation(amends=["UU No. 4 Tahun 2009"]),
        {
            "type": "Perppu",
            "number": "2",
            "year": 2022,
            "title": "Job Creation",
            "revokes": ["Undang-Undang Nomor 11 Tahun 2020"],
        },
        mining_law(),
        {"type": "UU", "number": "11", "year": 2020, "title": "Job Creation"},
    ]
    out, err, error = run(tmp_path, records)

    assert error is None, err
    assert "4 regulation(s) were created" in out
    assert chain("law-3-2020") == ("in_force", ["law-4-2009"], [])
    assert chain("law-4-2009") == ("amended", [], [])
    assert chain("government-regulation-in-lieu-of-law-2-2022") == (
        "in_force",
        [],
        ["law-11-2020"],
    )
    assert chain("law-11-2020") == ("revoked", [], [])
    saves.clear()

    out, err, error = run(tmp_path, records)

    assert "0 regulation(s) were created, 0 updated, 4 unchanged" in out
    assert saves == []


def test_a_reference_resolves_against_the_register(tmp_path):
    run(tmp_path, [mining_law()])

    out, err, error = run(tmp_path, [regulation(amends=["Law Number 4 of 2009"])])

    assert error is None, err
    assert chain("law-3-2020") == ("in_force", ["law-4-2009"], [])
    assert chain("law-4-2009") == ("amended", [], [])


def test_an_unresolvable_reference_fails_its_line_alone(tmp_path):
    records = [
        mining_law(),
        regulation(amends=["Law 4/2009", "UU 7/2014"]),
        {"type": "PP", "number": "96", "year": 2021, "title": "Mining business"},
    ]
    out, err, error = run(tmp_path, records)

    assert error is not None
    assert "1 record(s) failed" in str(error)
    assert "line 2: 'amends': UU 7/2014 ('UU 7/2014') is neither in the register" in (
        err
    )
    assert "2 regulation(s) were created, 0 updated, 0 unchanged, 1 failed." in out
    assert slugs() == {"law-4-2009", "government-regulation-96-2021"}
    # Nothing of the failed line was written, not even the status it implied.
    assert chain("law-4-2009") == ("in_force", [], [])


def test_naming_a_failed_line_fails_too(tmp_path):
    records = [
        regulation(amends=["Law 4/2009"]),
        mining_law(year=1899),
        {"type": "PP", "number": "96", "year": 2021, "title": "Mining business"},
    ]
    out, err, error = run(tmp_path, records)

    assert "line 2: 'year' 1899 is not a year from 1945 to 2100" in err
    assert "line 1: 'amends': UU 4/2009" in err
    assert slugs() == {"government-regulation-96-2021"}


# --- each bad field: a clear reason on its line, the other lines imported -----------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"year": 1944}, "'year' 1944 is not a year from 1945 to 2100"),
        ({"year": 2101}, "'year' 2101 is not a year from 1945 to 2100"),
        ({"year": "twenty"}, "'year' must be a year from 1945 to 2100"),
        ({"year": True}, "'year' must be a year from 1945 to 2100"),
        ({"year": None}, "'year' must be a year from 1945 to 2100"),
        ({"number": ""}, "'number' is required"),
        ({"number": "  "}, "'number' is required"),
        ({"number": None}, "'number' is required"),
        ({"number": ["3"]}, "'number' must be a string, not list"),
        ({"number": "3" * 31}, "'number' is longer than 30 characters"),
        ({"title": ""}, "'title' is required"),
        ({"title": None}, "'title' is required"),
        ({"title": 3}, "'title' must be a string, not int"),
        ({"enacted": "2020-02-30"}, "'enacted' is not a valid date: '2020-02-30'"),
        ({"enacted": "10/06/2020"}, "'enacted' is not a valid date: '10/06/2020'"),
        ({"enacted": 2020}, "'enacted' must be an ISO date string"),
        ({"url": "peraturan.go.id"}, "'url' 'peraturan.go.id' is not a valid web"),
        ({"url": "ftp://example.org/uu"}, "'url' 'ftp://example.org/uu' is not a"),
        ({"type": "Decree"}, "'type' 'Decree' is not a type of regulation"),
        ({"type": None}, "'type' is required"),
        ({"status": "active"}, "'status' 'active' is not one of: in force"),
        ({"status": 1}, "'status' must be a string"),
        ({"amends": "Law 4/2009"}, "'amends' must be a list of references"),
        ({"amends": ["the Mining Law"]}, "'amends': 'the Mining Law' is not a"),
        ({"revokes": ["Law 3/2020"]}, "'revokes' names the regulation itself"),
        ({"enforced": "2020-06-10"}, "unknown field(s): enforced"),
    ],
)
def test_a_bad_field_is_refused_with_its_reason(tmp_path, fields, reason):
    records = [mining_law(), regulation(**fields)]
    out, err, error = run(tmp_path, records)

    assert error is not None
    assert f"line 2: {reason}" in err
    assert "1 regulation(s) were created, 0 updated, 0 unchanged, 1 failed." in out
    assert slugs() == {"law-4-2009"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"type": "Law", "number": "3"', "invalid JSON"),
        ("[1, 2]", "each record must be a JSON object"),
        (json.dumps(mining_law(type="UU", number="04")), "UU 4/2009 is on line 1"),
    ],
    ids=["broken JSON", "not an object", "the same regulation twice"],
)
def test_a_bad_line_among_good_ones(tmp_path, line, reason):
    out, err, error = run(tmp_path, [mining_law(), line, regulation()])
    assert f"line 2: {reason}" in err
    assert slugs() == {"law-4-2009", "law-3-2020"}


def test_dry_run_writes_nothing_and_reports_the_same(tmp_path):
    records = [regulation(), mining_law(), regulation(number="5", amends=["UU 1/1999"])]
    out, err, error = run(tmp_path, records, "--dry-run")

    assert "2 regulation(s) would be created, 0 updated, 0 unchanged, 1 failed." in out
    assert "line 3: 'amends': UU 1/1999" in err
    assert "link_regulations" not in out
    assert Regulation.objects.count() == 0
    assert RegulationTranslation.objects.count() == 0


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_regulations", str(tmp_path / "nope.jsonl"))
