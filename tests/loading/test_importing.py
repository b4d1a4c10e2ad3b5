"""The archive import: newsroom.loading.importing and the import_releases command."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify
from wagtail.signals import page_published

from newsroom.loading.importing import import_records, parse_record
from newsroom.loading.records import read_records
from newsroom.models import (
    ContentVersion,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    Sector,
    Topic,
)
from tests.factories import (
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    make_official,
    make_release,
)

SECRETARY_GENERAL = "Secretary General, Ministry of Industry"


def record(**fields):
    """A complete, valid record in the documented format; ``fields`` override."""
    data = {
        "title": "Indonesia and China deepen cooperation on green industry",
        "slug": "indonesia-china-green-industry",
        "date": "2024-09-27",
        "event_date": "2024-09-25",
        "dateline": "Jakarta",
        "summary": "The Secretary General met the Deputy Minister of MIIT.",
        "body_html": "<p>The two ministries discussed <b>photovoltaics</b>.</p>",
        "reference": "SP-123/HMS/IX/2024",
        "language": "en",
        "officials": [
            {
                "name": "Eko S.A. Cahyanto",
                "role": "Secretary General",
                "organisation": "Ministry of Industry",
                "quoted": True,
            },
            {
                "name": "Wang Jiangping",
                "role": "Deputy Minister",
                "organisation": "Ministry of Industry and Information Technology",
                "quoted": False,
            },
        ],
        "organisations": [
            "Ministry of Industry",
            "Ministry of Industry and Information Technology",
        ],
        "sectors": ["Photovoltaics"],
        "regions": ["Indonesia > Central Sulawesi > Morowali Regency"],
        "topics": ["nickel", "green industry"],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def second_record(**fields):
    values = {
        "title": "Ministry backs steel as a green-industry sector",
        "slug": "steel-green-industry",
        "date": "2024-10-03",
        "event_date": None,
        "officials": [{"name": "Agus Gumiwang Kartasasmita", "quoted": True}],
        "organisations": ["Ministry of Industry"],
        "sectors": ["Steel"],
        "regions": ["Central Sulawesi"],
        "topics": ["steel"],
    }
    values.update(fields)
    return record(**values)


def write_jsonl(path, records):
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, *args):
    """Run the command; return (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_releases", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def import_one(data):
    report = import_records([(1, data)])
    return report


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [PressReleasePage, Official, Organisation, Sector, Region, Topic]
    }


# --- the command -------------------------------------------------------------------


