"""Releases linked to the regulations they cite: import_releases' "regulations"
and the citations in its text, and link_regulations over the archive (the demo,
whose releases cite its register, is tested in test_load_demo.py)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.rich_text import RichText

from newsroom.loading.importing import import_records
from newsroom.models import (
    ContentVersion,
    ListedRelease,
    PressReleasePage,
    Regulation,
    ReleaseRegulation,
)
from tests.factories import make_release


@pytest.fixture
def regulations(newsroom):
    """Law 4/2009, Law 3/2020 amending it, and Perpres 55/2019, by slug."""
    mining = Regulation.objects.create(
        type="law", number="4", year=2009, title="Mineral and Coal Mining"
    )
    amendment = Regulation(
        type="law", number="3", year=2020, title="Amendment to Law 4/2009"
    )
    amendment.amends = [mining]
    amendment.save()
    Regulation.objects.create(
        type="presidential_regulation",
        number="55",
        year=2019,
        title="Battery electric vehicles",
    )
    return {regulation.slug: regulation for regulation in Regulation.objects.all()}


def record(**fields):
    data = {
        "title": "Smelters asked to report on domestic processing",
        "slug": "smelters-domestic-processing",
        "date": "2024-09-27",
        "summary": "The ministry asked smelters to report on their processing.",
        "body_html": "<p>The ministry met smelter operators in Morowali.</p>",
    }
    data.update(fields)
    return data


def run_import(tmp_path, *records):
    path = tmp_path / "releases.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_releases", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def linked(release):
    return list(
        ReleaseRegulation.objects.filter(page=release)
        .order_by("sort_order", "pk")
        .values_list("regulation__slug", flat=True)
    )


def listed(client, slug):
    """The titles /news/?regulation=<slug> lists."""
    response = client.get("/news/", {"regulation": slug})
    assert response.status_code == 200
    return {
        release.title
        for release in PressReleasePage.objects.all()
        if release.title in response.content.decode()
    }


# --- import_releases ----------------------------------------------------------------


class TestImportReleases:
    def test_regulations_given_by_reference(self, regulations, tmp_path, client):
        out, err, error = run_import(
            tmp_path, record(regulations=["Law 3/2020", "Perpres 55/2019"])
        )

        assert error is None, err
        release = PressReleasePage.objects.get(slug="smelters-domestic-processing")
        assert linked(release) == ["law-3-2020", "presidential-regulation-55-2019"]
        assert listed(client, "law-3-2020") == {release.title}

    def test_a_citation_in_the_body_alone_links_it(self, regulations, tmp_path, client):
        body = "<p>Smelters must process ore as UU No. 3 Tahun 2020 requires.</p>"
        out, err, error = run_import(tmp_path, record(body_html=body))

        assert error is None, err
        release = PressReleasePage.objects.get(slug="smelters-domestic-processing")
        assert linked(release) == ["law-3-2020"]
        assert listed(client, "law-3-2020") == {release.title}

    def test_given_first_then_those_the_text_cites(self, regulations, newsroom):
        data = record(
            title="Perpres 55/2019 incentives reviewed",
            body_html="<p>Law Number 3 of 2020 concerning Amendments to Law "
            "Number 4 of 2009 concerning Mineral and Coal Mining.</p>",
            regulations=["UU 4/2009"],
        )
        report = import_records([(1, data)])

        assert report.ok, report.failures
        release = PressReleasePage.objects.get(slug="smelters-domestic-processing")
        assert linked(release)[0] == "law-4-2009"
        assert sorted(linked(release)) == [
            "law-3-2020",
            "law-4-2009",
            "presidential-regulation-55-2019",
        ]

    def test_importing_again_changes_nothing(self, regulations, tmp_path):
        body = "<p>As Perpres 55/2019 and UU 3/2020 provide.</p>"
        data = record(body_html=body, regulations=["Law 4/2009"])
        run_import(tmp_path, data)
        version = ContentVersion.current()

        out, err, error = run_import(tmp_path, data)

        assert "1 release(s) unchanged" in out
        assert ContentVersion.current() == version
        assert ReleaseRegulation.objects.count() == 3

    def test_a_reference_not_in_the_register_fails_the_record(
        self, regulations, tmp_path
    ):
        out, err, error = run_import(
            tmp_path,
            record(regulations=["Law 3/2020", "UU 7/2014"]),
            record(slug="another", title="Another release"),
        )

        assert error is not None
        assert "line 1: 'regulations': UU 7/2014 ('UU 7/2014') is not in the " in err
        assert "import_regulations" in err
        assert list(PressReleasePage.objects.values_list("slug", flat=True)) == [
            "another"
        ]

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("Law 3/2020", "'regulations' must be a list of references"),
            (["the Mining Law"], "'regulations': 'the Mining Law' is not a reference"),
        ],
    )
    def test_a_malformed_reference_fails_the_record(self, newsroom, value, reason):
        report = import_records([(1, record(regulations=value))])
        [(line_number, failure)] = report.failures
        assert failure.startswith(reason)
        assert not PressReleasePage.objects.exists()


# --- link_regulations ---------------------------------------------------------------


def run_link(*args):
    out = io.StringIO()
    call_command("link_regulations", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def archive(regulations):
    """Releases written before the register knew what they cite (made directly,
    so nothing linked them), one of them a draft, one linked already."""
    cites = make_release(
        "Battery plant opens",
        body=[("paragraph", RichText("<p>Under Perpres 55/2019 and UU 7/2014.</p>"))],
    )
    draft = make_release(
        "Draft on mining",
        standfirst="Law No. 3 of 2020 and Law No. 7 of 2014 on Trade.",
        live=False,
    )
    linked_already = make_release(
        "Mining rules",
        standfirst="As UU No. 4 Tahun 2009 and UU No. 3 Tahun 2020 provide.",
    )
    ReleaseRegulation.objects.create(
        page=linked_already, regulation=regulations["law-4-2009"], sort_order=0
    )
    ListedRelease.refresh([linked_already.pk])
    plain = make_release("Nothing cited")
    return {
        "cites": cites,
        "draft": draft,
        "linked already": linked_already,
        "plain": plain,
    }


def test_dry_run_writes_nothing(archive):
    rows = sorted(ReleaseRegulation.objects.values_list("page_id", "regulation_id"))
    listing = sorted(ListedRelease.objects.values_list("pk", "regulations"))
    version = ContentVersion.current()

    out = run_link("--dry-run")

    assert f"#{archive['cites'].pk} battery-plant-opens: would link " in out
    assert "would link Presidential Regulation No. 55 of 2019" in out
    assert "3 link(s) would be added to 3 of 4 release(s)" in out
    assert "UU 7/2014 — cited by 2 releases, not in the register" in out
    assert sorted(
        ReleaseRegulation.objects.values_list("page_id", "regulation_id")
    ) == (rows)
    assert sorted(ListedRelease.objects.values_list("pk", "regulations")) == listing
    assert ContentVersion.current() == version


def test_links_what_the_text_cites_and_reports_the_unknown(archive, client):
    version = ContentVersion.current()

    out = run_link()

    assert "3 link(s) were added to 3 of 4 release(s)" in out
    assert f"#{archive['draft'].pk} draft-on-mining: linked Law No. 3 of 2020" in out
    assert (
        f"#{archive['linked already'].pk} mining-rules: linked Law No. 3 of 2020" in out
    )
    assert "Cited but not in the register:\n  UU 7/2014 — cited by 2 releases" in out
    assert linked(archive["cites"]) == ["presidential-regulation-55-2019"]
    # Any status: a link shows nothing by itself, the listing table decides.
    assert linked(archive["draft"]) == ["law-3-2020"]
    # After the links it had.
    assert linked(archive["linked already"]) == ["law-4-2009", "law-3-2020"]
    assert linked(archive["plain"]) == []
    assert ContentVersion.current() > version
    assert listed(client, "law-3-2020") == {"Mining rules"}
    assert listed(client, "presidential-regulation-55-2019") == {"Battery plant opens"}

    again = run_link()

    assert "0 link(s) were added to 0 of 4 release(s)" in again
    assert "UU 7/2014 — cited by 2 releases" in again


def test_works_in_slices(archive):
    from newsroom.loading.regulations import link_releases

    seen = []
    report = link_releases(on_release=lambda r, added: seen.append(r.pk), chunk_size=1)

    assert (report.releases, report.linked, report.links) == (4, 3, 3)
    assert seen == sorted(seen)
    assert ReleaseRegulation.objects.count() == 4
