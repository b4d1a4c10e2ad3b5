"""Full-text matching and ranking for the listing, straight on Wagtail's index.

With Wagtail's PostgreSQL backend, ``PressReleasePage.objects.search(q)`` joins
the page, the release and the index entry (by ``object_id`` as text) before it
tests the text, so the planner tests it row by row for every release the other
filters let through. Here the match is a subquery on the index entries alone,
which the GIN index on ``title || body`` answers (migration 0007), and relevance
is computed only for the rows that match. The query is parsed and ranked by the
backend's own compiler, so both mean what Wagtail's search means. Other backends
(SQLite FTS5, OpenSearch) go through ``.search()`` as before.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Cast
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from newsroom.models import PressReleasePage


def postgres_backend():
    """The search backend when it is Wagtail's PostgreSQL one, else None."""
    from modelsearch.backends.database.postgres.postgres import (
        PostgresSearchBackend,
    )

    backend = get_search_backend()
    return backend if isinstance(backend, PostgresSearchBackend) else None


def _compiled(backend, query, model=PressReleasePage):
    compiler = backend.query_compiler_class(model.objects.all(), query)
    return compiler, compiler.build_tsquery(compiler.query, config=backend.config)


def _entries(model=PressReleasePage):
    return IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    )


def document():
    """``title || body``: what the backend matches, and the expression the GIN
    (migration 0007) and RUM (0025) indexes are built on."""
    return F("title")._combine(F("body"), "||", False)


def matching_ids(backend, query, model=PressReleasePage):
    """A subquery of the ids of releases (or pages of ``model``) whose indexed
    text matches ``query`` (published or not: the caller intersects it with what
    is listed)."""
    _, tsquery = _compiled(backend, query, model)
    if tsquery is None:  # nothing searchable in it, e.g. only dashes
        return []
    return (
        _entries(model)
        .annotate(document=document())
        .filter(document=tsquery)
        .values(release_id=Cast("object_id", IntegerField()))
    )


def rank_parts(compiler, backend):
    """The two terms of an index entry's relevance as the backend computes it:
    the title's ``ts_rank`` weighted by ``title_norm``, and the body's."""
    return (
        compiler.build_tsrank(F("title"), compiler.query, config=backend.config)
        * F("title_norm"),
        compiler.build_tsrank(F("body"), compiler.query, config=backend.config),
    )


def rank(compiler, backend):
    """An index entry's relevance as the backend computes it."""
    title_part, body_part = rank_parts(compiler, backend)
    return title_part + body_part


def by_relevance(rows, backend, query, model=PressReleasePage):
    """Listing rows (already limited to the matches) best match first, as the
    backend ranks them: title and body rank, the title weighted."""
    compiler, tsquery = _compiled(backend, query, model)
    if tsquery is None:
        return rows.none()
    entry_rank = (
        _entries(model)
        .filter(object_id=Cast(OuterRef("pk"), output_field=CharField()))
        .annotate(rank=rank(compiler, backend))
        .values("rank")[:1]
    )
    return rows.annotate(
        relevance=Subquery(entry_rank, output_field=FloatField())
    ).order_by(F("relevance").desc(nulls_last=True), "-pk")
