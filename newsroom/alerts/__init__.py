"""Email alerts: normalised filters, signed links, matching, and the mail itself.

- criteria.py: a reader's filter made canonical, its terms, the filter in words;
- tokens.py: signed links (confirm, manage, unsubscribe) and absolute URLs;
- subscribing.py: confirming and ending subscriptions;
- matching.py: which subscriptions a published release matches, queued as rows;
- agenda.py: the same for the agenda's events, once per public change;
- messages.py: the messages; delivery.py: handing them to the mail server;
- tasks.py: the background tasks, and what queues them; views.py: the pages;
  reports.py: the admin reports.

Readers subscribe to any filter of the listing or a hub (a hub is its filter:
the sector X hub is ``?sector=x``). Which releases a filter matches is decided by
:class:`~newsroom.finder.filterset.ReleaseFilterSet` alone, as on every other channel.

A published release is announced in three steps, all in background tasks
(tasks.py), never in the request that publishes:

1. *match*: the distinct filters with subscribers are narrowed, in one query, to
   those naming only entities the release belongs to (their ``terms``); each of
   those is then asked of the FilterSet on a one-release queryset, many at a time
   through ``UNION ALL``; full-text filters go through the search backend;
2. *queue*: one :class:`~newsroom.models.AlertDelivery` row per subscription
   (unique per subscription, release and kind), written before any mail leaves;
3. *send*: each pending row is claimed (pending -> sending) just before the "."
   that hands its message to the SMTP server, and marked sent on the server's
   answer (delivery.py). A failure before the hand-over
   leaves the row pending for the next run; a kill after it leaves it "sending",
   never sent again. A worker killed mid-batch is resumed by a low-priority task
   queued behind the batches (tasks.py), and by ``send_alerts``.

Digest subscribers' rows wait, pending, for ``send_alert_digests``.
"""
