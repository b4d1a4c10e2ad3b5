"""What an editor does to the cluster's database, for tests/cluster/ and
bench/cluster_load.py; run with the nodes' DATABASE_URL (the primary).

    python bench/cluster_ops.py prepare          # migrate; a small site if empty
    python bench/cluster_ops.py editor-session   # prints a signed-in session key
    python bench/cluster_ops.py publish TITLE    # prints the new release's path
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
# Index updates and alert sends run at once: nothing waits for a worker.
os.environ.setdefault(
    "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils.text import slugify  # noqa: E402

EDITOR = "cluster-editor"
SITE_RELEASES = 8


def prepare():
    """Migrations, then the site tree and a few releases (the demo content takes
    minutes to load on two busy cores; the cluster runs need pages, not volume)."""
    from newsroom.editorial.site_tree import ensure_site_tree
    from newsroom.models import PressReleasePage
    from tests.factories import SectorFactory, make_release

    call_command("migrate", verbosity=0)
    if PressReleasePage.objects.exists():
        return
    ensure_site_tree()
    sector = SectorFactory(name="Energy", slug="energy")
    for number in range(SITE_RELEASES):
        make_release(
            title=f"Cluster release {number}",
            release_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            sectors=[sector],
        )


def editor_session():
    """A session for a signed-in editor, as the admin's login would store it."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR, defaults={"is_staff": True, "is_superuser": True}
    )
    user.set_password("cluster-editor-password-on-loopback")
    user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def publish(title):
    from tests.factories import make_release

    page = make_release(
        title=title, slug=slugify(title), release_date=datetime.date.today()
    )
    return page.url


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare")
    commands.add_parser("editor-session")
    publishing = commands.add_parser("publish")
    publishing.add_argument("title")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare()
    elif args.command == "editor-session":
        print(editor_session())
    else:
        print(publish(args.title))


if __name__ == "__main__":
    main()
