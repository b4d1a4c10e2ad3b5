import pytest
from wagtail.models import Site

from newsroom.editorial.site_tree import ensure_site_tree
from tests.caches import empty_caches
from tests.factories import build_filter_world, default_newsroom
from tests.migration_steps import migrate, migrate_to_latest
from tests.module_data import built_once
from tests.template_database import use_migrated_template


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, the test database is a copy of a migrated template
    (tests/template_database.py)."""
    use_migrated_template()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrated, plus the site tree every test builds on (home,
    newsroom and their translations, the press office's permissions and workflow),
    built and committed once: each test's rollback returns to it.

    Transactional tests flush the database when they end; those with
    ``serialized_rollback`` load it back from the copy taken here, tree included.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        ensure_site_tree()
        for connection in connections.all(initialized_only=True):
            if getattr(connection, "_test_serialized_contents", None) is not None:
                connection._test_serialized_contents = (
                    connection.creation.serialize_db_to_string()
                )
    yield


@pytest.fixture
def migrated_database(db):
    """The database as the migrations leave it: Wagtail's welcome page at the root
    of the default site, no newsroom. The shared tree is deleted inside the test's
    transaction, so the rollback brings it back."""
    from wagtail.models import Page

    from newsroom.models import HomePage

    for home in HomePage.objects.all():
        home.delete()
    welcome = Page.get_first_root_node().add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home")
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=welcome, is_default_site=True
    )


@pytest.fixture
def newsroom(db):
    return default_newsroom()


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
_filter_world_module = built_once(build_filter_world)


@pytest.fixture
def filter_world(_filter_world_module, db):
    """The data of tests/factories/filter_world.py (shared, do not modify).

    Clears the cache before and after: cached responses are keyed by the content
    version, which is the same again after each rollback.
    """
    from django.core.cache import cache

    cache.clear()
    yield _filter_world_module
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Indonesian leaves its language active in the thread (Django's
    LocaleMiddleware activates, nothing deactivates): the next test, calling a
    view with a RequestFactory request, would run in Indonesian."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached responses must not leak from one test into the next, nor what a
    process remembers of the site: a rollback winds the structure version back,
    and the next test's version may number a different site tree."""
    empty_caches()
    yield
    empty_caches()


# --- Press office roles (tests/matrices/test_permissions.py, test_workflow.py, ...).
def _press_office_user(username, group_name):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def press_editor(newsroom):
    """A member of the press office's "Editors" group (no superuser rights)."""
    return _press_office_user("editor", "Editors")


@pytest.fixture
def press_moderator(newsroom):
    """A member of the press office's "Moderators" group (no superuser rights)."""
    return _press_office_user("moderator", "Moderators")


@pytest.fixture
def editor_client(press_editor):
    from django.test import Client

    client = Client()
    client.force_login(press_editor)
    return client


@pytest.fixture
def moderator_client(press_moderator):
    from django.test import Client

    client = Client()
    client.force_login(press_moderator)
    return client


@pytest.fixture
def migrate_for_test(transactional_db):
    """``migrate(targets)`` for a data migration's test, the database put back at
    the latest migration when the test ends (before its data is flushed), so no
    later test runs on an old schema (tests/migration_steps.py)."""
    yield migrate
    migrate_to_latest()
