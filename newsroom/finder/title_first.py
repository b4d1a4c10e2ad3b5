"""The best matches of a one-word query, proven from the titles down (PostgreSQL).

Wagtail's PostgreSQL backend ranks an entry ``ts_rank(title) * title_norm +
ts_rank(body)`` (``full_text.rank``). For a query of one lexeme, PostgreSQL's
``ts_rank`` adds ``w / k²`` over the word's k-th occurrence in a vector and
divides by π²/6 (``calc_rank_or``): below *w* when every position carries the
weight *w*, and below ``(1 + π²/6) / (π²/6)`` times the highest weight when
they differ. So an entry whose ``title_norm`` is *n* ranks below
``title bound * n + body bound``, and one whose title lacks the word below the
body bound alone.

The walk reads the matches whose title holds the word in falling ``title_norm``
(the index of migration 0032), ranking each exactly as Wagtail does, and stops
once the n-th best found outranks what any entry not yet read could reach. The
first n are then Wagtail's own, in its order, after a few hundred entries
however many releases hold the word: at 100,000 releases, the first page of a
word in every release is proven from the hundred shortest titles. Where the
bound does not close within ``NEWSROOM_SEARCH_TITLE_WALK`` entries (a word
rare in short titles), or cannot (a query of several words, whose ``ts_rank``
rewards their nearness and has no such bound; a prefix), the caller goes on to
the RUM index's window (``broad_search.RankedMatches``).

The bounds are worked out from the search fields' boosts as they are now
(``rank_bounds``), so they hold for entries indexed with them: a change of
boosts needs ``update_index``, as it does for Wagtail's own ranking to mean
what the fields say. Each stretch is a statement of its own, so an index
refresh between two of them (new entries get ``title_norm`` 1.0, a full
refresh rewrites them all) may move an entry the walk has passed; the page
served then is the one a request a moment earlier would have got.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, StrIndex
from django.db.models.lookups import GreaterThan
from modelsearch.backends.database.postgres.query import Lexeme, LexemeCombinable
from modelsearch.backends.database.postgres.weights import (
    WEIGHTS,
    WEIGHTS_VALUES,
    get_weight,
)
from wagtail.search import index

from newsroom.finder import full_text

# The constant ts_rank divides by (src/backend/utils/adt/tsrank.c).
PI2_6 = 1.64493406685
# The first stretch's entries: a word in most titles is proven from the first
# hundred for a page of twenty.
FIRST_STRETCH = 100
# One statement a stretch: at most three, where the RUM index's window takes one.
STRETCHES = 3
# A walk short of the page's n matches goes on only where, at the rate the
# titles read so far held the word, the budget would find this many times n:
# the proof needs the n-th best well above the ceiling the budget reaches, and
# at 100,000 releases it closed only for words that common in short titles
# (docs/scaling.md, "proven from the titles").
PROMISING = 10
# Room for float4 rounding in ts_rank against the bound worked out in float8.
MARGIN = 1e-5


@dataclass(frozen=True)
class RankBounds:
    """Upper bounds of a one-lexeme ``ts_rank`` on each vector of ``model``."""

    title: float
    body: float


def _weights(fields, title, body):
    """The weight letters the backend's indexer gives ``fields``' text, split as
    it splits them: SearchFields named "title", at any depth, make the title."""
    for field in fields:
        if isinstance(field, index.SearchField):
            target = title if field.field_name == "title" else body
            target.add(get_weight(field.boost))
        elif isinstance(field, index.RelatedFields):
            _weights(field.fields, title, body)


def vector_bound(letters):
    """Above any one-lexeme ``ts_rank`` of a vector weighted by ``letters``."""
    # WEIGHTS runs A to D, WEIGHTS_VALUES (ts_rank's array) D to A.
    values = {WEIGHTS_VALUES[-1 - WEIGHTS.index(letter)] for letter in letters}
    if not values:
        return 0.0
    top = max(values)
    # One weight: the first occurrence carries the highest, so only the sum
    # counts; several: the highest may come later and is added once more.
    return top if len(values) == 1 else top * (1 + PI2_6) / PI2_6


@cache
def rank_bounds(model):
    title, body = set(), set()
    _weights(model.get_search_fields(), title, body)
    return RankBounds(vector_bound(title), vector_bound(body))


def _one_word(tsquery):
    """Whether the backend made one plain term of the query (the statement
    checks that PostgreSQL made one lexeme of it). The terms are the query's
    one lexeme expression, beside the configuration where one is set."""
    terms = [
        term
        for term in tsquery.get_source_expressions()
        if isinstance(term, LexemeCombinable)
    ]
    return (
        len(terms) == 1
        and isinstance(terms[0], Lexeme)
        and not (terms[0].prefix or terms[0].weight or terms[0].invert)
    )


def _matches(rows, backend, query, model):
    """The entries of ``rows`` whose title holds ``query``, when it is one
    lexeme, neither a prefix nor weighted (the bound's premise), and the parts
    of Wagtail's rank (``full_text.rank_parts``); (None, None) otherwise."""
    compiler, tsquery = full_text._compiled(backend, query, model)
    if tsquery is None or not _one_word(tsquery):
        return None, None
    return (
        full_text._entries(model)
        .annotate(
            lexemes=Func(tsquery, function="numnode", output_field=IntegerField()),
            labelled=StrIndex(Cast(tsquery, TextField()), Value(":")),
            release_id=Cast("object_id", IntegerField()),
            # ``title @@ query`` spelt as its function, which no index answers:
            # the planner would AND the stretch with the title's GIN bitmap of
            # every title holding the word (5 ms for 60,000 of them).
            in_title=Func(
                F("title"), tsquery, function="ts_match_vq", output_field=BooleanField()
            ),
        )
        .filter(lexemes=1, labelled=0, in_title=True)
        .filter(Exists(rows.order_by().filter(pk=OuterRef("release_id"))))
    ), full_text.rank_parts(compiler, backend)


def _ranked(matches, parts, body_bound, threshold):
    """``matches`` with Wagtail's ``rank``, or None for an entry whose title
    part plus the body bound is not above ``threshold`` (the n-th best rank
    found so far): it cannot be among the n best, and its body, the wide part
    of the entry, is not read."""
    title_part, body_part = parts
    return matches.annotate(
        rank=Case(
            When(
                GreaterThan(title_part + Value(body_bound), Value(threshold)),
                then=title_part + body_part,
            ),
            default=None,
            output_field=FloatField(),
        )
    )


def _after(entries, key):
    """``entries`` past ``key`` (title_norm, id) in the walk's order."""
    if key is None:
        return entries
    norm, pk = key
    return entries.filter(Q(title_norm__lt=norm) | Q(title_norm=norm, pk__lt=pk))


def best_matches(rows, backend, query, needed):
    """The ids of the ``needed`` best of ``rows`` matching ``query``, in
    Wagtail's order, when the walk proves them; else None.

    The walk reads the entries in stretches, one statement each: the matches
    among the stretch's entries (a limited subquery the planner reads by the
    index, then each entry by its key), ranked, each row also naming the
    stretch's last entry (None: the stretch ran to the end). Its cost is
    bounded by the entries read, however few hold the word, and it gives up as
    soon as a stretch shows too few titles holding the word for the bound to
    close."""
    budget = settings.NEWSROOM_SEARCH_TITLE_WALK
    if budget <= 0 or needed <= 0:  # a budget of 0 switches the walk off
        return None
    model = rows.model.item_model()
    matches, parts = _matches(rows, backend, query, model)
    if matches is None:
        return None
    bounds = rank_bounds(model)
    walked = full_text._entries(model).order_by("-title_norm", "-pk")
    stretch = min(budget, max(FIRST_STRETCH, 5 * needed))

    def ceiling(norm):
        """Above the rank of any entry past one whose title_norm is ``norm``
        (None: past every entry, where only titles lacking the word are left)."""
        bound = bounds.body + (bounds.title * norm if norm is not None else 0)
        return bound * (1 + MARGIN)

    # The title_norm the whole budget would reach, read with the first stretch:
    # where the ranks found so far are not above its ceiling, the rest of the
    # walk is spared.
    furthest = Subquery(walked[budget - 1 : budget].values("title_norm"))
    found, best, start, read = [], [], None, 0
    for number in range(1, STRETCHES + 1):
        ahead = _after(walked, start)
        last = ahead[stretch - 1 : stretch]
        threshold = best[-1][0] if len(best) == needed else -1.0
        batch = list(
            _ranked(matches, parts, bounds.body * (1 + MARGIN), threshold)
            .filter(pk__in=ahead[:stretch].values("pk"))
            .annotate(
                end_norm=Subquery(last.values("title_norm")),
                end_pk=Subquery(last.values("pk")),
                furthest=furthest if number == 1 else Value(None, FloatField()),
            )
            .values_list("rank", "release_id", "end_norm", "end_pk", "furthest")
        )
        if not batch:
            return None  # no title in the stretch holds the word
        found += [(rank, id_) for rank, id_, *_ in batch if rank is not None]
        read += stretch
        end_norm, end_pk = batch[0][2:4]
        if number == 1:
            furthest_norm = batch[0][4]
        # Wagtail's order: rank, then the newest id.
        best = sorted(found, reverse=True)[:needed]
        if len(best) == needed and best[-1][0] > ceiling(end_norm):
            return [release_id for _, release_id in best]
        budget -= stretch
        if end_norm is None or budget <= 0:
            return None
        if len(best) < needed:
            if len(found) * (read + budget) < PROMISING * needed * read:
                return None  # at this rate, too few titles hold the word
        elif furthest_norm is not None and best[-1][0] <= ceiling(furthest_norm):
            return None  # not within the budget, unless later titles rank higher
        # The last stretch takes what is left of the budget, which ``furthest``
        # looked ahead to.
        start = end_norm, end_pk
        stretch = budget if number == STRETCHES - 1 else min(budget, 10 * stretch)
    return None