class TestCommand:
    def test_jsonl(self, newsroom, tmp_path):
        path = write_jsonl(tmp_path / "releases.jsonl", [record(), second_record()])
        out, err, error = run(path)
        assert error is None, err
        assert "2 release(s) were created, 0 updated, 0 failed." in out
        release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
        assert release.live
        assert release.get_parent().pk == newsroom.pk
        assert PressReleasePage.objects.live().count() == 2

    def test_json_array(self, newsroom, tmp_path):
        path = tmp_path / "releases.json"
        path.write_text(json.dumps([record(), second_record()], indent=2))
        out, err, error = run(path)
        assert error is None, err
        assert "2 release(s) were created" in out
        assert set(PressReleasePage.objects.values_list("slug", flat=True)) == {
            "indonesia-china-green-industry",
            "steel-green-industry",
        }

    def test_blank_lines_and_utf8_bom_are_fine(self, newsroom, tmp_path):
        path = tmp_path / "releases.jsonl"
        text = "\n".join(["", json.dumps(record()), "   ", json.dumps(second_record())])
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        out, err, error = run(path)
        assert error is None, err
        assert PressReleasePage.objects.count() == 2

    def test_importing_twice_updates(self, newsroom, tmp_path):
        path = write_jsonl(tmp_path / "releases.jsonl", [record(), second_record()])
        run(path)
        before = counts()
        out, err, error = run(path)
        assert error is None, err
        assert "0 release(s) were created, 0 updated, 0 failed." in out
        assert "2 release(s) unchanged: already up to date." in out
        assert counts() == before
        assert ReleaseOfficial.objects.count() == 3

    def test_reimport_applies_changes(self, newsroom, tmp_path):
        path = write_jsonl(tmp_path / "a.jsonl", [record()])
        run(path)
        changed = record(
            summary="A corrected summary.", sectors=["Steel"], topics=["steel"]
        )
        write_jsonl(path, [changed])
        out, err, error = run(path)
        assert error is None, err
        release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
        assert release.standfirst == "A corrected summary."
        assert [s.name for s in release.sectors] == ["Steel"]
        assert [t.name for t in release.topics.all()] == ["steel"]
        assert PressReleasePage.objects.count() == 1

    def test_one_broken_line_among_good_ones(self, newsroom, tmp_path):
        path = write_jsonl(
            tmp_path / "releases.jsonl",
            [record(), '{"title": "broken', second_record()],
        )
        out, err, error = run(path)
        assert error is not None
        assert "1 record(s) failed" in str(error)
        assert "line 2:" in err
        assert "invalid JSON" in err
        assert "2 release(s) were created, 0 updated, 1 failed." in out
        assert PressReleasePage.objects.count() == 2

    def test_invalid_record_is_named_with_its_reason(self, newsroom, tmp_path):
        path = write_jsonl(
            tmp_path / "releases.jsonl",
            [record(), second_record(date="2024-02-30")],
        )
        out, err, error = run(path)
        assert error is not None
        assert "line 2: 'date' is not a valid date: '2024-02-30'" in err
        assert PressReleasePage.objects.count() == 1

    def test_dry_run_writes_nothing(self, newsroom, tmp_path):
        path = write_jsonl(tmp_path / "releases.jsonl", [record(), second_record()])
        before = counts()
        out, err, error = run(path, "--dry-run")
        assert error is None, err
        assert "2 release(s) would be created, 0 updated, 0 failed." in out
        assert counts() == before

    def test_dry_run_still_reports_bad_records(self, newsroom, tmp_path):
        path = write_jsonl(
            tmp_path / "releases.jsonl", [record(), second_record(title="")]
        )
        out, err, error = run(path, "--dry-run")
        assert error is not None
        assert "line 2: 'title' is required" in err
        assert PressReleasePage.objects.count() == 0

    def test_dry_run_on_a_fresh_database_leaves_no_site_tree(
        self, migrated_database, tmp_path
    ):
        from newsroom.models import HomePage

        path = write_jsonl(tmp_path / "releases.jsonl", [record()])
        out, err, error = run(path, "--dry-run")
        assert error is None, err
        assert not HomePage.objects.exists()

    def test_missing_file(self, db, tmp_path):
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_releases", str(tmp_path / "nope.jsonl"))

    def test_invalid_json_array(self, newsroom, tmp_path):
        path = tmp_path / "releases.json"
        path.write_text('[{"title": "x"},\n oops]')
        out, err, error = run(path)
        assert error is not None
        assert "invalid JSON array" in err
        assert PressReleasePage.objects.count() == 0

    def test_not_utf8(self, newsroom, tmp_path):
        path = tmp_path / "releases.jsonl"
        path.write_bytes(b'{"title": "\xff\xfe"}\n')
        out, err, error = run(path)
        assert error is not None
        assert "not UTF-8" in err


# --- what a record creates ------------------------------------------------------------


