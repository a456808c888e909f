"""Judicial suggestions and risk reports with replies: every write, and the daily sweep.

A report of kind judicial suggestion or risk report gets its `Suggestion` row (state draft) the
first time anyone asks for it. From there: the author may send the draft to a party of the
mechanism for comment by a date (consultation; that party reads the draft and answers once or
more); the author issues it to a named recipient, a party of the mechanism or an outside body,
with a reply deadline in working days (the report is published to the mechanism then); the reply,
text and an optional file, is recorded by the author or by the recipient when it is a party. A
reply deadline that passes unanswered turns the suggestion overdue (the daily sweep), and the
reminder engine reminds the holder of the deadline before, on and after the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import attachments, deadlines, scoping
from liaison.choices import NotificationKind
from liaison.errors import ActionRefused
from liaison.models import Organization, User
from liaison.notifications import notify
from liaison.workdays import WorkingCalendar
from liaison.workflow import required, users_with_roles

from .choices import (
    DEFAULT_REPLY_WORKING_DAYS,
    REPLY_DEADLINE_KIND,
    SUGGESTION_KINDS,
    ReportState,
    SuggestionState,
)
from .models import Report, Suggestion
from .workflow import SUGGESTION, WRITER_ROLES

G = SuggestionState
MAX_REPLY_WORKING_DAYS = 120


def suggestion_url(suggestion: Suggestion) -> str:
    return reverse("reports:suggestion_detail", args=[suggestion.report_id])


def suggestion_for(report: Report) -> Suggestion:
    """The report's way to a reply (made in state draft the first time it is asked for)."""
    if report.kind not in SUGGESTION_KINDS:
        raise ActionRefused(_("只有司法建议和风险提示报告需要发出并等待回复。"), ActionRefused.STATE)
    suggestion, _created = Suggestion.objects.select_related(
        "report__mechanism", "report__author_organization", "consulted", "recipient"
    ).get_or_create(report=report)
    return suggestion


