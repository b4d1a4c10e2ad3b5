"""The releases readers may see, and what the channels load of them.

``PressReleasePage.objects.published()`` is where every public channel starts:
live, public, not withdrawn. The listing table (newsroom/models/listed.py) holds
exactly these releases; the cards and lists load them with what they show.
"""

import json
from functools import lru_cache

from django.db import connections, router
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import JSONObject, Substr
from django.db.models.query import ModelIterable
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from newsroom import kinds
from newsroom.models.precompiled import run_precompiled

# What a card names besides the release, as ``card_<kind>s``
# (templates/components/release_card.html), by kind.
CARD_KINDS = ("official", "sector", "region")


class PressReleaseQuerySet(PageQuerySet):
    # The kinds whose links load_release_links reads once the releases are.
    link_kinds = ()

    def _clone(self):
        clone = super()._clone()
        clone.link_kinds = self.link_kinds
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self.link_kinds and self._iterable_class is ModelIterable:
            load_release_links(self._result_cache, self.link_kinds)

    def with_links(self, *names):
        """Each release with the links of every kind (or of the kinds ``names``)
        and their entities, all from one query (:func:`load_release_links`)."""
        clone = self._chain()
        clone.link_kinds = names or tuple(kind.name for kind in kinds.KINDS)
        return clone

    def published(self, for_loading=False):
        """Live, public, not withdrawn releases, newest first.

        ``live`` excludes drafts and scheduled releases, ``public`` those behind a
        view restriction, and a withdrawn release keeps its URL but leaves every
        listing.

        Wagtail's ``public()`` first reads every view restriction in a query of its
        own; ``for_loading`` asks the same by a subquery instead (one query less),
        for releases loaded by id. Wagtail's search backends cannot filter by such
        a subquery, so a queryset that may be searched keeps ``public()``.
        """
        releases = self.live()
        if for_loading:
            releases = releases.filter(~under_view_restriction())
        else:
            releases = releases.public()
        return releases.filter(withdrawn=False).order_by("-release_date", "-id")

    def for_cards(self):
        """The release fields a card shows, without the body."""
        return self.defer_streamfields().select_related("locale")

    def with_listing_relations(self):
        """Everything the feeds, the API and the CSV export show of a release in a
        list, in a fixed number of queries: every kind's links and the hero
        image."""
        return (
            self.for_cards()
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")
            .with_links()
        )

    def with_feed_relations(self):
        """What a feed's entry shows: its categories (sectors, regions, topics),
        its author (the first organisation) and its corrections."""
        return (
            self.for_cards()
            .prefetch_related("corrections")
            .with_links("sector", "region", "topic", "organisation")
        )

    def with_api_relations(self):
        """What the API shows of a release: every kind's links, and the body
        (key figures), but no picture."""
        return self.select_related("locale").with_links()


def load_release_links(releases, names=None):
    """Load every kind's links of ``releases`` (or those of the kinds ``names``),
    each with its entity, as a prefetch would (``release.release_sectors.all()``
    reads them), in the editor's order, from one query: a prefetch per kind took
    six (:func:`load_links`)."""
    load_links(
        releases,
        [
            (kind, kind.link_model, kind.page_field)
            for kind in kinds.KINDS
            if not names or kind.name in names
        ],
    )


def load_event_links(events, names=None):
    """:func:`load_release_links` for the agenda's events."""
    load_links(
        events,
        [
            (kind, kind.event_link_model, "page_id")
            for kind in kinds.KINDS
            if not names or kind.name in names
        ],
    )


def load_links(pages, tables):
    """Load the links of ``pages`` in each of ``tables`` ((kind, link model, its
    page key)), each with its entity, into the caches a prefetch fills, from one
    query.

    The kinds' tables differ, so each part of the UNION ALL carries its link and
    its entity as JSON objects, turned back into model instances here (as
    ``finder.entity_names`` loads the entities of several kinds at once).
    """
    pages = [page for page in pages if page.pk is not None]
    if not pages or not tables:
        return
    ids = [page.pk for page in pages]
    tables = tuple(tables)
    alias = router.db_for_read(tables[0][1])
    sql, params, id_positions = links_statement(tables, len(ids), alias)
    params = list(params)
    for position, index in id_positions:
        params[position] = ids[index]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            (number, as_json(link_data), as_json(entity_data))
            for number, link_data, entity_data in cursor.fetchall()
        ]
    grouped, entities = {}, {}
    for number, link_data, entity_data in rows:
        kind, link_model, page_key = tables[number]
        link = from_json(link_model, link_data)
        # One instance an entity, however many pages link it (a feed's fifty
        # releases name the same sectors and regions over and over).
        entity = entities.get((kind.name, entity_data["id"]))
        if entity is None:
            entity = from_json(kind.model, entity_data)
            entities[kind.name, entity.pk] = entity
        link_model._meta.get_field(kind.link_field).set_cached_value(link, entity)
        grouped.setdefault((number, link_data[page_key]), []).append(link)
    orders = [editor_order(link_model) for _kind, link_model, _key in tables]
    # A queryset per table, copied for each page: copying is cheaper than making.
    empty = [link_model.objects.all() for _kind, link_model, _key in tables]
    for page in pages:
        cache = page.__dict__.setdefault("_prefetched_objects_cache", {})
        for number, (_kind, link_model, page_key) in enumerate(tables):
            links = sorted(grouped.get((number, page.pk), []), key=orders[number])
            key = link_model._meta.get_field(page_key)
            for link in links:
                key.set_cached_value(link, page)
            loaded = empty[number].all()
            loaded._result_cache = links
            loaded._prefetch_done = True
            cache[key.remote_field.cache_name] = loaded


