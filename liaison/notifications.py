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
from django.db import connection, connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from .choices import EmailState, NotificationKind, Role
from .models import Notification, NotificationPreference, RoleAssignment, User

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


def _escalations(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Overdue notices to leaders: they always go out, whatever the leader chose."""
    overdue_users = {user_id for user_id, kind in pairs if kind == NotificationKind.OVERDUE}
    if not overdue_users:
        return set()
    leaders = set(
        RoleAssignment.objects.filter(user_id__in=overdue_users, role=Role.LEADER).values_list("user_id", flat=True)
    )
    return {(user_id, kind) for user_id, kind in pairs if kind == NotificationKind.OVERDUE and user_id in leaders}


def _choices(user_ids: set[int]) -> dict[tuple[int, str], NotificationPreference]:
    return {(row.user_id, row.kind): row for row in NotificationPreference.objects.filter(user_id__in=user_ids)}


def email_wanted(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (user, kind) pairs go by single email now, in one query per table for the whole batch
    (a kind the user takes in the daily digest waits for the digest)."""
    pairs = set(pairs)
    if not pairs:
        return set()
    user_ids = {user_id for user_id, _ in pairs}
    chosen = _choices(user_ids)
    with_address = set(User.objects.filter(pk__in=user_ids).exclude(email="").values_list("pk", flat=True))
    forced = _escalations(pairs)

    def wanted(pair: tuple[int, str]) -> bool:
        row = chosen.get(pair)
        if row is None:
            return EMAIL_BY_DEFAULT.get(pair[1], False)
        return row.by_email and not row.digest

    return {pair for pair in pairs if pair[0] in with_address and (pair in forced or wanted(pair))}


def sms_wanted(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """Which (user, kind) pairs go by SMS, with the phone number to send to."""
    pairs = set(pairs)
    if not pairs:
        return {}
    user_ids = {user_id for user_id, _ in pairs}
    chosen = _choices(user_ids)
    phones = dict(User.objects.filter(pk__in=user_ids, is_active=True).exclude(phone="").values_list("pk", "phone"))
    forced = _escalations(pairs)
    return {
        pair: phones[pair[0]]
        for pair in pairs
        if pair[0] in phones and (pair in forced or (pair in chosen and chosen[pair].by_sms))
    }


def hidden_in_app(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """The pairs the user does not want in the app (kept as read, so the other channels still work)."""
    pairs = set(pairs)
    forced = _escalations(pairs)
    return {pair for pair, row in _choices({u for u, _ in pairs}).items() if pair in pairs and not row.in_app} - forced


def queue_sms(created_at: dt.datetime, pairs: set[tuple[int, str]] | None = None) -> int:
    """Write the SMS outbox rows of the notifications created since this moment (an idempotent
    step: each notification has at most one SMS, by its dedup key). With the (user, kind) pairs
    just written, nothing is read when none of them goes by SMS."""
    from .channels import outbox
    from .models import Channel, OutboxMessage

    rows_query = Notification.objects.filter(created_at__gte=created_at).order_by()
    if pairs is not None:
        phones = sms_wanted(pairs)
        if not phones:
            return 0
        rows_query = rows_query.filter(recipient_id__in={user_id for user_id, _ in phones})
    rows = list(rows_query.values_list("pk", "recipient_id", "kind"))
    if pairs is None:
        phones = sms_wanted((user_id, kind) for _, user_id, kind in rows)
    if not phones:
        return 0
    messages = [
        OutboxMessage(
            kind=kind,
            channel=Channel.SMS,
            recipient=phones[(user_id, kind)],
            payload={"notification": pk},
            dedup_key=f"sms:{pk}",
        )
        for pk, user_id, kind in rows
        if (user_id, kind) in phones
    ]
    return len(outbox.enqueue(messages))


_COLUMNS = (
    "recipient_id",
    "kind",
    "title",
    "body",
    "url",
    "created_at",
    "dedup_key",
    "email_state",
    "email_attempts",
    "read_at",
)


def create_notifications(drafts: list[Draft]) -> int:
    """Insert the drafts and return how many were new; a draft whose dedup key exists already
    is skipped by the database (the count comes from the insert itself, not from counting the table)."""
    if not drafts:
        return 0
    pairs = {(d.recipient_id, d.kind) for d in drafts}
    by_email = email_wanted(pairs)
    hidden = hidden_in_app(pairs)
    moment = timezone.now()
    now = connection.ops.adapt_datetimefield_value(moment)
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
            now if (d.recipient_id, d.kind) in hidden else None,
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
    if inserted:
        queue_sms(moment, pairs)
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


def absolute_url(path: str) -> str:
    """The address of a page of the portal as seen from outside (emails, SMS, work-group robots)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _send_one(notification: Notification) -> str:
    """Send one claimed email; the state it ends in."""
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{absolute_url(notification.url)}"
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


# The unread count every page shows is exact up to this many; above it the badge reads "99+", and
# no more rows are counted: a user who lets reminders pile up (a leader receives every overdue
# escalation of their unit) would otherwise pay for counting all of them on every page.
UNREAD_SHOWN = 99


def unread_count(user: User) -> int:
    """The user's unread notifications, counted up to `UNREAD_SHOWN` + 1 (`unread_capped`) through
    the index of unread notifications by recipient. Asked on every page: one statement, written out
    (the ORM's sliced count took longer to compile than to run)."""
    alias = router.db_for_read(Notification)
    table = connections[alias].ops.quote_name(Notification._meta.db_table)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE recipient_id = %s AND read_at IS NULL LIMIT %s) n",
            [user.pk, UNREAD_SHOWN + 1],
        )
        return cursor.fetchone()[0]


def unread_capped(count: int) -> bool:
    """Whether `unread_count` stopped counting: more than `UNREAD_SHOWN` are unread."""
    return count > UNREAD_SHOWN


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


def set_preferences(user: User, choices: dict[str, dict[str, bool]]) -> None:
    """Store, per kind, in-app / email / SMS / daily digest ({"overdue": {"by_sms": True, ...}})."""
    fields = {"in_app", "by_email", "by_sms", "digest"}
    with transaction.atomic():
        for kind, values in choices.items():
            if kind not in NotificationKind.values or not set(values) <= fields:
                raise ValueError(kind)
            defaults = {"by_email": EMAIL_BY_DEFAULT.get(kind, False), **values}
            row, created = NotificationPreference.objects.get_or_create(user=user, kind=kind, defaults=defaults)
            if not created:
                NotificationPreference.objects.filter(pk=row.pk).update(**values)


def preferences(user: User) -> dict[str, dict[str, bool]]:
    """Every kind with the user's choices (defaults where none was made)."""
    chosen = {row.kind: row for row in NotificationPreference.objects.filter(user=user)}
    result = {}
    for kind in NotificationKind.values:
        row = chosen.get(kind)
        result[kind] = {
            "in_app": row.in_app if row else True,
            "by_email": row.by_email if row else EMAIL_BY_DEFAULT.get(kind, False),
            "by_sms": row.by_sms if row else False,
            "digest": row.digest if row else False,
        }
    return result


def queue_daily_digests(on: dt.date | None = None) -> int:
    """One email per user listing yesterday's notifications of the kinds they take as a digest.

    The outbox row's dedup key (user and day) makes a second run, or two beats, write nothing more.
    """
    from .channels import outbox
    from .models import Channel, OutboxMessage

    on = on or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=1), dt.time.min))
    end = start + dt.timedelta(days=1)
    digests = NotificationPreference.objects.filter(digest=True, by_email=True).values_list("user_id", "kind")
    wanted: dict[int, set[str]] = {}
    for user_id, kind in digests:
        wanted.setdefault(user_id, set()).add(kind)
    if not wanted:
        return 0
    rows = (
        Notification.objects.filter(recipient_id__in=list(wanted), created_at__gte=start, created_at__lt=end)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    lines: dict[int, list[str]] = {}
    addresses: dict[int, str] = {}
    for row in rows:
        if row.kind in wanted[row.recipient_id] and row.recipient.email:
            addresses[row.recipient_id] = row.recipient.email
            lines.setdefault(row.recipient_id, []).append(f"- {row.title}")
    site = settings.SITE_NAME
    messages = [
        OutboxMessage(
            kind="digest",
            channel=Channel.EMAIL,
            recipient=addresses[user_id],
            payload={
                "subject": _header(f"[{site}] {on - dt.timedelta(days=1):%Y-%m-%d} 通知汇总（{len(items)} 条）"),
                "body": "\n".join(items) + f"\n\n{absolute_url('/')}",
            },
            dedup_key=f"digest:{user_id}:{on.isoformat()}",
        )
        for user_id, items in lines.items()
    ]
    return len(outbox.enqueue(messages))


def email_preferences(user: User) -> dict[str, bool]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "by_email"))
    return {kind: chosen.get(kind, EMAIL_BY_DEFAULT.get(kind, False)) for kind in NotificationKind.values}
