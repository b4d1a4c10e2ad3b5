"""The filter world: a small fixed newsroom for the filter, facet, hub and search
tests, and the answers expected of it, computed from its plain data."""

import datetime

from tests.factories.entities import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
)
from tests.factories.releases import default_newsroom, make_release

FILTER_WORLD_SECTORS = {  # slug: (name, parent slug)
    "metals": ("Metals", None),
    "nickel-smelting": ("Nickel smelting", "metals"),
    "steel": ("Steel", "metals"),
    "energy": ("Energy", None),
    "photovoltaics": ("Photovoltaics", "energy"),
    "textiles": ("Textiles", None),
    "chemicals": ("Chemicals", None),  # no release at all
    "fertiliser": ("Fertiliser", "chemicals"),  # no release at all
}


FILTER_WORLD_REGIONS = {  # slug: (name, parent slug, kind)
    "indonesia": ("Indonesia", None, "country"),
    "central-sulawesi": ("Central Sulawesi", "indonesia", "province"),
    "morowali-regency": ("Morowali Regency", "central-sulawesi", "regency"),
    "palu": ("Palu", "central-sulawesi", "city"),
    "southeast-sulawesi": ("Southeast Sulawesi", "indonesia", "province"),
    "konawe-regency": ("Konawe Regency", "southeast-sulawesi", "regency"),
    "kendari": ("Kendari", "southeast-sulawesi", "city"),  # no release at all
    "north-maluku": ("North Maluku", "indonesia", "province"),
    "jakarta": ("Jakarta", "indonesia", "province"),
    "china": ("China", None, "country"),
}


FILTER_WORLD_ORGANISATIONS = {  # slug: (name, acronym, kind)
    "kemenperin": ("Ministry of Industry", "Kemenperin", "ministry"),
    "miit": ("Ministry of Industry and Information Technology", "MIIT", "ministry"),
    "bip": ("Bahodopi Industrial Park", "", "company"),
    "ghost-org": ("Ghost Holdings", "", "company"),  # hidden releases only
    "idle-association": ("Idle Association", "", "association"),  # nothing
}


FILTER_WORLD_OFFICIALS = {  # slug: name
    "eko-cahyanto": "Eko S.A. Cahyanto",
    "agus-gumiwang": "Agus Gumiwang Kartasasmita",
    "wang-jiangping": "Wang Jiangping",
    "faisol-riza": "Faisol Riza",
    "ghost-official": "Ghost Official",  # hidden releases only
}


FILTER_WORLD_TOPICS = {
    "nickel": "nickel",
    "lithium": "lithium",
    "cobalt": "cobalt",
    "downstreaming": "downstreaming",
    "green-industry": "green industry",
    "ghost-topic": "ghost topic",  # hidden releases only
}


# Named by the application from type, number and year ("Law No. 3 of 2020"),
# slugged likewise ("law-3-2020"): the names below are spelled out by hand.
FILTER_WORLD_REGULATIONS = {  # slug: (type, number, year, title)
    "law-3-2020": (
        "law", "3", 2020,
        "Amendments to Law Number 4 of 2009 concerning Mineral and Coal Mining",
    ),
    "law-4-2009": ("law", "4", 2009, "Mineral and Coal Mining"),
    "government-regulation-96-2021": (
        "government_regulation", "96", 2021,
        "Implementation of Mineral and Coal Mining Business Activities",
    ),
    "presidential-regulation-55-2019": (
        "presidential_regulation", "55", 2019,
        "Battery Electric Vehicles for Road Transport",
    ),
    # hidden releases only: the ghost
    "minister-of-industry-regulation-66-2024": (
        "minister_of_industry_regulation", "66", 2024, "Ghost Regulation",
    ),
    "law-3-2014": ("law", "3", 2014, "Industry"),  # cited by nothing
}  # fmt: skip

FILTER_WORLD_GHOST_REGULATION = "minister-of-industry-regulation-66-2024"

# slug: the slugs it amends (their status becomes "amended").
FILTER_WORLD_AMENDMENTS = {"law-3-2020": ["law-4-2009"]}

FILTER_WORLD_REGULATION_TYPES = {  # type: its English name, by hand
    "law": "Law",
    "government_regulation": "Government Regulation",
    "presidential_regulation": "Presidential Regulation",
    "minister_of_industry_regulation": "Minister of Industry Regulation",
}


