"""Data built once for a test module and rolled back after it."""

import pytest
from django.db import models, transaction


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


def fresh(value):
    """``value`` with every model instance in it read again from the database (in
    dicts, lists and tuples): what a test gets of module-wide data, so that an
    instance one test changed in memory never reaches the next."""
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fresh(item) for item in value)
    return value
