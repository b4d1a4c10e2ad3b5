"""Moving the test database to a migration and back, for the tests of data
migrations: ``migrate(targets)``, and the database put back at the latest
migration when the test ends (the ``migrate_for_test`` fixture in
tests/conftest.py), so no later test runs on an old schema."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` ([(app, migration name)]); the app registry of
    that state, for its historical models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
