"""The replica and two-node runs (make test-cluster): real processes on loopback.

A streaming replica (scripts/replica.sh) on 127.0.0.1:5433, two gunicorn nodes
and nginx (scripts/cluster.sh) on 127.0.0.1:8800-8802, all on a database of
their own (CLUSTER_DATABASE) that `make test-cluster` creates. Nothing here uses
pytest-django's test database: the servers are separate processes.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
DATABASE = os.environ.get("CLUSTER_DATABASE", "newsroom_cluster_test")
PRIMARY = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
REPLICA = f"postgres://postgres@127.0.0.1:5433/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/12"
NGINX, NODE1, NODE2 = 8800, 8801, 8802
# Generous enough that a paused replay stays readable for the whole lag test
# (publishing takes seconds on two busy cores); the bound itself is tested in
# test_replica_lag.py::test_the_lag_measure_grows_while_replay_is_paused.
MAX_LAG = "30"


def replica_answers():
    try:
        with psycopg.connect(
            "postgres://postgres@127.0.0.1:5433/postgres", connect_timeout=2
        ) as connection:
            return connection.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.OperationalError:
        return False


def sql(url, statement):
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        row = connection.execute(statement).fetchone()
        return row[0] if row else None


def primary_sql(statement):
    return sql("postgres://postgres@127.0.0.1:5432/postgres", statement)


def replica_sql(statement):
    return sql("postgres://postgres@127.0.0.1:5433/postgres", statement)


def wait_for_replay(timeout=30):
    """Until the replica has applied everything the primary has written now."""
    target = primary_sql("SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica_sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def node_env():
    return {
        **os.environ,
        "DATABASE_URL": PRIMARY,
        "DATABASE_REPLICA_URL": REPLICA,
        "REDIS_URL": REDIS_URL,
        "REPLICA_MAX_LAG": MAX_LAG,
    }


def ops(*args):
    """bench/cluster_ops.py against the cluster's database; its printed answer."""
    result = subprocess.run(
        [sys.executable, "bench/cluster_ops.py", *args],
        cwd=ROOT,
        env={**node_env(), "DJANGO_SETTINGS_MODULE": "newsroom_site.settings.dev"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def cluster(*args):
    subprocess.run(
        ["scripts/cluster.sh", *args],
        cwd=ROOT,
        env=node_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def replica_script(*args):
    subprocess.run(["scripts/replica.sh", *args], cwd=ROOT, check=True)


def get(path, port=NGINX, session=None, timeout=10):
    """(status, body, headers) of a GET, as an anonymous reader or with a session."""
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": "127.0.0.1"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(), dict(response.getheaders())
    finally:
        connection.close()


def unique_title(what):
    return f"{what} {uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def nodes():
    """The replica, the database, two nodes and nginx, running; stopped after."""
    if os.environ.get("NEWSROOM_CLUSTER_TESTS") != "1":
        pytest.skip("cluster tests run under `make test-cluster` (starts the replica)")
    if not replica_answers():
        pytest.skip("no streaming replica on 127.0.0.1:5433: scripts/replica.sh start")
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed: make system-deps")
    ops("prepare")
    redis.Redis.from_url(REDIS_URL).flushdb()
    cluster("start")
    try:
        wait_for_replay()
        yield
    finally:
        cluster("stop")


@pytest.fixture(scope="session")
def editor_session(nodes):
    return ops("editor-session")


READER_PATHS = (
    "/news/",
    "/news/feed/",
    "/api/v2/releases/",
    "/news/sectors/energy/",
    "/id/news/",
)


def settled(port=NGINX, timeout=30):
    """Until every reader path answers 200 through ``port`` and from each node.

    The claim under test is that a healthy set stays healthy through an event:
    a run starts only once both nodes serve every path (their first renders
    done, nginx no longer resting a node the previous test stopped).
    """
    deadline = time.monotonic() + timeout
    pending = [(p, path) for p in (NODE1, NODE2, port) for path in READER_PATHS]
    while pending:
        node, path = pending[0]
        try:
            status = get(path, port=node)[0]
        except OSError:
            status = None
        if status == 200:
            pending.pop(0)
            continue
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} on :{node} answers {status}\n{logs()}")
        time.sleep(0.2)


def logs(lines=40):
    """The tail of the nodes' and nginx's logs, for a failure's message."""
    tails = []
    for name in ("node1.log", "node2.log", "nginx-error.log"):
        path = ROOT / "build" / "cluster" / "logs" / name
        if path.exists():
            text = path.read_text(errors="replace").splitlines()[-lines:]
            tails.append(f"--- {name}\n" + "\n".join(text))
    return "\n".join(tails)


def readers(seconds, event_at, event, threads=4, port=NGINX):
    """Anonymous readers for ``seconds``; ``event()`` runs ``event_at`` seconds in.

    Returns (requests, failures): a failure is any answer but 200, or no answer.
    Bounded by time: it stops by itself. Starts once the set has settled.
    """
    import threading
    from collections import Counter

    settled(port)
    counts, failures, lock = Counter(), [], threading.Lock()
    deadline = time.monotonic() + seconds

    def read(number):
        step = number
        while time.monotonic() < deadline:
            path = READER_PATHS[step % len(READER_PATHS)]
            step += 1
            try:
                status = get(path, port=port)[0]
            except OSError as error:
                status = f"{type(error).__name__}"
            with lock:
                counts[status] += 1
                if status != 200:
                    failures.append(
                        (round(time.monotonic() - started, 2), path, status)
                    )

    started = time.monotonic()
    workers = [threading.Thread(target=read, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(event_at)
    event()
    for worker in workers:
        worker.join()
    return sum(counts.values()), failures
