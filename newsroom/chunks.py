"""Work in slices: a query per slice of ids instead of one per id or one of all."""

from itertools import islice


def chunked(items, size):
    """Lists of at most ``size`` items, in order; reads ``items`` lazily, so an
    iterator over millions of ids (``.iterator()``) is never held whole."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
