"""The agenda world: a small fixed agenda for the listing, filter, facet, calendar
and budget tests, and the answers expected of it, computed from its plain data
(never by asking the application).

Days count from TODAY (the newsroom's date when the tests start), so that events
to come stay to come: the nearest is two days off either way. Times are local to
each event's zone, as invitations give them.
"""

import datetime
import re
import types
import zoneinfo

from django.utils import timezone

from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    default_agenda,
    make_event,
)

TODAY = timezone.localdate()

SECTORS = {  # slug: (name, parent slug)
    "metals": ("Metals", None),
    "nickel-smelting": ("Nickel smelting", "metals"),
    "steel": ("Steel", "metals"),
    "energy": ("Energy", None),
    "photovoltaics": ("Photovoltaics", "energy"),
    "textiles": ("Textiles", None),
    "chemicals": ("Chemicals", None),  # no event at all
}
REGIONS = {  # slug: (name, parent slug, kind)
    "indonesia": ("Indonesia", None, "country"),
    "central-sulawesi": ("Central Sulawesi", "indonesia", "province"),
    "morowali-regency": ("Morowali Regency", "central-sulawesi", "regency"),
    "south-sulawesi": ("South Sulawesi", "indonesia", "province"),
    "makassar": ("Makassar", "south-sulawesi", "city"),
    "papua": ("Papua", "indonesia", "province"),
    "jayapura": ("Jayapura", "papua", "city"),
    "jakarta": ("Jakarta", "indonesia", "province"),
    "china": ("China", None, "country"),
}
ORGANISATIONS = {  # slug: (name, kind)
    "kemenperin": ("Ministry of Industry", "ministry"),
    "miit": ("Ministry of Industry and Information Technology", "ministry"),
    "bip": ("Bahodopi Industrial Park", "company"),
    "idle-association": ("Idle Association", "association"),  # no event
}
OFFICIALS = {
    "agus-gumiwang": "Agus Gumiwang Kartasasmita",
    "eko-cahyanto": "Eko S.A. Cahyanto",
    "wang-jiangping": "Wang Jiangping",
}
TOPICS = {
    "nickel": "nickel",
    "green-industry": "green industry",
    "batteries": "batteries",
}
REGULATIONS = {  # slug: (type, number, year, title)
    "law-3-2020": ("law", "3", 2020, "Mineral and Coal Mining"),
    "government-regulation-96-2021": (
        "government_regulation", "96", 2021, "Mining Business Activities",
    ),
}  # fmt: skip
# The regulations' names as the register writes them in English.
REGULATION_NAMES = {
    "law-3-2020": "Law No. 3 of 2020",
    "government-regulation-96-2021": "Government Regulation No. 96 of 2021",
}
FACETS = ("official", "organisation", "sector", "region", "topic", "regulation")

