"""Telling invitees about a meeting: a notice in the app and an email with the .ics.

The in-app rows and the email outbox rows are written in the caller's transaction; the email
task is queued on commit and claims each row with a conditional update. The in-app rows carry
no email of their own (the invitation email is the email), so nobody gets two.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import deadlines, membership
from liaison.choices import EmailState as CoreEmailState
from liaison.choices import NotificationKind
from liaison.models import Notification
from liaison.notifications import Draft, create_notifications, email_wanted

from .. import ics
from ..choices import EmailState, MeetingStatus, Rsvp
from ..models import InvitationEmail, Invitee, Meeting
from ._common import meeting_url

logger = logging.getLogger(__name__)

REQUEST, CANCEL = InvitationEmail.METHOD_REQUEST, InvitationEmail.METHOD_CANCEL


def _when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}—{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}—{end:%Y-%m-%d %H:%M}"


def _body(meeting: Meeting, lead: str) -> str:
    lines = [lead, "", _("会议：%(title)s") % {"title": meeting.title}, _("时间：%(when)s") % {"when": _when(meeting)}]
    if meeting.place:
        lines.append(_("地点：%(place)s") % {"place": meeting.place})
    if meeting.online_link:
        lines.append(_("线上会议：%(link)s") % {"link": meeting.online_link})
    if meeting.chair:
        lines.append(_("主持人：%(chair)s") % {"chair": meeting.chair})
    lines.append(_("召集单位：%(org)s") % {"org": meeting.convenor.name})
    agenda = list(meeting.agenda_items.all())
    if agenda:
        lines += ["", _("会议议题：")] + [f"{n}. {item.title}" for n, item in enumerate(agenda, start=1)]
    if meeting.reason:
        lines += ["", _("理由：%(reason)s") % {"reason": meeting.reason}]
    return "\n".join(lines)


def told_invitees(
    meeting: Meeting, invitees: Iterable[Invitee], notice: membership.Notice = membership.Notice.MEETING
) -> list[Invitee]:
    """The invitees told of the meeting now: outside people, and people of the parties that are told in
    the mechanism (`liaison.membership.told`) — not of a party that has left or whose place is not told."""
    told = membership.told(meeting.mechanism_id, notice)
    return [i for i in invitees if told.includes(i.organization_id or (i.user.organization_id if i.user else None))]


def tell_invitees(
    meeting: Meeting,
    invitees: Iterable[Invitee],
    *,
    method: str,
    title: str,
    lead: str,
    notice: membership.Notice = membership.Notice.MEETING,
) -> int:
    """An in-app notice to the invitees who are users, and an invitation email to everyone with an address.

    Only the invitees told of the meeting (`told_invitees`) hear of it. Users receive the email as
    their notification settings for meeting notices say; outside people (no account) always do.
    Call inside the transaction of the change.
    """
    invitees = told_invitees(meeting, invitees, notice)
    body = _body(meeting, lead)
    url = meeting_url(meeting.pk)
    users = {i.user_id: i for i in invitees if i.user_id}
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=NotificationKind.MEETING,
                title=title[:200],
                body=body,
                url=url,
                email_state=CoreEmailState.NOT_NEEDED,
            )
            for user_id in users
        ]
    )
    wanted = {user_id for user_id, _kind in email_wanted((uid, NotificationKind.MEETING) for uid in users)}
    outbox = []
    for invitee in invitees:
        address = invitee.address
        if not address or (invitee.user_id and invitee.user_id not in wanted):
            continue
        outbox.append(
            InvitationEmail(
                meeting=meeting,
                invitee=invitee if invitee.pk else None,
                address=address,
                name=invitee.display_name[:60],
                method=method,
                sequence=meeting.sequence,
                subject=title[:200],
                body=body,
            )
        )
    InvitationEmail.objects.bulk_create(outbox)
    if outbox:
        queue_invitation_emails()
    return len(outbox)


def meetings_remind(on: dt.date | None = None) -> int:
    """The day before a meeting that was notified, remind its invitees who are told (not those who
    declined), once each: the reminder carries a dedup key (meeting, its time, person), so an hourly or
    concurrent run creates nothing twice, and a postponed meeting is reminded again for its new day."""
    on = on or deadlines.today()
    tomorrow = on + dt.timedelta(days=1)
    meetings = Meeting.objects.filter(
        status__in=[MeetingStatus.NOTICE_SENT, MeetingStatus.POSTPONED], starts_at__date=tomorrow
    ).select_related("convenor")
    drafts = []
    for meeting in meetings.order_by("starts_at", "pk"):
        invitees = meeting.invitees.filter(user__isnull=False, user__is_active=True).exclude(rsvp=Rsvp.DECLINED)
        told = told_invitees(meeting, invitees.select_related("user"), membership.Notice.MEETING_REMINDER)
        if not told:
            continue
        title = _("会议提醒：%(title)s 将于明天 %(when)s 召开") % {
            "title": meeting.title,
            "when": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
        }
        body = _body(meeting, _("请您按时参加以下会议。"))
        drafts += [
            Draft(
                user.pk,
                NotificationKind.MEETING,
                title[:200],
                body,
                meeting_url(meeting.pk),
                f"meeting.reminder:{meeting.pk}:{meeting.starts_at.isoformat()}:{user.pk}"[:200],
            )
            for invitee in told
            if (user := invitee.user) is not None
        ]
    with transaction.atomic():
        return create_notifications(drafts)


def queue_invitation_emails() -> None:
    from ..tasks import send_invitation_emails

    transaction.on_commit(lambda: send_invitation_emails.delay(), robust=True)


def send_pending_invitations(limit: int = 200) -> int:
    """Send the pending invitation emails, each with its .ics; each row is claimed before sending."""
    sent = 0
    pending = list(
        InvitationEmail.objects.filter(state=EmailState.PENDING)
        .select_related("meeting", "meeting__convenor")
        .order_by("id")[:limit]
    )
    for email in pending:
        claimed = InvitationEmail.objects.filter(pk=email.pk, state=EmailState.PENDING).update(state=EmailState.SENDING)
        if claimed != 1:
            continue  # another worker has it
        meeting = email.meeting
        # The .ics shows the meeting as it was when the email was written (its sequence), with its
        # recipient as the attendee, so a later change arrives as a later sequence.
        meeting.sequence = email.sequence
        recipient = Invitee(name=email.name, email=email.address)
        content = ics.invitation(meeting, email.method, [recipient])
        body = f"{email.body}\n\n{settings.SITE_URL.rstrip('/')}{meeting_url(meeting.pk)}"
        message = EmailMultiAlternatives(
            subject=f"[{settings.SITE_NAME}] {email.subject}", body=body, to=[email.address]
        )
        message.attach("invite.ics", content.decode(), f"text/calendar; method={email.method}")
        try:
            message.send()
        except OSError:
            logger.exception("invitation email %s failed", email.pk)
            InvitationEmail.objects.filter(pk=email.pk).update(state=EmailState.FAILED)
            continue
        InvitationEmail.objects.filter(pk=email.pk).update(state=EmailState.SENT, sent_at=timezone.now())
        sent += 1
    return sent
