"""gunicorn settings; gunicorn reads this file from the working directory:

DJANGO_SETTINGS_MODULE=newsroom_site.settings.production gunicorn
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
wsgi_app = "newsroom_site.wsgi:application"
# Django and Wagtail are imported once, in the master, and every worker is a fork
# of it: a worker recycled below starts in milliseconds instead of spending a
# second of CPU importing them. When all workers reached max_requests together on
# two cores, their imports stalled every connection for over two seconds (wrk
# counted one timeout per connection). The cost: new code needs a restart, not a
# HUP. Nothing connects to the database or Redis at import, so no connection is
# shared across the fork.
preload_app = True
# Recycle workers now and then so a slow leak can never take a server down; the
# jitter spreads the restarts out.
max_requests = 2000
max_requests_jitter = 500
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def pre_fork(server, worker):
    # The loaded application is tens of thousands of long-lived objects. Frozen,
    # the garbage collector no longer scans them: a worker's full collection took
    # 120-180 ms (the slowest cold page in every ten) and now takes a few, and
    # the pages they sit in stay shared with the master instead of being copied.
    gc.freeze()