class TestRecordContent:
    def test_fields_and_links(self, newsroom):
        report = import_one(record())
        assert report.ok, report.failures
        assert report.created == 1
        release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
        assert release.title == (
            "Indonesia and China deepen cooperation on green industry"
        )
        assert str(release.release_date) == "2024-09-27"
        assert str(release.event_date) == "2024-09-25"
        assert release.dateline == "Jakarta"
        assert release.reference == "SP-123/HMS/IX/2024"
        assert release.standfirst.startswith("The Secretary General")
        links = list(release.release_officials.order_by("sort_order"))
        assert [(x.official.name, x.role, x.quoted) for x in links] == [
            ("Eko S.A. Cahyanto", SECRETARY_GENERAL, True),
            (
                "Wang Jiangping",
                "Deputy Minister, Ministry of Industry and Information Technology",
                False,
            ),
        ]
        assert [o.name for o in release.organisations] == [
            "Ministry of Industry",
            "Ministry of Industry and Information Technology",
        ]
        assert [s.name for s in release.sectors] == ["Photovoltaics"]
        assert [r.label_with_ancestors for r in release.regions] == [
            "Indonesia > Central Sulawesi > Morowali Regency"
        ]
        assert {t.name for t in release.topics.all()} == {"nickel", "green industry"}
        paragraph = release.body[0]
        assert paragraph.block_type == "paragraph"
        assert "<b>photovoltaics</b>" in paragraph.value.source

    def test_unknown_entities_are_created_with_slugified_names(self, newsroom):
        assert import_one(record()).ok
        for model, name in [
            (Official, "Eko S.A. Cahyanto"),
            (Official, "Wang Jiangping"),
            (Organisation, "Ministry of Industry and Information Technology"),
            (Sector, "Photovoltaics"),
            (Region, "Morowali Regency"),
            (Topic, "green industry"),
        ]:
            assert model.objects.get(name=name).slug == slugify(name), name
        assert Official.objects.get(name="Eko S.A. Cahyanto").slug == "eko-sa-cahyanto"

    def test_blank_role_comes_from_the_appointment_of_the_day(self, newsroom):
        make_official(
            "Eko S.A. Cahyanto",
            [
                (
                    "Director General",
                    "Ministry of Industry",
                    "2015-01-01",
                    "2019-12-31",
                ),
                ("Secretary General", "Ministry of Industry", "2020-01-01", None),
            ],
        )
        data = record(officials=[{"name": "Eko S.A. Cahyanto"}])
        assert import_one(data).ok
        old = record(
            slug="old-one",
            date="2018-04-02",
            event_date=None,
            officials=data["officials"],
        )
        assert import_one(old).ok
        roles = dict(ReleaseOfficial.objects.values_list("page__slug", "role"))
        assert roles == {
            "indonesia-china-green-industry": SECRETARY_GENERAL,
            "old-one": "Director General, Ministry of Industry",
        }

    def test_role_without_organisation_is_kept_as_given(self, newsroom):
        data = record(officials=[{"name": "Eko S.A. Cahyanto", "role": "Spokesman"}])
        assert import_one(data).ok
        assert ReleaseOfficial.objects.get().role == "Spokesman"

    def test_an_officials_organisation_is_found_or_created(self, newsroom):
        data = record(
            officials=[
                {"name": "Kenji Watanabe", "role": "Director", "organisation": "JETRO"}
            ],
            organisations=[],
        )
        assert import_one(data).ok
        assert Organisation.objects.filter(name="JETRO").count() == 1
        assert import_one(data).ok
        assert Organisation.objects.filter(name="JETRO").count() == 1

    def test_live_false_creates_a_draft(self, newsroom, client):
        assert import_one(record(live=False)).ok
        release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
        assert not release.live
        assert client.get("/news/indonesia-china-green-industry/").status_code == 404

    def test_featured_flag(self, newsroom):
        assert import_one(record(featured=True)).ok
        assert PressReleasePage.objects.get().featured

    def test_key_figures(self, newsroom):
        data = record(
            key_figures=[
                {
                    "value": 1200000000,
                    "unit": "USD",
                    "is_currency": True,
                    "label": "investment",
                },
                {"value": "3000", "unit": "jobs", "label": "jobs"},
            ]
        )
        assert import_one(data).ok
        figures = PressReleasePage.objects.get().key_figures()
        assert [(str(f["value"]), f["unit"], f["label"]) for f in figures] == [
            ("1200000000.00", "USD", "investment"),
            ("3000.00", "jobs", "jobs"),
        ]

    def test_html_script_is_sanitised(self, newsroom, client):
        data = record(
            body_html='<p>Hello<script>alert("x")</script></p>'
            '<p onclick="steal()">Click <a href="javascript:evil()">here</a></p>'
            '<iframe src="https://evil.example"></iframe>'
        )
        assert import_one(data).ok
        release = PressReleasePage.objects.get()
        source = release.body[0].value.source
        for bad in ["<script", "onclick", "javascript:", "<iframe"]:
            assert bad not in source
        assert "Hello" in source
        html = client.get(release.url).content.decode()
        assert "<script>alert" not in html
        assert "steal()" not in html

    def test_nul_characters_are_dropped(self, newsroom):
        assert import_one(record(title="Steel\x00 talks", slug=None)).ok
        assert PressReleasePage.objects.get().title == "Steel talks"