def suggestion_scope(user: User) -> QuerySet[Suggestion]:
    """Suggestions of the mechanisms the user sees: published ones, and drafts to their author and
    to the party consulted on them."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    rows = scoping.visible(Suggestion.objects.all(), user, "report__mechanism")
    return rows.filter(
        Q(report__state=ReportState.PUBLISHED)
        | Q(report__author_organization_id=user.organization_id)
        | Q(consulted_id=user.organization_id)
    )


def suggestion_list(*, user: User) -> QuerySet[Suggestion]:
    return suggestion_scope(user).select_related(
        "report__mechanism", "report__author_organization", "consulted", "recipient"
    )


def suggestion_get(*, user: User, report_pk: int) -> Suggestion:
    """The suggestion of a report the user may see, made on first sight by its author; else 404."""
    from django.http import Http404

    report = Report.objects.filter(pk=report_pk, kind__in=SUGGESTION_KINDS).first()
    if report is None:
        raise Http404
    if not Suggestion.objects.filter(report=report).exists():
        if (
            report.author_organization_id != user.organization_id
            or not scoping.visible(Report.objects.filter(pk=report.pk), user).exists()
        ):
            raise Http404
        suggestion_for(report)
    return scoping.get_or_404(suggestion_list(user=user), report_id=report_pk)


def _people(organization_id: int | None) -> list[User]:
    return users_with_roles(organization_id, *WRITER_ROLES) if organization_id else []


def suggestion_consult(
    *, actor: User, suggestion: Suggestion, consulted: Organization | None, comment_due: dt.date | None
) -> Suggestion:
    """Send the draft to a party of the mechanism for comment by a date."""
    SUGGESTION.check(actor, suggestion, "consult")
    report = suggestion.report
    if consulted is None:
        raise ActionRefused(_("请选择征求意见单位。"), field="consulted")
    if (
        consulted.pk == report.author_organization_id
        or not consulted.mechanism_parties.filter(mechanism_id=report.mechanism_id).exists()
    ):
        raise ActionRefused(_("征求意见单位须是本机制的其他参与单位。"), field="consulted")
    if comment_due is None or comment_due <= deadlines.today():
        raise ActionRefused(_("征求意见截止日期须晚于今天。"), field="comment_due")
    with transaction.atomic():
        SUGGESTION.perform(
            actor,
            suggestion,
            "consult",
            summary=_("征求%(org)s意见，%(date)s 前反馈") % {"org": consulted.name, "date": comment_due},
            consulted=consulted,
            comment_due=comment_due,
        )
        notify(
            _people(consulted.pk),
            kind=NotificationKind.WORK,
            title=_("%(org)s就《%(title)s》征求意见，请于 %(date)s 前反馈")
            % {"org": report.author_organization.name, "title": report.title, "date": comment_due},
            url=suggestion_url(suggestion),
        )
    return suggestion


def suggestion_comment(*, actor: User, suggestion: Suggestion, text: str) -> Suggestion:
    """The consulted party answers (a later answer replaces the earlier one; each is audited)."""
    SUGGESTION.check(actor, suggestion, "comment")
    text = required(text, _("意见"), "text")
    with transaction.atomic():
        SUGGESTION.perform(
            actor,
            suggestion,
            "comment",
            checked=True,
            summary=text[:200],
            comment_text=text,
            commented_at=timezone.now(),
        )
        notify(
            _people(suggestion.report.author_organization_id),
            kind=NotificationKind.WORK,
            title=_("%(org)s已对《%(title)s》反馈意见")
            % {"org": actor.organization.name if actor.organization else "", "title": suggestion.report.title},
            url=suggestion_url(suggestion),
        )
    return suggestion


def suggestion_issue(
    *,
    actor: User,
    suggestion: Suggestion,
    recipient: Organization | None,
    recipient_name: str,
    reply_working_days: int | None,
    document_number: str = "",
) -> Suggestion:
    """Issue to a named recipient (a party, or an outside body by name) with a reply deadline; the
    report is published to the mechanism."""
    from .services import report_publish

    SUGGESTION.check(actor, suggestion, "issue")
    report = suggestion.report
    if recipient is not None:
        if recipient.pk == report.author_organization_id:
            raise ActionRefused(_("受文单位不能是发出单位自己。"), field="recipient")
        recipient_name = recipient.name
    name = required(recipient_name, _("受文单位"), "recipient_name")[:100]
    days = reply_working_days or DEFAULT_REPLY_WORKING_DAYS
    if not 1 <= days <= MAX_REPLY_WORKING_DAYS:
        raise ActionRefused(
            _("回复期限须在 1 至 %(n)s 个工作日之间。") % {"n": MAX_REPLY_WORKING_DAYS}, field="reply_working_days"
        )
    in_mechanism = (
        recipient is not None and recipient.mechanism_parties.filter(mechanism_id=report.mechanism_id).exists()
    )
    today = deadlines.today()
    with transaction.atomic():
        if report.state == ReportState.DRAFT:
            report_publish(report=report, actor=actor)
        SUGGESTION.perform(
            actor,
            suggestion,
            "issue",
            checked=True,
            summary=_("发往%(name)s，%(days)s 个工作日内回复") % {"name": name, "days": days},
            recipient=recipient,
            recipient_name=name,
            document_number=(document_number or "").strip()[:60],
            issued_at=timezone.now(),
            reply_due=WorkingCalendar().add_working_days(today, days),
        )
        # The recipient's clock when it is a party; else the issuer follows the reply up.
        owner = recipient if in_mechanism and recipient is not None else report.author_organization
        deadline = deadlines.deadline_start(
            target=suggestion,
            kind=REPLY_DEADLINE_KIND,
            label=_("%(name)s回复《%(title)s》") % {"name": name, "title": report.title},
            mechanism=report.mechanism,
            owner_organization=owner,
            start=today,
            working_days=days,
            url=suggestion_url(suggestion),
            actor=actor,
        )
        if deadline.due_date != suggestion.reply_due:
            Suggestion.objects.filter(pk=suggestion.pk).update(reply_due=deadline.due_date)
            suggestion.reply_due = deadline.due_date
        if in_mechanism and recipient is not None:
            notify(
                _people(recipient.pk),
                kind=NotificationKind.WORK,
                title=_("%(org)s向你单位发出《%(title)s》，请于 %(date)s 前回复")
                % {"org": report.author_organization.name, "title": report.title, "date": suggestion.reply_due},
                url=suggestion_url(suggestion),
            )
    return suggestion


def suggestion_reply(
    *,
    actor: User,
    suggestion: Suggestion,
    text: str,
    replied_on: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> Suggestion:
    """Record the recipient's reply (text, date received or written, and the reply letter as a file)."""
    SUGGESTION.check(actor, suggestion, "reply")
    text = required(text, _("回复内容"), "text")
    on = replied_on or deadlines.today()
    if on > deadlines.today():
        raise ActionRefused(_("回复日期不能晚于今天。"), field="replied_on")
    if suggestion.issued_at and on < timezone.localdate(suggestion.issued_at):
        raise ActionRefused(_("回复日期不能早于发出日期。"), field="replied_on")
    try:
        accepted = attachments.validate_files(files or ())
    except ValidationError as error:
        raise ActionRefused("；".join(error.messages), field="files") from None
    with attachments.stored_uploads(accepted, actor=actor, purpose="suggestion_reply") as stored:
        with transaction.atomic():
            SUGGESTION.perform(
                actor,
                suggestion,
                "reply",
                checked=True,
                summary=text[:200],
                reply_text=text,
                replied_on=on,
                replied_at=timezone.now(),
            )
            attachments.attachments_record(target=suggestion, stored=stored, actor=actor)
            deadline = deadlines.open_deadline(suggestion, REPLY_DEADLINE_KIND)
            if deadline is not None:
                deadlines.deadline_close(deadline=deadline, actor=actor)
            notify(
                _people(suggestion.report.author_organization_id),
                kind=NotificationKind.WORK,
                title=_("%(name)s已回复《%(title)s》")
                % {"name": suggestion.recipient_name, "title": suggestion.report.title},
                url=suggestion_url(suggestion),
            )
    return suggestion


