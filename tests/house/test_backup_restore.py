"""The documented backup (pg_dump + media) restores every table into a new database."""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "wagtailcore_page",
    "wagtailcore_revision",
    "wagtailcore_locale",
    "newsroom_pressreleasepage",
    "newsroom_official",
    "newsroom_appointment",
    "newsroom_organisation",
    "newsroom_sector",
    "newsroom_region",
    "newsroom_topic",
    "newsroom_releaseofficial",
    "newsroom_releasesector",
    "newsroom_releaseregion",
    "newsroom_releaseorganisation",
    "newsroom_releasetopic",
    "newsroom_regulation",
    "newsroom_regulation_amends",
    "newsroom_regulationtranslation",
    "newsroom_releaseregulation",
    "newsroom_releaseinsector",
    "newsroom_releaseinregion",
    "newsroom_alertsubscription",
    "wagtailimages_image",
    "auth_group_permissions",
    "wagtailcore_grouppagepermission",
]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL"
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump missing"),
]


def url_for(name):
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}@{host}:{port}/{name}"


def counts(url):
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in TABLES
        }


def checksum(url):
    """Titles, slugs, paths, translation links and release links: restored row by
    row, not only counted."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT md5(string_agg(p.path || p.slug || p.title || "
            "p.translation_key::text || p.locale_id::text || coalesce("
            "(SELECT string_agg(l.region_id::text, ',' ORDER BY l.region_id) "
            "FROM newsroom_releaseregion l WHERE l.page_id = p.id), ''), '|' "
            "ORDER BY p.path)) FROM wagtailcore_page p"
        ).fetchone()[0]


# serialized_rollback: the migrations' data and the shared site tree are back even
# after an earlier transactional test flushed the database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_every_release_revision_and_link(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    source = url_for(connection.settings_dict["NAME"])
    target_name = f"restore_check_{os.getpid()}"
    subprocess.run(
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", target_name],
        check=True,
    )
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", target_name], check=True
    )
    target = url_for(target_name)
    try:
        backup = tmp_path / "backup"
        restored_media = tmp_path / "restored-media"
        subprocess.run(
            [ROOT / "scripts/backup.sh", source, settings.MEDIA_ROOT, backup],
            check=True,
        )
        subprocess.run(
            [ROOT / "scripts/restore.sh", backup, target, restored_media], check=True
        )
        before, after = counts(source), counts(target)
        assert after == before
        assert before["newsroom_pressreleasepage"] >= 30
        assert before["wagtailcore_revision"] >= before["newsroom_pressreleasepage"]
        assert before["wagtailcore_locale"] == 2  # the translations came too
        assert before["newsroom_releaseregulation"] > 0  # the demo cites some
        assert before["newsroom_regulation_amends"] > 0
        assert checksum(target) == checksum(source)
        original_files = sorted(
            p.relative_to(settings.MEDIA_ROOT)
            for p in Path(settings.MEDIA_ROOT).rglob("*")
            if p.is_file()
        )
        restored_files = sorted(
            p.relative_to(restored_media)
            for p in restored_media.rglob("*")
            if p.is_file()
        )
        assert restored_files == original_files and original_files
        # Restoring twice into the same database is refused, never merged.
        again = subprocess.run(
            [ROOT / "scripts/restore.sh", backup, target, restored_media],
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", target_name],
            check=False,
        )
