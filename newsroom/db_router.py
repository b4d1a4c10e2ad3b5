"""Which database a query reads from when a replica is configured.

``DATABASE_REPLICA_URL`` adds the replica.
Reads go to the replica only inside a request that :class:`ReadRoutingMiddleware`
chose for it: an anonymous, safe (GET/HEAD) request of the public site, while the
replica answers and is less than ``REPLICA_MAX_LAG`` seconds behind. Everything
else reads the primary: the admin, a signed-in user (anyone with a session), unsafe
methods, embargo previews, alert confirmation and management, Wagtail's previews,
and all code outside a request (tasks, the db_worker, management commands, shells).

The choice is made once, when the request starts, and held for the whole request
through a context variable, so the page cache's content version
(:class:`~newsroom.models.ContentVersion`) and the page it keys are read from the
same database, in that order: a page is never older than the version it is cached
under. A request that writes is pinned to the primary for the rest of its reads
(read-after-write). A request whose replica read failed (the replica stopped
mid-request) is answered again from the primary.

docs/scaling.md lists what the replica tests (tests/cluster/) exercise.
"""

import contextlib
import re
import threading
import time
from contextvars import ContextVar

import psycopg
from django.conf import settings
from django.db import connections

from newsroom.channels.security import admin_prefix

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD")

# Set only for the length of a request (or a pinned_to_primary block): a
# one-element list, so that a write anywhere in the request can pin it.
_route = ContextVar("newsroom_read_route", default=None)


def read_alias():
    """The alias reads use now: the replica only inside a request chosen for it."""
    route = _route.get()
    return route[0] if route else PRIMARY


def pin_to_primary():
    """The rest of the current request reads the primary (after a write, say)."""
    route = _route.get()
    if route:
        route[0] = PRIMARY


@contextlib.contextmanager
def routed_to(alias):
    token = _route.set([alias])
    try:
        yield
    finally:
        _route.reset(token)


def pinned_to_primary():
    """Reads in the block go to the primary, whatever the request chose."""
    return routed_to(PRIMARY)


class PrimaryReplicaRouter:
    """Writes and migrations go to the primary; reads follow :func:`read_alias`."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


# Lag as the standby sees it: nothing received and not yet applied means no lag
# (an idle primary writes nothing for hours); otherwise the age of the last
# applied commit. A replica that is not streaming (cut off from the primary) or
# not a standby at all is unusable: it may be behind with no way to tell.
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN NULL
  WHEN coalesce((SELECT status FROM pg_stat_wal_receiver), '') <> 'streaming' THEN NULL
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
END
"""


class ReplicaHealth:
    """Whether the replica may be read now; asked at most once a second per process.

    The check has its own connection (not the request's pooled one) with a one
    second connect timeout, so a replica that is down costs one refused connect
    a second, not a pool timeout per request.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._usable = False
        self._connection = None
        self.last_lag = None

    def usable(self):
        if time.monotonic() - self._checked_at < settings.REPLICA_CHECK_SECONDS:
            return self._usable
        if not self._lock.acquire(blocking=False):
            return self._usable  # another thread is asking; use the last answer
        try:
            self._usable = self._check()
            self._checked_at = time.monotonic()
        finally:
            self._lock.release()
        return self._usable

    def recheck(self):
        """Ask now (after a failed request), not when the last answer expires."""
        with self._lock:
            self._close()
            self._usable = self._check()
            self._checked_at = time.monotonic()
        return self._usable

    def _check(self):
        database = settings.DATABASES[REPLICA]
        if database["ENGINE"] != "django.db.backends.postgresql":
            return True  # no lag to measure (a copy for tests or development)
        try:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect(database)
            lag = self._connection.execute(LAG_SQL).fetchone()[0]
        except Exception:  # noqa: BLE001 - any failure means: read the primary
            self._close()
            self.last_lag = None
            return False
        self.last_lag = None if lag is None else float(lag)
        return self.last_lag is not None and self.last_lag <= settings.REPLICA_MAX_LAG

    @staticmethod
    def _connect(database):
        params = connections[REPLICA].get_connection_params()
        for key in ("pool", "cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        params["connect_timeout"] = 1
        params["autocommit"] = True
        return psycopg.Connection.connect(**params)

    def _close(self):
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None


replica_health = ReplicaHealth()


def primary_only_path(path):
    """Paths that read what they (or the editor before them) just wrote."""
    if path.startswith(_primary_prefixes()):
        return True
    return bool(_ALERTS.match(path))


_ALERTS = re.compile(r"^/(?:[\w-]+/)?alerts/")


def _primary_prefixes():
    return tuple(p for p in (admin_prefix(), "/embargo/", "/documents/") if p)


def wants_replica(request):
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not getattr(request, "is_dummy", False)
        and not getattr(request, "is_preview", False)
        and not primary_only_path(request.path)
    )


# What a first try on the replica may have left on the request; a second try on
# the primary must look everything up again there.
_REQUEST_MEMOS = (
    "_content_version",
    "_structure_version",
    "_response_cache_missed",
    "_wagtail_site",
    "_wagtail_cached_site_root_paths",
    "_wagtail_route_for_request",
)


class ReadRoutingMiddleware:
    """Chooses the request's read database once, before anything reads."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = REPLICA in settings.DATABASES

    def __call__(self, request):
        if not self.enabled or _route.get() is not None:
            # No replica; or a request inside a request (Wagtail's preview),
            # which stays where the outer one is.
            return self.get_response(request)
        if not (wants_replica(request) and replica_health.usable()):
            with routed_to(PRIMARY):
                return self.get_response(request)
        with routed_to(REPLICA):
            response = self.get_response(request)
        if response.status_code < 500:
            return response
        # The replica may have gone away mid-request: ask now, not in a second.
        # A 503 is a database error (channels/resilience.py): even with the
        # replica back, the pool's connections to it may have died with it, so
        # that request is answered again from the primary too. Any other error
        # is not the replica's doing while the replica answers.
        if replica_health.recheck() and response.status_code != 503:
            return response
        for memo in _REQUEST_MEMOS:
            request.__dict__.pop(memo, None)
        with routed_to(PRIMARY):
            return self.get_response(request)