@dataclass(frozen=True)
class SuggestionSweep:
    lapsed: int


def suggestions_sweep(on: dt.date | None = None) -> SuggestionSweep:
    """Daily: suggestions whose reply deadline passed unanswered turn overdue (once; the reminder
    engine reminds of the deadline itself)."""
    on = on or deadlines.today()
    lapsed = 0
    for suggestion in Suggestion.objects.filter(state=G.ISSUED, reply_due__lt=on):
        try:
            with transaction.atomic():
                SUGGESTION.perform(
                    None,
                    suggestion,
                    "lapse",
                    checked=True,
                    summary=_("回复期限 %(date)s 已过") % {"date": suggestion.reply_due},
                )
        except ActionRefused:
            continue
        lapsed += 1
    return SuggestionSweep(lapsed)


def overdue_suggestions(user: User, on: dt.date) -> QuerySet[Suggestion]:
    """Issued and unanswered past the reply deadline, as the ledger lists them (one query)."""
    return suggestion_list(user=user).filter(state__in=[G.ISSUED, G.OVERDUE], reply_due__lt=on)


def suggestion_workbook(suggestions: Sequence[Suggestion] | QuerySet[Suggestion], on: dt.date) -> bytes:
    """The suggestions as listed (scoped, select_related by `suggestion_list`): one row each."""
    from liaison.xlsx import SafeWorkbook, workbook_bytes

    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("司法建议"))
    sheet.append(
        [
            _("类型"),
            _("标题"),
            _("发布单位"),
            _("机制"),
            _("状态"),
            _("征求意见单位"),
            _("征求意见截止日期"),
            _("受文单位"),
            _("文号"),
            _("发出时间"),
            _("回复期限"),
            _("回复日期"),
            _("逾期未回复"),
        ]
    )
    for s in suggestions:
        late = s.state == G.OVERDUE or (s.state == G.ISSUED and s.reply_due is not None and s.reply_due < on)
        sheet.append(
            [
                s.report.get_kind_display(),
                s.report.title,
                s.report.author_organization.name,
                s.report.mechanism.name,
                s.get_state_display(),
                s.consulted.name if s.consulted_id else "",
                s.comment_due.isoformat() if s.comment_due else "",
                s.recipient.name if s.recipient_id else s.recipient_name,
                s.document_number,
                timezone.localtime(s.issued_at).strftime("%Y-%m-%d %H:%M") if s.issued_at else "",
                s.reply_due.isoformat() if s.reply_due else "",
                s.replied_on.isoformat() if s.replied_on else "",
                _("是") if late else _("否"),
            ]
        )
    return workbook_bytes(workbook)
