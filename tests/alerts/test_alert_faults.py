"""Faults the alert mail must survive (issue 23), on loopback with real servers:

- the SMTP server is down while alerts are due: nothing is lost, nothing is sent
  twice, and the sweep delivers once the server is back;
- the task worker (the real ``db_worker`` of django-tasks-db, in another process)
  is killed with SIGKILL in the middle of a batch: started again, it sends the
  rest, and every reader gets the release exactly once.

Messages are counted where they arrive, in the SMTP server, per recipient.
"""

import asyncio
import collections
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from newsroom.alerts import delivery, matching, subscribing
from newsroom.models import AlertDelivery
from tests.factories import SectorFactory, make_release
from tests.smtp_server import Mailbox, free_port

ROOT = Path(__file__).resolve().parents[2]
TODAY = timezone.localdate()


def subscribe(email, query="sector=nickel", frequency="immediate"):
    subscription, _ = subscribing.confirm_subscription(
        {"e": email, "q": query, "f": frequency, "l": "en"}
    )
    return subscription


def wait_for(condition, seconds=60, what="the condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def per_recipient(mailbox):
    return collections.Counter(mailbox.recipients)


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there yet
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def start_server():
    """Start an SMTP server on a given port, with a given handler; stopped after."""
    started = []

    def start(port, handler=None):
        handler = handler or Mailbox()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return handler

    yield start
    for controller in started:
        controller.stop()


# --- SMTP down while alerts are due ---------------------------------------------------


def test_mail_server_down_loses_nothing_and_the_sweep_delivers_once_it_is_back(
    smtp_settings, start_server, newsroom, django_capture_on_commit_callbacks
):
    sector = SectorFactory(name="Nickel Smelting", slug="nickel", marked_public=True)
    readers = sorted(subscribe(f"reader{n}@example.org").email for n in range(5))
    subscribe("daily@example.org", frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        release = make_release(
            "Smelter expansion", sectors=[sector], release_date=TODAY
        )
    rows = AlertDelivery.objects.filter(release=release)
    # The publish task found the server refusing connections: every email waits.
    assert rows.filter(frequency="immediate", status="pending").count() == 5
    assert not rows.exclude(status="pending").exists()

    with pytest.raises(CommandError, match="5 emails wait for the next run"):
        call_command("send_alerts", stdout=open(os.devnull, "w"))
    with pytest.raises(OSError):
        call_command("send_alert_digests", "daily", stdout=open(os.devnull, "w"))
    assert rows.filter(status="pending").count() == 6, "an email was given up"
    assert not rows.filter(attempts__gt=0).exists(), "a row was claimed, unsent"

    mailbox = start_server(smtp_settings.EMAIL_PORT)  # the server is back
    call_command("send_alerts", stdout=open(os.devnull, "w"))
    call_command("send_alert_digests", "daily", stdout=open(os.devnull, "w"))
    assert per_recipient(mailbox) == dict.fromkeys([*readers, "daily@example.org"], 1)
    assert rows.filter(status="sent").count() == 6

    # Later sweeps and digests send nothing again.
    call_command("send_alerts", stdout=open(os.devnull, "w"))
    call_command("send_alert_digests", "daily", stdout=open(os.devnull, "w"))
    assert len(mailbox.messages) == 6


def test_a_row_claimed_by_another_sender_meanwhile_is_not_completed(
    smtp_settings, start_server, newsroom, monkeypatch
):
    """Two senders of one row (a resumed batch and the sweep) may both get as far
    as its message's data; the one that loses the claim closes the connection
    before the final ".", so the server delivers nothing for it."""
    mailbox = start_server(smtp_settings.EMAIL_PORT)
    sector = SectorFactory(name="Nickel Smelting", slug="nickel", marked_public=True)
    for n in range(3):
        subscribe(f"reader{n}@example.org")
    release = make_release("Smelter expansion", sectors=[sector], release_date=TODAY)
    matching.queue_release(release.pk)
    rows = AlertDelivery.objects.filter(release=release).order_by("pk")
    contested = rows[1]
    real_claim = delivery._claim

    def other_sender_first(ids, *model):
        if ids == [contested.pk]:
            AlertDelivery.objects.filter(pk=contested.pk).update(status="sent")
        return real_claim(ids, *model)

    monkeypatch.setattr(delivery, "_claim", other_sender_first)
    report = delivery.send_deliveries(rows.values_list("pk", flat=True))
    assert report.sent == 2
    assert mailbox.recipients == ["reader0@example.org", "reader2@example.org"]
    assert set(rows.values_list("status", flat=True)) == {"sent"}


# --- the task worker killed in the middle of a batch ----------------------------------


class SlowBeforeTheEnd(Mailbox):
    """A server slow to accept each recipient: the sender waits with the message
    not yet handed over, where a worker is most likely to be killed."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay
        self.rcpts = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts.append(address)
        await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SlowAfterTheEnd(Mailbox):
    """A server that takes each message at once and is slow to say so: a sender
    killed meanwhile never hears that the message was delivered."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        self.received.set()
        await asyncio.sleep(self.delay)
        return answer


WORKER_SETTINGS = """
from newsroom_site.settings.test import *  # noqa

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = {port}
EMAIL_TIMEOUT = 10
TASKS = {{"default": {{"BACKEND": "django_tasks_db.DatabaseBackend"}}}}
NEWSROOM_ALERTS_SEND_BATCH = 4
NEWSROOM_ALERTS_RESUME_AFTER = 0
"""


class WorkerDatabase:
    """The database the worker processes use: the test database itself on
    PostgreSQL; on SQLite (in memory, in this process only) a file copy of it."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        self.path = tmp_path / "worker.sqlite3"

    def hand_over(self):
        if self.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    @property
    def url(self):
        if self.vendor == "sqlite":
            return f"sqlite:///{self.path}"
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        host = db["HOST"] or "127.0.0.1"
        port = db["PORT"] or 5432
        return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"

    def statuses(self):
        """{email: status} of the release deliveries, as the workers left them."""
        query = (
            "SELECT s.email, d.status FROM newsroom_alertdelivery d "
            "JOIN newsroom_alertsubscription s ON s.id = d.subscription_id"
        )
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return dict(db.execute(query).fetchall())
        with connection.cursor() as cursor:
            cursor.execute(query)
            return dict(cursor.fetchall())


@pytest.fixture
def worker(tmp_path):
    """Start ``manage.py db_worker`` processes on the worker database."""
    processes = []
    database = WorkerDatabase(tmp_path)

    def start(port, *arguments):
        (tmp_path / "alert_worker_settings.py").write_text(
            WORKER_SETTINGS.format(port=port)
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_REPLICA_URL", "REDIS_URL")
        }
        env.update(
            DATABASE_URL=database.url,
            DJANGO_SETTINGS_MODULE="alert_worker_settings",
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH")])
            ),
        )
        log = open(tmp_path / f"worker{len(processes)}.log", "w")
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.1",
                *arguments,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    start.database = database
    start.log = lambda n: (tmp_path / f"worker{n}.log").read_text()
    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def publish_to_twelve_readers(settings):
    """Twelve immediate readers of Nickel; the publish queues its task in the
    database queue, as the site does, for the worker to run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sector = SectorFactory(name="Nickel Smelting", slug="nickel", marked_public=True)
    readers = sorted(subscribe(f"reader{n:02}@example.org").email for n in range(12))
    make_release("Smelter expansion", sectors=[sector], release_date=TODAY)
    return readers


def finish(worker, port):
    """Start the worker again and let it run until the queue is empty."""
    restarted = worker(port, "--batch")
    assert restarted.wait(timeout=120) == 0, worker.log(1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_waiting_on_the_server_resumes_without_duplicates(
    settings, newsroom, start_server, worker
):
    port = free_port()
    mailbox = start_server(port, SlowBeforeTheEnd(delay=0.4))
    readers = publish_to_twelve_readers(settings)
    worker.database.hand_over()

    first = worker(port)
    # Killed while the server keeps it waiting on the third reader of the first
    # batch of four: two were sent, that message never ended.
    wait_for(lambda: len(mailbox.rcpts) == 3, what="the third recipient")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert per_recipient(mailbox) == dict.fromkeys(readers[:2], 1)
    statuses = worker.database.statuses()
    assert statuses[readers[2]] == "pending", "the interrupted email was given up"
    assert list(statuses.values()).count("sent") == 2

    mailbox.delay = 0  # the wait only opened the window to kill the worker in
    finish(worker, port)
    assert per_recipient(mailbox) == dict.fromkeys(readers, 1), worker.log(1)
    assert set(worker.database.statuses().values()) == {"sent"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_once_the_server_has_the_message_never_sends_it_twice(
    settings, newsroom, start_server, worker
):
    port = free_port()
    mailbox = start_server(port, SlowAfterTheEnd(delay=2))
    readers = publish_to_twelve_readers(settings)
    worker.database.hand_over()

    first = worker(port)
    # Killed while the server, which has the first message, is slow to answer.
    wait_for(mailbox.received.is_set, what="the first message")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert per_recipient(mailbox) == {readers[0]: 1}
    # The row says the message was handed over and no answer was recorded.
    assert worker.database.statuses()[readers[0]] == "sending"

    mailbox.delay = 0
    finish(worker, port)
    assert per_recipient(mailbox) == dict.fromkeys(readers, 1), worker.log(1)
    statuses = worker.database.statuses()
    assert statuses.pop(readers[0]) == "sending"
    assert set(statuses.values()) == {"sent"}
