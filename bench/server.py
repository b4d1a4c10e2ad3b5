"""Start the site under gunicorn with production settings, for load measurements."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import redis

ROOT = Path(__file__).resolve().parent.parent


# Redis as production has it: workers share one cache, so a worker recycled by
# max_requests starts warm. A database of its own, emptied first: another
# benchmark database may have reached the same content version.
BENCH_REDIS_URL = "redis://127.0.0.1:6379/13"


def start_gunicorn(
    port, workers, capture_errors=False, settings="newsroom_site.settings.production"
):
    """A running gunicorn on 127.0.0.1:``port``; the caller terminates it."""
    redis_url = os.environ.get("REDIS_URL") or BENCH_REDIS_URL
    if redis_url == BENCH_REDIS_URL:
        redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "measurement-only-" + "k" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "REDIS_URL": redis_url,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture_errors else subprocess.DEVNULL,
        text=True,
    )
    for _ in range(150):
        try:
            with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")
