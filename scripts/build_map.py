"""Build the map of Indonesia's provinces: static/maps/indonesia-provinces.svg.

The boundaries come from the npm package @svg-maps/indonesia (CC BY 4.0, "based on
the work of MapSVG", package.json's devDependencies; `npm ci --ignore-scripts`
puts it in node_modules/). This script reads its SVG, simplifies every outline
(Douglas-Peucker, then coordinates rounded to a grid of half a unit, islands
smaller than a few pixels left out but each province's largest), joins each shape
to its Kemendagri province code through the explicit table below, and writes the
SVG the site ships (committed). The pages draw it inline with a link per province
(newsroom/channels/region_map.py); nothing is fetched at run time. After a change
of package version or of the figures below:

    npm ci --ignore-scripts && .venv/bin/python scripts/build_map.py

The package has the 34 provinces of before 2022. The four provinces carved out of
Papua and West Papua in 2022 share the shape they were carved from: the table
gives that shape their codes after its own, and the pages say so.
"""

import hashlib
import json
import math
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "@svg-maps" / "indonesia"
SOURCE = PACKAGE / "indonesia.svg"
OUTPUT = ROOT / "static" / "maps" / "indonesia-provinces.svg"
SVG_NS = "http://www.w3.org/2000/svg"

# The package's shape ids (ISO 3166-2 codes before 2022) and the Kemendagri codes
# they draw: the province itself first, then those carved out of it since.
SHAPES = {
    "id-ac": ("11",),  # Aceh
    "id-su": ("12",),  # North Sumatra
    "id-sb": ("13",),  # West Sumatra
    "id-ri": ("14",),  # Riau
    "id-ja": ("15",),  # Jambi
    "id-ss": ("16",),  # South Sumatra
    "id-be": ("17",),  # Bengkulu
    "id-la": ("18",),  # Lampung
    "id-bb": ("19",),  # Bangka Belitung Islands
    "id-kr": ("21",),  # Riau Islands
    "id-jk": ("31",),  # Jakarta
    "id-jb": ("32",),  # West Java
    "id-jt": ("33",),  # Central Java
    "id-yo": ("34",),  # Yogyakarta
    "id-ji": ("35",),  # East Java
    "id-bt": ("36",),  # Banten
    "id-ba": ("51",),  # Bali
    "id-nb": ("52",),  # West Nusa Tenggara
    "id-nt": ("53",),  # East Nusa Tenggara
    "id-kb": ("61",),  # West Kalimantan
    "id-kt": ("62",),  # Central Kalimantan
    "id-ks": ("63",),  # South Kalimantan
    "id-ki": ("64",),  # East Kalimantan
    "id-ku": ("65",),  # North Kalimantan
    "id-sa": ("71",),  # North Sulawesi
    "id-st": ("72",),  # Central Sulawesi
    "id-sn": ("73",),  # South Sulawesi
    "id-sg": ("74",),  # Southeast Sulawesi
    "id-go": ("75",),  # Gorontalo
    "id-sr": ("76",),  # West Sulawesi
    "id-ma": ("81",),  # Maluku
    "id-mu": ("82",),  # North Maluku
    # Papua: South Papua, Central Papua and Highland Papua were carved out of it
    # in 2022 (Laws 14, 15 and 16 of 2022).
    "id-pa": ("91", "93", "94", "95"),
    # West Papua: Southwest Papua was carved out of it in 2022 (Law 29 of 2022).
    "id-pb": ("92", "96"),
}
CARVED_IN = "2022"

TOLERANCE = 0.5  # Douglas-Peucker, in the package's units (793 across)
GRID = 2  # coordinates are written in halves of a unit
MIN_AREA = 0.6  # square units: smaller islands are left out (about 1 px wide)


