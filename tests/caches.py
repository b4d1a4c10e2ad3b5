"""The application's caches, emptied."""

from django.core.cache import cache

from newsroom.models.caching import forget_remembered


def empty_caches():
    """No cached responses, and a process that remembers nothing of the site
    (models/caching.py:remembered): a page read now pays every query it can."""
    cache.clear()
    forget_remembered()
