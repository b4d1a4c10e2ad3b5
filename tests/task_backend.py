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
        key = task_key(task_result.task, task_result.args, task_result.kwargs)
        # The same task queued again runs once, in the place of its last queueing.
        held.pop(key, None)
        held[key] = task_result


def task_key(task, args, kwargs):
    return (
        task.module_path,
        json.dumps([list(args), kwargs], sort_keys=True, default=repr),
    )


class HeldTasks(dict):
    """{task key: its last queueing} of a ``tasks_held`` block."""

    def done(self, task, *args, **kwargs):
        """Forget a held task whose work the block has just seen done, on what is
        stored at its end: running it would do the same work again."""
        self.pop(task_key(task, args, kwargs), None)


@contextmanager
def tasks_held():
    """Hold the tasks queued inside the block; run each distinct one once when it
    ends (nested blocks run theirs with the outermost). A block that raises runs
    none: the test fails on its own error, not on a task's over half-made data.

    Yields the held tasks (:class:`HeldTasks`); a nested block yields an empty
    set, whose ``done`` forgets nothing."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if _held.get() is not None or not isinstance(
        backend, ImmediateBackendHoldingRepeats
    ):
        # Nested: the outermost block runs them, and may still need them.
        yield HeldTasks()
        return
    held = HeldTasks()
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)
    for result in held.values():
        ImmediateBackend._execute_task(backend, result)


def published_now(held, page):
    """The page was just published, the last thing its block did: publishing
    indexed it for search and for references as it is stored now
    (newsroom/signal_handlers.py: reindex_published_release, picture_uses_changed),
    so the same tasks queued by its saves would only do that again."""
    # Not at the top: defining those tasks looks this backend up, from this module.
    from modelsearch.tasks import insert_or_update_object_task
    from wagtail.tasks import update_reference_index_task

    for task in (insert_or_update_object_task, update_reference_index_task):
        # Queued with the key as a string, as Wagtail's and modelsearch's
        # post_save handlers queue them.
        held.done(task, page._meta.app_label, page._meta.model_name, str(page.pk))
