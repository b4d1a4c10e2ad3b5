"""import_releases with "language" and "translation_of" (#8): an imported release
becomes the translation (same translation_key) of the original in the other
language; bad links are refused per line, leaving nothing behind."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading.importing import import_records
from newsroom.models import PressReleasePage
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def record(**fields):
    data = {
        "title": "Nickel smelter opens in Morowali",
        "slug": "nickel-smelter-opens",
        "date": "2024-09-27",
        "summary": "The minister opened the smelter.",
        "body_html": "<p>The smelter processes nickel ore.</p>",
        "language": "en",
        "sectors": ["Nickel"],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def indonesian_record(**fields):
    return record(
        **{
            "title": "Smelter nikel dibuka di Morowali",
            "slug": "smelter-nikel-dibuka",
            "summary": "Menteri meresmikan smelter tersebut.",
            "language": "id",
            "translation_of": "nickel-smelter-opens",
            **fields,
        }
    )


def run(*records):
    return import_records(enumerate(records, start=1))


def releases(code):
    return PressReleasePage.objects.filter(locale__language_code=code)


def test_imported_release_is_the_translation_of_the_original(newsroom):
    report = run(record(), indonesian_record())
    assert report.ok, report.failures
    assert report.created == 2
    english = PressReleasePage.objects.get(slug="nickel-smelter-opens")
    translated = PressReleasePage.objects.get(slug="smelter-nikel-dibuka")
    indonesian_newsroom = ensure_site_tree(Locale.objects.get(language_code="id"))
    assert translated.get_parent().pk == indonesian_newsroom.pk
    assert translated.locale.language_code == "id"
    assert translated.translation_key == english.translation_key
    assert english.get_translation(translated.locale).pk == translated.pk
    assert translated.get_translation(english.locale).pk == english.pk
    assert translated.live
    assert translated.url == "/id/news/smelter-nikel-dibuka/"


def test_english_translation_of_an_indonesian_original(newsroom):
    report = run(
        indonesian_record(translation_of=None),
        record(translation_of="smelter-nikel-dibuka"),
    )
    assert report.ok, report.failures
    english = PressReleasePage.objects.get(slug="nickel-smelter-opens")
    translated = PressReleasePage.objects.get(slug="smelter-nikel-dibuka")
    assert english.translation_key == translated.translation_key
    assert english.get_parent().pk == newsroom.pk


def test_reimport_updates_the_translation(newsroom):
    assert run(record(), indonesian_record()).ok
    report = run(record(), indonesian_record(title="Smelter nikel diresmikan"))
    assert report.ok, report.failures
    # The English record is as before: it is left alone.
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert releases("id").get().title == "Smelter nikel diresmikan"


def test_existing_release_is_linked_on_reimport(newsroom):
    assert run(record(), indonesian_record(translation_of=None)).ok
    english = PressReleasePage.objects.get(slug="nickel-smelter-opens")
    assert releases("id").get().translation_key != english.translation_key
    report = run(indonesian_record(live=False))
    assert report.ok, report.failures
    assert report.updated == 1
    assert releases("id").get().translation_key == english.translation_key


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"translation_of": "no-such-release"}, "no release with the slug"),
        ({"language": "en", "slug": "other"}, "in the same language (en)"),
        ({"language": "fr"}, "unknown language 'fr'"),
    ],
)
def test_bad_links_are_refused_and_leave_nothing(newsroom, fields, message):
    assert run(record()).ok
    before = set(PressReleasePage.objects.values_list("pk", flat=True))
    report = run(indonesian_record(**fields))
    assert report.created == 0
    assert len(report.failures) == 1
    line, reason = report.failures[0]
    assert line == 1
    assert message in reason, reason
    assert set(PressReleasePage.objects.values_list("pk", flat=True)) == before


def test_original_already_translated_is_refused(newsroom):
    assert run(record(), indonesian_record()).ok
    report = run(
        record(title="Another", slug="another"),
        indonesian_record(title="Terjemahan kedua", slug="terjemahan-kedua"),
    )
    assert report.created == 1  # the English "Another"; line 2 refused
    assert len(report.failures) == 1
    line, reason = report.failures[0]
    assert line == 2
    assert "already has a translation in id: 'smelter-nikel-dibuka'" in reason
    assert not releases("id").filter(slug="terjemahan-kedua").exists()
    assert releases("id").count() == 1


def test_translation_made_in_the_admin_counts(newsroom):
    english = make_release("Nickel smelter opens", slug="nickel-smelter-opens")
    ensure_site_tree(Locale.objects.get(language_code="id"))
    english.copy_for_translation(Locale.objects.get(language_code="id"))
    report = run(indonesian_record())
    assert not report.ok
    assert "already has a translation in id" in report.failures[0][1]


def test_linking_a_release_that_translates_another_is_refused(newsroom):
    assert run(
        record(),
        record(title="Steel", slug="steel"),
        indonesian_record(slug="baja", translation_of="steel"),
    ).ok
    report = run(indonesian_record(slug="baja"))
    assert "already a translation of another release" in report.failures[0][1]
    steel = PressReleasePage.objects.get(slug="steel")
    assert releases("id").get(slug="baja").translation_key == steel.translation_key


def test_dry_run_writes_nothing(newsroom):
    assert run(record()).ok
    report = import_records(enumerate([indonesian_record()], start=1), dry_run=True)
    assert report.ok and report.created == 1
    assert not releases("id").exists()


def test_command_reports_the_line(newsroom, tmp_path):
    path = tmp_path / "releases.jsonl"
    lines = [record(), indonesian_record(translation_of="missing-slug")]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_releases", str(path), stdout=out, stderr=err)
    assert "line 2" in err.getvalue() + out.getvalue()
    assert "'missing-slug'" in err.getvalue()
    assert PressReleasePage.objects.filter(slug="nickel-smelter-opens").exists()
    assert not releases("id").exists()