# --- sectors and regions given by name or by path ------------------------------------


class TestTreePaths:
    def test_path_creates_each_level_once(self, newsroom):
        path = "Indonesia > Central Sulawesi > Morowali Regency"
        assert import_one(record(regions=[path])).ok
        assert import_one(second_record(regions=[path])).ok
        assert Region.objects.count() == 3
        morowali = Region.objects.get(name="Morowali Regency")
        assert morowali.depth == 3
        assert morowali.label_with_ancestors == path
        both = PressReleasePage.objects.filter(release_regions__region=morowali)
        assert both.count() == 2

    def test_path_reuses_existing_levels(self, newsroom):
        indonesia = RegionFactory(name="Indonesia", kind="country", iso_code="ID")
        sulawesi = RegionFactory(
            name="Central Sulawesi", parent=indonesia, iso_code="ID-ST"
        )
        assert import_one(record(regions=["Indonesia > Central Sulawesi > Palu"])).ok
        assert Region.objects.count() == 3
        palu = Region.objects.get(name="Palu")
        assert palu.get_parent() == sulawesi
        assert Region.objects.get(pk=sulawesi.pk).iso_code == "ID-ST"

    def test_path_is_matched_without_regard_to_case_or_spaces(self, newsroom):
        assert import_one(record(sectors=["Basic Metals > Steel"])).ok
        assert import_one(second_record(sectors=["basic metals>steel"])).ok
        assert Sector.objects.count() == 2

    def test_bare_name_matches_a_node_anywhere_by_name(self, newsroom):
        indonesia = RegionFactory(name="Indonesia")
        sulawesi = RegionFactory(name="Central Sulawesi", parent=indonesia)
        morowali = RegionFactory(name="Morowali Regency", parent=sulawesi)
        assert import_one(record(regions=["Morowali Regency", "central sulawesi"])).ok
        release = PressReleasePage.objects.get()
        assert set(release.regions) == {morowali, sulawesi}
        assert Region.objects.count() == 3

    def test_bare_name_matches_by_slug(self, newsroom):
        metals = SectorFactory(name="Basic Metals")
        steel = SectorFactory(name="Iron and Steel", slug="steel", parent=metals)
        assert import_one(record(sectors=["steel"])).ok
        assert PressReleasePage.objects.get().sectors == [steel]
        assert Sector.objects.count() == 2

    def test_unknown_bare_name_is_created_at_the_top(self, newsroom):
        assert import_one(record(sectors=["Rare Earth Metals"])).ok
        node = Sector.objects.get(name="Rare Earth Metals")
        assert node.is_root()
        assert node.slug == "rare-earth-metals"

    def test_same_node_twice_is_linked_once(self, newsroom):
        data = record(sectors=["Steel", "steel", "STEEL"])
        assert import_one(data).ok
        assert len(PressReleasePage.objects.get().sectors) == 1

    def test_empty_level_is_rejected(self, newsroom):
        report = import_one(record(regions=["Indonesia > > Palu"]))
        assert not report.ok
        assert "empty level" in report.failures[0][1]
        assert Region.objects.count() == 0


# --- matching existing releases ------------------------------------------------------


