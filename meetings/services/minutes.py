"""Minutes: drafting, approval by every party's leader (or return with comments), issuing, corrections.

Issuing numbers the minutes per mechanism per year (〔2026〕第3期) with the gapless counter in the
same transaction, distributes it to every party and puts its action items under supervision. An
issued minutes is never edited: the services refuse, and database triggers refuse too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import audit, membership
from liaison.acting import organization_id_of, organization_of
from liaison.choices import NotificationKind
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.notifications import notify
from liaison.numbering import next_number
from liaison.workflow import required, users_with_roles

from ..choices import (
    HELD_STATES,
    MINUTES_EDITABLE,
    ApprovalDecision,
    ItemSource,
    ItemStatus,
    MinutesStatus,
)
from ..models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesDistribution,
    MinutesSection,
)
from ..workflow import MEETING, MINUTES, MINUTES_ACTIONS, minutes_state, names
from ._common import (
    SECRETARY_ROLES,
    check,
    leaders,
    minutes_url,
)
from .supervision import ItemData, check_item, open_items

MS = MinutesStatus
NUMBER_SERIES = "minutes"


@dataclass
class SectionData:
    heading: str
    discussion: str
    agenda_item: AgendaItem | None = None


@dataclass
class MinutesData:
    title: str
    summary: str
    sections: Sequence[SectionData] = field(default_factory=list)
    decisions: Sequence[str] = field(default_factory=list)
    action_items: Sequence[ItemData] = field(default_factory=list)


def minutes_number(year: int, sequence: int) -> str:
    return f"〔{year}〕第{sequence}期"


def _check(meeting: Meeting, data: MinutesData) -> None:
    required(data.title, _("纪要标题"), "title")
    required(data.summary, _("会议概况"), "summary")
    if len(data.title.strip()) > 200:
        raise ActionRefused(_("纪要标题不超过 200 字。"), field="title")
    for index, section in enumerate(data.sections, start=1):
        if not section.heading.strip() or not section.discussion.strip():
            raise ActionRefused(_("第 %(n)s 个议题：请填写议题和讨论情况。") % {"n": index}, field="sections")
        if section.agenda_item is not None and section.agenda_item.meeting_id != meeting.pk:
            raise ActionRefused(_("议题不属于本次会议。"), field="sections")
    meeting_day = timezone.localtime(meeting.starts_at).date()
    for index, item in enumerate(data.action_items, start=1):
        check_item(meeting.mechanism, item, label=_("第 %(n)s 项督办事项") % {"n": index}, not_before=meeting_day)


def _write_content(minutes: Minutes, data: MinutesData) -> None:
    """Replace the sections, decided items and (draft) action items with the data's."""
    minutes.sections.all().delete()
    minutes.decisions.all().delete()
    minutes.action_items.filter(status=ItemStatus.DRAFT).delete()
    MinutesSection.objects.bulk_create(
        [
            MinutesSection(
                minutes=minutes,
                order=n,
                heading=s.heading.strip()[:200],
                discussion=s.discussion.strip(),
                agenda_item=s.agenda_item,
            )
            for n, s in enumerate(data.sections, start=1)
        ]
    )
    Decision.objects.bulk_create(
        [
            Decision(minutes=minutes, order=n, text=text.strip())
            for n, text in enumerate([t for t in data.decisions if t.strip()], start=1)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                mechanism_id=minutes.mechanism_id,
                source=ItemSource.MINUTES,
                minutes=minutes,
                order=n,
                title=i.title.strip(),
                target=(i.target or "").strip(),
                owner_organization=i.owner_organization,
                owner_department=i.owner_department,
                due_date=i.due_date,
                status=ItemStatus.DRAFT,
            )
            for n, i in enumerate(data.action_items, start=1)
        ]
    )


def _minutes_exist(meeting: Meeting) -> str:
    if Minutes.objects.filter(meeting=meeting, corrects__isnull=True).exists():
        return _("该会议已有纪要。")
    return _("会议确认召开后才能起草纪要（当前状态为“%(state)s”）。") % {"state": meeting.get_status_display()}


def minutes_create(*, actor: User, meeting: Meeting, data: MinutesData) -> Minutes:
    """Start the minutes of a meeting that was held (the meeting moves to "minutes drafted")."""
    check(MEETING, actor, meeting, "draft_minutes", _minutes_exist)
    _check(meeting, data)
    try:
        with transaction.atomic():
            minutes = Minutes.objects.create(
                mechanism=meeting.mechanism,
                meeting=meeting,
                created_by=actor,
                title=data.title.strip(),
                summary=data.summary.strip(),
            )
            _write_content(minutes, data)
            audit.record(
                actor=actor,
                target=minutes,
                action="minutes_create",
                to_state=minutes_state(MS.DRAFT),
                summary=minutes.title,
            )
            MEETING.perform(actor, meeting, "draft_minutes", checked=True, summary=minutes.title)
    except IntegrityError:
        raise ActionRefused(_("该会议已有纪要。"), ActionRefused.STATE) from None
    return minutes


