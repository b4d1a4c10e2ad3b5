"""Which database each kind of request reads (newsroom.db_router).

These run without a replica: the middleware's choice is observed from inside the
view. tests/cluster/ runs the same rules against a real streaming replica.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from newsroom import db_router
from newsroom.db_router import (
    PRIMARY,
    REPLICA,
    PrimaryReplicaRouter,
    ReadRoutingMiddleware,
    pinned_to_primary,
    read_alias,
)
from newsroom.models import ContentVersion


@pytest.fixture
def replica_up(monkeypatch):
    state = {"usable": True, "rechecks": 0}

    def recheck():
        state["rechecks"] += 1
        return state["usable"]

    monkeypatch.setattr(db_router.replica_health, "usable", lambda: state["usable"])
    monkeypatch.setattr(db_router.replica_health, "recheck", recheck)
    return state


def routed(request, view=None):
    """The alias the view read from, through the middleware with a replica."""
    seen = []

    def default_view(request):
        seen.append(read_alias())
        return HttpResponse("ok")

    middleware = ReadRoutingMiddleware(view or default_view)
    middleware.enabled = True
    middleware(request)
    return seen


ANONYMOUS_REPLICA = [
    ("get", "/news/"),
    ("head", "/news/"),
    ("get", "/id/news/"),
    ("get", "/news/feed/"),
    ("get", "/api/v2/releases/"),
    ("get", "/news/sectors/energy/"),
]
PRIMARY_ALWAYS = [
    ("post", "/news/"),
    ("put", "/api/v2/releases/"),
    ("delete", "/news/"),
    ("options", "/news/"),
    ("get", "/admin/"),
    ("get", "/admin/pages/3/edit/"),
    ("get", "/embargo/some-token/"),
    ("get", "/alerts/confirm/some-token/"),
    ("get", "/alerts/manage/some-token/"),
    ("get", "/id/alerts/manage/some-token/"),
    ("get", "/alerts/unsubscribe/some-token/"),
    ("post", "/alerts/subscribe/"),
    ("get", "/documents/1/report.pdf"),
]


@pytest.mark.parametrize(("method", "path"), ANONYMOUS_REPLICA)
def test_anonymous_safe_public_requests_read_the_replica(replica_up, method, path):
    assert routed(getattr(RequestFactory(), method)(path)) == [REPLICA]


@pytest.mark.parametrize(("method", "path"), PRIMARY_ALWAYS)
def test_writes_admin_embargo_alerts_and_documents_read_the_primary(
    replica_up, method, path
):
    assert routed(getattr(RequestFactory(), method)(path)) == [PRIMARY]


def test_anyone_with_a_session_reads_the_primary(replica_up, settings):
    request = RequestFactory().get("/news/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    assert routed(request) == [PRIMARY]


def test_wagtail_previews_read_the_primary(replica_up):
    request = RequestFactory().get("/news/a-release/")
    request.is_dummy = True
    assert routed(request) == [PRIMARY]


def test_a_request_inside_a_pinned_one_stays_on_the_primary(replica_up):
    with pinned_to_primary():
        assert routed(RequestFactory().get("/news/")) == [PRIMARY]


def test_a_replica_down_or_behind_sends_readers_to_the_primary(replica_up):
    replica_up["usable"] = False
    assert routed(RequestFactory().get("/news/")) == [PRIMARY]


def test_a_write_pins_the_rest_of_the_request_to_the_primary(replica_up):
    seen = []

    def view(request):
        seen.append(read_alias())
        assert PrimaryReplicaRouter().db_for_write(ContentVersion) == PRIMARY
        seen.append(read_alias())
        return HttpResponse("ok")

    routed(RequestFactory().get("/news/"), view)
    assert seen == [REPLICA, PRIMARY]


def test_code_outside_a_request_reads_the_primary(replica_up):
    # Tasks, the db_worker, management commands: no middleware chose anything.
    assert read_alias() == PRIMARY
    assert PrimaryReplicaRouter().db_for_read(ContentVersion) == PRIMARY
    routed(RequestFactory().get("/news/"))
    assert read_alias() == PRIMARY  # the request's choice ended with it


def test_a_request_that_lost_the_replica_is_answered_from_the_primary(replica_up):
    seen = []

    def view(request):
        seen.append((read_alias(), getattr(request, "_content_version", None)))
        if read_alias() == REPLICA:
            request._content_version = 41  # what the replica's try looked up
            replica_up["usable"] = False  # the replica stops mid-request
            return HttpResponse("database gone", status=503)
        return HttpResponse("ok")

    middleware = ReadRoutingMiddleware(view)
    middleware.enabled = True
    response = middleware(RequestFactory().get("/news/"))
    assert response.status_code == 200
    # The second try looks the content version up again, on the primary.
    assert seen == [(REPLICA, None), (PRIMARY, None)]
    assert replica_up["rechecks"] == 1


def test_a_database_error_on_a_replica_back_up_is_answered_from_the_primary(
    replica_up,
):
    """The replica restarted: it answers the health check, but the pooled
    connection this request took died with the old server (a 503)."""
    calls = []

    def view(request):
        calls.append(read_alias())
        if read_alias() == REPLICA:
            return HttpResponse("server closed the connection", status=503)
        return HttpResponse("ok")

    middleware = ReadRoutingMiddleware(view)
    middleware.enabled = True
    assert middleware(RequestFactory().get("/news/")).status_code == 200
    assert calls == [REPLICA, PRIMARY]
    assert replica_up["rechecks"] == 1


def test_an_error_that_is_not_the_replicas_is_not_retried(replica_up):
    calls = []

    def view(request):
        calls.append(read_alias())
        return HttpResponse("broken", status=500)

    middleware = ReadRoutingMiddleware(view)
    middleware.enabled = True
    assert middleware(RequestFactory().get("/news/")).status_code == 500
    assert calls == [REPLICA]


def test_without_a_replica_nothing_changes():
    # DATABASE_REPLICA_URL unset (the test settings): the middleware is a no-op.
    seen = []

    def view(request):
        seen.append(read_alias())
        return HttpResponse("ok")

    ReadRoutingMiddleware(view)(RequestFactory().get("/news/"))
    assert seen == [PRIMARY]


def test_migrations_only_on_the_primary():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "newsroom")
    assert not router.allow_migrate(REPLICA, "newsroom")
