"""Querysets a page makes on every request with other values, compiled once.

Building and compiling a queryset can cost more than running it: the query that
routes a release page (the child of the newsroom by slug, with its translations
and whether a view restriction covers it) took about 3 ms to build and compile
and under 1 ms to run. :func:`run_precompiled` builds it once per process with
stand-ins for its values, keeps the SQL and the compiler that turns rows into
instances, and on each call puts the values where the stand-ins were.

What it leans on of Django's compiler (``as_sql``, ``connection``, the
``select``/``klass_info`` it leaves behind) is pinned by
tests/models/test_precompiled.py, which compares each answer with the
queryset's own, on both databases.
"""

import copy
import itertools
import threading
from functools import lru_cache

from django.db import connections, router

# Told apart from every other parameter of the statement by these values, which
# no query here is made with. A string stand-in holds LIKE's wildcards: found as
# it is, it is compared exactly; escaped and followed by "%", as a LIKE prefix;
# changed any other way (SQLite's iexact escapes it), it is not found, and the
# query is refused rather than run with a value put in unescaped. A whole one
# fits an integer column (Django drops a comparison with a value out of its
# column's range, and a tree depth cannot be negative).
STRING_STAND_IN = "zqx%stand_in{}zqx"
INTEGER_STAND_IN = 2_146_999_999
# Compiling changes the query compiled (aliases, joins): one thread at a time.
compiling = threading.Lock()


def run_precompiled(build, constants, **values):
    """``list(build(*constants, **values))``, built and compiled once per process
    for ``build``, ``constants`` and the names and types of ``values``: strings,
    compared exactly or as a prefix (``startswith``), whole numbers, and lists
    of either (``pk__in``; compiled once for each length). A lookup that changes
    a value otherwise is refused (RuntimeError)."""
    shape = tuple(sorted(shape_of(name, value) for name, value in values.items()))
    alias = router.db_for_read(built(build, constants, shape).model)
    queryset, template, slots = compiled(build, constants, shape, alias)
    connection = connections[alias]
    sql, params = template.as_sql()
    params = list(params)
    for position, (name, index), like in slots:
        value = values[name] if index is None else values[name][index]
        if like:
            value = connection.ops.prep_for_like_query(value) + "%"
        params[position] = value
    compiler = copy.copy(template)
    compiler.connection = connection  # this thread's: connections are per thread
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    run = queryset.all()
    run.query.get_compiler = lambda *args, **kwargs: compiler
    return list(run)


def shape_of(name, value):
    """``(name, type, length)``: the length of a list (of one type), None for a
    single value."""
    if not isinstance(value, list | tuple):
        return name, type(value), None
    kinds = {type(item) for item in value}
    if len(kinds) > 1:
        raise TypeError(f"{name}: a list of one type of value, not {kinds}")
    return name, kinds.pop() if kinds else str, len(value)


def stand_ins(shape):
    """{name: its stand-in, or a list of them}, every stand-in a different one."""
    numbers = itertools.count()

    def stand_in(kind):
        number = next(numbers)
        if kind is str:
            return STRING_STAND_IN.format(number)
        return INTEGER_STAND_IN - number

    return {
        name: stand_in(kind)
        if length is None
        else [stand_in(kind) for _ in range(length)]
        for name, kind, length in shape
    }


@lru_cache(maxsize=256)
def built(build, constants, shape):
    return build(*constants, **stand_ins(shape))


@lru_cache(maxsize=256)
def compiled(build, constants, shape, alias):
    """``build``'s queryset, a compiler that has compiled it once (it answers
    ``as_sql`` with that SQL from then on), and where each value goes among the
    parameters: (position, (name, index in its list or None), whether compared
    as a LIKE prefix)."""
    by_stand_in = {}
    for name, value in stand_ins(shape).items():
        if isinstance(value, list):
            by_stand_in.update({item: (name, n) for n, item in enumerate(value)})
        else:
            by_stand_in[value] = (name, None)
    ops = connections[alias].ops
    as_prefix = {
        ops.prep_for_like_query(value) + "%": address
        for value, address in by_stand_in.items()
        if isinstance(value, str)
    }
    with compiling:
        queryset = built(build, constants, shape).all()
        template = queryset.query.get_compiler(alias)
        sql, params = template.as_sql()
    slots = []
    for position, param in enumerate(params):
        if not isinstance(param, (str, int)):
            continue
        if param in by_stand_in:
            slots.append((position, by_stand_in[param], False))
        elif param in as_prefix:
            slots.append((position, as_prefix[param], True))
    if {address for _, address, _ in slots} != set(by_stand_in.values()):
        raise RuntimeError(f"{build.__name__}: a value was not found in its SQL")
    template.as_sql = lambda *args, **kwargs: (sql, params)
    return queryset, template, tuple(slots)
