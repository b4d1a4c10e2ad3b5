"""A hub's facet counts, kept: how many of its listed releases link each entity."""

from django.db import models

from newsroom.models.stored_sums import add_to_stored


class HubCount(models.Model):
    """For each hub of a newsroom (an entity, with its subtree for trees), how
    many of its listed releases link each entity: the facet counts of the hub's
    page unfiltered. The hub's own pair (its facet and id) counts its releases.

    Counting them live unnests the arrays of every release of the hub: 68 ms for
    a sector of 17,000 releases at 100,000, on pages readers land on from search
    engines. Each listed release adds one to every pair of entities it links
    (about 200; 495,000 rows at 100,000 releases), moved with its listing row in
    the same transaction (ListedRows.refresh).
    """

    newsroom = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    hub_facet = models.CharField(max_length=20)
    hub_id = models.IntegerField()
    facet = models.CharField(max_length=20)
    entity_id = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsroom", "hub_facet", "hub_id", "facet", "entity_id"],
                name="unique_hub_count",
            )
        ]

    def __str__(self):
        return f"{self.hub_facet} {self.hub_id}: {self.facet} {self.entity_id}"

    @classmethod
    def add(cls, change):
        """Add ``{(newsroom id, hub facet, hub id, facet, entity id): difference}``
        to the counts, in one upsert (ListedCount.add)."""
        add_to_stored(
            cls,
            ["newsroom_id", "hub_facet", "hub_id", "facet", "entity_id"],
            ["n"],
            [(*key, n) for key, n in sorted(change.items()) if n],
        )


def hub_pairs(scope, linked):
    """The keys a listed row adds one to: every pair of the entities it links
    (``linked``, [(facet, id)]), under its listing page ``scope``. Pure, for
    the migration that counted the rows already listed."""
    return [
        (scope, hub_facet, hub_id, facet, entity_id)
        for hub_facet, hub_id in linked
        for facet, entity_id in linked
    ]
