"""Losing a database replica or an application node under load: readers keep
getting 200s (the replica: from the primary; a node: from the other node)."""

import time

import pytest

from tests.cluster.conftest import (
    NODE1,
    cluster,
    get,
    logs,
    readers,
    replica_answers,
    replica_script,
    replica_sql,
)

pytestmark = [pytest.mark.cluster]


def replica_reads():
    return replica_sql(
        "SELECT sum(xact_commit) FROM pg_stat_database WHERE datname <> 'postgres'"
    )


@pytest.mark.replica
def test_readers_keep_getting_pages_when_the_replica_stops(nodes):
    try:
        requests, failures = readers(
            seconds=6, event_at=2, event=lambda: replica_script("stop")
        )
        assert not replica_answers()
        figures = f"{requests} reader requests, {len(failures)} failed"
        print(f"\nreplica stopped under load: {figures}")  # noqa: T201
        assert requests > 20
        assert failures == [], (
            f"{len(failures)} of {requests} failed: {failures[:5]}\n{logs()}"
        )
    finally:
        replica_script("start")
    # Back: within a few seconds the nodes read the replica again.
    before = replica_reads()
    deadline = time.monotonic() + 10
    while replica_reads() - before < 10:
        assert time.monotonic() < deadline, "the nodes never went back to the replica"
        for path in ("/news/?page=1", "/news/feed/?x=1", "/api/v2/releases/?limit=3"):
            assert get(path)[0] == 200
        time.sleep(0.2)


def test_readers_through_nginx_lose_nothing_when_a_node_is_killed(nodes):
    try:
        requests, failures = readers(
            seconds=8, event_at=3, event=lambda: cluster("kill-node", "1")
        )
        with pytest.raises(OSError):
            get("/healthz", port=NODE1, timeout=2)
        figures = f"{requests} reader requests, {len(failures)} failed"
        print(f"\nnode 1 killed under load: {figures}")  # noqa: T201
        assert requests > 20
        assert failures == [], (
            f"{len(failures)} of {requests} failed: {failures[:5]}\n{logs()}"
        )
    finally:
        cluster("start-node", "1")
    assert get("/healthz", port=NODE1)[0] == 200