# key: (title, day, "HH:MM", zone, minutes, status, kind, summary, place,
#       officials, sectors, regions, organisations, topics, regulations).
# Search words used by the tests appear only where noted: "quorum" (title of
# e01), "zeolite" (summary of e03), "Pettarani" (place of e05), "tungsten" (e03,
# e07 and p04). e03 starts at 00:30 in Jayapura: its date there is a day after
# its date in Jakarta and in UTC. p02 and p03 start at the same instant, typed
# in two zones.
EVENTS = {
    "e01": ("Smelter quorum press conference", 3, "09:00", "Asia/Makassar", 90,
            "confirmed", "press_conference",
            "The minister briefs the press on smelter rules.",
            "Governor's office, Makassar",
            ["agus-gumiwang"], ["nickel-smelting"], ["makassar"], ["kemenperin"],
            ["nickel"], ["law-3-2020"]),
    "e02": ("Solar wafer plant visit", 5, "10:00", "Asia/Jakarta", 120,
            "provisional", "visit", "A visit to the new wafer plant.", "Cikarang",
            ["eko-cahyanto"], ["photovoltaics"], ["jakarta"], ["bip"],
            ["green-industry"], []),
    "e03": ("Battery materials hearing", 8, "00:30", "Asia/Jayapura", 60,
            "confirmed", "hearing", "A hearing on zeolite and tungsten supply.",
            "Jayapura", ["agus-gumiwang", "eko-cahyanto"], ["metals"], ["jayapura"],
            ["kemenperin"], ["batteries"], ["government-regulation-96-2021"]),
    "e04": ("Beijing cooperation signing", 12, "15:00", "Asia/Shanghai", 60,
            "confirmed", "signing", "A cooperation memorandum is signed.",
            "MIIT, Beijing", ["wang-jiangping", "agus-gumiwang"],
            ["steel", "photovoltaics"], ["china"], ["miit", "kemenperin"],
            ["green-industry"], []),
    "e05": ("Morowali estate inspection", 20, "08:00", "Asia/Makassar", None,
            "postponed", "visit", "An inspection of the estate.", "Jalan Pettarani",
            ["eko-cahyanto"], ["nickel-smelting"], ["morowali-regency"], ["bip"],
            ["nickel"], ["law-3-2020"]),
    "e06": ("Textile cluster meeting", 30, "13:00", "Asia/Jakarta", 120,
            "cancelled", "meeting", "", "", [], ["textiles"], ["jakarta"], [], [],
            []),
    "e07": ("Energy transition launch", 45, "09:30", "Asia/Jakarta", 60,
            "confirmed", "launch", "The tungsten roadmap is launched.",
            "Jakarta Convention Center", ["agus-gumiwang"], ["energy"],
            ["indonesia"], ["kemenperin"], ["green-industry"], []),
    "p01": ("Nickel export forum", -3, "09:00", "Asia/Jakarta", 120, "confirmed",
            "meeting", "A forum on nickel export rules.", "Jakarta",
            ["eko-cahyanto"], ["nickel-smelting"], ["central-sulawesi"],
            ["kemenperin"], ["nickel"], ["law-3-2020"]),
    "p02": ("Steel standards press conference", -10, "14:00", "Asia/Jakarta", 60,
            "confirmed", "press_conference", "Mills agree on standards.", "Jakarta",
            ["agus-gumiwang"], ["steel"], ["jakarta"], ["kemenperin"], [], []),
    "p03": ("Papua industrial estate visit", -10, "16:00", "Asia/Jayapura", 180,
            "confirmed", "visit", "A visit to the estate's first plants.",
            "Sentani", ["eko-cahyanto"], ["metals"], ["papua"], ["bip"],
            ["batteries"], ["government-regulation-96-2021"]),
    "p04": ("Sulawesi smelter tour", -40, "07:00", "Asia/Makassar", 300,
            "confirmed", "visit", "Smelters and a tungsten mill.", "Morowali",
            ["agus-gumiwang", "wang-jiangping"], ["nickel-smelting", "steel"],
            ["morowali-regency", "china"], ["miit"], ["nickel"], ["law-3-2020"]),
    "p05": ("Photovoltaics roundtable", -90, "10:00", "Asia/Shanghai", 120,
            "confirmed", "meeting", "Panel makers meet investors.", "Shanghai",
            ["wang-jiangping"], ["photovoltaics"], ["china"], ["miit"],
            ["green-industry"], []),
}  # fmt: skip
UPCOMING = [key for key in EVENTS if EVENTS[key][1] > 0]


def local_start(key):
    """The start as the invitation gives it: aware, in the event's zone."""
    _, day, clock, zone = EVENTS[key][:4]
    hour, minute = map(int, clock.split(":"))
    date = TODAY + datetime.timedelta(days=day)
    return datetime.datetime.combine(
        date, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone)
    )


def local_end(key):
    minutes = EVENTS[key][4]
    return (
        None
        if minutes is None
        else local_start(key) + datetime.timedelta(minutes=minutes)
    )


def event_date(key):
    return local_start(key).date()


def build_agenda_world():
    """Make the entities and events of this module's tables under the English
    agenda; return a namespace of them by slug and key. Events are made in key
    order, so of two starting at once the later key has the higher id."""
    agenda = default_agenda()
    sectors, regions = {}, {}
    for slug, (name, parent) in SECTORS.items():
        sectors[slug] = SectorFactory(
            name=name, slug=slug, parent=sectors.get(parent) if parent else None
        )
    for slug, (name, parent, kind) in REGIONS.items():
        regions[slug] = RegionFactory(
            name=name, slug=slug, kind=kind, parent=regions[parent] if parent else None
        )
    organisations = {
        slug: OrganisationFactory(name=name, slug=slug, kind=kind)
        for slug, (name, kind) in ORGANISATIONS.items()
    }
    officials = {
        slug: OfficialFactory(name=name, slug=slug) for slug, name in OFFICIALS.items()
    }
    topics = {slug: TopicFactory(name=name, slug=slug) for slug, name in TOPICS.items()}
    regulations = {
        slug: RegulationFactory(type=type_, number=number, year=year, title=title)
        for slug, (type_, number, year, title) in REGULATIONS.items()
    }
    assert set(regulations) == {r.slug for r in regulations.values()}
    events = {}
    for key, row in EVENTS.items():
        title, _day, _clock, zone, _minutes, status, kind, summary, place = row[:9]
        offs, secs, regs, orgs, tops, laws = row[9:]
        events[key] = make_event(
            title,
            start=local_start(key),
            end=local_end(key),
            zone=zone,
            slug=key,
            status=status,
            kind=kind,
            summary=summary,
            place=place,
            officials=[officials[s] for s in offs],
            sectors=[sectors[s] for s in secs],
            regions=[regions[s] for s in regs],
            organisations=[organisations[s] for s in orgs],
            topics=[topics[s] for s in tops],
            regulations=[regulations[s] for s in laws],
            parent=agenda,
        )
    for node in [*sectors.values(), *regions.values()]:
        node.refresh_from_db()  # adding sorted siblings moves paths
    return types.SimpleNamespace(
        agenda=agenda,
        sectors=sectors,
        regions=regions,
        organisations=organisations,
        officials=officials,
        topics=topics,
        regulations=regulations,
        events=events,
    )