def parse_path(d):
    """The rings of an SVG path's ``d``, as lists of (x, y): moves and straight
    lines only, absolute or relative, which is all the package uses."""
    tokens = re.findall(r"[A-DF-Za-df-z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?", d)
    rings, ring = [], []
    x = y = start_x = start_y = 0.0
    command = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "Zz":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start_x, start_y
                continue
            if command not in "MmLlHhVv":
                raise ValueError(f"unsupported path command {command!r}")
        relative = command.islower()
        if command in "Hh":
            x = x + float(tokens[index]) if relative else float(tokens[index])
            index += 1
        elif command in "Vv":
            y = y + float(tokens[index]) if relative else float(tokens[index])
            index += 1
        else:
            dx, dy = float(tokens[index]), float(tokens[index + 1])
            index += 2
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        if command in "Mm":
            if ring:
                rings.append(ring)
            ring = [(x, y)]
            start_x, start_y = x, y
            command = "l" if relative else "L"  # further pairs are lines
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def area(ring):
    """The ring's area (shoelace), unsigned."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def distance_to_segment(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    if not length:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points, tolerance):
    """The points of an open line that keep it within ``tolerance``."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            gap = distance_to_segment(points[i], points[first], points[last])
            if gap > farthest:
                farthest, index = gap, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring, tolerance=TOLERANCE, grid=GRID):
    """A closed ring simplified and snapped to the grid (in grid units); fewer than
    three points left means it is too small to draw."""
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 3:
        return []
    # Split the ring at its point farthest from the first, so that both halves
    # are open lines with fixed ends.
    far = max(range(len(ring)), key=lambda i: math.dist(ring[0], ring[i]))
    halves = (ring[: far + 1], [*ring[far:], ring[0]])
    kept = douglas_peucker(halves[0], tolerance)[:-1]
    kept += douglas_peucker(halves[1], tolerance)[:-1]
    snapped = []
    for x, y in kept:
        point = (round(x * grid), round(y * grid))
        if not snapped or point != snapped[-1]:
            snapped.append(point)
    if len(snapped) > 1 and snapped[0] == snapped[-1]:
        snapped.pop()
    return snapped if len(snapped) >= 3 else []


def ring_d(points):
    """A ring as compact path data: an absolute move, then relative lines."""
    (x, y), rest = points[0], points[1:]
    parts = [f"M{x} {y}l"]
    previous = (x, y)
    for index, (px, py) in enumerate(rest):
        dx, dy = px - previous[0], py - previous[1]
        gap = "" if index == 0 or dx < 0 else " "
        parts.append(f"{gap}{dx}{'' if dy < 0 else ' '}{dy}")
        previous = (px, py)
    parts.append("z")
    return "".join(parts)


def simplify_shape(rings):
    """Path data for a province: its rings simplified, small islands out, but
    always its largest ring."""
    largest = max(rings, key=area)
    drawn = []
    for ring in rings:
        if ring is not largest and area(ring) < MIN_AREA:
            continue
        points = simplify_ring(ring)
        if not points and ring is largest:
            points = simplify_ring(ring, tolerance=0)
        if points:
            drawn.append(ring_d(points))
    return "".join(drawn)


def read_source(source=SOURCE):
    """(viewBox, [(shape id, name, rings)]) of the package's SVG."""
    tree = ElementTree.parse(source)
    root = tree.getroot()
    shapes = [
        (path.get("id"), path.get("name"), parse_path(path.get("d")))
        for path in root.iter(f"{{{SVG_NS}}}path")
    ]
    return root.get("viewBox"), shapes


def package_version():
    return json.loads((PACKAGE / "package.json").read_text())["version"]


def build(source=SOURCE, version=None):
    """The shipped SVG's text."""
    view_box, shapes = read_source(source)
    ids = {shape_id for shape_id, _, _ in shapes}
    if ids != set(SHAPES):
        raise SystemExit(
            f"shapes not in the join table: {sorted(ids - set(SHAPES))}; "
            f"in the table but not drawn: {sorted(set(SHAPES) - ids)}"
        )
    x, y, width, height = (float(n) for n in view_box.split())
    grid_box = " ".join(str(round(n * GRID)) for n in (x, y, width, height))
    digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()[:16]
    lines = [
        f'<svg xmlns="{SVG_NS}" viewBox="{grid_box}" '
        f'data-source="@svg-maps/indonesia {version or package_version()}" '
        f'data-source-sha256="{digest}">',
        "<title>Provinces of Indonesia</title>",
        "<desc>Boundaries: @svg-maps/indonesia, based on the work of MapSVG "
        "(mapsvg.com), CC BY 4.0 (creativecommons.org/licenses/by/4.0/); "
        "simplified, and joined to Kemendagri codes, by scripts/build_map.py.</desc>",
    ]
    for shape_id, name, rings in sorted(shapes, key=lambda s: SHAPES[s[0]]):
        code, *carved = SHAPES[shape_id]
        carved_attrs = (
            f' data-carved="{" ".join(carved)}" data-carved-in="{CARVED_IN}"'
            if carved
            else ""
        )
        lines.append(
            f'<path id="{shape_id}" data-code="{code}"{carved_attrs} '
            f'data-name="{name}" d="{simplify_shape(rings)}"/>'
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def main():
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} is missing: run `npm ci --ignore-scripts` first")
    text = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text)
    size = len(text.encode())
    sys.stdout.write(
        f"{OUTPUT.relative_to(ROOT)}: {size:,} bytes "
        f"(from {SOURCE.stat().st_size:,}), {len(SHAPES)} shapes\n"
    )


if __name__ == "__main__":
    main()
