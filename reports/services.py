"""Every write on case reports: check role, organization and state, change, audit, notify.

Each service runs in one transaction; state changes are conditional updates
(`filter(pk=..., state=OLD).update(...)`), so two people pressing the same button at once
change the report once and the second is told why nothing happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import attachments, audit, deadlines, membership, scoping
from liaison.acting import organization_id_of, organization_of
from liaison.audit import changed_fields_summary
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from liaison.notifications import notify
from liaison.workdays import WorkingCalendar

from .choices import COMMENT_DEADLINE_KIND, GENERATED_KINDS, ReportKind, ReportState
from .errors import ReportError, ReportPermissionDenied, ReportStateConflict
from .models import CommentRequest, Opinion, Report, Tag
from .selectors import open_comment_deadline
from .workflow import GENERATED_BY_SYSTEM, REPORT, WRITER_ROLES

MAX_TAGS = 10
TAG_MAX_LENGTH = 30
EDITABLE_FIELDS = ("kind", "title", "summary", "body", "tags", "case_numbers", "comment_deadline")

# Messages shared with the form and the serializer, so the user reads the same words everywhere.
COMMENT_DEADLINE_REQUIRED = gettext_lazy("法规规章草案征求意见须填写征求意见截止日期。")
COMMENT_DEADLINE_ONLY_FOR_DRAFT_REGULATION = gettext_lazy("只有法规规章草案征求意见才填写征求意见截止日期。")
COMMENT_DEADLINE_NOT_IN_FUTURE = gettext_lazy("征求意见截止日期须晚于今天。")
TITLE_TAKEN = gettext_lazy("本机制已有同名的共享案例，请修改标题。")


# --- checks --------------------------------------------------------------------------------------


def _check_member(actor: User, mechanism: Mechanism | int) -> None:
    """Writing a new report: the actor holds a desk role and their organization is party to the mechanism."""
    if not actor.is_authenticated or not actor.has_role(*WRITER_ROLES):
        raise ReportPermissionDenied(_("您的角色不能办理共享案例。"))
    if not scoping.can_act(actor, mechanism):
        raise ReportPermissionDenied(_("您所在单位不是该机制的参与单位，只能查看。"))


REFUSED_AS = {ActionRefused.PERMISSION: ReportPermissionDenied, ActionRefused.STATE: ReportStateConflict}


def _check_step(actor: User, report: Report, name: str) -> None:
    """The declared step (`workflow.REPORT`), refused as the report's errors.

    A reader outside the mechanism's parties and a generated report are told so first, in the
    words they read before the steps were declared.
    """
    _check_member(actor, report.mechanism_id)
    if report.kind in GENERATED_KINDS and name != "regenerate":
        raise ReportStateConflict(GENERATED_BY_SYSTEM)
    try:
        REPORT.check(actor, report, name)
    except ReportError:
        raise
    except ActionRefused as refusal:
        raise REFUSED_AS.get(refusal.code, ReportError)(refusal.message) from None


def _validate_files(files: Sequence[UploadedFile]) -> list:
    """Every file is checked before anything is written; the refusal names each file."""
    try:
        return attachments.validate_files(files)
    except ValidationError as error:
        raise ReportError("；".join(error.messages)) from None


def _clean(values: dict[str, Any], *, mechanism_id: int, exclude_pk: int | None = None) -> dict[str, Any]:
    """Check the fields of a report as a whole; returns them normalised."""
    kind = values.get("kind")
    if kind not in ReportKind.values:
        raise ReportError(_("请选择共享案例的类型。"))
    if kind in GENERATED_KINDS:
        raise ReportError(GENERATED_BY_SYSTEM)
    title = (values.get("title") or "").strip()
    body = (values.get("body") or "").strip()
    if not title:
        raise ReportError(_("标题不能为空。"))
    if not body:
        raise ReportError(_("正文不能为空。"))
    comment_deadline = values.get("comment_deadline")
    if kind == ReportKind.DRAFT_REGULATION and comment_deadline is None:
        raise ReportError(COMMENT_DEADLINE_REQUIRED)
    if kind != ReportKind.DRAFT_REGULATION and comment_deadline is not None:
        raise ReportError(COMMENT_DEADLINE_ONLY_FOR_DRAFT_REGULATION)
    tags = clean_tag_names(values.get("tags") or [])
    if Report.objects.filter(mechanism_id=mechanism_id, title=title).exclude(pk=exclude_pk).exists():  # type: ignore[misc] # pk=None (a new row) excludes nothing, as Django allows
        raise ReportError(TITLE_TAKEN)
    return {
        "kind": kind,
        "title": title,
        "summary": (values.get("summary") or "").strip(),
        "body": body,
        "case_numbers": (values.get("case_numbers") or "").strip(),
        "comment_deadline": comment_deadline,
        "tags": tags,
    }


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Tags stripped, without duplicates, in the order given; too many or too long are refused."""
    result: list[str] = []
    for name in names:
        name = str(name).strip()
        if name and name not in result:
            if len(name) > TAG_MAX_LENGTH:
                raise ReportError(_("标签“%(name)s”过长（最多 %(n)s 个字）。") % {"name": name, "n": TAG_MAX_LENGTH})
            result.append(name)
    if len(result) > MAX_TAGS:
        raise ReportError(_("标签最多 %(n)s 个。") % {"n": MAX_TAGS})
    return result


