"""Redis down (or never up) with REDIS_URL set: readers still get every page,
uncached, with a warning in the log; once Redis is back the cache is used again.
A real redis-server on a free loopback port, stopped and started by the test,
with the cache settings production builds from REDIS_URL."""

import logging
import socket
import subprocess
import time

import pytest
import redis

from newsroom_site.settings.base import redis_cache
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def outage_log(caplog):
    """The cache's log, with its one-a-minute throttle reset."""
    for log_filter in logging.getLogger("django_redis.cache").filters:
        log_filter.last = None
    with caplog.at_level(logging.WARNING, logger="django_redis.cache"):
        yield caplog


def use_redis(settings, port):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}


def warnings_in(log):
    return [
        record
        for record in log.records
        if record.name == "django_redis.cache" and record.levelno == logging.WARNING
    ]


def test_pages_are_served_uncached_while_redis_is_down_and_cached_again_after(
    client, newsroom, settings, redis_server, outage_log
):
    use_redis(settings, redis_server.port)
    release = make_release("Smelter audit")
    urls = ["/news/", release.url, "/api/v2/releases/"]
    for url in urls:
        assert client.get(url)["X-Cache"] == "miss"
        assert client.get(url)["X-Cache"] == "hit"
    assert not warnings_in(outage_log)

    redis_server.stop()
    for url in urls * 2:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "miss"
    assert b"Smelter audit" in client.get("/news/").content
    # One warning, without a traceback, for the dozen cache calls that failed.
    warnings = warnings_in(outage_log)
    assert len(warnings) == 1
    assert "Cache unavailable" in warnings[0].getMessage()
    assert warnings[0].exc_info is None
    assert not [r for r in outage_log.records if r.levelno >= logging.ERROR]

    redis_server.start()  # empty, as after a restart without persistence
    for url in urls:
        statuses = [client.get(url)["X-Cache"] for _ in range(3)]
        assert "hit" in statuses, (url, statuses)


def test_redis_never_up_serves_every_page(client, newsroom, settings, outage_log):
    use_redis(settings, free_port())  # nothing listens there
    release = make_release("Nickel roadmap")
    for url in ["/news/", release.url, "/news/feed/", "/api/v2/releases/"] * 2:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "miss"
    assert len(warnings_in(outage_log)) == 1
