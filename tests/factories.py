"""Factories for the content model; pages are created through the tree."""

import datetime
import uuid

import factory
from django.utils.text import slugify

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    Appointment,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
    Sector,
    Topic,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.MINISTRY

    class Meta:
        model = Organisation


class OfficialFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Official {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Official


class AppointmentFactory(factory.django.DjangoModelFactory):
    official = factory.SubFactory(OfficialFactory)
    position = "Director General"
    organisation = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2020, 1, 1)
    end_date = None

    class Meta:
        model = Appointment


class TreeNodeFactory(factory.django.DjangoModelFactory):
    """Creates through treebeard: ``parent=node`` adds a child, else a root."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        kwargs.setdefault("slug", slugify(kwargs["name"]))
        node = model_class(**kwargs)
        return (
            parent.add_child(instance=node)
            if parent
            else model_class.add_root(instance=node)
        )


class SectorFactory(TreeNodeFactory):
    name = factory.Sequence(lambda n: f"Sector {n}")

    class Meta:
        model = Sector


class RegionFactory(TreeNodeFactory):
    name = factory.Sequence(lambda n: f"Region {n}")

    class Meta:
        model = Region


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"topic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Topic


def no_translations(prefix="translations"):
    """The management form of an entity's empty Translations inline, as the admin's
    edit form posts it (newsroom/models/translations.py)."""
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def default_newsroom():
    """The English newsroom: looked up when it is there (tests/conftest.py builds the
    tree once per run), built only in a database where it is not."""
    from wagtail.models import Locale

    from newsroom.models import NewsroomPage

    found = NewsroomPage.objects.filter(locale=Locale.get_default()).first()
    return found or ensure_site_tree()


def make_release(
    title="A press release",
    release_date=datetime.date(2024, 9, 27),
    officials=(),
    sectors=(),
    regions=(),
    organisations=(),
    topics=(),
    live=True,
    parent=None,
    **fields,
):
    """Create a release under the newsroom, published unless ``live=False``.

    ``officials`` takes Officials or (official, role, quoted) tuples.
    """
    parent = parent or default_newsroom()
    fields.setdefault("standfirst", f"Summary of {title}.")
    fields.setdefault("slug", slugify(title))
    page = PressReleasePage(title=title, release_date=release_date, **fields)
    links = []
    for position, item in enumerate(officials):
        official, role, quoted = item if isinstance(item, tuple) else (item, "", False)
        links.append(
            ReleaseOfficial(
                official=official, role=role, quoted=quoted, sort_order=position
            )
        )
    page.release_officials = links
    # Numbered as the admin's ordered panels number them: with every sort_order
    # NULL, PostgreSQL may return the links in any order.
    page.release_sectors = [
        ReleaseSector(sector=s, sort_order=n) for n, s in enumerate(sectors)
    ]
    page.release_regions = [
        ReleaseRegion(region=r, sort_order=n) for n, r in enumerate(regions)
    ]
    page.release_organisations = [
        ReleaseOrganisation(organisation=o, sort_order=n)
        for n, o in enumerate(organisations)
    ]
    page.live = False
    parent.add_child(instance=page)
    page.topics.set(list(topics))
    revision = page.save_revision()
    if live:
        revision.publish()
        page.refresh_from_db()
    return page


# --- Filter world: a small fixed newsroom for the filter, facet, hub and search tests.
# Plain data first, so tests can compute expected results and counts in Python
# without asking the application.

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
        releases=releases,
        hidden=hidden,
    )


def make_official(name, appointments=(), **fields):
    """An official with ``appointments`` given as (position, organisation, start, end).

    ``organisation`` is an Organisation or a name (found or created); dates are
    ``datetime.date`` or ISO strings; ``end`` may be None.
    """

    def as_date(value):
        if value is None or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(value)

    official = OfficialFactory(name=name, **fields)
    for position, organisation, start, end in appointments:
        if isinstance(organisation, str):
            existing = Organisation.objects.filter(name=organisation).first()
            organisation = existing or OrganisationFactory(name=organisation)
        AppointmentFactory(
            official=official,
            position=position,
            organisation=organisation,
            start_date=as_date(start),
            end_date=as_date(end),
        )
    return official


def key_figures_block(*figures):
    """One key_figures body block; figures are (value, unit, currency, label)."""
    return {
        "type": "key_figures",
        "value": [
            {
                "type": "item",
                "id": str(uuid.uuid4()),
                "value": {
                    "value": str(value),
                    "unit": unit,
                    "is_currency": is_currency,
                    "label": label,
                },
            }
            for value, unit, is_currency, label in figures
        ],
    }


# The expected answers, computed from the plain data above (never from the app).
FILTER_WORLD_FACETS = ("official", "organisation", "sector", "region", "topic")


def every_block_body(official, image, document):
    """A release body using every block but embeds (which need the network)."""
    return [
        {"type": "paragraph", "value": "<p>Opening paragraph.</p><h2>Context</h2>"},
        {
            "type": "quote",
            "value": {
                "text": "Cooperation must serve green industry.",
                "official": official.pk,
                "attribution": "",
            },
        },
        {
            "type": "image",
            "value": {
                "image": {
                    "image": image.pk,
                    "decorative": False,
                    "alt_text": "Rows of solar panels under a clear sky",
                },
                "caption": "A solar array in Batang Regency.",
                "credit": "Ministry of Industry/Public Relations",
            },
        },
        {
            "type": "table",
            "value": {
                "data": [["Mineral", "Tonnes"], ["Nickel", "1,800,000"]],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "Output in 2023",
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": ""}},
        key_figures_block(
            (1_200_000_000, "USD", True, "investment"),
            (3000, "jobs", False, "new jobs"),
        ),
    ]


def filter_world_name(facet, slug):
    return {
        "official": lambda: FILTER_WORLD_OFFICIALS[slug],
        "organisation": lambda: FILTER_WORLD_ORGANISATIONS[slug][0],
        "sector": lambda: FILTER_WORLD_SECTORS[slug][0],
        "region": lambda: FILTER_WORLD_REGIONS[slug][0],
        "topic": lambda: FILTER_WORLD_TOPICS[slug],
    }[facet]()


def filter_world_slugs(facet):
    """Every entity of a facet; trees in display order (depth first, by name)."""
    flat = {
        "official": FILTER_WORLD_OFFICIALS,
        "organisation": FILTER_WORLD_ORGANISATIONS,
        "topic": FILTER_WORLD_TOPICS,
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


# --- Press office workflow helpers (tests/test_workflow.py, test_scheduling.py,
# test_embargo.py, test_withdrawal.py, ...).


def release_admin_url(release=None, newsroom=None, view="edit"):
    """The Wagtail admin add view (under ``newsroom``) or a view of ``release``."""
    if release is None:
        return f"/admin/pages/add/newsroom/pressreleasepage/{newsroom.pk}/"
    return f"/admin/pages/{release.pk}/{view}/"


def release_admin_form_data(release=None, action=None, **fields):
    """POST data of the release add/edit form, as the Wagtail admin sends it.

    With ``release``, its current values are kept (paragraph-only bodies, relations,
    corrections, withdrawal); ``fields`` override them, and the relations
    ``release_sectors`` etc. and ``corrections`` take lists of form dicts (existing
    rows need their ``id``). ``action`` is "publish", "submit" or None (save draft).
    """
    from taggit.utils import edit_string_for_tags
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from newsroom.models.blocks import RICH_TEXT_FEATURES

    def when(value):
        return value.strftime("%Y-%m-%d %H:%M") if value else ""

    paragraphs = []
    if release is not None:
        for block in release.body:
            assert block.block_type == "paragraph", "paragraph-only bodies"
            paragraphs.append(block.value.source)
    data = {
        "title": "Ministry and partners sign a smelter governance charter",
        "slug": "smelter-governance-charter",
        "standfirst": "The ministry agreed governance rules with smelter operators.",
        "dateline": "Jakarta",
        "release_date": "2024-09-27",
        "event_date": "",
        "reference": "",
        "topics": "",
        "media_contact_name": "",
        "media_contact_email": "",
        "media_contact_phone": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "release_officials": [],
        "release_sectors": [],
        "release_regions": [],
        "release_organisations": [],
        "corrections": [],
        "related_links": [],
    }
    if release is not None:
        data.update(
            title=release.title,
            slug=release.slug,
            standfirst=release.standfirst,
            dateline=release.dateline,
            release_date=release.release_date.isoformat(),
            event_date=release.event_date.isoformat() if release.event_date else "",
            reference=release.reference,
            topics=edit_string_for_tags(list(release.topics.all())),
            go_live_at=when(release.go_live_at),
            expire_at=when(release.expire_at),
            release_officials=[
                {"id": link.pk, "official": link.official_id, "role": link.role}
                | ({"quoted": "on"} if link.quoted else {})
                for link in release.release_officials.all()
            ],
            release_sectors=[
                {"id": link.pk, "sector": link.sector_id}
                for link in release.release_sectors.all()
            ],
            release_regions=[
                {"id": link.pk, "region": link.region_id}
                for link in release.release_regions.all()
            ],
            release_organisations=[
                {"id": link.pk, "organisation": link.organisation_id}
                for link in release.release_organisations.all()
            ],
            corrections=[
                {"id": c.pk, "date": when(c.date.astimezone()), "note": c.note}
                for c in release.corrections.all()
            ],
        )
        if release.withdrawn:
            data.update(
                withdrawn="on",
                withdrawn_on=(release.withdrawn_on or "") and str(release.withdrawn_on),
                withdrawal_reason=release.withdrawal_reason,
            )
    data.update(fields)
    body = data.pop("body_paragraphs", paragraphs)
    data["body"] = streamfield(
        [("paragraph", rich_text(html, features=RICH_TEXT_FEATURES)) for html in body]
    )
    for relation in (
        "release_officials",
        "release_sectors",
        "release_regions",
        "release_organisations",
        "corrections",
        "related_links",
    ):
        rows = list(data[relation])  # existing rows (with an "id") first
        data[relation] = inline_formset(
            rows, initial=sum(1 for r in rows if r.get("id"))
        )
    if action:
        data[f"action-{action}"] = f"action-{action}"
    return nested_form_data(data)


def admin_form_errors(response):
    """The errors of an admin form response (page or snippet), for messages."""
    context = getattr(response, "context", None)
    if context is None or "form" not in context:
        return f"status {response.status_code}"
    form = context["form"]
    errors = {key: list(value) for key, value in form.errors.items()}
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.non_form_errors():
            errors[name] = list(formset.non_form_errors())
        for index, child in enumerate(formset.forms):
            if child.errors:
                errors[f"{name}-{index}"] = dict(child.errors)
    return errors


def release_linked_entities(prefix):
    """One official, organisation, sector (under a parent), region and topic.

    Returns {facet: entity}; hubs live at /news/<facet>s/<slug>/.
    """
    slug = slugify(prefix)
    sector_parent = SectorFactory(name=f"{prefix} industries")
    region_parent = RegionFactory(name=f"{prefix} country", kind="country")
    return {
        "official": OfficialFactory(name=f"{prefix} Official", slug=f"{slug}-official"),
        "organisation": OrganisationFactory(name=f"{prefix} Agency"),
        "sector": SectorFactory(name=f"{prefix} smelting", parent=sector_parent),
        "region": RegionFactory(
            name=f"{prefix} province", parent=region_parent, kind="province"
        ),
        "topic": TopicFactory(name=f"{prefix} topic"),
    }


def make_linked_release(title, entities, **fields):
    """``make_release`` linked to every entity of ``release_linked_entities``."""
    return make_release(
        title,
        officials=[entities["official"]],
        organisations=[entities["organisation"]],
        sectors=[entities["sector"]],
        regions=[entities["region"]],
        topics=[entities["topic"]],
        **fields,
    )


def public_presence(client, release, entities, word):
    """Where an anonymous reader finds ``release``: {channel: found or count}.

    Channels: the release URL, /news/ (cards, result count, facet counts), search
    for ``word``, each hub of ``entities`` (cards, hub index count, hub feed),
    /news/feed/, /news/export.csv, /api/v2/releases/ and /sitemap.xml. Counts are
    numbers (0 when the option is absent); every other channel is True/False.
    """
    import re

    import feedparser

    def html(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content.decode()

    def cards(page):
        return re.findall(r'class="release-card__title"><a href="([^"]+)"', page)

    def count(page, pattern):
        found = re.search(pattern, page, re.S)
        return int(found.group(1)) if found else 0

    url = f"/news/{release.slug}/"
    full_url = f"http://localhost{url}"
    presence = {"page": client.get(url).status_code == 200}
    listing = html("/news/")
    presence["listing"] = url in cards(listing)
    presence["listing count"] = count(listing, r'class="result-count"[^>]*>(\d+) ')
    for facet, entity in entities.items():
        slug = entity.slug
        presence[f"{facet} facet count"] = count(
            listing, rf'id="f-{facet}-{slug}".*?class="facet__count">\((\d+)'
        )
        hub = f"/news/{facet}s/{slug}/"
        presence[f"{facet} hub"] = url in cards(html(hub))
        presence[f"{facet} hub index count"] = count(
            html(f"/news/{facet}s/"),
            rf'href="{hub}">[^<]*</a> <span class="entity-index__count">(\d+)',
        )
        hub_feed = feedparser.parse(html(f"{hub}feed/"))
        presence[f"{facet} hub feed"] = any(
            entry.link == full_url for entry in hub_feed.entries
        )
    presence["search"] = url in cards(html(f"/news/?q={word}"))
    feed = feedparser.parse(html("/news/feed/"))
    presence["feed"] = any(entry.link == full_url for entry in feed.entries)
    export = client.get("/news/export.csv")
    if export.status_code == 200:  # the CSV route, once site/urls.py serves it
        body = (
            b"".join(export.streaming_content) if export.streaming else export.content
        )
        presence["export"] = full_url in body.decode()
    api = client.get("/api/v2/releases/")
    assert api.status_code == 200
    presence["api"] = release.pk in [item["id"] for item in api.json()["items"]]
    presence["sitemap"] = f"<loc>{full_url}</loc>" in html("/sitemap.xml")
    return presence


def absent_everywhere(presence, counts=1):
    """``public_presence`` as it should be when the release is hidden and one other
    release carries the same entities (so every count is ``counts``)."""
    return {key: (counts if "count" in key else False) for key in presence}


def present_everywhere(presence, counts=2):
    return {key: (counts if "count" in key else True) for key in presence}
