"""Scaling switches are plain environment variables: each one wires what it names."""

from tests.settings_probe import run_probe

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import router
from newsroom.models import Official
print(json.dumps({
    "read": router.db_for_read(Official),
    "write": router.db_for_write(Official),
    "migrate_replica": router.allow_migrate("replica", "newsroom"),
    "search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "search_urls": settings.WAGTAILSEARCH_BACKENDS["default"].get("URLS"),
    "frontend_cache": "wagtail.contrib.frontend_cache" in settings.INSTALLED_APPS,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "databases": sorted(settings.DATABASES),
}))
"""


def probe(**environ):
    return run_probe(PROBE, "newsroom_site.settings.dev", **environ)


def test_defaults_are_one_database_database_search_and_local_cache():
    wired = probe()
    assert wired["databases"] == ["default"]
    assert wired["read"] is None or wired["read"] == "default"
    assert wired["search"] == "newsroom.finder.search_backend"
    assert not wired["frontend_cache"]
    assert wired["cache"].endswith("LocMemCache")


def test_replica_redis_opensearch_and_cdn_are_switched_on_by_the_environment():
    wired = probe(
        DATABASE_REPLICA_URL="sqlite:////tmp/newsroom-replica-probe.sqlite3",
        SEARCH_URL="http://127.0.0.1:9200",
        CDN_PURGE_URL="http://127.0.0.1:9999/purge",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )
    assert wired["databases"] == ["default", "replica"]
    # Outside a request (this probe, tasks, commands) reads use the primary;
    # tests/channels/test_read_routing.py has the rules inside one.
    assert (wired["read"], wired["write"]) == ("default", "default")
    assert wired["migrate_replica"] is False
    assert wired["search"] == "wagtail.search.backends.opensearch2"
    assert wired["search_urls"] == ["http://127.0.0.1:9200"]
    assert wired["frontend_cache"]
    assert wired["cache"] == "django_redis.cache.RedisCache"
    # Redis down: a miss, not a 500 (tests/channels/test_faults_redis.py).
    assert wired["cache_options"]["IGNORE_EXCEPTIONS"] is True
    assert wired["cache_options"]["SOCKET_CONNECT_TIMEOUT"] <= 1


POOL_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW jit")
    jit = cursor.fetchone()[0]
    cursor.execute("SHOW max_parallel_workers_per_gather")
    workers = cursor.fetchone()[0]
    cursor.execute("SHOW work_mem")
    work_mem = cursor.fetchone()[0]
from psycopg_pool import ConnectionPool
pool = dict(settings.DATABASES["default"]["OPTIONS"].get("pool"))
print(json.dumps({
    "pool": pool,
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "pool_checks_live": connection.pool._check is ConnectionPool.check_connection,
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "pooled": connection.pool is not None,
    "jit": jit,
    "parallel_workers": workers,
    "work_mem": work_mem,
}))
"""


def production_on_postgresql(**environ):
    """What the production settings wire against the real server."""
    return run_probe(
        POOL_PROBE,
        "newsroom_site.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        SECRET_KEY="probe-only-" + "x" * 50,
        ALLOWED_HOSTS="example.org",
        **environ,
    )


def test_production_on_postgresql_pools_connections_without_jit():
    """Against the real server: psycopg's pool is in use, JIT and parallel
    workers are off."""
    wired = production_on_postgresql()
    assert wired["pool"] == {"min_size": 1, "max_size": 4, "timeout": 5.0}
    # A connection killed by a restart is replaced before a request gets it.
    assert wired["pool_checks_live"]
    assert wired["health_checks"]
    assert wired["conn_max_age"] == 0
    assert wired["pooled"]
    assert wired["jit"] == "off"
    assert wired["parallel_workers"] == "0"
    # Room for the RUM index's sort of a broad word's matches, in memory.
    assert wired["work_mem"] == "16MB"


def test_parallel_workers_and_work_mem_can_be_set():
    wired = production_on_postgresql(PG_PARALLEL_WORKERS="2", PG_WORK_MEM="64MB")
    assert wired["parallel_workers"] == "2"
    assert wired["work_mem"] == "64MB"


SQLITE_PROBE = """
import json, threading, django
django.setup()
from django.conf import settings
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (n integer)")
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
connection.close()

# Two transactions that read, then write, side by side: the admin publishing
# while the task worker records a result.
barrier = threading.Barrier(2)
errors = []

def read_then_write(n):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM probe")
            try:
                barrier.wait(timeout=1)
            except threading.BrokenBarrierError:
                pass
            cursor.execute("INSERT INTO probe VALUES (%s)", [n])
    except Exception as error:
        errors.append(str(error))
    finally:
        connection.close()

threads = [threading.Thread(target=read_then_write, args=(n,)) for n in (1, 2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM probe")
    rows = cursor.fetchone()[0]
print(json.dumps({
    "journal": journal,
    "busy_timeout": busy_timeout,
    "transaction_mode": settings.DATABASES["default"]["OPTIONS"]["transaction_mode"],
    "errors": errors,
    "rows": rows,
}))
"""


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path):
    """Development's SQLite file: WAL, a busy timeout, and transactions that take
    the write lock when they begin, so two that read and then write (the admin
    and the task worker) both succeed, one after the other, instead of one
    failing with "database is locked"."""
    wired = run_probe(
        SQLITE_PROBE,
        "newsroom_site.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )
    assert wired["journal"] == "wal"
    assert wired["busy_timeout"] >= 5000
    assert wired["transaction_mode"] == "IMMEDIATE"
    assert wired["errors"] == []
    assert wired["rows"] == 2