class TestMatching:
    def test_match_on_title_and_date_without_slug(self, newsroom):
        data = record(slug=None)
        assert import_one(data).created == 1
        report = import_one(record(slug=None, summary="Updated summary."))
        assert (report.created, report.updated) == (0, 1)
        release = PressReleasePage.objects.get()
        assert release.standfirst == "Updated summary."
        assert release.slug == slugify(data["title"])

    def test_same_title_on_another_date_is_another_release(self, newsroom):
        assert import_one(record(slug=None)).ok
        report = import_one(record(slug=None, date="2024-10-01", event_date=None))
        assert report.created == 1
        slugs = set(PressReleasePage.objects.values_list("slug", flat=True))
        assert len(slugs) == 2

    def test_match_on_slug_even_when_the_title_changes(self, newsroom):
        assert import_one(record()).ok
        report = import_one(record(title="A new title"))
        assert report.updated == 1
        assert PressReleasePage.objects.get().title == "A new title"

    def test_reimporting_an_unchanged_release_writes_nothing(self, newsroom):
        data = record(
            body_html="<p>Figures below.</p>",
            key_figures=[{"value": 3000, "unit": "jobs", "label": "Jobs"}],
            featured=True,
        )
        assert import_one(data).created == 1
        release = PressReleasePage.objects.get()
        published_at = release.last_published_at
        version = ContentVersion.current()
        published = []

        def count_publish(instance, **kwargs):
            published.append(instance.pk)

        page_published.connect(count_publish)
        try:
            report = import_one(data)
        finally:
            page_published.disconnect(count_publish)

        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert published == []  # no alert, reindex or cache bump is set off
        release.refresh_from_db()
        assert release.revisions.count() == 1
        assert release.last_published_at == published_at
        assert ContentVersion.current() == version

    def test_regulations_named_and_cited_are_linked_once(self, newsroom):
        mining = RegulationFactory(type="law", number="4", year=2009)
        amendment = RegulationFactory(type="law", number="3", year=2020)
        data = record(
            regulations=["UU No. 3 Tahun 2020"],
            body_html="<p>Under Law No. 4 of 2009 and UU 3/2020.</p>",
        )
        assert import_one(data).created == 1
        release = PressReleasePage.objects.get()
        assert release.regulations == [amendment, mining]  # named, then cited
        # Imported again unchanged: nothing written, nothing linked twice.
        report = import_one(data)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert release.release_regulations.count() == 2
        report = import_one({**data, "regulations": [], "body_html": "<p>None.</p>"})
        assert report.updated == 1
        assert PressReleasePage.objects.get().regulations == []

    @pytest.mark.parametrize(
        "change",
        [
            {"summary": "A corrected summary."},
            {"body_html": "<p>Another body.</p>"},
            {"key_figures": [{"value": 3001, "unit": "jobs", "label": "Jobs"}]},
            {"officials": [{"name": "Eko S.A. Cahyanto", "quoted": False}]},
            {"regions": ["Central Sulawesi"]},
            {"topics": ["nickel"]},
            {"featured": True},
            {"event_date": "2024-09-26"},
            {"title": "A new title"},
        ],
        ids=lambda change: next(iter(change)),
    )
    def test_reimporting_a_changed_release_publishes_a_revision(self, newsroom, change):
        data = record(key_figures=[{"value": 3000, "unit": "jobs", "label": "Jobs"}])
        assert import_one(data).created == 1
        version = ContentVersion.current()

        report = import_one({**data, **change})

        assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
        release = PressReleasePage.objects.get()
        assert release.revisions.count() == 2
        assert not release.has_unpublished_changes
        assert ContentVersion.current() > version

    def test_unchanged_record_still_publishes_a_pending_draft(self, newsroom):
        data = record()
        assert import_one(data).created == 1
        release = PressReleasePage.objects.get()
        release.standfirst = "An editor's unpublished draft."
        release.save_revision()

        report = import_one(data)

        assert report.updated == 1
        release.refresh_from_db()
        assert not release.has_unpublished_changes
        assert release.standfirst == data["summary"]

    def test_unchanged_draft_record_leaves_the_draft_alone(self, newsroom):
        data = record(live=False)
        assert import_one(data).created == 1
        assert import_one(data).unchanged == 1
        release = PressReleasePage.objects.get()
        assert not release.live
        assert release.revisions.count() == 1
        report = import_one(record(live=False, summary="Draft, amended."))
        assert report.updated == 1
        release.refresh_from_db()
        assert not release.live
        latest = release.get_latest_revision_as_object()
        assert latest.standfirst == "Draft, amended."

    def test_updates_a_release_written_in_the_admin(self, newsroom):
        make_release("Written by hand", slug="written-by-hand")
        report = import_one(record(slug="written-by-hand"))
        assert report.updated == 1
        assert PressReleasePage.objects.count() == 1


