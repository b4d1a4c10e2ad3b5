"""The map of Indonesia's provinces on the region index and the Indonesian region
hubs (templates/components/region_map.html, static/css/maps.css).

The shapes are static/maps/indonesia-provinces.svg, built from an npm package by
scripts/build_map.py and read once per process. Each shape carries the Kemendagri
code of its province, and a region joins it by its own ``kemendagri_code``, read
with the counts the page already has (the facet rows carry it): the map costs no
query. It shades each province by its number of releases in those counts, on a
stepped scale with a legend, and links it to the province's hub; a table gives
the same numbers (on a province's hub, its regencies' and cities' as well).

A shape with no public region drawn on it is plain land: no link, no name, no
count, so a region known only to a draft is not named here. Regions outside
Indonesia have no province code and never join.

The package predates the 2022 division of Papua and West Papua: the provinces
carved out of them then (South, Central and Highland Papua; Southwest Papua)
are drawn on the shape they came from, which links to the original province
(or, if that has no hub, to the first of them that has) and is shaded by the
releases of all its provinces added up; its label and the table say so. A
release naming two of them counts once for each.
"""

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsroom.finder import entity_names

SVG = Path(settings.BASE_DIR) / "static" / "maps" / "indonesia-provinces.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
STEPS = 5  # shades for one release or more; 0 is the land's own
NICE = (1, 2, 3, 5)  # step bounds are one of these times a power of ten


@dataclass(frozen=True)
class Shape:
    """One province's outline in the shipped SVG."""

    id: str
    code: str  # the Kemendagri code of the province it draws
    carved: tuple  # the codes of the provinces carved out of it since
    carved_in: str
    d: str

    @property
    def codes(self):
        return (self.code, *self.carved)


@functools.cache
def shapes():
    """(viewBox, [Shape]) of the shipped SVG, read once per process."""
    root = ElementTree.parse(SVG).getroot()
    return root.get("viewBox"), [
        Shape(
            path.get("id"),
            path.get("data-code"),
            tuple((path.get("data-carved") or "").split()),
            path.get("data-carved-in") or "",
            path.get("d"),
        )
        for path in root.iter(f"{SVG_NS}path")
    ]


@functools.cache
def province_codes():
    """{Kemendagri province code: Shape}: every code the map can show."""
    return {code: shape for shape in shapes()[1] for code in shape.codes}


def releases(count):
    return ngettext("%(count)s release", "%(count)s releases", count) % {"count": count}


def nice(value):
    """``value`` rounded, on a log scale, to the nearest of 1, 2, 3, 5 times a
    power of ten."""
    power = 10 ** math.floor(math.log10(value))
    candidates = [n * power for n in (*NICE, 10)]
    return min(candidates, key=lambda n: abs(math.log(n / value)))


def step_bounds(peak):
    """The lowest count of each shade, for counts from 1 to ``peak``: one count
    per shade while they fit, else bounds spread evenly on a log scale."""
    if peak <= STEPS:
        return list(range(1, peak + 1))
    bounds = {1} | {nice(peak ** (i / STEPS)) for i in range(1, STEPS)}
    return sorted(bound for bound in bounds if bound <= peak)


@dataclass
class Step:
    shade: int  # the CSS class's number, 1 (lightest) to STEPS
    low: int
    high: int

    @property
    def text(self):
        if self.low == self.high:
            return str(self.low)
        return _("%(low)s–%(high)s") % {"low": self.low, "high": self.high}


def scale(peak):
    """[Step] for counts up to ``peak``, spread over the shades so that the top
    step always has the darkest."""
    bounds = step_bounds(peak)
    if not bounds:
        return []
    highs = [bound - 1 for bound in bounds[1:]] + [peak]
    last = len(bounds) - 1
    return [
        Step(STEPS - round((last - i) * (STEPS - 1) / max(last, 1)), low, high)
        for i, (low, high) in enumerate(zip(bounds, highs, strict=True))
    ]


def shade_of(count, steps):
    for step in reversed(steps):
        if count >= step.low:
            return step.shade
    return 0