def _tags(names: list[str]) -> list[Tag]:
    if not names:
        return []
    # ignore_conflicts: two people adding the same new tag at once both end with the one row.
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def _detail_url(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def _other_parties(report: Report) -> list[Organization]:
    """The parties told of the report (`liaison.membership.told`) other than its author: a party that has
    left, or whose place the mechanism does not tell, is neither told nor asked for comments."""
    told = membership.told(report.mechanism_id, membership.Notice.REPORT_PUBLISHED)
    return list(
        Organization.objects.filter(pk__in=told.organizations_subquery())
        .exclude(pk=report.author_organization_id)
        .order_by("name")
    )


def _people_of(organizations: Iterable[Organization]) -> list[User]:
    """Users with any role in these organizations: those the portal can tell about a report."""
    return list(
        User.objects.filter(
            organization__in=list(organizations), is_active=True, role_assignments__isnull=False
        ).distinct()
    )


# --- writes --------------------------------------------------------------------------------------


def report_create(
    *,
    mechanism: Mechanism,
    kind: str,
    title: str,
    body: str,
    summary: str = "",
    tags: Sequence[str] = (),
    case_numbers: str = "",
    comment_deadline: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
    actor: User,
) -> Report:
    """Write a draft in the actor's organization's name; nobody else sees it until it is published."""
    _check_member(actor, mechanism)
    accepted = _validate_files(files)
    values = _clean(
        {
            "kind": kind,
            "title": title,
            "body": body,
            "summary": summary,
            "tags": tags,
            "case_numbers": case_numbers,
            "comment_deadline": comment_deadline,
        },
        mechanism_id=mechanism.pk,
    )
    tag_names = values.pop("tags")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                mechanism=mechanism,
                author_organization_id=organization_id_of(actor),
                author=actor,
                state=ReportState.DRAFT,
                **values,
            )
            report.tags.set(_tags(tag_names))
            audit.record(
                actor=actor,
                target=report,
                action="report_create",
                to_state=ReportState.DRAFT,
                summary=f"{ReportKind(report.kind).label}：{report.title}",
            )
            for upload, file_kind in accepted:
                attachments.attachment_add(target=report, upload=upload, kind=file_kind, actor=actor)
    except IntegrityError:
        # The title check above lost a race with another writer of the same title.
        raise ReportError(TITLE_TAKEN) from None
    return report


