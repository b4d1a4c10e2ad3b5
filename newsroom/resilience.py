"""What readers get while a service behind the site is down.

The cache (Redis): pages are served uncached (``IGNORE_EXCEPTIONS`` in the
settings) and the outage is logged as one warning a minute instead of a
traceback per call.

Imported by the logging configuration, before the apps are ready: nothing here
may import models at module level.
"""

import logging
import time


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
