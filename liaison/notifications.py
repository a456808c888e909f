"""Creating notifications and sending the ones users want by email.

Rows are written inside the caller's transaction (an outbox); email goes out from a Celery task
queued with `transaction.on_commit`, and from a periodic run of the same task that picks up
what a lost queued task left (the broker was down at commit). Each row is claimed with a
conditional update, so no email goes out twice; a row left "sending" by a worker that died is
sent again after a timeout; one bad row fails alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .choices import EmailState, NotificationKind
from .models import Notification, NotificationPreference, User

logger = logging.getLogger(__name__)

# What goes by email when a user has not chosen: reminders do, routine work notices do not.
EMAIL_BY_DEFAULT: dict[str, bool] = {
    NotificationKind.DUE_SOON: True,
    NotificationKind.DUE_TODAY: True,
    NotificationKind.OVERDUE: True,
    NotificationKind.WORK: False,
    NotificationKind.MEETING: True,
    NotificationKind.SYSTEM: False,
}


@dataclass(frozen=True)
class Draft:
    """A notification to create, before it is a row."""

    recipient_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""
    dedup_key: str | None = None


def email_wanted(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (user, kind) pairs go by email, in one query for the whole batch."""
    pairs = set(pairs)
    if not pairs:
        return set()
    user_ids = {user_id for user_id, _ in pairs}
    chosen = {
        (row.user_id, row.kind): row.by_email for row in NotificationPreference.objects.filter(user_id__in=user_ids)
    }
    with_address = set(User.objects.filter(pk__in=user_ids).exclude(email="").values_list("pk", flat=True))
    return {
        (user_id, kind)
        for user_id, kind in pairs
        if user_id in with_address and chosen.get((user_id, kind), EMAIL_BY_DEFAULT.get(kind, False))
    }


_COLUMNS = ("recipient_id", "kind", "title", "body", "url", "created_at", "dedup_key", "email_state", "email_attempts")


def create_notifications(drafts: list[Draft]) -> int:
    """Insert the drafts and return how many were new; a draft whose dedup key exists already
    is skipped by the database (the count comes from the insert itself, not from counting the table)."""
    if not drafts:
        return 0
    by_email = email_wanted((d.recipient_id, d.kind) for d in drafts)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (
            d.recipient_id,
            d.kind,
            d.title[:200],
            d.body,
            d.url,
            now,
            d.dedup_key,
            EmailState.PENDING if (d.recipient_id, d.kind) in by_email else EmailState.NOT_NEEDED,
            0,
        )
        for d in drafts
    ]
    inserted = 0
    row_sql = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            cursor.execute(
                f"INSERT INTO {Notification._meta.db_table} ({', '.join(_COLUMNS)}) "
                f"VALUES {', '.join([row_sql] * len(batch))} ON CONFLICT DO NOTHING",
                [value for row in batch for value in row],
            )
            inserted += cursor.rowcount
    if by_email and inserted:
        queue_email_delivery()
    return inserted


def notify(recipients: Iterable[User], *, kind: str, title: str, body: str = "", url: str = "") -> int:
    """Tell these users something, in the app and, where they chose so, by email."""
    return create_notifications(
        [Draft(user.pk, kind, title, body, url) for user in {u.pk: u for u in recipients}.values()]
    )


def queue_email_delivery() -> None:
    """Queue the email task once the surrounding transaction has committed."""
    from .tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails.delay(), robust=True)


def _header(text: str) -> str:
    """One line: a newline in a header is refused by Django (BadHeaderError) and must not be sent."""
    return " ".join(text.split())


def reclaim_stuck_emails() -> int:
    """Put back the emails claimed longer ago than the timeout: their worker died mid-send."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS)
    # No claim time: left "sending" before claims were timed, so long ago.
    stuck = Q(email_claimed_at__lt=cutoff) | Q(email_claimed_at__isnull=True)
    return Notification.objects.filter(stuck, email_state=EmailState.SENDING).update(
        email_state=EmailState.PENDING, email_claimed_at=None
    )


def _send_one(notification: Notification) -> str:
    """Send one claimed email; the state it ends in."""
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    try:
        send_mail(
            subject=_header(f"[{settings.SITE_NAME}] {notification.title}"),
            message=body,
            from_email=None,
            recipient_list=[_header(notification.recipient.email)],
        )
    except OSError:
        # The mail server is unreachable or refused for now: try again later, up to a limit.
        logger.exception("email for notification %s failed, will retry", notification.pk)
        attempts = notification.email_attempts + 1
        state = EmailState.FAILED if attempts >= settings.EMAIL_MAX_ATTEMPTS else EmailState.PENDING
        Notification.objects.filter(pk=notification.pk).update(
            email_state=state, email_attempts=attempts, email_claimed_at=None
        )
        return state
    except Exception:  # noqa: BLE001 - a bad row (header, address) fails alone, not its batch
        logger.exception("email for notification %s cannot be sent", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(
            email_state=EmailState.FAILED, email_attempts=notification.email_attempts + 1
        )
        return EmailState.FAILED
    Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.SENT)
    return EmailState.SENT


def send_pending_emails(batch_size: int | None = None, time_budget: float | None = None) -> int:
    """Send pending emails in batches until none is left or the time budget is spent.

    Rows stuck in "sending" past the timeout are reclaimed first. Each row is claimed by a
    conditional update, so two runs at once never send one email twice. When the mail server
    is unreachable the run stops and leaves the rest for the next one.
    """
    batch_size = batch_size or settings.EMAIL_BATCH_SIZE
    deadline = time.monotonic() + (settings.EMAIL_TIME_BUDGET_SECONDS if time_budget is None else time_budget)
    reclaim_stuck_emails()
    sent = 0
    after = 0
    while time.monotonic() < deadline:
        pending = list(
            Notification.objects.filter(email_state=EmailState.PENDING, pk__gt=after)
            .select_related("recipient")
            .order_by("id")[:batch_size]
        )
        if not pending:
            break
        for notification in pending:
            after = notification.pk
            claimed = Notification.objects.filter(pk=notification.pk, email_state=EmailState.PENDING).update(
                email_state=EmailState.SENDING, email_claimed_at=timezone.now()
            )
            if claimed != 1:
                continue  # another worker has it
            state = _send_one(notification)
            if state == EmailState.SENT:
                sent += 1
            elif state == EmailState.PENDING:
                return sent  # the server is down: the periodic run retries later
            if time.monotonic() >= deadline:
                break
    else:
        if Notification.objects.filter(email_state=EmailState.PENDING).exists():
            queue_email_delivery()  # budget spent with work left: carry on in a new run
    return sent


def prune_read_notifications(batch_size: int = 10_000) -> int:
    """Delete the notifications read longer ago than the retention period, in batches."""
    cutoff = timezone.now() - dt.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(Notification.objects.filter(read_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += Notification.objects.filter(pk__in=ids).delete()[0]


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all when no ids are given); others' rows are untouched."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def set_email_preferences(user: User, choices: dict[str, bool]) -> None:
    """Store which kinds the user also wants by email."""
    with transaction.atomic():
        for kind, by_email in choices.items():
            if kind not in NotificationKind.values:
                raise ValueError(kind)
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"by_email": by_email})


def email_preferences(user: User) -> dict[str, bool]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "by_email"))
    return {kind: chosen.get(kind, EMAIL_BY_DEFAULT.get(kind, False)) for kind in NotificationKind.values}
