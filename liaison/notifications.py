"""Creating notifications and sending the ones users want by email.

Rows are written inside the caller's transaction; email goes out from a Celery task queued
with `transaction.on_commit`, which claims each row with a conditional update so that a
redelivered task sends nothing twice.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .choices import EmailState, NotificationKind
from .models import Notification, NotificationPreference, User

logger = logging.getLogger(__name__)

# What goes by email when a user has not chosen: reminders do, routine work notices do not.
EMAIL_BY_DEFAULT = {
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
        (row.user_id, row.kind): row.by_email
        for row in NotificationPreference.objects.filter(user_id__in=user_ids)
    }
    with_address = set(User.objects.filter(pk__in=user_ids).exclude(email="").values_list("pk", flat=True))
    return {
        (user_id, kind)
        for user_id, kind in pairs
        if user_id in with_address and chosen.get((user_id, kind), EMAIL_BY_DEFAULT.get(kind, False))
    }


def create_notifications(drafts: list[Draft]) -> int:
    """Insert the drafts; a draft whose dedup key exists already is skipped by the database."""
    if not drafts:
        return 0
    by_email = email_wanted((d.recipient_id, d.kind) for d in drafts)
    rows = [
        Notification(
            recipient_id=d.recipient_id,
            kind=d.kind,
            title=d.title[:200],
            body=d.body,
            url=d.url,
            dedup_key=d.dedup_key,
            email_state=EmailState.PENDING if (d.recipient_id, d.kind) in by_email else EmailState.NOT_NEEDED,
        )
        for d in drafts
    ]
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if by_email:
        queue_email_delivery()
    return Notification.objects.count() - before


def notify(recipients: Iterable[User], *, kind: str, title: str, body: str = "", url: str = "") -> int:
    """Tell these users something, in the app and, where they chose so, by email."""
    return create_notifications(
        [Draft(user.pk, kind, title, body, url) for user in {u.pk: u for u in recipients}.values()]
    )


def queue_email_delivery() -> None:
    """Queue the email task once the surrounding transaction has committed."""
    from .tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails.delay(), robust=True)


def send_pending_emails(limit: int = 200) -> int:
    """Send the pending emails; each row is claimed first so no email goes out twice."""
    sent = 0
    pending = list(
        Notification.objects.filter(email_state=EmailState.PENDING)
        .select_related("recipient")
        .order_by("id")[:limit]
    )
    for notification in pending:
        claimed = Notification.objects.filter(pk=notification.pk, email_state=EmailState.PENDING).update(
            email_state=EmailState.SENDING
        )
        if claimed != 1:
            continue  # another worker has it
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
        try:
            send_mail(
                subject=f"[{settings.SITE_NAME}] {notification.title}",
                message=body,
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
        except OSError:
            logger.exception("email for notification %s failed", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.FAILED)
            continue
        Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.SENT)
        sent += 1
    return sent


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