def report_update(*, report: Report, data: dict[str, Any], files: Sequence[UploadedFile] = (), actor: User) -> Report:
    """Change a draft; fields missing from `data` keep their value. Only drafts change."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = Report.objects.get(pk=report.pk)
    _check_step(actor, current, "edit")
    accepted = _validate_files(files)
    before = {field: getattr(current, field) for field in EDITABLE_FIELDS if field != "tags"}
    current_tags = sorted(current.tags.values_list("name", flat=True))
    before["tags"] = "、".join(current_tags)
    merged = {**before, "tags": current_tags, **data}
    values = _clean(merged, mechanism_id=current.mechanism_id, exclude_pk=current.pk)
    tag_names = values.pop("tags")
    try:
        with transaction.atomic():
            updated = Report.objects.filter(pk=current.pk, state=ReportState.DRAFT).update(
                **values, updated_at=timezone.now()
            )
            if updated != 1:
                raise ReportStateConflict(REPORT.stale(current, REPORT["edit"]).message)
            current.refresh_from_db()
            current.tags.set(_tags(tag_names))
            after = {**values, "tags": "、".join(sorted(tag_names))}
            labels = audit.field_labels(Report, EDITABLE_FIELDS)
            summary = changed_fields_summary(
                {k: v for k, v in before.items() if k not in ("body", "summary")},
                {k: v for k, v in after.items() if k not in ("body", "summary")},
                labels,
            )
            for long_field in ("summary", "body"):
                if before[long_field] != after[long_field]:
                    summary = "；".join(filter(None, [summary, _("%(field)s已修改") % {"field": labels[long_field]}]))
            audit.record(actor=actor, target=current, action="report_update", summary=summary)
            for upload, file_kind in accepted:
                attachments.attachment_add(target=current, upload=upload, kind=file_kind, actor=actor)
    except IntegrityError:
        raise ReportError(TITLE_TAKEN) from None
    return current


def report_publish(*, report: Report, actor: User) -> Report:
    """Share a draft with the other parties; a draft regulation opens a comment round for each."""
    current = Report.objects.select_related("mechanism").get(pk=report.pk)
    _check_step(actor, current, "publish")
    today = deadlines.today()
    if current.is_draft_regulation and comment_deadline_of(current) <= today:
        raise ReportError(COMMENT_DEADLINE_NOT_IN_FUTURE)
    with transaction.atomic():
        REPORT.perform(actor, current, "publish", checked=True, published_at=timezone.now())
        others = _other_parties(current)
        url = _detail_url(current)
        if current.is_draft_regulation:
            _open_comment_round(current, others, today=today, url=url, actor=actor)
        kind_label = ReportKind(current.kind).label
        title = _("%(org)s发布了%(kind)s：%(title)s") % {
            "org": organization_of(actor).name,
            "kind": kind_label,
            "title": current.title,
        }
        body = current.summary
        if current.is_draft_regulation:
            body = _("请于 %(date)s 前反馈意见。") % {"date": comment_deadline_of(current).isoformat()} + (
                f"\n{body}" if body else ""
            )
        notify(_people_of(others), kind=NotificationKind.WORK, title=title, body=body, url=url)
    return current


def comment_deadline_of(report: Report) -> dt.date:
    """The comment deadline of a draft regulation (a constraint makes it set exactly for those)."""
    return cast(dt.date, report.comment_deadline)


def _open_comment_round(report: Report, others: list[Organization], *, today: dt.date, url: str, actor: User) -> None:
    """One comment request per other party, with a deadline that falls due by the comment deadline.

    The deadline counts working days from today; when the comment deadline itself is not a working
    day the stored deadline falls due on the working day before it, so reminders are not late.
    """
    calendar = WorkingCalendar()
    working_days = max(calendar.working_days_between(today, comment_deadline_of(report)), 0)
    for organization in others:
        request, _created = CommentRequest.objects.get_or_create(report=report, organization=organization)
        if open_comment_deadline(request) is None:
            deadlines.deadline_start(
                target=request,
                kind=COMMENT_DEADLINE_KIND,
                label=_("对《%(title)s》反馈意见") % {"title": report.title},
                mechanism=report.mechanism,
                owner_organization=organization,
                start=today,
                working_days=working_days,
                url=url,
                actor=actor,
                calendar=calendar,
            )


def report_withdraw(*, report: Report, actor: User, reason: str = "") -> Report:
    """Take a published report back: the other parties no longer see it; open comment deadlines end."""
    current = Report.objects.get(pk=report.pk)
    _check_step(actor, current, "withdraw")
    with transaction.atomic():
        # A withdrawn report leaves the public column with it.
        REPORT.perform(actor, current, "withdraw", checked=True, is_public=False, summary=reason.strip())
        for request in current.comment_requests.all():
            deadline = open_comment_deadline(request)
            if deadline is not None:
                deadlines.deadline_close(deadline=deadline, actor=actor, cancelled=True)
        notify(
            _people_of(_other_parties(current)),
            kind=NotificationKind.WORK,
            title=_("%(org)s撤回了《%(title)s》") % {"org": organization_of(actor).name, "title": current.title},
            body=reason.strip(),
        )
    return current


def report_reopen(*, report: Report, actor: User) -> Report:
    """Put a withdrawn report back to draft so that the author organization can correct it."""
    current = Report.objects.get(pk=report.pk)
    _check_step(actor, current, "reopen")
    with transaction.atomic():
        REPORT.perform(actor, current, "reopen", checked=True, published_at=None)
    return current


def opinion_submit(*, report: Report, text: str, files: Sequence[UploadedFile] = (), actor: User) -> Opinion:
    """A consulted party's opinion on a published draft regulation, up to and on the comment deadline."""
    report = Report.objects.get(pk=report.pk)
    _check_member(actor, report.mechanism_id)
    if report.author_organization_id == actor.organization_id:
        raise ReportPermissionDenied(_("发布单位不能对本单位的征求意见稿提交意见。"))
    _check_step(actor, report, "comment")
    if not text.strip():
        raise ReportError(_("请填写意见内容。"))
    accepted = _validate_files(files)
    with transaction.atomic():
        # Locked so that a withdrawal cannot slip between the checks and the insert (PostgreSQL).
        current = Report.objects.select_for_update().get(pk=report.pk)
        _check_step(actor, current, "comment")
        request = CommentRequest.objects.get(report=current, organization_id=organization_id_of(actor))
        now = timezone.now()
        opinion = Opinion.objects.create(
            report=current, organization_id=organization_id_of(actor), author=actor, text=text.strip(), submitted_at=now
        )
        CommentRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(answered_at=now)
        deadline = open_comment_deadline(request)
        if deadline is not None:
            deadlines.deadline_close(deadline=deadline, actor=actor)
        REPORT.perform(
            actor, current, "comment", checked=True, summary=f"{organization_of(actor).name}：{opinion.text[:100]}"
        )
        for upload, file_kind in accepted:
            attachments.attachment_add(target=opinion, upload=upload, kind=file_kind, actor=actor)
        recipients = (
            [current.author]
            if current.author and current.author.is_active
            else _people_of([current.author_organization])
        )
        notify(
            recipients,
            kind=NotificationKind.WORK,
            title=_("%(org)s对《%(title)s》提交了反馈意见")
            % {"org": organization_of(actor).name, "title": current.title},
            body=opinion.text[:500],
            url=_detail_url(current),
        )
    return opinion