# --- bad records --------------------------------------------------------------------

BAD_RECORDS = [
    ("not an object", ["a list"], "must be a JSON object"),
    ("unknown field", record(colour="red"), "unknown field(s): colour"),
    ("missing title", record(title=None), "'title' is required"),
    ("blank title", record(title="   "), "'title' is required"),
    ("title not a string", record(title=123), "'title' must be a string, not int"),
    ("missing date", record(date=None), "'date' is required"),
    ("invalid date", record(date="27/09/2024"), "'date' is not a valid date"),
    ("date not a string", record(date=20240927), "'date' must be an ISO date"),
    ("event after date", record(event_date="2024-09-28"), "'event_date' is after"),
    ("missing summary", record(summary=None), "'summary' is required"),
    ("reserved slug", record(slug="feed"), "reserved"),
    ("reserved slug topics", record(slug="topics"), "reserved"),
    ("reserved slug regulations", record(slug="regulations"), "reserved"),
    (
        "regulations not a list",
        record(regulations="UU 3/2020"),
        "'regulations' must be a list",
    ),
    (
        "not a regulation",
        record(regulations=["the mining law"]),
        "is not a reference to a regulation",
    ),
    (
        "regulation not in the register",
        record(regulations=["Law No. 99 of 2030"]),
        "is not in the register",
    ),
    ("slug not a slug", record(slug="export.csv"), "slug"),
    ("bad slug", record(slug="Not A Slug!"), "is not a valid slug"),
    ("unknown language", record(language="xx"), "unknown language 'xx'"),
    (
        "duplicate official",
        record(
            officials=[{"name": "Eko S.A. Cahyanto"}, {"name": "eko s.a. cahyanto"}]
        ),
        "listed twice",
    ),
    ("officials not a list", record(officials="Eko"), "'officials' must be a list"),
    ("official not an object", record(officials=["Eko"]), "official 1 must be"),
    ("official without name", record(officials=[{"role": "x"}]), "'name' is required"),
    (
        "quoted not a boolean",
        record(officials=[{"name": "Eko", "quoted": "yes"}]),
        "'quoted' must be true or false",
    ),
    ("sectors not a list", record(sectors="Steel"), "'sectors' must be a list"),
    ("region not a string", record(regions=[1]), "'regions' must be a list of names"),
    ("topic empty", record(topics=[""]), "has an empty name"),
    ("live not a boolean", record(live="false"), "'live' must be true or false"),
    ("huge body", record(body_html="<p>" + "x" * 100_001 + "</p>"), "longer than"),
    ("huge title", record(title="x" * 256), "longer than 255"),
    ("huge name", record(sectors=["x" * 1001]), "longer than 255 characters"),
    (
        "key figure without value",
        record(key_figures=[{"unit": "USD", "label": "x"}]),
        "no numeric 'value'",
    ),
    (
        "key figure out of range",
        record(key_figures=[{"value": "1e30", "label": "x"}]),
        "out of range",
    ),
    ("key figure NaN", record(key_figures=[{"value": "NaN", "label": "x"}]), "range"),
    ("unknown hero image", record(hero_image="Nope"), "no image titled 'Nope'"),
]


@pytest.mark.parametrize(
    ("data", "reason"),
    [pytest.param(data, reason, id=name) for name, data, reason in BAD_RECORDS],
)
def test_bad_record_is_refused_with_its_reason_and_leaves_nothing(db, data, reason):
    before = counts()
    report = import_records([(7, data)])
    assert report.created == report.updated == 0
    assert len(report.failures) == 1
    line, message = report.failures[0]
    assert line == 7
    assert reason in message
    assert counts() == before


