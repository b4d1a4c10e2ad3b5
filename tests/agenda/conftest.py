import pytest

from tests.agenda.world import build_agenda_world
from tests.module_data import built_once

# Built once per test module, rolled back after it.
_agenda_world_module = built_once(build_agenda_world)


@pytest.fixture
def agenda_world(_agenda_world_module, db):
    """The data of tests/agenda/world.py (shared, do not modify).

    Clears the cache before and after: cached responses are keyed by the content
    version, which is the same again after each rollback.
    """
    from django.core.cache import cache

    cache.clear()
    yield _agenda_world_module
    cache.clear()
