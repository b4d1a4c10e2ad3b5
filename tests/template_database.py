"""PostgreSQL test databases cloned from a migrated template.

Migrating an empty database (Django's, Wagtail's and the newsroom's 238 migrations)
takes 20 to 40 seconds, almost all of it Django rendering model states in Python.
Every PostgreSQL run did it again: ``make test`` twice (the browser tests and the
rest), and a developer on every run. Now the first run migrates a template database
named after everything the migrations read; a run finds it there and its test
database is a copy (``CREATE DATABASE ... TEMPLATE``, a fraction of a second).
Django's test set-up still runs ``migrate`` on the copy, which finds nothing to do,
so a template that somehow missed a migration would be migrated all the same.

The name changes with any migration file of any installed app, any module of the
newsroom (its migrations call into it: the press office's permissions, the search
index's operations) and the Django version; the last template is dropped when a new
one is made. SQLite tests migrate an in-memory database as before.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import django
import psycopg
from django.apps import apps
from django.db import connections

PREFIX = "test_newsroom_template_"
PROJECT = Path(__file__).resolve().parent.parent
# Held while a run looks for the template and builds it: two runs started together
# (make test's PostgreSQL runs) build it once.
LOCK_KEY = 7_440_221


def migration_fingerprint():
    """A digest of what migrating an empty database reads."""
    digest = hashlib.sha256(django.get_version().encode())
    folders = {Path(config.path) / "migrations" for config in apps.get_app_configs()}
    folders.add(PROJECT / "newsroom")
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def use_migrated_template(alias="default"):
    """Point the test database of ``alias`` at a migrated template, made first if
    there is none for these migrations. Does nothing on SQLite."""
    database = connections[alias].settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    name = PREFIX + migration_fingerprint()
    server = {
        "host": database["HOST"] or None,
        "port": database["PORT"] or None,
        "user": database["USER"] or None,
        "password": database["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                build_template(admin, database, name)
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    database.setdefault("TEST", {})["TEMPLATE"] = name


def build_template(admin, database, name):
    """Migrate a new database as Django's test set-up would, then give it the
    template's name: a run stopped half-way leaves only a ``_building`` database,
    which the next one starts again."""
    stale = admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s",
        [PREFIX.replace("_", r"\_") + "%"],
    ).fetchall()
    for (old,) in stale:
        # One another run is copying at this moment stays; the next build drops it.
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{old}"')
        except psycopg.errors.ObjectInUse:
            pass
    building = f"{name}_building"
    admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
    admin.execute(f'CREATE DATABASE "{building}"')
    user = quote(database["USER"] or "postgres", safe="")
    if database["PASSWORD"]:
        user += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    url = f"postgres://{user}@{host}:{database['PORT'] or 5432}/{building}"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "site.settings.test"
        ),
    }
    environment.pop("DATABASE_REPLICA_URL", None)
    subprocess.run(
        [
            sys.executable,
            str(PROJECT / "manage.py"),
            "migrate",
            "--noinput",
            "--run-syncdb",
            "--verbosity=0",
        ],
        env=environment,
        cwd=PROJECT,
        check=True,
    )
    admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
