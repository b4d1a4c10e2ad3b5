"""Replay paused on the real replica: readers keep a consistent older site,
editors see their publish at once, and the release reaches readers within a
second of replay resuming, with no stale page left in the page cache."""

import time

import pytest

from tests.cluster.conftest import (
    NODE1,
    NODE2,
    get,
    ops,
    primary_sql,
    replica_sql,
    unique_title,
    wait_for_replay,
)

pytestmark = [pytest.mark.replica, pytest.mark.cluster]


@pytest.fixture
def paused_replay(nodes):
    """Replay paused just after a fresh commit (the lag measure starts at zero)."""
    primary_sql("SELECT txid_current()")
    wait_for_replay()
    replica_sql("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        replica_sql("SELECT pg_wal_replay_resume()")


def test_readers_get_the_older_site_editors_the_new_one(
    nodes, editor_session, paused_replay
):
    title = unique_title("Lag test release")
    started = time.monotonic()
    path = ops("publish", title)
    published = time.monotonic() - started

    # Readers, through nginx and on each node: the site as it was, whole.
    for port in (8800, NODE1, NODE2):
        status, _, _ = get(path, port=port)
        assert status == 404, f"reader on :{port} saw the release before replay"
        status, listing, headers = get("/news/", port=port)
        assert status == 200 and title not in listing
    _, feed, _ = get("/news/feed/")
    assert title not in feed
    old_etag = get("/news/")[2]["ETag"]

    # Editors (signed in) read the primary: the new release, at once.
    status, page, _ = get(path, session=editor_session)
    assert status == 200 and title in page
    _, listing, _ = get("/news/", session=editor_session)
    assert title in listing
    assert replica_sql("SELECT pg_is_wal_replay_paused()")

    resumed = time.monotonic()
    replica_sql("SELECT pg_wal_replay_resume()")
    while True:
        status, page, _ = get(path)
        if status == 200:
            break
        assert time.monotonic() - resumed < 1.0, "readers waited over a second"
        time.sleep(0.02)
    visible_after = time.monotonic() - resumed
    assert title in page

    # No stale page under the new version: the listing the readers were served
    # while paused is not what they get now, on either node.
    for port in (8800, NODE1, NODE2):
        _, listing, headers = get("/news/", port=port)
        assert title in listing, f"stale listing on :{port}"
        assert headers["ETag"] != old_etag
    # The figures the closing note reports (shown with -s).
    print(  # noqa: T201
        f"\nlag test: publish took {published:.2f} s while replay was paused; "
        f"readers saw the release {visible_after * 1000:.0f} ms after resume"
    )


def test_the_lag_measure_grows_while_replay_is_paused(nodes, paused_replay):
    # newsroom.db_router.LAG_SQL, as the nodes ask it: zero while caught up,
    # the age of the last applied commit once WAL waits to be applied.
    from newsroom.db_router import LAG_SQL

    primary_sql("SELECT txid_current()")
    time.sleep(1.5)
    lag = replica_sql(LAG_SQL)
    assert lag is not None and float(lag) >= 1.5
    replica_sql("SELECT pg_wal_replay_resume()")
    wait_for_replay()
    assert float(replica_sql(LAG_SQL)) == 0
