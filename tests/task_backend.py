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

_held = ContextVar("held_tasks", default=None)


class ImmediateBackendHoldingRepeats(ImmediateBackend):
    def _execute_task(self, task_result):
        """Run at once, as Django's backend does, unless a factory holds tasks."""
        held = _held.get()
        if held is None:
            return super()._execute_task(task_result)
        key = (
            task_result.task.module_path,
            json.dumps(
                [task_result.args, task_result.kwargs], sort_keys=True, default=repr
            ),
        )
        # The same task queued again runs once, in the place of its last queueing.
        held.pop(key, None)
        held[key] = task_result


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
        ImmediateBackend._execute_task(backend, result)
