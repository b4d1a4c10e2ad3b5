"""Wagtail's database search backend, with the average title length its ranking
needs read from a sample of a large index.

modelsearch's PostgreSQL index gives each new entry a ``title_norm``, the average
title length of the index over the entry's own, which ``ts_rank`` of the title is
multiplied by (newsroom/finder/full_text.py). After every write it reads that
average by scanning the title vector of every entry: 82 ms of a publish's 175 at
100,000 releases, three times that at 300,000, for one number.

Here the average comes from a ``TABLESAMPLE SYSTEM`` of about
``AVERAGE_SAMPLE_ROWS`` entries. An index of fewer entries (by the planner's
count) is read whole, so the value is Wagtail's exactly, and so is every test's
ranking. Beyond, the sample's mean lies within about 1 % of the whole one (the
titles' lengths vary by a few words), and entries already indexed keep the norm
of their time, as they do in Wagtail: it only updates entries whose norm is
still 1.0, the value a new or changed entry is written with. ``update_index``
(a full refresh) still averages every entry.

Other databases (SQLite for the demo) get Wagtail's own backend.
"""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Length
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresIndex,
    PostgresSearchBackend,
)

# About 800 pages of the index at its 2.5 entries a page.
AVERAGE_SAMPLE_ROWS = 2000


class SampledTitleNormIndex(PostgresIndex):
    def _refresh_title_norms(self, full=False):
        average = None if full else self.sampled_title_length()
        if average is None:  # a full refresh, or a sample that drew no title
            return super()._refresh_title_norms(full)
        # The rest of Wagtail's own refresh: the entries written since.
        self.entries.filter(title_norm=1.0).annotate(
            title_length=Length("title")
        ).filter(title_length__gt=0).update(title_norm=average / F("title_length"))

    def sampled_title_length(self):
        table = IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT AVG(LENGTH(title)) FROM {table} TABLESAMPLE SYSTEM ("
                f"(SELECT 100 * LEAST(1, %s / GREATEST(reltuples, 1)) FROM pg_class"
                f" WHERE oid = '{table}'::regclass)) WHERE LENGTH(title) > 0",
                [AVERAGE_SAMPLE_ROWS],
            )
            (average,) = cursor.fetchone()
        return None if average is None else float(average)


class SampledTitleNormBackend(PostgresSearchBackend):
    index_class = SampledTitleNormIndex


# Wagtail imports a backend module's ``SearchBackend``; modelsearch's database one
# is a function too, choosing by the default database's vendor.
def SearchBackend(params):
    if connection.vendor == "postgresql":
        return SampledTitleNormBackend(params)
    return database_backend(params)
