"""The release as PDF, its press kit and ninjs: contents, languages, refusals."""

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
import vobject
from django.core.cache import cache

from newsroom.channels.release_pdf import LocalFilesOnly, pdf_cache_key
from tests.factories import make_release

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ninjs_2_0_subset.json").read_text())


def pdf_text(content):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: run `make system-deps` (poppler-utils)")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def test_pdf_holds_the_release_in_english(client, release):
    response = client.get(f"{release.url}release.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Indonesia and China deepen green industry cooperation" in text
    assert "Jakarta" in text
    assert "SP-123/HMS/IX/2024" in text
    assert "27 September 2024" in text
    assert "Febri Hendri" in text and "Ayu Lestari" in text
    assert "Head of Public Relations Bureau" in text
    assert "About Ministry of Industry" in text
    assert "develops Indonesia's manufacturing sector" in text
    assert "Secretary General" in text
    assert "USD 1.2 billion" in text
    assert "Page 1 / " in text
    assert f"{release.full_url}" in text.replace(" ", "") or release.url in text


def pdfinfo(content, *options):
    result = subprocess.run(
        ["pdfinfo", *options, "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_pdf_is_tagged_a4_and_declares_pdf_ua(client, release):
    content = client.get(f"{release.url}release.pdf").content
    info = pdfinfo(content)
    assert "Tagged:          yes" in info
    assert "595.276 x 841.89 pts (A4)" in info
    assert "Title:           Indonesia and China deepen" in info
    assert "pdfuaid:part" in pdfinfo(content, "-meta")


def test_pdf_in_indonesian(client, indonesian_release):
    response = client.get(f"{indonesian_release.url}release.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Indonesia dan Tiongkok perkuat kerja sama industri hijau" in text
    assert "Jakarta" in text
    assert "Kepala Biro Hubungan Masyarakat" in text
    assert "Kementerian Perindustrian membina sektor manufaktur" in text
    assert "September 2024" in text


def test_pdf_is_kept_per_published_revision(client, release):
    client.get(f"{release.url}release.pdf")
    assert cache.get(pdf_cache_key(release)) is not None
    release.title = "A corrected title"
    release.save_revision().publish()
    release.refresh_from_db()
    assert cache.get(pdf_cache_key(release)) is None
    text = pdf_text(client.get(f"{release.url}release.pdf").content)
    assert "A corrected title" in text


def test_the_pdf_fetches_nothing_from_the_network():
    fetcher = LocalFilesOnly()
    for url in (
        "https://example.org/tracker.png",
        "http://127.0.0.1:8000/media/x.jpg",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_press_kit_holds_every_named_file(client, release):
    response = client.get(f"{release.url}press-kit.zip")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    slug = release.slug
    assert sorted(archive.namelist()) == sorted(
        [
            "release.pdf",
            "release.md",
            "release.json",
            "CREDITS.txt",
            f"pictures/{slug}-1.jpg",
            "documents/joint-statement.pdf",
            "contacts/febri-hendri.vcf",
            "contacts/ayu-lestari.vcf",
        ]
    )
    assert archive.read("release.pdf").startswith(b"%PDF-")
    assert (
        archive.read(f"pictures/{slug}-1.jpg")
        == release.hero_image.file.open("rb").read()
    )
    markdown = archive.read("release.md").decode()
    assert markdown.startswith("# Indonesia and China deepen green industry")
    assert "## Context" in markdown
    assert (
        f"![Rows of solar panels under a clear sky](pictures/{slug}-1.jpg)" in markdown
    )
    assert "| Nickel | 1,800,000 |" in markdown
    assert "- investment: USD 1.2 billion" in markdown
    assert "## About Ministry of Industry" in markdown
    credits = archive.read("CREDITS.txt").decode()
    assert f"pictures/{slug}-1.jpg" in credits
    assert "Credit: Ministry of Industry/Public Relations" in credits
    card = vobject.readOne(archive.read("contacts/febri-hendri.vcf").decode())
    assert card.fn.value == "Febri Hendri"
    jsonschema.validate(json.loads(archive.read("release.json")), SCHEMA)


def test_ninjs_passes_its_schema(client, release):
    response = client.get(f"{release.url}ninjs.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    jsonschema.validate(
        data, SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    assert data["uri"] == release.full_url
    assert data["standard"]["version"] == "2.0"
    assert data["headlines"][0]["value"] == release.title
    assert data["located"] == "Jakarta"
    assert data["altids"] == [{"role": "reference", "value": "SP-123/HMS/IX/2024"}]
    assert data["people"][0]["rel"] == "quoted"
    assert data["organisations"][0]["name"] == "Ministry of Industry"
    picture = data["associations"][0]
    assert picture["type"] == "picture"
    assert picture["renditions"][0]["width"] == 64
    assert "Febri Hendri" in data["ednote"]


def test_indonesian_ninjs(client, indonesian_release):
    data = client.get(f"{indonesian_release.url}ninjs.json").json()
    jsonschema.validate(data, SCHEMA)
    assert data["language"] == "id"
    assert data["organisations"][0]["name"] == "Kementerian Perindustrian"
    assert data["uri"].endswith("/id/news/kerja-sama-industri-hijau/")


@pytest.mark.parametrize("name", ["release.pdf", "press-kit.zip", "ninjs.json"])
def test_unpublished_release_has_no_downloads(client, newsroom, name):
    draft = make_release("A draft about lithium", live=False)
    assert client.get(f"/news/{draft.slug}/{name}").status_code == 404
    withdrawn = make_release(
        "A withdrawn one",
        withdrawn=True,
        withdrawal_reason="Issued in error.",
        withdrawn_on="2024-10-01",
    )
    assert client.get(f"{withdrawn.url}{name}").status_code == 404
    assert client.get(f"/news/no-such-release/{name}").status_code == 404
    assert client.get(f"/news/{name}").status_code == 404


def test_downloads_of_a_release_that_leaves(client, release):
    assert client.get(f"{release.url}ninjs.json").status_code == 200
    url = release.url
    release.unpublish()
    for name in ("release.pdf", "press-kit.zip", "ninjs.json"):
        assert client.get(f"{url}{name}").status_code == 404