def _edit_refused(minutes: Minutes) -> str:
    if minutes.status == MS.ISSUED:
        return _("已印发的纪要不能修改；如需更正，请另行起草更正纪要。")
    return _("纪要当前状态为“%(state)s”，不能修改（送审后须先退回）。") % {"state": minutes.get_status_display()}


def minutes_update(*, actor: User, minutes: Minutes, data: MinutesData) -> Minutes:
    """Change a draft (or returned) minutes; submitted, approved and issued minutes do not change."""
    check(MINUTES, actor, minutes, "edit", _edit_refused)
    _check(minutes.meeting, data)
    with transaction.atomic():
        updated = Minutes.objects.filter(pk=minutes.pk, status__in=MINUTES_EDITABLE).update(
            title=data.title.strip(), summary=data.summary.strip(), updated_at=timezone.now()
        )
        if updated != 1:
            raise ActionRefused(_edit_refused(Minutes.objects.get(pk=minutes.pk)), ActionRefused.STATE)
        minutes.refresh_from_db()
        _write_content(minutes, data)
        MINUTES.perform(actor, minutes, "edit", checked=True, summary=minutes.title)
    return minutes


def minutes_submit(*, actor: User, minutes: Minutes) -> Minutes:
    """Send the minutes to the approving parties' leaders (a new round each time).

    The parties whose place approves minutes in this mechanism (`liaison.membership`) approve, as
    they are on the day of submission; member units and observers are told when the minutes are issued.
    """
    MINUTES.check(actor, minutes, "submit")
    parties = membership.approving_organization_ids(minutes.mechanism_id)
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        round_ = locked.approval_round + 1
        MINUTES.perform(
            actor,
            locked,
            "submit",
            approval_round=round_,
            submitted_at=timezone.now(),
            summary=_("第 %(n)s 轮审定") % {"n": round_},
        )
        MinutesApproval.objects.bulk_create(
            [MinutesApproval(minutes=locked, round=round_, organization_id=org) for org in parties]
        )
        notify(
            leaders(parties),
            kind=NotificationKind.WORK,
            url=minutes_url(locked.pk),
            title=_("会议纪要待审定：%(title)s") % {"title": locked.title},
        )
    minutes.refresh_from_db()
    return minutes


def minutes_decide(*, actor: User, minutes: Minutes, approve: bool, comment: str = "") -> Minutes:
    """A party's leader approves the minutes for their organization, or returns it with comments.

    The minutes row is locked first, so of two leaders deciding at once the second sees the
    first's decision, and the last approval moves the minutes to approved exactly once.
    """
    MINUTES.check(actor, minutes, "decide")
    comment = comment.strip()
    if not approve and not comment:
        raise ActionRefused(_("退回修改的，请填写意见。"), field="comment")
    now = timezone.now()
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        MINUTES.check(actor, locked, "decide")
        decision = ApprovalDecision.APPROVED if approve else ApprovalDecision.RETURNED
        MinutesApproval.objects.filter(
            minutes=locked,
            round=locked.approval_round,
            organization_id=organization_id_of(actor),
            decision=ApprovalDecision.PENDING,
        ).update(decision=decision, comment=comment, decided_by=actor, decided_at=now)
        if approve:
            MINUTES.perform(
                actor,
                locked,
                "approve",
                checked=True,
                summary=_("%(org)s同意") % {"org": organization_of(actor).name} + (f"：{comment}" if comment else ""),
            )
            pending = MinutesApproval.objects.filter(
                minutes=locked, round=locked.approval_round, decision=ApprovalDecision.PENDING
            ).exists()
            if not pending:
                MINUTES.perform(actor, locked, "approved", checked=True, approved_at=now, summary=_("各方均已同意"))
                if locked.corrects_id is None:
                    MEETING.perform(actor, locked.meeting, "approve_minutes", checked=True)
                notify(
                    users_with_roles([organization_id_of(locked.created_by)], *SECRETARY_ROLES),
                    kind=NotificationKind.WORK,
                    url=minutes_url(locked.pk),
                    title=_("会议纪要已审定，可以印发：%(title)s") % {"title": locked.title},
                )
        else:
            MinutesApproval.objects.filter(
                minutes=locked, round=locked.approval_round, decision=ApprovalDecision.PENDING
            ).update(decision=ApprovalDecision.WITHDRAWN)
            MINUTES.perform(actor, locked, "return", checked=True, summary=f"{organization_of(actor).name}：{comment}")
            notify(
                [locked.created_by],
                kind=NotificationKind.WORK,
                url=minutes_url(locked.pk),
                title=_("会议纪要被退回修改：%(title)s") % {"title": locked.title},
                body=comment,
            )
    minutes.refresh_from_db()
    return minutes


