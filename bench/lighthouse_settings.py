"""Production settings, plus /media/ served by Django (bench/lighthouse_urls.py)."""

from newsroom_site.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.lighthouse_urls"
