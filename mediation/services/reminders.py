"""The periodic sweeps: terms that end (reminders 60 and 30 days before; expiry), and sessions tomorrow.

Both are idempotent: expiry is a conditional update, and each reminder has a dedup key that makes
a second or concurrent sweep insert nothing. Each sweep reads a fixed number of queries however
many mediators or sessions there are (plus one expiry per mediator whose term has just ended).
The time limit of a case is reminded by the liaison reminder engine (a registered rule).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import deadlines
from liaison.choices import NotificationKind, Role
from liaison.models import RoleAssignment
from liaison.notifications import Draft, create_notifications

from ..choices import OPEN_STATES, TERM_REMINDER_DAYS, MediatorStatus
from ..models import MediationSession, Mediator
from ._common import case_url, mediator_url
from .roster import mediator_expire

M = MediatorStatus


@dataclass(frozen=True)
class TermSweep:
    expired: int
    reminded: int


def _people(organization_ids: set[int], roles: tuple[str, ...]) -> dict[int, set[int]]:
    """Active users with one of the roles, by organization, in one query."""
    result: dict[int, set[int]] = defaultdict(set)
    for user_id, organization_id in RoleAssignment.objects.filter(
        role__in=roles,
        user__organization_id__in=organization_ids,
        user__is_active=True,
    ).values_list("user_id", "user__organization_id"):
        result[organization_id].add(user_id)
    return result


def terms_sweep(on: dt.date | None = None) -> TermSweep:
    """Expire ended terms; remind the keepers 60 and 30 days before a term ends (once each)."""
    on = on or deadlines.today()
    expired = 0
    for mediator in Mediator.objects.filter(status__in=[M.ACTIVE, M.SUSPENDED], term_end__lt=on).select_related(
        "organisation"
    ):
        expired += mediator_expire(mediator=mediator, on=on)
    horizon = on + dt.timedelta(days=max(TERM_REMINDER_DAYS))
    ending = list(
        Mediator.objects.filter(status=M.ACTIVE, term_end__gte=on, term_end__lte=horizon).select_related(
            "organisation", "court"
        )
    )
    if not ending:
        return TermSweep(expired, 0)
    managers = _people(
        {o for m in ending for o in (m.organisation.organization_id, m.organisation.run_by_id)},
        (Role.MEDIATION_MANAGER,),
    )
    clerks = _people({m.court_id for m in ending}, (Role.COURT_CLERK,))
    drafts = []
    for mediator in ending:
        left = (mediator.term_end - on).days
        stage = min(days for days in TERM_REMINDER_DAYS if left <= days)
        recipients = {
            *managers[mediator.organisation.organization_id],
            *managers[mediator.organisation.run_by_id],
            *clerks[mediator.court_id],
        }
        if mediator.user_id:
            recipients.add(mediator.user_id)
        title = _("特邀调解员%(name)s的任期将于 %(end)s 届满（还有 %(n)s 天）") % {
            "name": mediator.name,
            "end": mediator.term_end,
            "n": left,
        }
        body = _("%(court)s · %(org)s。如需续聘，请在名册中办理续聘。") % {
            "court": mediator.court.name,
            "org": mediator.organisation.name,
        }
        for user_id in recipients:
            key = f"mediation.term:{mediator.pk}:{mediator.term_end}:{stage}:{user_id}"
            drafts.append(Draft(user_id, NotificationKind.DUE_SOON, title, body, mediator_url(mediator), key))
    with transaction.atomic():
        return TermSweep(expired, create_notifications(drafts))


def sessions_remind(now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Remind the mediator and the managers of each session in the next day (once per session time)."""
    now = now or timezone.now()
    sessions = list(
        MediationSession.objects.filter(
            scheduled_at__gt=now,
            scheduled_at__lte=now + within,
            case__status__in=OPEN_STATES,
        ).select_related("case__organisation", "case__mediator")
    )
    if not sessions:
        return 0
    managers = _people(
        {o for s in sessions for o in (s.case.organisation.organization_id, s.case.organisation.run_by_id)},
        (Role.MEDIATION_MANAGER,),
    )
    drafts = []
    for session in sessions:
        case = session.case
        recipients = {*managers[case.organisation.organization_id], *managers[case.organisation.run_by_id]}
        if case.mediator and case.mediator.user_id:
            recipients.add(case.mediator.user_id)
        when = timezone.localtime(session.scheduled_at).strftime("%Y-%m-%d %H:%M")
        title = _("调解提醒：%(serial)s %(title)s 将于 %(when)s 进行") % {
            "serial": case.serial,
            "title": case.title,
            "when": when,
        }
        body = _("地点：%(place)s") % {"place": session.place or "—"}
        if session.online_link:
            body += _("；在线调解链接：%(link)s") % {"link": session.online_link}
        for user_id in recipients:
            key = f"mediation.session:{session.pk}:{session.scheduled_at.isoformat()}:{user_id}"
            drafts.append(Draft(user_id, NotificationKind.MEETING, title, body, case_url(case), key[:200]))
    with transaction.atomic():
        return create_notifications(drafts)


__all__ = ["TermSweep", "sessions_remind", "terms_sweep"]
