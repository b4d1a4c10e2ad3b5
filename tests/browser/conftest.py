"""Real-browser tests: Debian's Chromium, driven by Playwright, against live_server.

Every test here is marked ``browser`` (``pytest -m "not browser"`` leaves them out).
The live server thread needs committed data. Tests that write (an editor's day)
run in a transactional database with ``serialized_rollback``: the rollback puts
back the database every test starts from (what the migrations made and the
shared site tree of tests/conftest.py) after each test's flush, for the tests
that follow. Modules whose tests only read build their data once, committed,
for all their tests (tests/browser/shared_data.py: ``committed_once``).
"""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import override_settings

from tests.browser.remote import PlaywrightThread
from tests.browser.shared_data import restore_base_contents
from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPORT,
    VIEWPORT_HEIGHT,
    server_idle,
)


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Reads requests in parallel threads, runs the application for one at a time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.application_lock = threading.Lock()

    def get_app(self):
        application = super().get_app()

        def one_at_a_time(environ, start_response):
            with self.application_lock:
                return application(environ, start_response)

        return one_at_a_time


SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "browser-report"
FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole package, in Playwright's own thread."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(`make system-deps`, or apt-get install chromium chromium-driver)"
        )
    worker = PlaywrightThread()
    playwright = worker.call(lambda: sync_playwright().start())
    try:
        chromium = worker.call(
            playwright.chromium.launch, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield worker.wrap(chromium)
        worker.call(chromium.close)
    finally:
        worker.call(playwright.stop)
        worker.stop()


@pytest.fixture(scope="session")
def site_server(request, django_db_setup, django_db_blocker):
    """pytest-django's live server, made safe for an in-memory SQLite database.

    There the server's request threads all share the test's one connection
    (Django passes it to them), and two requests at once, say the admin's
    background ping and a form post, fail with "database table is locked".
    So on SQLite the server runs one request at a time (it still accepts
    connections in parallel, so a browser's idle pre-opened socket blocks
    nothing). On PostgreSQL each thread has its own connection, as in production.
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with django_db_blocker.unblock():
        server = LiveServer(address, start=False)
        if server.thread.connections_override:
            server.thread.server_class = OneRequestAtATimeServer
        server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(site_server):
    """The same server under pytest-django's name, for the tests that write: a
    test naming it is made transactional (flushed after it) by pytest-django.
    ``new_page`` takes ``site_server``, so a test that only reads data built
    once for its module (``committed_once``) keeps it."""
    return site_server


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    """One media folder for a module's data built once (``committed_once``)."""
    path = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=path):
        yield path


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """A media folder per test, as in every test (tests/conftest.py); a test of
    data built once for its module (``committed_once``) uses the module's,
    where that data's pictures are."""
    if "module_media" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("module_media")
    else:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="package", autouse=True)
def _leave_the_database_as_found(django_db_blocker):
    """Put back the database every test starts from once the last browser test has
    flushed it.

    Each test here restores that data for itself (serialized_rollback) and flushes
    it away at its end; a transactional test of another folder that runs after them
    expects to find it, as it would had these tests not run.
    """
    yield
    with django_db_blocker.unblock():
        restore_base_contents()


@pytest.fixture(autouse=True)
def _browser_urls(settings):
    """The site's URLs plus /media/, so pictures load as they do in production."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture
def new_page(browser, site_server, request):
    """new_page(width=1280, javascript=True): a page in a fresh browser context.

    Requests to any other host than the live server are refused, so nothing on
    a page can wait on the network. When the test fails, a screenshot of each
    page goes to build/browser-report/.
    """
    contexts = []

    def make(width=1280, javascript=True):
        context = browser.new_context(
            base_url=site_server.url,
            viewport={"width": width, "height": VIEWPORT_HEIGHT},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(20_000)
        context.route(
            lambda url: not url.startswith(site_server.url),
            lambda route: route.abort(),
        )
        contexts.append(context)
        return context.new_page()

    yield make
    if request.node.stash.get(FAILED, False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for tab, page in enumerate(context.pages):
                path = SCREENSHOTS / f"{request.node.name[:80]}-{number}-{tab}.png"
                page.screenshot(path=path, full_page=True)
    for context in contexts:
        context.close()
    with server_idle(site_server):  # before pytest-django flushes the database
        pass


@pytest.fixture
def page(new_page):
    return new_page()


def pytest_terminal_summary(terminalreporter):
    """What the checks found, page by page, printed after the test results."""
    if not any(REPORT.values()):
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser checks")
    for name, counts in REPORT["axe"].items():
        write(f"axe {name}: {counts}")
    for name, sizes in REPORT["scroll"].items():
        write(f"scrollWidth {name}: {sizes}")
    for name, result in REPORT["html"].items():
        write(
            f"vnu {name}: {len(result['errors'])} errors, "
            f"{len(result['warnings'])} warnings"
        )
        for kind in ("errors", "warnings"):
            # the same message on many lines (a card repeated) is printed once
            seen = {}
            for line in result[kind]:
                text = line.split(": ", 1)[1]
                seen.setdefault(text, []).append(line.split(": ", 1)[0])
            for text, places in seen.items():
                write(
                    f"    {kind[:-1]} at {', '.join(places[:3])}"
                    f"{' …' if len(places) > 3 else ''}: {text}"
                )
    for name, weight in REPORT["weight"].items():
        write(f"weight {name}: {weight}")