# --- the expected answers -------------------------------------------------------------


def links(key):
    """{facet: slugs the event links}."""
    offs, secs, regs, orgs, tops, laws = EVENTS[key][9:]
    return {
        "official": set(offs),
        "sector": set(secs),
        "region": set(regs),
        "organisation": set(orgs),
        "topic": set(tops),
        "regulation": set(laws),
    }


def subtree(facet, slug):
    """``slug`` and, for sectors and regions, every slug below it."""
    tree = {"sector": SECTORS, "region": REGIONS}.get(facet)
    if tree is None:
        return {slug}

    def lineage(node):
        while node:
            yield node
            node = tree[node][1]

    return {node for node in tree if slug in lineage(node)}


def text(key):
    """What the search index holds of an event: title, summary, place, and the
    names of the entities it links."""
    title, summary, place = EVENTS[key][0], EVENTS[key][7], EVENTS[key][8]
    return " ".join([title, summary, place, *entity_names(key)])


def entity_names(key):
    offs, secs, regs, orgs, tops, laws = EVENTS[key][9:]
    return [
        *(OFFICIALS[s] for s in offs),
        *(SECTORS[s][0] for s in secs),
        *(REGIONS[s][0] for s in regs),
        *(ORGANISATIONS[s][0] for s in orgs),
        *(TOPICS[s] for s in tops),
        *(REGULATION_NAMES[s] for s in laws),
    ]


def as_list(value):
    if value in (None, ""):
        return []
    return [value] if isinstance(value, str) else list(value)


def ends(key):
    return local_end(key) or local_start(key)


def agenda_order(keys, now=None):
    """Events to come (or under way), soonest first, then past ones, latest
    first (of two at one instant, the later made first)."""
    now = now or timezone.now()
    position = {key: n for n, key in enumerate(EVENTS)}
    upcoming = [k for k in keys if ends(k) >= now]
    past = [k for k in keys if ends(k) < now]
    upcoming.sort(key=lambda k: (local_start(k), -position[k]))
    past.sort(key=lambda k: (local_start(k), position[k]), reverse=True)
    return upcoming + past


def matches(params, scope=None, ignore=None):
    """Keys of the events matching ``params`` (facet slugs, "from"/"to" ISO dates
    on the event's own date, "q": every word, whole, any case), in the agenda's
    order; ``scope`` is a hub as (facet, slug); ``ignore`` names a facet whose
    selection is left out (disjunctive counts)."""
    found = []
    for key in EVENTS:
        linked = links(key)
        wanted = {f: as_list(params.get(f)) for f in FACETS}
        wanted[ignore] = []
        if scope and not linked[scope[0]] & subtree(*scope):
            continue
        if not all(
            any(linked[f] & subtree(f, slug) for slug in chosen)
            for f, chosen in wanted.items()
            if chosen
        ):
            continue
        day = event_date(key).isoformat()
        if params.get("from") and day < params["from"]:
            continue
        if params.get("to") and day > params["to"]:
            continue
        words = (params.get("q") or "").split()
        if not all(re.search(rf"\b{re.escape(w)}\b", text(key), re.I) for w in words):
            continue
        found.append(key)
    return agenda_order(found)


def all_slugs(facet):
    return list(
        {
            "official": OFFICIALS,
            "organisation": ORGANISATIONS,
            "sector": SECTORS,
            "region": REGIONS,
            "topic": TOPICS,
            "regulation": REGULATIONS,
        }[facet]
    )


def facet_counts(params, scope=None):
    """{facet: {slug: count}} as the options should show them: disjunctive, a
    tree option counting each event of its subtree once, an option with no
    event left out unless chosen."""
    counts = {}
    for facet in FACETS:
        keys = matches(params, scope, ignore=facet)
        chosen = set(as_list(params.get(facet)))
        counts[facet] = {}
        for slug in all_slugs(facet):
            n = sum(1 for key in keys if links(key)[facet] & subtree(facet, slug))
            if n or slug in chosen:
                counts[facet][slug] = n
    return counts


def day(offset):
    """TODAY plus ``offset`` days, as a ``from``/``to`` value."""
    return (TODAY + datetime.timedelta(days=offset)).isoformat()
