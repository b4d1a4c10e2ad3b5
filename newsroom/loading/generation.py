"""Synthetic archives at scale: ``generate_releases N`` for benchmarks and load tests.

Pages are written in bulk (tree paths computed here, rows inserted in batches,
then indexed for search in batches), because one ``add_child`` and one revision
per page would take hours at 100,000. The pages are ordinary live Wagtail pages
under the newsroom: the site serves, filters, searches and edits them like any
other. They have no revisions until someone edits them, as for any page that was
created directly.
"""

import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading.search_entries import index_in_bulk
from newsroom.models import (
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
    ReleaseTopic,
    Sector,
    Topic,
)
from newsroom.models.listed import ListedRelease
from newsroom.models.subtrees import refresh_release_subtrees

# Body text follows the shape of real prose: a few general words are in almost
# every release, most words are rare (a Zipf distribution over a long tail), and
# subject words ("nickel", "smelter") are in the releases about that subject,
# mostly those linked to its topic. A uniform draw from a short list would put
# every word in every release, so that any search matched the whole archive.
GENERAL_WORDS = (
    "industry ministry investment capacity export cooperation policy estate "
    "workforce technology certification supply chain energy productivity standard "
    "training research partnership regulation incentive province regency plant "
    "efficiency component manufacturer domestic market value added development "
    "program national government company production growth quality programme "
    "support local global sustainable infrastructure agreement minister officials"
).split()
SYLLABLES = (
    "ba ka ma ra ta la na sa pa da ga ja wa ri ti ni si li mi ku tu nu su lu".split()
)
TOPIC_WORDS = {
    "nickel": "nickel smelter ore laterite matte",
    "lithium": "lithium cathode brine",
    "cobalt": "cobalt precursor hydroxide",
    "steel": "steel mill billet rolling",
    "bauxite": "bauxite alumina refinery",
    "silica": "silica sand glass",
    "downstreaming": "downstreaming processing hilirisasi",
    "green industry": "green emission decarbonisation",
    "electric vehicles": "battery vehicle charging",
    "semiconductors": "semiconductor chip wafer",
    "palm oil": "palm oil plantation",
    "carbon emissions": "carbon emission offset",
}


def _vocabulary(size=4000):
    """General words ranked first, then ``size`` invented rarer ones, with the
    cumulative Zipf weights ``random.choices`` takes."""
    rng = random.Random(0)
    tail = set()
    while len(tail) < size:
        tail.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    words = GENERAL_WORDS + sorted(tail - set(GENERAL_WORDS))
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


VOCABULARY, CUMULATIVE_WEIGHTS = _vocabulary()
SECTOR_ROOTS = [
    "Basic Metals",
    "Renewable Energy Equipment",
    "Chemicals",
    "Automotive",
    "Agro-industry",
    "Textiles",
    "Electronics",
    "Machinery",
]
COUNTRIES = ["China", "Japan", "South Korea", "Germany", "India", "Australia"]
TOPICS = [
    "nickel",
    "lithium",
    "cobalt",
    "steel",
    "bauxite",
    "silica",
    "downstreaming",
    "green industry",
    "electric vehicles",
    "investment",
    "export",
    "local content",
    "industrial estates",
    "research",
    "skills",
    "halal industry",
    "textiles",
    "semiconductors",
    "palm oil",
    "carbon emissions",
]


def _sentence(rng, words, subject_words=()):
    """``words`` words of prose; one in eight from the release's subjects."""
    drawn = rng.choices(VOCABULARY, cum_weights=CUMULATIVE_WEIGHTS, k=words)
    if subject_words:
        for position in range(0, words, 8):
            drawn[position] = rng.choice(subject_words)
    return " ".join(drawn).capitalize() + "."


def subject_words(topics):
    """The words a release about ``topics`` uses: their names and vocabulary."""
    words = []
    for topic in topics:
        words += topic.name.split() + TOPIC_WORDS.get(topic.name, "").split()
    return words


