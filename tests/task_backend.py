"""The tests' task backend: Django's immediate one, which a factory can ask to
hold the tasks it queues until it is done (site/settings/test.py).

Making a release saves it three times (as a draft, its revision, published) and
each save queues the same search-index and reference-index tasks; run at once,
each indexed a state the next save replaced a moment later. Held, each distinct
task runs once, when the outermost factory call ends, on what was stored last:
what a worker running the queue after the commit sees in production.
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

_held = ContextVar("held_tasks", default=None)


class ImmediateBackendHoldingRepeats(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        held = _held.get()
        if held is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        key = (
            task.module_path,
            json.dumps([args, kwargs], sort_keys=True, default=repr),
        )
        # The same task queued again runs once, in the place of its last queueing.
        held.pop(key, None)
        held[key] = result
        return result


@contextmanager
def tasks_held():
    """Hold the tasks queued inside the block; run each distinct one once when it
    ends (nested blocks run theirs with the outermost). A block that raises runs
    none: the test fails on its own error, not on a task's over half-made data."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if _held.get() is not None or not isinstance(
        backend, ImmediateBackendHoldingRepeats
    ):
        yield
        return
    held = {}
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    for result in held.values():
        backend._execute_task(result)
