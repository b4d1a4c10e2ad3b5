"""Which releases sit in each sector and region subtree, precomputed.

A release is *in* a node when it links that node or any node below it. Asking the
link tables that question means a path-prefix scan and ``COUNT(DISTINCT ...)`` for
every node shown in a facet, which takes seconds at 100,000 releases. These tables
hold the answer: one row per release and per node on the way from each linked node
up to its root, so a subtree filter is an indexed equality and the counts beside
every node of a facet are one ``GROUP BY``.

The rows follow the link tables, which change only when a release is saved in full
(created or published: :meth:`PressReleasePage.save`), when a node moves
(:meth:`TreeNode.move`) or in bulk loads (``generate_releases``). They are kept for
every release, published or not, like the links themselves; which releases a reader
may see is still decided by ``PressReleasePage.objects.published()``.
"""

from itertools import islice

from django.db import models

from newsroom import kinds

CHUNK = 2000


class SubtreeMembership(models.Model):
    release = models.ForeignKey(
        "newsroom.PressReleasePage", on_delete=models.CASCADE, related_name="+"
    )

    # Set by each table: the tree, its link table and the link's node field.
    node_field = ""
    link_model_name = ""

    class Meta:
        abstract = True

    @classmethod
    def node_model(cls):
        return cls._meta.get_field(cls.node_field).related_model

    @classmethod
    def link_model(cls):
        return cls._meta.apps.get_model("newsroom", cls.link_model_name)

    @classmethod
    def refresh(cls, release_ids):
        """Recompute the rows of these releases from their links."""
        release_ids = list(release_ids)
        for start in range(0, len(release_ids), CHUNK):
            chunk = release_ids[start : start + CHUNK]
            links = cls.link_model().objects.filter(page_id__in=chunk)
            rows = cls._rows(links.values_list("page_id", f"{cls.node_field}__path"))
            cls.objects.filter(release_id__in=chunk).delete()
            cls.objects.bulk_create(rows, batch_size=CHUNK)

    @classmethod
    def refresh_subtree(cls, node):
        """Recompute every release linked inside ``node``: after a move, their
        ancestors are no longer the same."""
        below = cls.node_model().objects.filter(path__startswith=node.path)
        linked = cls.link_model().objects.filter(**{f"{cls.node_field}__in": below})
        cls.refresh(linked.values_list("page_id", flat=True).distinct())

    @classmethod
    def rebuild(cls):
        """Recompute the whole table (bulk loads, repairs)."""
        rebuild_memberships(
            cls, cls.link_model(), cls.node_field, cls.node_model().steplen
        )

    @classmethod
    def _rows(cls, page_paths):
        pairs = _with_ancestors(page_paths, cls.node_model().steplen)
        paths = {path for _, path in pairs}
        nodes = cls.node_model().objects.filter(path__in=paths)
        return _memberships(
            cls, cls.node_field, pairs, dict(nodes.values_list("path", "id"))
        )


def membership_model(kind):
    """``ReleaseIn<Model>``: the releases in each subtree of a tree ``kind``."""
    node = kind.link_field
    meta = {
        "constraints": [
            models.UniqueConstraint(
                fields=[node, "release"], name=f"unique_release_in_{kind.name}"
            )
        ],
        "indexes": [models.Index(fields=["release", node])],
    }
    attributes = {
        "__module__": __name__,
        node: models.ForeignKey(
            f"newsroom.{kind.model_name}",
            on_delete=models.CASCADE,
            related_name="release_memberships",
        ),
        "node_field": node,
        "link_model_name": kind.link_model_name,
        "Meta": type("Meta", (), meta),
    }
    return type(f"ReleaseIn{kind.model_name}", (SubtreeMembership,), attributes)


ReleaseInSector, ReleaseInRegion = (
    membership_model(kinds.get(name)) for name in ("sector", "region")
)


def _with_ancestors(page_paths, steplen):
    """{(page id, path)} for each ``(page id, node path)`` and every ancestor path."""
    return {
        (page_id, path[:end])
        for page_id, path in page_paths
        for end in range(steplen, len(path) + 1, steplen)
    }


def _memberships(membership_model, node_field, pairs, ids_by_path):
    return [
        membership_model(release_id=page_id, **{f"{node_field}_id": ids_by_path[path]})
        for page_id, path in sorted(pairs)
    ]


def rebuild_memberships(membership_model, link_model, node_field, steplen):
    """Fill ``membership_model`` from every link; takes the models as arguments so
    the data migration can pass its historical ones."""
    node_model = membership_model._meta.get_field(node_field).related_model
    ids_by_path = dict(node_model.objects.values_list("path", "id"))
    membership_model.objects.all().delete()
    links = link_model.objects.order_by("page_id").values_list(
        "page_id", f"{node_field}__path"
    )
    page_paths = links.iterator(chunk_size=CHUNK)
    while batch := list(islice(page_paths, CHUNK)):
        # A release's links may straddle two batches: its shared ancestors then
        # come twice.
        membership_model.objects.bulk_create(
            _memberships(
                membership_model,
                node_field,
                _with_ancestors(batch, steplen),
                ids_by_path,
            ),
            ignore_conflicts=True,
        )


SUBTREE_MEMBERSHIPS = [ReleaseInSector, ReleaseInRegion]


def refresh_release_subtrees(release_ids):
    for membership in SUBTREE_MEMBERSHIPS:
        membership.refresh(release_ids)