class Taxonomy:
    """Sectors, regions, people and topics for synthetic releases, made once."""

    def __init__(self, rng, officials=400, organisations=40):
        self.rng = rng
        self.sectors = self._sectors()
        self.regions = self._regions()
        self.organisations = self._named(
            Organisation, [f"Synthetic Organisation {n}" for n in range(organisations)]
        )
        self.officials = self._named(
            Official, [f"Synthetic Official {n}" for n in range(officials)]
        )
        self.topics = self._named(Topic, TOPICS)

    def _named(self, model, names):
        existing = {o.name: o for o in model.objects.filter(name__in=names)}
        missing = [
            model(name=name, slug=slugify(name))
            for name in names
            if name not in existing
        ]
        model.objects.bulk_create(missing, ignore_conflicts=True)
        return list(model.objects.filter(name__in=names))

    def _node(self, model, name, parent=None, **fields):
        slug = slugify(f"{parent.name} {name}" if parent and model is Sector else name)
        node = model.objects.filter(slug=slug).first()
        if node:
            return node
        instance = model(name=name, slug=slug, **fields)
        return (
            parent.add_child(instance=instance)
            if parent
            else model.add_root(instance=instance)
        )

    def _sectors(self):
        leaves = []
        for root_name in SECTOR_ROOTS:
            root = self._node(Sector, root_name)
            for n in range(1, 7):
                leaves.append(self._node(Sector, f"{root_name} segment {n}", root))
        return leaves

    def _regions(self):
        leaves = []
        indonesia = self._node(Region, "Indonesia", kind=Region.Kind.COUNTRY)
        for p in range(1, 39):
            province = self._node(
                Region, f"Province {p}", indonesia, kind=Region.Kind.PROVINCE
            )
            for r in range(1, 5):
                leaves.append(
                    self._node(
                        Region,
                        f"Province {p} Regency {r}",
                        province,
                        kind=Region.Kind.REGENCY,
                    )
                )
        for country in COUNTRIES:
            leaves.append(self._node(Region, country, kind=Region.Kind.COUNTRY))
        return leaves


def _body(rng, words, subjects):
    paragraphs, remaining = [], words
    while remaining > 0:
        size = min(remaining, rng.randint(40, 80))
        paragraphs.append("<p>" + _sentence(rng, size, subjects) + "</p>")
        remaining -= size
    body = [
        {"type": "paragraph", "value": "".join(paragraphs), "id": str(uuid.uuid4())}
    ]
    # Half the releases announce figures, as the archive's do (the tracker's
    # benchmark); one in ten restates a project's investment under its key.
    if rng.random() < 0.5:
        usd = {"value": f"{rng.randint(1, 900)}000000.00", "unit": "USD"}
        if rng.random() < 0.2:
            usd["key"] = f"project-{rng.randint(1, 2000)}"
        jobs = {"value": f"{rng.randint(100, 9000)}.00", "unit": "jobs"}
        items = [{**usd, "is_currency": True, "label": "investment"}]
        items.append({**jobs, "is_currency": False, "label": "jobs"})
        values = [
            {"type": "item", "value": item, "id": str(uuid.uuid4())} for item in items
        ]
        body.append({"type": "key_figures", "value": values, "id": str(uuid.uuid4())})
    return body


def generate_releases(count, seed=1, batch_size=1000, body_words=190, progress=None):
    """Create ``count`` live releases under the newsroom; returns the new page ids."""
    rng = random.Random(seed)
    newsroom = ensure_site_tree()
    taxonomy = Taxonomy(rng)
    content_type = ContentType.objects.get_for_model(PressReleasePage)
    search_backend = get_search_backend()
    next_step = next_child_step(newsroom)
    start = datetime.date.today() - datetime.timedelta(days=365 * 20)
    new_ids = []
    for offset in range(0, count, batch_size):
        size = min(batch_size, count - offset)
        with transaction.atomic():
            pages = _write_batch(
                rng,
                newsroom,
                taxonomy,
                content_type,
                next_step + offset,
                size,
                start,
                body_words,
            )
        index_in_bulk(search_backend, [p.pk for p in pages])
        new_ids.extend(p.pk for p in pages)
        if progress:
            progress.update(size)
    return new_ids