# key: (title, date, standfirst, body, officials, sectors, regions, orgs, topics).
# r05 (Central Sulawesi + Palu) and r09 (Metals + Steel) link a node and one of its
# descendants: a subtree count must still count them once.
# Search words used by the tests appear only where noted: "quorum" (title of r01),
# "zeolite" (standfirst of r03), "wafer" (body of r02), "tungsten" (r05 five times,
# r10 and r12 once in the body); "Cahyanto", "Photovoltaics", "Morowali" only as
# names of linked entities; "zirconium" only in releases that must never appear.
FILTER_WORLD_RELEASES = {
    "r01": ("Smelter governance quorum convened", "2024-09-27",
            "The ministry and its partners met on processing rules.",
            "Officials discussed industrial estates.",
            ["eko-cahyanto", "wang-jiangping"], ["nickel-smelting"],
            ["morowali-regency", "china"], ["kemenperin", "miit"],
            ["nickel", "downstreaming"]),
    "r02": ("Solar investment in silica processing", "2024-06-14",
            "A joint plan for solar components.",
            "Investors will build a wafer plant.",
            ["agus-gumiwang"], ["photovoltaics"], ["jakarta", "china"],
            ["kemenperin", "miit"], ["green-industry"]),
    "r03": ("Steel industry adopts green standards", "2023-11-02",
            "Mills agree on zeolite filtration targets.",
            "The standards apply from next year.",
            ["agus-gumiwang", "faisol-riza"], ["steel"], ["jakarta"],
            ["kemenperin"], ["green-industry"]),
    "r04": ("Smelter expansion approved", "2023-03-15",
            "The expansion adds two production lines.", "",
            ["eko-cahyanto"], ["nickel-smelting"], ["konawe-regency"], ["bip"],
            ["nickel"]),
    "r05": ("Tungsten review of industrial estates", "2022-12-31",
            "A tungsten supply review for estates.",
            "Tungsten demand, tungsten stocks and tungsten prices.",
            ["faisol-riza"], ["metals"], ["central-sulawesi", "palu"],
            ["kemenperin"], ["downstreaming"]),
    "r06": ("Battery materials roadmap", "2022-01-01",
            "A roadmap for battery materials.", "",
            ["agus-gumiwang"], ["nickel-smelting", "photovoltaics"],
            ["north-maluku"], [], ["lithium", "cobalt"]),
    "r07": ("Textile cluster launched", "2021-07-20", "Weavers form a cluster.", "",
            [], ["textiles"], ["palu"], [], []),
    "r08": ("Solar panel factory opens", "2025-02-10",
            "The factory employs three thousand workers.", "",
            ["eko-cahyanto"], ["photovoltaics"], ["morowali-regency"], ["bip"],
            ["green-industry"]),
    "r09": ("Refining partnership signed", "2024-09-27",
            "Two refiners sign a partnership.", "",
            ["wang-jiangping"], ["metals", "steel"], ["china"], ["miit"],
            ["cobalt"]),
    "r10": ("Transition forum held", "2021-03-03",
            "A forum on the move to clean power.",
            "One speaker mentioned tungsten.",
            ["agus-gumiwang"], ["energy"], ["indonesia"], ["kemenperin"],
            ["green-industry"]),
    "r11": ("Downstreaming policy update", "2023-06-30",
            "New rules for processing minerals at home.", "",
            ["eko-cahyanto", "agus-gumiwang"], [], ["indonesia"], ["kemenperin"],
            ["downstreaming"]),
    "r12": ("Lithium pilot plant", "2024-01-15",
            "A pilot plant for lithium processing.",
            "The plant also studies tungsten.",
            ["faisol-riza"], ["nickel-smelting"], ["north-maluku"], [], ["lithium"]),
}  # fmt: skip


# key: the regulations the release cites (links; its text does not cite them).
FILTER_WORLD_RELEASE_REGULATIONS = {
    "r01": ["law-3-2020", "government-regulation-96-2021"],
    "r04": ["law-4-2009"],
    "r06": ["presidential-regulation-55-2019", "law-3-2020"],
    "r11": ["law-3-2020", "law-4-2009", "government-regulation-96-2021"],
    "r12": ["presidential-regulation-55-2019"],
}


# Linked to everything, yet never listed, counted or found.
FILTER_WORLD_HIDDEN = {
    "draft": "Zirconium draft plan",
    "withdrawn": "Zirconium withdrawn statement",
    "private": "Zirconium private briefing",
}


FILTER_WORLD_HIDDEN_LINKS = {
    "officials": ["eko-cahyanto", "ghost-official"],
    "sectors": ["photovoltaics", "steel", "fertiliser"],
    "regions": ["morowali-regency", "palu", "kendari"],
    "organisations": ["kemenperin", "ghost-org"],
    "topics": ["nickel", "ghost-topic"],
    "regulations": ["law-3-2020", FILTER_WORLD_GHOST_REGULATION],
}