def monthly_regenerate(*, report: Report, actor: User) -> Report:
    """Take a new snapshot of a monthly report's figures (the declared step `regenerate`)."""
    from .monthly import generate_monthly_report

    current = Report.objects.select_related("mechanism", "monthly").get(pk=report.pk)
    _check_step(actor, current, "regenerate")
    generate_monthly_report(
        mechanism=current.mechanism, year=current.monthly.year, month=current.monthly.month, actor=actor
    )
    return current


# --- what a user may do, for the buttons ---------------------------------------------------------


def allowed_actions(*, user: User, report: Report) -> set[str]:
    """The names of the steps the services would accept from this user now (the buttons shown)."""
    return {rule.name for rule in REPORT.allowed(user, report)}


def may_write(user: User) -> bool:
    """Whether the user may start a report in some mechanism (for the 'new' button)."""
    return user.has_perm("reports.add_report")


# --- the public column (营商环境专栏) ------------------------------------------------------------


def _enterprise_names_in(report: Report) -> list[str]:
    """Names of the mechanism's enterprises not marked public written in the report: the public column
    never shows one."""
    from cases.models import Enterprise

    text = " ".join([report.title, report.summary, report.body])
    names = Enterprise.objects.filter(mechanism_id=report.mechanism_id, is_public=False).values_list("name", flat=True)
    return sorted({name for name in names if name and name in text})