def _write_batch(
    rng, newsroom, taxonomy, content_type, first_step, size, start, body_words
):
    releases, links = [], []
    for step in range(first_step, first_step + size):
        links.append(_draw_links(rng, taxonomy))
        subjects = subject_words(links[-1]["topics"])
        release_date = start + datetime.timedelta(days=rng.randrange(365 * 20))
        title = f"{_sentence(rng, rng.randint(6, 11), subjects)[:-1]} ({step})"
        published = timezone.make_aware(
            datetime.datetime.combine(release_date, datetime.time(9))
        )
        release = PressReleasePage(
            title=title,
            draft_title=title,
            slug=f"release-{step}",
            content_type=content_type,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            latest_revision_created_at=None,
            locale_id=newsroom.locale_id,
            translation_key=uuid.uuid4(),
            release_date=release_date,
        )
        place_child(newsroom, release, step)
        releases.append(release)
    insert_page_rows(releases)
    for release, linked in zip(releases, links, strict=True):
        subjects = subject_words(linked["topics"])
        release.event_date = (
            release.release_date - datetime.timedelta(days=rng.randint(0, 5))
            if rng.random() < 0.5
            else None
        )
        release.standfirst = _sentence(rng, rng.randint(20, 35), subjects)
        release.dateline = rng.choice(["Jakarta", "Morowali", "Batam", "Surabaya"])
        release.reference = f"SP-{release.pk}"
        release.body = _body(rng, body_words, subjects)
    insert_specific_rows(newsroom, releases)
    _write_links(releases, links)
    refresh_release_subtrees([release.pk for release in releases])
    ListedRelease.refresh([release.pk for release in releases])
    return releases


def next_child_step(parent):
    """The tree step of the next child of ``parent`` (treebeard's numbering)."""
    last = parent.get_last_child()
    return Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1


def place_child(parent, page, step):
    """Put the unsaved ``page`` at ``parent``'s child number ``step``, as
    ``add_child`` would: path, depth and URL path."""
    page.path = Page._get_path(parent.path, parent.depth + 1, step)
    page.depth = parent.depth + 1
    page.numchild = 0
    page.url_path = f"{parent.url_path}{page.slug}/"
    page._cached_parent_obj = parent  # get_parent() without a query


def insert_page_rows(pages):
    """Write the Page rows of placed, unsaved pages in one statement; sets each
    page's id (Page.save per page would write them a statement or more at a
    time). ``insert_specific_rows`` writes the rest."""
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in pages]
    )
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk


def insert_specific_rows(parent, pages):
    """Write the rows of the pages' own model (one model for all), then count
    ``parent``'s children again."""
    model = type(pages[0])
    fields = list(model._meta.local_concrete_fields)
    for start in range(0, len(pages), 500):
        model._base_manager._insert(pages[start : start + 500], fields=fields, raw=True)
    # get_children() trusts numchild, so count the rows themselves.
    parent.numchild = Page.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1
    ).count()
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild)


def _draw_links(rng, taxonomy):
    """What one release links to: 0-4 officials, 0-3 sectors, 0-4 regions, 1-2
    organisations and 0-5 topics."""
    return {
        "officials": rng.sample(taxonomy.officials, rng.randint(0, 4)),
        "sectors": rng.sample(taxonomy.sectors, rng.randint(0, 3)),
        "regions": rng.sample(taxonomy.regions, rng.randint(0, 4)),
        "organisations": rng.sample(taxonomy.organisations, rng.randint(1, 2)),
        "topics": rng.sample(taxonomy.topics, rng.randint(0, 5)),
        "quoted": rng.random() < 0.4,
    }


def _write_links(releases, links):
    officials, sectors, regions, organisations, topics = [], [], [], [], []
    for release, linked in zip(releases, links, strict=True):
        for i, official in enumerate(linked["officials"]):
            officials.append(
                ReleaseOfficial(
                    page_id=release.pk,
                    official=official,
                    role="Director",
                    quoted=linked["quoted"],
                    sort_order=i,
                )
            )
        for i, sector in enumerate(linked["sectors"]):
            sectors.append(
                ReleaseSector(page_id=release.pk, sector=sector, sort_order=i)
            )
        for i, region in enumerate(linked["regions"]):
            regions.append(
                ReleaseRegion(page_id=release.pk, region=region, sort_order=i)
            )
        for i, organisation in enumerate(linked["organisations"]):
            organisations.append(
                ReleaseOrganisation(
                    page_id=release.pk, organisation=organisation, sort_order=i
                )
            )
        for topic in linked["topics"]:
            topics.append(ReleaseTopic(content_object_id=release.pk, tag=topic))
    for model, rows in (
        (ReleaseOfficial, officials),
        (ReleaseSector, sectors),
        (ReleaseRegion, regions),
        (ReleaseOrganisation, organisations),
        (ReleaseTopic, topics),
    ):
        model.objects.bulk_create(rows, batch_size=2000)


def analyse():
    """Refresh planner statistics after a bulk load (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
