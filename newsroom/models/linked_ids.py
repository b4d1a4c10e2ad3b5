"""The ids a listed item links, one array column per kind: what the FilterSet's
facet filters read on every table that carries them (the listing tables, and
the figures of listed releases).

Arrays rather than a join per facet: a filter is one overlap (``&&`` on a GIN
index on PostgreSQL), and the facet counts come from one scan of one table
(``newsroom/finder/facet_statement.py``).
"""

import json

from django.db import models
from django.db.models import Lookup

from newsroom import kinds

# Each kind's column (its URL segment), and the kind it holds.
ARRAYS = {kind.segment: kind.name for kind in kinds.KINDS}
# The facet of stored counts and totals over everything a listing page lists,
# beside one per kind (its entity id 0).
TOTAL = "total"


class IdArrayField(models.Field):
    """A sorted list of ids: ``integer[]`` on PostgreSQL (GIN-indexable, ``&&``),
    JSON text on SQLite (read with ``json_each``)."""

    description = "A list of integer ids"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        if isinstance(value, str):
            return json.loads(value)
        return list(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return list(value or [])

    def get_db_prep_value(self, value, connection, prepared=False):
        ids = sorted({int(v) for v in value or []})
        if connection.vendor == "postgresql":
            return ids
        return json.dumps(ids)


@IdArrayField.register_lookup
class Overlaps(Lookup):
    """``ids__overlaps=[1, 2]``: the array holds at least one of the given ids."""

    lookup_name = "overlaps"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        # The id list as the column stores it: an array, or JSON text.
        return "%s", [self.lhs.output_field.get_db_prep_value(value, connection)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} && {rhs}::integer[]", (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (
            f"EXISTS (SELECT 1 FROM json_each({lhs}) AS held "
            f"JOIN json_each({rhs}) AS wanted ON held.value = wanted.value)",
            (*lhs_params, *rhs_params),
        )


class LinkedIds(models.Model):
    """The ids an item links, per kind (:data:`ARRAYS`); sectors and regions with
    every ancestor, so a subtree filter is a plain overlap.

    A table with these columns also names ``scope_field`` (the listing page its
    rows are counted under) and ``date_field`` (what ``from`` and ``to``
    filter), and the FilterSet filters it as it filters the listing.
    """

    officials = IdArrayField()
    organisations = IdArrayField()
    sectors = IdArrayField(help_text="Linked sectors and all their ancestors.")
    regions = IdArrayField(help_text="Linked regions and all their ancestors.")
    topics = IdArrayField()
    regulations = IdArrayField()

    scope_field = None
    date_field = None

    class Meta:
        abstract = True