def test_bad_records_between_good_ones(newsroom):
    records = [
        (1, record()),
        (2, record(slug="bad", date="nope")),
        (3, second_record()),
        (4, record(slug="bad-two", officials=[{"name": "New Person"}] * 2)),
    ]
    report = import_records(records)
    assert (report.created, report.updated) == (2, 0)
    assert [line for line, _ in report.failures] == [2, 4]
    assert not Official.objects.filter(name="New Person").exists()


def test_failed_record_leaves_no_orphan_entities(newsroom):
    """A record failing after its entities were found/created rolls them back."""
    data = record(
        slug="orphans",
        officials=[{"name": "Orphan Official", "organisation": "Orphan Ministry"}],
        organisations=["Orphan Agency"],
        sectors=["Orphan Sector > Orphan Subsector"],
        regions=["Orphan Land > Orphan Province"],
        topics=["orphan topic"],
        hero_image="No such picture",  # fails after the entities are written
    )
    before = counts()
    report = import_records([(1, data)])
    assert not report.ok
    assert counts() == before
    assert not Official.objects.filter(name="Orphan Official").exists()
    assert not Organisation.objects.filter(name__startswith="Orphan").exists()
    assert not Sector.objects.exists()
    assert not Region.objects.exists()
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "names",
    [
        ["Ministry of Industry", "ministry of industry"],
        ["Ministry of Industry", "Kemenperin"],
    ],
)
def test_organisation_named_twice_differently(newsroom, names):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Ministry of Industry", acronym="Kemenperin")
    report = import_records([(1, record(organisations=names)), (2, second_record())])
    # Either linked once or reported as a failure, but the import goes on.
    assert report.created >= 1
    release = PressReleasePage.objects.get(slug="steel-green-industry")
    assert release.live


def test_official_named_twice_differently(newsroom):
    officials = [{"name": "Agus Gumiwang"}, {"name": "Agus Gumiwang."}]
    report = import_records([(1, record(officials=officials)), (2, second_record())])
    assert len(report.failures) + report.created == 2
    assert PressReleasePage.objects.filter(slug="steel-green-industry").exists()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"topics": ["t" * 150]}, id="topic"),
        pytest.param({"organisations": ["o" * 300]}, id="organisation"),
        pytest.param({"sectors": ["s" * 300]}, id="sector"),
        pytest.param({"regions": ["Indonesia > " + "r" * 300]}, id="region"),
        pytest.param(
            {
                "officials": [
                    {"name": "A", "role": "r" * 200, "organisation": "o" * 200}
                ]
            },
            id="role",
        ),
    ],
)
def test_name_longer_than_the_database_allows_is_refused(newsroom, fields):
    report = import_records([(1, record(**fields)), (2, second_record())])
    assert [line for line, _ in report.failures] == [1]
    assert report.created == 1
    assert not PressReleasePage.objects.filter(
        slug="indonesia-china-green-industry"
    ).exists()


# --- reading ----------------------------------------------------------------------


def test_read_records_numbers_lines_and_positions():
    jsonl = io.BytesIO(b'{"a": 1}\n\n{"b": 2}\nnot json\n')
    rows = list(read_records(jsonl))
    assert [line for line, _ in rows] == [1, 3, 4]
    assert rows[0][1] == {"a": 1}
    assert "invalid JSON" in str(rows[2][1])

    array = io.BytesIO(b'[{"a": 1}, {"b": 2}]')
    assert list(read_records(array)) == [(1, {"a": 1}), (2, {"b": 2})]


def test_parse_record_defaults():
    data = parse_record(
        {"title": "T", "date": "2024-01-02", "summary": "S", "officials": []}
    )
    assert data["language"] == "en"
    assert data["live"] is True
    assert data["featured"] is False
    assert data["event_date"] is None
    assert data["officials"] == []
