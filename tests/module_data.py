"""Data built once for a test module and rolled back after it."""

import pytest
from django.db import transaction


def built_once(build):
    """A module-scoped fixture holding ``build()``'s result: built once, in a
    transaction rolled back when the module's tests are done; each test runs in
    a savepoint inside it (pytest-django's ``db``), so tests may not see each
    other's writes but share the data."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    fixture.__doc__ = build.__doc__
    return fixture
