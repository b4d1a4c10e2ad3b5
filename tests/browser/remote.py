"""Playwright in a thread of its own, used from the test's thread through proxies.

Playwright's sync API leaves the thread it runs in marked as running an asyncio
event loop. Django takes such a thread for async code: it refuses ORM calls there,
and, worse, hands out other database connections than the ones pytest-django set
up (so a transactional test's restore and flush would miss). Run in its own thread,
Playwright leaves the test's thread an ordinary synchronous Django thread.

``Remote`` wraps a Playwright object: attribute reads, calls and ``with`` blocks
run in the Playwright thread, one at a time, and what they return comes back
wrapped again (plain values as they are). Callbacks handed to Playwright (route
handlers, predicates) run in the Playwright thread, so they must not touch the
database. ``in_browser(function, ...)`` runs a whole function there, on the bare
objects.
"""

import concurrent.futures
import queue
import threading

PLAIN = (str, bytes, int, float, bool, type(None), dict)


class PlaywrightThread:
    def __init__(self):
        self._jobs = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="playwright")
        self._thread.daemon = True
        self._thread.start()

    def _serve(self):
        while (job := self._jobs.get()) is not None:
            future, function, args, kwargs = job
            try:
                future.set_result(function(*args, **kwargs))
            except BaseException as error:  # noqa: BLE001 - handed to the caller
                future.set_exception(error)

    def call(self, function, *args, **kwargs):
        if threading.current_thread() is self._thread:
            return function(*args, **kwargs)
        future = concurrent.futures.Future()
        self._jobs.put((future, function, args, kwargs))
        return future.result()

    def stop(self):
        self._jobs.put(None)
        self._thread.join(timeout=60)

    def wrap(self, value):
        if isinstance(value, PLAIN):
            return value
        if isinstance(value, list | tuple):
            return type(value)(self.wrap(item) for item in value)
        return Remote(self, value)


def unwrap(value):
    if isinstance(value, Remote):
        return object.__getattribute__(value, "_target")
    if isinstance(value, list | tuple):
        return type(value)(unwrap(item) for item in value)
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    return value


class Remote:
    """A Playwright object (page, locator, response...) living in its thread."""

    __slots__ = ("_target", "_worker")

    def __init__(self, worker, target):
        object.__setattr__(self, "_worker", worker)
        object.__setattr__(self, "_target", target)

    def _run(self, function, *args, **kwargs):
        worker = object.__getattribute__(self, "_worker")
        return worker.wrap(worker.call(function, *unwrap(args), **unwrap(kwargs)))

    def __getattr__(self, name):
        return self._run(getattr, self, name)

    def __setattr__(self, name, value):
        self._run(setattr, self, name, value)

    def __call__(self, *args, **kwargs):
        return self._run(lambda *a, **k: unwrap(self)(*a, **k), *args, **kwargs)

    def __enter__(self):
        return self._run(lambda target: target.__enter__(), self)

    def __exit__(self, *exc_info):
        return self._run(lambda target: target.__exit__(*exc_info), self)

    def __iter__(self):
        return iter(self._run(list, self))

    def __len__(self):
        return self._run(len, self)

    def __repr__(self):
        return f"Remote({self._run(repr, self)})"


def in_browser(function, *args, **kwargs):
    """Run ``function`` in the Playwright thread, with bare Playwright objects."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, Remote):
            return value._run(function, *args, **kwargs)
    raise TypeError("in_browser() needs a Remote argument")


def expect(actual, *args, **kwargs):
    """Playwright's ``expect``, run in the Playwright thread."""
    from playwright.sync_api import expect as playwright_expect

    return actual._run(playwright_expect, actual, *args, **kwargs)
