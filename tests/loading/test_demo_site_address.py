"""The demo's address: where `make run` serves it, what the Site says, and what the
development settings say, all one address (issue 23, item 8).

With Wagtail's default Site (localhost, port 80) every absolute link the demo gave
(feed links, the CSV ``url``, the API's ``html_url``, alert emails) pointed at a port
nothing listened on, so a subscriber could not complete double opt-in.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings
from wagtail.models import Site

from newsroom.alerts import tokens
from newsroom.editorial.site_tree import ensure_site_address
from newsroom.loading.demo_site import (
    DEMO_HOSTNAME,
    DEMO_PORT,
    DEMO_URL,
    ensure_demo_site_address,
)
from newsroom.models import ContentVersion

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_serves_the_demo_address():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert f"runserver {DEMO_HOSTNAME}:{DEMO_PORT}" in run


def test_development_settings_send_admin_links_to_the_demo_address():
    """WAGTAILADMIN_BASE_URL (admin emails, the API) agrees with the Site when
    nothing in the environment overrides it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WAGTAILADMIN_BASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["DJANGO_SETTINGS_MODULE"] = "newsroom_site.settings.dev"
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.WAGTAILADMIN_BASE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().rstrip("/") == DEMO_URL


def test_site_address_is_set_once_and_bumps_the_cache(site):
    assert (site.hostname, site.port) == ("localhost", 80)  # the tests' own
    version = ContentVersion.current()

    assert ensure_site_address(DEMO_HOSTNAME, DEMO_PORT)

    site.refresh_from_db()
    assert site.root_url == DEMO_URL
    # Cached answers with links to the old address are no longer served.
    assert ContentVersion.current() > version
    bumped = ContentVersion.current()
    assert not ensure_site_address(DEMO_HOSTNAME, DEMO_PORT)
    assert ContentVersion.current() == bumped
    assert Site.objects.count() == 1


def test_demo_takes_only_the_unset_default_address(site):
    ensure_demo_site_address()
    site.refresh_from_db()
    assert (site.hostname, site.port) == (DEMO_HOSTNAME, DEMO_PORT)

    site.hostname, site.port = "newsroom.example.org", 443
    site.save()
    ensure_demo_site_address()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("newsroom.example.org", 443)


@override_settings(NEWSROOM_ALERTS_BASE_URL="")
def test_alert_email_links_reach_the_demo_server(site):
    ensure_site_address(DEMO_HOSTNAME, DEMO_PORT)

    assert tokens.confirm_url("token").startswith(f"{DEMO_URL}/")
    assert tokens.listing_url().startswith(f"{DEMO_URL}/news/")