@lru_cache(maxsize=128)
def links_statement(tables, count, alias):
    """The SQL and parameters of :func:`load_links`' UNION ALL for ``count``
    pages, and where the pages' ids go among the parameters: built and compiled
    once per process, as building and compiling it took as long as running it
    (about 5 ms for twenty releases). Compiled with stand-ins for the ids (no id
    is negative), then told apart from every other parameter (the part numbers
    and the JSON keys) by them."""
    stand_ins = list(range(-count, 0))
    parts = []
    for number, (kind, link_model, page_key) in enumerate(tables):
        link_fields = link_model._meta.concrete_fields
        entity_fields = kind.model._meta.concrete_fields
        parts.append(
            link_model.objects.filter(**{f"{page_key}__in": stand_ins})
            .order_by()
            .annotate(
                table_number=Value(number),
                link=JSONObject(**{f.attname: F(f.attname) for f in link_fields}),
                entity=JSONObject(
                    **{
                        f.attname: F(f"{kind.link_field}__{f.attname}")
                        for f in entity_fields
                    }
                ),
            )
            .values_list("table_number", "link", "entity")
        )
    union = parts[0].union(*parts[1:], all=True)
    sql, params = union.query.get_compiler(alias).as_sql()
    id_positions = tuple(
        (position, stand_ins.index(value))
        for position, value in enumerate(params)
        if type(value) is int and value < 0
    )
    if len(id_positions) != count * len(tables):
        raise RuntimeError("load_links: the pages' ids were not told apart")
    return sql, tuple(params), id_positions


def as_json(value):
    """A JSON object as the database driver hands it: decoded by psycopg, text
    from SQLite."""
    return json.loads(value) if isinstance(value, str) else value


def from_json(model, data):
    """A model instance from a JSON object of its concrete fields' columns."""
    fields = model._meta.concrete_fields
    return model.from_db(
        None,
        [field.attname for field in fields],
        [field.to_python(data[field.attname]) for field in fields],
    )


def editor_order(link_model):
    """The sort key of ``link_model``'s links in the editor's order
    (``sort_order``; topics have none: the order they were added in). Asked of
    the model once, not of each link: a missing attribute costs an exception."""
    if any(field.attname == "sort_order" for field in link_model._meta.fields):
        return lambda link: (link.sort_order is None, link.sort_order or 0, link.pk)
    return lambda link: link.pk


PressReleaseManager = PageManager.from_queryset(PressReleaseQuerySet)


def under_view_restriction():
    """A page at or below a page with a view restriction: Wagtail's ``public()``
    as a subquery, where ``public()`` first reads every restriction in a query
    of its own. Tree paths are prefixes of their descendants' paths."""
    restricted_ancestor = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
    ).filter(page__path=F("prefix"))
    return Exists(restricted_ancestor)


def with_card_links(releases):
    """``releases`` as a list, each with the officials, sectors and regions its
    card names (``card_officials``, ...), in the editor's order, from one query.

    The links are read as plain values and carried as EntityRefs, which the
    name and URL filters take like entities: model instances of three link
    kinds and their entities were most of the time a page of cards took.
    """
    releases = list(releases)
    ids = [release.pk for release in releases]
    # Compiled once per process for each number of releases (a page of cards is
    # mostly of one size): compiling took half as long as running it.
    rows = run_precompiled(card_links, (), page_ids=ids) if ids else []
    linked = {}
    for kind, page_id, _order, _link, *entity in sorted(
        rows, key=lambda row: (row[2] is None, row[2] or 0, row[3])
    ):
        linked.setdefault((page_id, kind), []).append(kinds.EntityRef(kind, *entity))
    for release in releases:
        for kind in CARD_KINDS:
            setattr(release, f"card_{kind}s", linked.get((release.pk, kind), []))
    return releases


def card_links(page_ids):
    """The query of :func:`with_card_links`: the card kinds' links of the
    releases ``page_ids``, with each entity's id, name and slug."""
    parts = []
    for name in CARD_KINDS:
        kind = kinds.get(name)
        entity = kind.link_field
        parts.append(
            kind.link_model.objects.filter(page_id__in=page_ids)
            .order_by()
            .annotate(kind=Value(name))
            .values_list(
                "kind",
                "page_id",
                "sort_order",
                "pk",
                f"{entity}_id",
                f"{entity}__name",
                f"{entity}__slug",
            )
        )
    return parts[0].union(*parts[1:], all=True)