def _issue_refused(minutes: Minutes) -> str:
    return _("纪要当前状态为“%(state)s”，不能印发（须经各方审定）。") % {"state": minutes.get_status_display()}


def minutes_issue(*, actor: User, minutes: Minutes) -> Minutes:
    """Number and issue approved minutes: distributed to every party, its action items supervised from now on."""
    from ..documents import issue_minutes_pdf  # meetings.documents reads through this package

    now = timezone.now()
    year = timezone.localdate(now).year
    told = membership.told(minutes.mechanism_id, membership.Notice.MINUTES_ISSUED)
    parties = told.organization_ids
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().select_related("meeting", "mechanism").get(pk=minutes.pk)
        check(MINUTES, actor, locked, "issue", _issue_refused)
        # The counter row stays locked until commit: concurrent issues get consecutive numbers, and a
        # failure below gives the number back.
        sequence = next_number(mechanism=locked.mechanism, series=NUMBER_SERIES, year=year)
        number = minutes_number(year, sequence)
        items = list(locked.action_items.select_related("owner_organization", "owner_department", "mechanism"))
        open_items(items, actor=actor)
        MinutesDistribution.objects.bulk_create(
            [MinutesDistribution(minutes=locked, organization_id=org, distributed_at=now) for org in parties]
        )
        MINUTES.perform(
            actor,
            locked,
            "issue",
            checked=True,
            year=year,
            sequence=sequence,
            number=number,
            issued_at=now,
            issued_by=actor,
            summary=lambda issued: f"{number}；sha256 {issue_minutes_pdf(issued.pk, actor=actor)}",
        )
        if locked.corrects_id is None:
            MEETING.perform(actor, locked.meeting, "issue_minutes", checked=True, summary=number)
        notify(
            told.users,
            kind=NotificationKind.MEETING,
            url=minutes_url(locked.pk),
            title=_("会议纪要%(number)s已印发：%(title)s") % {"number": number, "title": locked.title},
        )
    minutes.refresh_from_db()
    return minutes


def minutes_correct(*, actor: User, minutes: Minutes) -> Minutes:
    """Start a correction: a new minutes of the same meeting referring to the issued one (which stays as it is)."""
    check(MINUTES, actor, minutes, "correct", _("只有已印发的纪要需要更正；未印发的纪要请直接修改。"))
    try:
        with transaction.atomic():
            correction = Minutes.objects.create(
                mechanism_id=minutes.mechanism_id,
                meeting_id=minutes.meeting_id,
                corrects=minutes,
                created_by=actor,
                title=(_("关于%(number)s会议纪要的更正") % {"number": minutes.number})[:200],
                summary=minutes.summary,
            )
            MinutesSection.objects.bulk_create(
                [
                    MinutesSection(
                        minutes=correction,
                        order=s.order,
                        heading=s.heading,
                        discussion=s.discussion,
                        agenda_item_id=s.agenda_item_id,
                    )
                    for s in minutes.sections.all()
                ]
            )
            Decision.objects.bulk_create(
                [Decision(minutes=correction, order=d.order, text=d.text) for d in minutes.decisions.all()]
            )
            audit.record(
                actor=actor,
                target=correction,
                action="minutes_correct",
                to_state=minutes_state(MS.DRAFT),
                summary=minutes.number,
            )
    except IntegrityError:
        raise ActionRefused(_("该纪要已有一份正在办理的更正纪要。"), ActionRefused.STATE) from None
    return correction


def minutes_allowed_actions(actor: User, minutes: Minutes) -> list[str]:
    """The steps this user may take now on the minutes (from `MINUTES`)."""
    return names(MINUTES, actor, minutes, MINUTES_ACTIONS)


__all__ = [
    "HELD_STATES",
    "MinutesData",
    "SectionData",
    "minutes_allowed_actions",
    "minutes_correct",
    "minutes_create",
    "minutes_decide",
    "minutes_issue",
    "minutes_number",
    "minutes_submit",
    "minutes_update",
]
