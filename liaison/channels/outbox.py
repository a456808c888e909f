"""The outbox: write rows in the caller's transaction, send them after, each exactly once.

A sender claims due rows before sending: on PostgreSQL with `SELECT … FOR UPDATE SKIP LOCKED`
(two workers take disjoint rows without waiting), elsewhere with a conditional update per row.
A failed attempt is rescheduled with exponential backoff until OUTBOX_MAX_ATTEMPTS, then the row
is "failed" with the last error. A row left "sending" by a worker that died is put back after
OUTBOX_SENDING_TIMEOUT_SECONDS. Beat runs the sender periodically, so a row whose queued task
was lost (Redis down at commit) or whose provider was down still goes out.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import OutboxMessage, OutboxState
from .http import PermanentError, TransientError

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the given number of failed attempts: base × 2^(attempts − 1), capped."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.OUTBOX_BACKOFF_MAX_SECONDS))


def enqueue(rows: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Insert the rows (a duplicate dedup key is skipped) and queue the sender after commit."""
    rows = list(rows)
    now = timezone.now()
    for row in rows:
        if row.next_attempt_at is None:
            row.next_attempt_at = now
    created = OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if created:
        queue_sending()
    return created


def queue_sending() -> None:
    from ..tasks import send_outbox

    transaction.on_commit(lambda: send_outbox.delay(), robust=True)


def reclaim_stuck() -> int:
    cutoff = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS)
    return OutboxMessage.objects.filter(
        Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True), status=OutboxState.SENDING
    ).update(status=OutboxState.PENDING, claimed_at=None)


def claim(limit: int, *, channels: Iterable[str] | None = None) -> list[OutboxMessage]:
    """Take up to `limit` due rows for this worker: they are "sending" when this returns."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxState.PENDING, next_attempt_at__lte=now)
    if channels is not None:
        due = due.filter(channel__in=list(channels))
    due = due.order_by("next_attempt_at", "id")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            if ids:
                OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxState.SENDING, claimed_at=now)
    else:
        ids = []
        for pk in due.values_list("pk", flat=True)[:limit]:
            updated = OutboxMessage.objects.filter(pk=pk, status=OutboxState.PENDING).update(
                status=OutboxState.SENDING, claimed_at=now
            )
            if updated == 1:
                ids.append(pk)
    return list(OutboxMessage.objects.filter(pk__in=ids).select_related("system").order_by("id"))


def _finish(message: OutboxMessage, **changes) -> None:
    # Only the claimant finishes: a row reclaimed and re-sent meanwhile is not overwritten twice.
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxState.SENDING).update(claimed_at=None, **changes)


def deliver(message: OutboxMessage) -> str:
    """Send one claimed row through its channel's backend; the state it ends in."""
    from .dispatch import send

    attempts = message.attempts + 1
    started = time.monotonic()
    try:
        status_code, detail = send(message)
    except TransientError as error:
        duration = int((time.monotonic() - started) * 1000)
        state = OutboxState.FAILED if attempts >= settings.OUTBOX_MAX_ATTEMPTS else OutboxState.PENDING
        _finish(
            message,
            status=state,
            attempts=attempts,
            result=str(error)[:2000],
            status_code=error.status_code,
            duration_ms=duration,
            next_attempt_at=timezone.now() + backoff(attempts),
        )
        return state
    except (PermanentError, Exception) as error:  # noqa: BLE001 - a bad row fails alone, not its batch
        if not isinstance(error, PermanentError):
            logger.exception("outbox message %s cannot be sent", message.pk)
        _finish(
            message,
            status=OutboxState.FAILED,
            attempts=attempts,
            result=f"{type(error).__name__}: {error}"[:2000],
            status_code=getattr(error, "status_code", None),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        return OutboxState.FAILED
    _finish(
        message,
        status=OutboxState.SENT,
        attempts=attempts,
        result=detail[:2000],
        status_code=status_code,
        duration_ms=int((time.monotonic() - started) * 1000),
        sent_at=timezone.now(),
    )
    return OutboxState.SENT


def send_due(
    batch_size: int | None = None, time_budget: float | None = None, channels: Iterable[str] | None = None
) -> int:
    """Send due rows in claimed batches until none is due or the time budget is spent."""
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    budget = settings.OUTBOX_TIME_BUDGET_SECONDS if time_budget is None else time_budget
    deadline = time.monotonic() + budget
    reclaim_stuck()
    sent = 0
    while time.monotonic() < deadline:
        batch = claim(batch_size, channels=channels)
        if not batch:
            return sent
        for index, message in enumerate(batch):
            if time.monotonic() >= deadline:
                # Hand back what this run will not reach.
                OutboxMessage.objects.filter(pk__in=[m.pk for m in batch[index:]], status=OutboxState.SENDING).update(
                    status=OutboxState.PENDING, claimed_at=None
                )
                break
            if deliver(message) == OutboxState.SENT:
                sent += 1
    return sent


def redeliver(message: OutboxMessage) -> bool:
    """Send a delivered or failed row again now (a manual redelivery), with fresh attempts."""
    updated = OutboxMessage.objects.filter(pk=message.pk, status__in=[OutboxState.FAILED, OutboxState.SENT]).update(
        status=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    if updated:
        queue_sending()
    return bool(updated)