@dataclass
class Area:
    """A shape as drawn: plain land, or a link to a province's hub."""

    shape: Shape
    options: list = field(default_factory=list)  # facet options drawn on it
    shade: int = 0
    here: bool = False  # draws the hub's region, or the province it lies in
    current: bool = False  # links to the page it is on

    @property
    def link(self):
        """The option whose hub the shape links to: its own province's, else
        the first carved out of it that has one."""
        return self.options[0] if self.options else None

    @property
    def count(self):
        return sum(option.count for option in self.options)

    @property
    def label(self):
        parts = []
        for option in self.options:
            text = f"{option.label}: {releases(option.count)}"
            if option.entity.code != self.shape.code:
                text = _(
                    "%(region)s (carved out in %(year)s, drawn on the shape of "
                    "the province it came from): %(releases)s"
                ) % {
                    "region": option.label,
                    "year": self.shape.carved_in,
                    "releases": releases(option.count),
                }
            parts.append(text)
        return "; ".join(parts)


@dataclass
class Row:
    option: object
    note: str = ""


@dataclass
class RegionMap:
    view_box: str
    areas: list
    steps: list
    rows: list  # provinces, for the table
    title: str
    within: list = field(default_factory=list)  # a province's regencies, cities
    within_title: str = ""

    @property
    def links(self):
        return [area for area in self.areas if area.link]

    @property
    def land(self):
        return [area for area in self.areas if not area.link]

    @property
    def summary(self):
        counted = [row for row in self.rows if row.option.count]
        if not counted:
            return _("No province has a release here.")
        top = max(counted, key=lambda row: row.option.count)
        return ngettext(
            "%(count)s province has releases: %(name)s, %(releases)s.",
            "%(count)s provinces have releases; %(name)s has the most, %(releases)s.",
            len(counted),
        ) % {
            "count": len(counted),
            "releases": releases(top.option.count),
            "name": top.option.label,
        }


def region_map(options, title, here=(), within=None, within_title=""):
    """The map of ``options`` (region facet options: the counts the page shows).

    ``here`` lists the Kemendagri codes of the hub's region and its ancestors;
    ``within`` the options to list below the provinces in the table.
    """
    view_box, all_shapes = shapes()
    codes = province_codes()
    by_code = {o.entity.code: o for o in options if o.entity.code in codes}
    here_province = next((code.split(".")[0] for code in here if code), None)
    areas = []
    rows = []
    for shape in all_shapes:
        area = Area(shape, [by_code[c] for c in shape.codes if c in by_code])
        area.here = here_province in shape.codes
        area.current = (
            bool(here) and area.link is not None and (area.link.entity.code == here[0])
        )
        areas.append(area)
        for option in area.options:
            note = ""
            if option.entity.code != shape.code:
                note = _(
                    "Carved out in %(year)s: drawn on the shape of the province "
                    "it came from."
                ) % {"year": shape.carved_in}
            rows.append(Row(option, note))
    steps = scale(max((area.count for area in areas), default=0))
    for area in areas:
        area.shade = shade_of(area.count, steps)
    rows.sort(key=lambda row: row.option.label.casefold())
    return RegionMap(
        view_box,
        areas,
        steps,
        rows,
        title,
        [Row(option) for option in within or ()],
        within_title,
    )


def is_indonesian(nodes):
    """Whether a region (given with its ancestors) lies in Indonesia."""
    return any(
        node.kemendagri_code
        or node.iso_code.upper() == "ID"
        or node.iso_code.upper().startswith("ID-")
        for node in nodes
    )


def for_index(options):
    """The map of the region index: its counts (every published release)."""
    return region_map(options, _("Releases by province"))


def for_hub(entity, ancestors, group):
    """The map of an Indonesian region's hub over the hub's region facet
    (``group``: its releases in the current filter), or None elsewhere."""
    nodes = [entity, *ancestors]
    if not is_indonesian(nodes):
        return None
    within, within_title = [], ""
    if entity.kemendagri_code in province_codes():
        within = [
            option
            for option in group.options
            if option.entity.path.startswith(entity.path)
            and option.depth == entity.depth + 1
        ]
        within_title = _("Regencies and cities of %(name)s") % {
            "name": entity_names.localized_name(entity)
        }
    return region_map(
        group.options,
        _("The releases listed here, by province"),
        here=[node.kemendagri_code for node in nodes],
        within=within,
        within_title=within_title,
    )