def report_set_public(*, report: Report, actor: User, public: bool) -> Report:
    """The author organization shows a published report in the mechanism's public column, or takes it out.

    Refused while the report names an enterprise of the mechanism not marked public (public pages carry
    no other enterprise names), and for reports not published or written by the system.
    """
    _check_member(actor, report.mechanism_id)
    current = Report.objects.get(pk=report.pk)
    if actor.organization_id != current.author_organization_id:
        raise ReportPermissionDenied(_("只有发布单位可以设置是否在专栏公开。"))
    if public and current.state != ReportState.PUBLISHED:
        raise ReportStateConflict(_("共享案例发布后才能在专栏公开。"))
    if public and current.kind == ReportKind.DRAFT_REGULATION:
        raise ReportStateConflict(_("法规规章草案征求意见不在专栏公开。"))
    if public and (names := _enterprise_names_in(current)):
        raise ReportError(_("文中含有企业名称（%(names)s），请删去或隐去后再公开。") % {"names": "、".join(names)})
    with transaction.atomic():
        updated = Report.objects.filter(pk=current.pk, state=current.state).update(is_public=public)
        if updated != 1:
            raise ReportStateConflict(_("共享案例的状态已变化，请刷新后重试。"))
        audit.record(
            actor=actor,
            target=current,
            action="report_public" if public else "report_unpublic",
            summary=_("在营商环境专栏公开") if public else _("撤出营商环境专栏"),
        )
    from .public import forget_public_column

    forget_public_column(current.mechanism_id)
    current.refresh_from_db()
    return current


def convenes(actor: User, mechanism: Mechanism) -> bool:
    """Whether the actor speaks for the mechanism's convenor: a leader or secretary of the convenor party."""
    if not actor.is_authenticated or actor.organization_id is None:
        return False
    from liaison.models import MechanismParty

    is_convenor = MechanismParty.objects.filter(
        mechanism=mechanism, organization_id=actor.organization_id, is_convenor=True
    ).exists()
    return is_convenor and scoping.can_act(actor, mechanism) and actor.has_role(Role.LEADER, Role.MEETING_SECRETARY)


def mechanism_set_public_page(*, mechanism: Mechanism, actor: User, enabled: bool) -> Mechanism:
    """The convenor opens (or closes) the mechanism's public column."""
    if not convenes(actor, mechanism):
        raise ReportPermissionDenied(_("只有召集单位的领导或会议秘书可以开设或关闭营商环境专栏。"))
    with transaction.atomic():
        Mechanism.objects.filter(pk=mechanism.pk).update(public_page=enabled)
        audit.record(
            actor=actor,
            target=mechanism,
            action="public_page_open" if enabled else "public_page_close",
            summary=_("开设营商环境专栏") if enabled else _("关闭营商环境专栏"),
        )
    from .public import forget_public_column

    forget_public_column(mechanism.pk)
    mechanism.refresh_from_db()
    return mechanism
