"""The database lost mid-request (PostgreSQL restarted, a failover, no connection
to be had): the reader gets a short 503 page with Retry-After, not a 500
traceback page, and the next request, once the database answers, is served as
usual. bench/fault_postgres.py does it for real under gunicorn."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from newsroom.models import ContentVersion, PressReleasePage
from tests.factories import make_release

pytestmark = pytest.mark.django_db

TERMINATED = OperationalError(
    "terminating connection due to administrator command\n"
    "server closed the connection unexpectedly"
)


@pytest.fixture
def reader():
    """A browser: errors come back as the pages the site answers with."""
    return Client(raise_request_exception=False)


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    # The site's headers still come with it.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_a_view_that_loses_the_database_answers_503(reader, newsroom):
    release = make_release("Steel quota")
    with mock.patch.object(PressReleasePage, "get_context", side_effect=TERMINATED):
        response = reader.get(release.url)
    assert_unavailable(response)
    assert b"briefly unavailable" in response.content
    assert b"Traceback" not in response.content
    assert reader.get(release.url).status_code == 200


@pytest.mark.parametrize(
    "error", [TERMINATED, InterfaceError("connection already closed")]
)
def test_middleware_that_loses_the_database_answers_503(reader, newsroom, error):
    """The response cache asks the content version before any view runs."""
    with mock.patch.object(ContentVersion, "read", side_effect=error):
        response = reader.get("/news/")
    assert_unavailable(response)
    assert b"briefly unavailable" in response.content
    after = reader.get("/news/")
    assert after.status_code == 200
    assert after["X-Cache"] == "miss"  # the 503 was not stored


def test_the_api_answers_503_in_json(reader, newsroom):
    with mock.patch.object(ContentVersion, "read", side_effect=TERMINATED):
        response = reader.get("/api/v2/releases/")
    assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in response.json()["message"]


def test_other_errors_are_still_500(reader, newsroom):
    with mock.patch.object(ContentVersion, "read", side_effect=ValueError("bug")):
        response = reader.get("/news/")
    assert response.status_code == 500
    assert "Retry-After" not in response
