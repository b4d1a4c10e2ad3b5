import pytest
from wagtail.models import Site

from newsroom.site_tree import ensure_site_tree


@pytest.fixture
def newsroom(db):
    return ensure_site_tree()


@pytest.fixture
def home(newsroom):
    return newsroom.get_parent().specific


@pytest.fixture
def site(newsroom):
    return Site.objects.get(is_default_site=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Filter world: built once per test module, rolled back after the module.
@pytest.fixture(scope="module")
def _filter_world_module(django_db_setup, django_db_blocker):
    from django.db import transaction

    from tests.factories import build_filter_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_filter_world()
        transaction.set_rollback(True)


@pytest.fixture
def filter_world(_filter_world_module, db):
    """The FILTER_WORLD_* data of tests/factories.py (shared, do not modify)."""
    return _filter_world_module


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached responses must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
