"""The PostgreSQL tests' migrated template (tests/template_database.py)."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests import template_database


def test_the_fingerprint_follows_the_newsroom_code(tmp_path, monkeypatch):
    (tmp_path / "newsroom").mkdir()
    module = tmp_path / "newsroom" / "press_office.py"
    module.write_text("MODEL_PERMISSIONS = ['view']\n")
    monkeypatch.setattr(template_database, "PROJECT", tmp_path)
    before = template_database.migration_fingerprint()
    assert template_database.migration_fingerprint() == before
    module.write_text("MODEL_PERMISSIONS = ['view', 'change']\n")
    assert template_database.migration_fingerprint() != before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite tests migrate in memory"
)
def test_the_test_database_is_the_template_with_every_migration(db):
    template = connection.settings_dict["TEST"]["TEMPLATE"]
    assert template == (
        template_database.PREFIX + template_database.migration_fingerprint()
    )
    loader = MigrationLoader(connection)
    assert set(loader.applied_migrations) == set(loader.disk_migrations)
