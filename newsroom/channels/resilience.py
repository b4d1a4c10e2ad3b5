"""What readers get while a service behind the site is down.

The database (restarted, failed over, out of connections): a short 503 page with
Retry-After instead of a 500 traceback page, and no worker restart needed after
it, since every request takes a checked connection (settings). The cache
(Redis): pages are served uncached (``IGNORE_EXCEPTIONS`` in the settings) and
the outage is logged as one warning a minute instead of a traceback per call.

Imported by the logging configuration, before the apps are ready: nothing here
may import models at module level.
"""

import logging
import sys
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

# Long enough for a restart or a failover to finish, short enough that a reader
# retrying by hand is not sent away for long.
RETRY_AFTER_SECONDS = 5

UNAVAILABLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, \
initial-scale=1"><title>Briefly unavailable · Ministry of Industry Newsroom</title>\
</head>
<body>
  <main>
    <h1>The newsroom is briefly unavailable</h1>
    <p>Please try again in a few seconds.</p>
    <p><a href="/news/">All press releases</a></p>
  </main>
</body>
</html>
"""


def is_database_outage(error):
    """Django's wrappers of the driver's connection errors: the server went away,
    refused the connection, or the pool could not hand one out in time."""
    return isinstance(error, (OperationalError, InterfaceError))


def database_unavailable(request):
    """503 with Retry-After; stored by no cache (it must not outlive the outage).

    Built without a template: rendering must not need anything that is down.
    """
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"message": "Service briefly unavailable; try again shortly."},
            status=503,
        )
    else:
        response = HttpResponse(
            UNAVAILABLE_PAGE, status=503, content_type="text/html; charset=utf-8"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that lost the database answers 503.

    Errors raised in other middleware (the response cache's version lookup, the
    session) never reach ``process_exception``; ``server_error``, the site's
    handler500, answers those.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.warning(
            "Database unavailable, answered 503 to %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        return database_unavailable(request)


def server_error(request):
    """handler500: a database outage anywhere in the request is a 503, any other
    error Django's own 500 page (called while the exception is being handled)."""
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request)


class CacheOutageFilter(logging.Filter):
    """django-redis logs each cache call it gave up on with its traceback: while
    Redis is down that is several a request. Lets one through per ``interval``
    seconds, as a warning with the cause and how many were left out."""

    def __init__(self, interval=60):
        super().__init__()
        self.interval = interval
        self.last = None
        self.left_out = 0

    def filter(self, record):
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            self.left_out += 1
            return False
        cause = record.exc_info[1] if record.exc_info else record.getMessage()
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = (
            "Cache unavailable, pages are served uncached: %s "
            "(%d such messages left out since the last one)"
        )
        record.args = (cause, self.left_out)
        record.exc_info = record.exc_text = None
        self.last, self.left_out = now, 0
        return True