def build_filter_world():
    """Create FILTER_WORLD_*; return a namespace of entities and releases by slug/key.

    Releases are created in key order (r01 first), so on equal dates the later key
    has the higher pk.
    """
    import types

    from django.utils.dateparse import parse_date
    from wagtail.models import PageViewRestriction
    from wagtail.rich_text import RichText

    newsroom = default_newsroom()
    sectors, regions = {}, {}
    for slug, (name, parent) in FILTER_WORLD_SECTORS.items():
        parent_node = sectors[parent] if parent else None
        sectors[slug] = SectorFactory(name=name, slug=slug, parent=parent_node)
    for slug, (name, parent, kind) in FILTER_WORLD_REGIONS.items():
        parent_node = regions[parent] if parent else None
        regions[slug] = RegionFactory(
            name=name, slug=slug, kind=kind, parent=parent_node
        )
    organisations = {
        slug: OrganisationFactory(name=name, slug=slug, acronym=acronym, kind=kind)
        for slug, (name, acronym, kind) in FILTER_WORLD_ORGANISATIONS.items()
    }
    officials = {
        slug: OfficialFactory(name=name, slug=slug)
        for slug, name in FILTER_WORLD_OFFICIALS.items()
    }
    topics = {
        slug: TopicFactory(name=name, slug=slug)
        for slug, name in FILTER_WORLD_TOPICS.items()
    }
    regulations = {
        slug: RegulationFactory(type=type_, number=number, year=year, title=title)
        for slug, (type_, number, year, title) in FILTER_WORLD_REGULATIONS.items()
    }
    for slug, amended in FILTER_WORLD_AMENDMENTS.items():
        regulations[slug].amends.set([regulations[s] for s in amended])
        regulations[slug].save()
    for regulation in regulations.values():
        regulation.refresh_from_db()  # statuses set by what amends them
    assert set(regulations) == {r.slug for r in regulations.values()}
    releases = {}
    for key, row in FILTER_WORLD_RELEASES.items():
        title, date, standfirst, body, offs, secs, regs, orgs, tops = row
        releases[key] = make_release(
            title,
            release_date=parse_date(date),
            standfirst=standfirst,
            slug=key,
            body=[("paragraph", RichText(f"<p>{body}</p>"))] if body else [],
            officials=[officials[s] for s in offs],
            sectors=[sectors[s] for s in secs],
            regions=[regions[s] for s in regs],
            organisations=[organisations[s] for s in orgs],
            topics=[topics[s] for s in tops],
            regulations=[
                regulations[s] for s in FILTER_WORLD_RELEASE_REGULATIONS.get(key, [])
            ],
            parent=newsroom,
        )
    links = FILTER_WORLD_HIDDEN_LINKS
    hidden = {}
    for key, title in FILTER_WORLD_HIDDEN.items():
        hidden[key] = make_release(
            title,
            release_date=datetime.date(2024, 9, 27),
            standfirst="Zirconium processing, Morowali and Cahyanto.",
            slug=f"hidden-{key}",
            officials=[officials[s] for s in links["officials"]],
            sectors=[sectors[s] for s in links["sectors"]],
            regions=[regions[s] for s in links["regions"]],
            organisations=[organisations[s] for s in links["organisations"]],
            topics=[topics[s] for s in links["topics"]],
            regulations=[regulations[s] for s in links["regulations"]],
            live=key != "draft",
            withdrawn=key == "withdrawn",
            withdrawn_on=datetime.date(2024, 10, 1) if key == "withdrawn" else None,
            withdrawal_reason="Issued in error." if key == "withdrawn" else "",
            parent=newsroom,
        )
    for node in [*sectors.values(), *regions.values()]:
        node.refresh_from_db()  # adding sorted siblings moves paths
    PageViewRestriction.objects.create(
        page=hidden["private"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    return types.SimpleNamespace(
        newsroom=newsroom,
        sectors=sectors,
        regions=regions,
        organisations=organisations,
        officials=officials,
        topics=topics,
        regulations=regulations,
        releases=releases,
        hidden=hidden,
    )


# The expected answers, computed from the plain data above (never from the app).
FILTER_WORLD_FACETS = (
    "official",
    "organisation",
    "sector",
    "region",
    "topic",
    "regulation",
)


def filter_world_regulation_name(slug):
    """ "Law No. 3 of 2020": the English name the application makes."""
    type_, number, year, _ = FILTER_WORLD_REGULATIONS[slug]
    return f"{FILTER_WORLD_REGULATION_TYPES[type_]} No. {number} of {year}"


def filter_world_name(facet, slug):
    return {
        "official": lambda: FILTER_WORLD_OFFICIALS[slug],
        "organisation": lambda: FILTER_WORLD_ORGANISATIONS[slug][0],
        "sector": lambda: FILTER_WORLD_SECTORS[slug][0],
        "region": lambda: FILTER_WORLD_REGIONS[slug][0],
        "topic": lambda: FILTER_WORLD_TOPICS[slug],
        "regulation": lambda: filter_world_regulation_name(slug),
    }[facet]()


def filter_world_slugs(facet):
    """Every entity of a facet; trees in display order (depth first, by name)."""
    flat = {
        "official": FILTER_WORLD_OFFICIALS,
        "organisation": FILTER_WORLD_ORGANISATIONS,
        "topic": FILTER_WORLD_TOPICS,
        "regulation": FILTER_WORLD_REGULATIONS,
    }
    if facet in flat:
        return list(flat[facet])
    tree = FILTER_WORLD_SECTORS if facet == "sector" else FILTER_WORLD_REGIONS

    def below(parent):
        children = sorted(
            (s for s in tree if tree[s][1] == parent), key=lambda s: tree[s][0]
        )
        return [item for child in children for item in [child, *below(child)]]

    return below(None)


def filter_world_subtree(facet, slug):
    """``slug`` and, for sectors and regions, every slug below it."""
    tree = {"sector": FILTER_WORLD_SECTORS, "region": FILTER_WORLD_REGIONS}.get(facet)
    if tree is None:
        return {slug}

    def lineage(node):
        while node:
            yield node
            node = tree[node][1]

    return {node for node in tree if slug in lineage(node)}


def filter_world_links(key):
    """{facet: slugs linked to the release}."""
    officials, sectors, regions, organisations, topics = FILTER_WORLD_RELEASES[key][4:]
    return {
        "official": set(officials),
        "organisation": set(organisations),
        "sector": set(sectors),
        "region": set(regions),
        "topic": set(topics),
        "regulation": set(FILTER_WORLD_RELEASE_REGULATIONS.get(key, [])),
    }


def filter_world_text(key):
    """What the search index holds for a release (topic names excepted)."""
    title, _, standfirst, body, officials, sectors, regions, orgs, _ = (
        FILTER_WORLD_RELEASES[key]
    )
    names = [FILTER_WORLD_OFFICIALS[s] for s in officials]
    names += [FILTER_WORLD_SECTORS[s][0] for s in sectors]
    names += [FILTER_WORLD_REGIONS[s][0] for s in regions]
    names += [FILTER_WORLD_ORGANISATIONS[s][0] for s in orgs]
    names += [
        filter_world_regulation_name(s)
        for s in FILTER_WORLD_RELEASE_REGULATIONS.get(key, [])
    ]
    return " ".join([title, standfirst, body, *names])


def _as_list(value):
    if value in (None, ""):
        return []
    return [value] if isinstance(value, str) else list(value)


def filter_world_matches(params, scope=None, ignore=None):
    """Keys of published releases matching ``params``, newest first.

    ``params`` holds facet slugs (str or list), "from"/"to" ISO dates and "q" (every
    word must occur, whole word, any case); ``scope`` is a hub as (facet, slug);
    ``ignore`` names a facet whose selection is left out (disjunctive counts).
    """
    import re

    matched = []
    for position, (key, row) in enumerate(FILTER_WORLD_RELEASES.items()):
        links = filter_world_links(key)
        wanted = {f: _as_list(params.get(f)) for f in FILTER_WORLD_FACETS}
        wanted[ignore] = []
        if scope and not links[scope[0]] & filter_world_subtree(*scope):
            continue
        if not all(
            any(links[f] & filter_world_subtree(f, slug) for slug in chosen)
            for f, chosen in wanted.items()
            if chosen
        ):
            continue
        date = row[1]
        if params.get("from") and date < params["from"]:
            continue
        if params.get("to") and date > params["to"]:
            continue
        text = filter_world_text(key)
        words = (params.get("q") or "").split()
        if not all(re.search(rf"\b{re.escape(w)}\b", text, re.I) for w in words):
            continue
        matched.append((date, position, key))
    return [key for _, _, key in sorted(matched, reverse=True)]


def filter_world_facet_counts(params, scope=None):
    """{facet: {slug: count}} as the options should show them.

    Disjunctive (a facet's own selection is ignored for its counts), a tree option
    counts each release in its subtree once, and an option with no release is left
    out unless selected. Options in display order for trees.
    """
    counts = {}
    for facet in FILTER_WORLD_FACETS:
        keys = filter_world_matches(params, scope, ignore=facet)
        chosen = set(_as_list(params.get(facet)))
        counts[facet] = {}
        for slug in filter_world_slugs(facet):
            subtree = filter_world_subtree(facet, slug)
            n = sum(1 for key in keys if filter_world_links(key)[facet] & subtree)
            if n or slug in chosen:
                counts[facet][slug] = n
    return counts
