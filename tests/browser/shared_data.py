"""Data a browser test module builds once and its tests only read.

The live server reads what is committed, so pytest-django's rollback cannot
undo a test's data; transactional tests flush the database after each test
instead, and rebuild what they need before the next (tests/browser/conftest.py).
For the modules whose tests only read, ``committed_once`` builds the data once.
"""

import pytest
from django.core.management import call_command

from tests.browser.support import server_idle
from tests.caches import empty_caches


def restore_base_contents():
    """The database every test starts from, put back where a transactional test's
    flush took it away (serialized_rollback loads it back only when the next such
    test starts)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is None:  # not a test database made by this run
            continue
        # Only a flush that skips post_migrate, as serialized_rollback's does,
        # leaves no content types behind.
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_content_type")
            flushed = cursor.fetchone()[0] == 0
        if flushed:
            connection.creation.deserialize_db_from_string(contents)


def committed_once(build):
    """A module-scoped fixture: ``build()``'s data committed once for all the
    module's tests, which must only read it: mark them
    ``django_db(serialized_rollback=True)`` without ``transaction``, so each runs
    in a transaction rolled back after it (the server reads what is committed)
    and the database every test starts from is kept to be put back. After the
    module the database is flushed, as a transactional test leaves it.

    Building the filter world or the demo took 4 to 25 s a test on PostgreSQL.
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker, site_server, module_media):
        with django_db_blocker.unblock():
            restore_base_contents()
            empty_caches()
            try:
                built = build()
            except BaseException:
                # What was committed before the error must not reach the next
                # module's tests.
                flush_as_transactional_tests_do()
                raise
        yield built
        with django_db_blocker.unblock(), server_idle(site_server):
            flush_as_transactional_tests_do()

    fixture.__doc__ = build.__doc__
    return fixture


def flush_as_transactional_tests_do():
    """Empty the database as TransactionTestCase does after a test: the sequences
    go on, so the rows put back later with their own ids never meet a new row's
    id; and no caches of what was there."""
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        inhibit_post_migrate=True,
    )
    empty_caches()
