"""Ledgers (台账): everything open past its deadline, and each unit's evaluation table for a year.

Overdue ledger (逾期台账), as of `liaison.deadlines.today()`, from four sources, one query each:
- complaints (涉企诉求): exactly what the complaint list shows with `overdue=true` (an active
  complaint whose current deadline, the earliest running or paused one, is due before today).
  The owner is whoever holds that deadline's clock (`Deadline.owner_organization`): the filing
  federation while it reviews, the court once the complaint is transferred, and within the court
  the department and handler it was assigned to (the deadline's `owner_user`);
- action items (督办事项, from minutes) and dual-list tasks (双清单任务): open or in progress and due
  before today; the owner is the item's owner organization and department;
- mediation cases (调解案件): not finished (referred, assigned, accepted, in progress) and past their
  (possibly extended) time limit; the owner is the mediation organisation (its unit) and the
  mediator, and the referring court is named beside them.
Days overdue are working days for complaints and items (days d with due < d <= today, counted in
the database over the working-day index as the figures do, at least 1 as the lists' deadline
column says) and calendar days for mediation, whose limits are set in calendar days.

Evaluation table (履职评价表) of year Y, per unit (owner organization) and kind of item:
- owned (应办): the items whose deadline falls in Y;
- done (已办结) and done on time (按期办结, finished on or before that deadline, local date);
- on-time share (按期办结率) = done on time / owned (items not yet due lower it until they are done);
- open overdue (逾期未办结): of the owned, those still open past their deadline today.
Per kind:
- complaints are the court's to answer: a complaint counts for the court it was transferred to when
  its feedback deadline (the latest one not cancelled, so after a reopen the new one) falls in Y;
  done = answered (a reopened complaint is not done until answered again); on time = answered on or
  before that deadline; open overdue as in the ledger. The federation's review is not evaluated;
- action items and dual-list tasks count for their owner organization (drafts left out), as the
  dashboard's figures count them;
- mediation cases count for the mediation organisation that handles them, not for the referring
  court (each case counts once); withdrawn cases are left out; done = agreement or failure; on
  time = ended within the limit (`in_time`).
One query per source (complaints, items and tasks together, mediation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell

from cases.choices import Rating
from cases.figures import SATISFACTION_MIN_SAMPLE, deadline_of, ordinal_of, share
from cases.filters import ComplaintFilter, overdue_q
from cases.models import Complaint, Satisfaction
from cases.selectors import complaint_list, complaint_scope, current_deadline
from cases.services import FEEDBACK
from cases.views._common import DUE_KIND_LABELS
from liaison import scoping
from liaison.choices import DeadlineState
from liaison.deadlines import today
from liaison.models import Mechanism, Organization, User
from liaison.workdays import WorkingCalendar
from liaison.xlsx import SafeWorkbook, workbook_bytes
from mediation.choices import FINISHED_STATES, CaseStatus
from mediation.choices import OPEN_STATES as MEDIATION_OPEN_STATES
from mediation.models import MediationCase
from mediation.selectors import case_scope, organisation_scope
from meetings.choices import LIVE_ITEM_STATUSES, ItemSource, ItemStatus
from meetings.figures import item_aggregates, item_figures
from meetings.models import ActionItem
from meetings.selectors import item_scope

from .models import ResearchMilestone, ResearchTopic
from .research_choices import TopicStatus


class LedgerKind(models.TextChoices):
    COMPLAINT = "complaint", gettext_lazy("涉企诉求")
    ACTION_ITEM = "action_item", gettext_lazy("督办事项")
    TASK = "task", gettext_lazy("双清单任务")
    MEDIATION = "mediation", gettext_lazy("调解案件")
    RESEARCH_MILESTONE = "research_milestone", gettext_lazy("调研课题节点")
    SUGGESTION = "suggestion", gettext_lazy("司法建议回复")
    RECOMMENDATION = "recommendation", gettext_lazy("推荐人选决定")
    CHECKUP = "checkup", gettext_lazy("法治体检")


WORKING, CALENDAR = "working", "calendar"
DAY_UNITS = {WORKING: gettext_lazy("工作日"), CALENDAR: gettext_lazy("自然日")}
# The evaluation table (履职评价表) scores these kinds; the later ones are in the overdue ledger only.
EVALUATED_KINDS = (LedgerKind.COMPLAINT, LedgerKind.ACTION_ITEM, LedgerKind.TASK, LedgerKind.MEDIATION)
ITEM_KINDS = {ItemSource.MINUTES: LedgerKind.ACTION_ITEM, ItemSource.DUAL_LIST: LedgerKind.TASK}


def ledger_owners(*, user: User) -> QuerySet[Organization]:
    """The units the owner filter offers: parties of the visible mechanisms, the user's own unit, and
    the mediation organisations in the user's reach."""
    return Organization.objects.filter(
        Q(pk__in=scoping.visible_organizations(user).values("pk"))
        | Q(pk__in=organisation_scope(user).values("organization"))
    ).order_by("name")


def _narrowed(rows: QuerySet, mechanism: Mechanism | None, owner: Organization | None, unit: str) -> QuerySet:
    """Rows of one mechanism and of one unit (`unit` names the unit's id on the rows), when asked."""
    if mechanism is not None:
        rows = rows.filter(mechanism=mechanism)
    return rows.filter(**{unit: owner.pk}) if owner is not None else rows


# --- the overdue ledger --------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One overdue complaint, item, task or mediation case, as the ledger shows it."""

    kind: str
    pk: int
    mechanism_id: int
    mechanism_name: str
    reference: str  # serial, minutes number or dual list
    title: str
    owner_organization_id: int
    owner_organization_name: str
    owner: str  # department and person, or mediator
    court_name: str  # mediation: the referring court
    stage: str  # the complaint's deadline, the item's or case's status
    due_date: dt.date
    days_overdue: int
    day_unit: str
    url: str
    supervised: bool = False  # a complaint under the supervision of the four kinds of cases (四类案件监管)

    @property
    def kind_label(self) -> str:
        return str(LedgerKind(self.kind).label)

    @property
    def day_unit_label(self) -> str:
        return str(DAY_UNITS[self.day_unit])


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class OwnerSummary:
    """One owner organization's overdue rows: how many of each kind, and the oldest due date."""

    owner_organization_id: int
    owner_organization_name: str
    counts: list[KindCount]
    total: int
    oldest_due: dt.date


@dataclass(frozen=True)
class OverdueLedger:
    today: dt.date
    mechanism: Mechanism | None
    rows: list[LedgerRow]
    summary: list[OwnerSummary]

    def rows_of(self, kind: str) -> list[LedgerRow]:
        return [row for row in self.rows if row.kind == kind]

    @property
    def totals(self) -> list[KindCount]:
        return _kind_counts(self.rows)


class _WorkingDaysLate:
    """Working days from a due date to today: the index's ordinals, or the calendar outside the index."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self._calendar: WorkingCalendar | None = None

    def __call__(self, due: dt.date, due_ordinal: int | None, today_ordinal: int | None) -> int:
        if due_ordinal is None or today_ordinal is None:
            self._calendar = self._calendar or WorkingCalendar()
            return max(self._calendar.working_days_between(due, self.on), 1)
        return max(today_ordinal - due_ordinal, 1)


def _complaint_rows(
    user: User, mechanism: Mechanism | None, owner: Organization | None, on: dt.date, late: _WorkingDaysLate
) -> list[LedgerRow]:
    # The complaint list's own overdue filter, so that the ledger and the list always agree.
    overdue = ComplaintFilter({"overdue": "true"}, queryset=complaint_list(user=user), user=user).qs
    complaints = (
        overdue.select_related(None)
        .select_related("mechanism", "court", "department", "handler")
        .prefetch_related(None)
        .order_by()
        .annotate(
            ledger_owner_id=current_deadline("owner_organization"),
            ledger_owner_name=current_deadline("owner_organization__name"),
            due_ordinal=ordinal_of(OuterRef("current_due")),
            today_ordinal=ordinal_of(on),
        )
    )
    rows = []
    for c in _narrowed(complaints, mechanism, owner, "ledger_owner_id"):
        with_court = c.ledger_owner_id == c.court_id
        person = [
            c.department.name if with_court and c.department else "",
            c.handler.display_name if with_court and c.handler else "",
        ]
        rows.append(
            LedgerRow(
                LedgerKind.COMPLAINT,
                c.pk,
                c.mechanism_id,
                str(c.mechanism),
                c.serial,
                c.title,
                c.ledger_owner_id,
                c.ledger_owner_name,
                " · ".join(p for p in person if p),
                "",
                str(DUE_KIND_LABELS.get(c.current_due_kind, "")),
                c.current_due,
                late(c.current_due, c.due_ordinal, c.today_ordinal),
                WORKING,
                reverse("cases:complaint_detail", args=[c.pk]),
                supervised=c.under_supervision,
            )
        )
    return rows


def _item_rows(
    user: User,
    mechanism: Mechanism | None,
    owner: Organization | None,
    sources: list[str],
    on: dt.date,
    late: _WorkingDaysLate,
) -> list[LedgerRow]:
    items = (
        item_scope(user)
        .filter(source__in=sources, status__in=LIVE_ITEM_STATUSES, due_date__lt=on)
        .select_related("mechanism", "owner_organization", "owner_department", "minutes", "dual_list")
        .annotate(due_ordinal=ordinal_of(OuterRef("due_date")), today_ordinal=ordinal_of(on))
        .order_by()
    )
    return [
        LedgerRow(
            ITEM_KINDS[i.source],
            i.pk,
            i.mechanism_id,
            str(i.mechanism),
            (i.minutes.number or i.minutes.title) if i.minutes_id else i.dual_list.title,
            i.title,
            i.owner_organization_id,
            i.owner_organization.name,
            i.owner_department.name if i.owner_department_id else "",
            "",
            i.get_status_display(),
            i.due_date,
            late(i.due_date, i.due_ordinal, i.today_ordinal),
            WORKING,
            reverse("meetings:item_detail", args=[i.pk]),
        )
        for i in _narrowed(items, mechanism, owner, "owner_organization_id")
    ]


def _mediation_rows(
    user: User, mechanism: Mechanism | None, owner: Organization | None, on: dt.date
) -> list[LedgerRow]:
    cases = (
        case_scope(user)
        .filter(status__in=MEDIATION_OPEN_STATES, due_date__lt=on)
        .select_related("mechanism", "court", "organisation__organization", "mediator")
        .order_by()
    )
    return [
        LedgerRow(
            LedgerKind.MEDIATION,
            c.pk,
            c.mechanism_id,
            str(c.mechanism),
            c.serial,
            c.title,
            c.organisation.organization_id,
            c.organisation.organization.name,
            c.mediator.name if c.mediator_id else "",
            c.court.name,
            c.get_status_display(),
            c.due_date,
            (on - c.due_date).days,
            CALENDAR,
            reverse("mediation:case_detail", args=[c.pk]),
        )
        for c in _narrowed(cases, mechanism, owner, "organisation__organization_id")
    ]


def _milestone_rows(
    user: User, mechanism: Mechanism | None, owner: Organization | None, on: dt.date, late: _WorkingDaysLate
) -> list[LedgerRow]:
    """Milestones of agreed research topics not reached by their date; the owner is the lead party."""
    milestones = (
        ResearchMilestone.objects.filter(
            topic__in=scoping.visible(ResearchTopic.objects.all(), user).values("pk"),
            topic__status=TopicStatus.AGREED,
            done_at__isnull=True,
            due_date__lt=on,
        )
        .select_related("topic__mechanism", "topic__lead_organization")
        .annotate(due_ordinal=ordinal_of(OuterRef("due_date")), today_ordinal=ordinal_of(on))
        .order_by()
    )
    return [
        LedgerRow(
            LedgerKind.RESEARCH_MILESTONE,
            m.pk,
            m.topic.mechanism_id,
            str(m.topic.mechanism),
            str(m.topic.year),
            f"{m.topic.title} · {m.title}",
            m.topic.lead_organization_id,
            m.topic.lead_organization.name,
            "",
            "",
            m.topic.get_status_display(),
            m.due_date,
            late(m.due_date, m.due_ordinal, m.today_ordinal),
            WORKING,
            reverse("reports:research_detail", args=[m.topic_id]),
        )
        for m in _narrowed_topics(milestones, mechanism, owner)
    ]


def _narrowed_topics(rows: QuerySet, mechanism: Mechanism | None, owner: Organization | None) -> QuerySet:
    if mechanism is not None:
        rows = rows.filter(topic__mechanism=mechanism)
    return rows.filter(topic__lead_organization_id=owner.pk) if owner is not None else rows


def _suggestion_rows(
    user: User, mechanism: Mechanism | None, owner: Organization | None, on: dt.date, late: _WorkingDaysLate
) -> list[LedgerRow]:
    """Judicial suggestions and risk reports issued and not answered by their reply deadline; the
    owner is the recipient when it is a party, else the issuing party that follows the reply up."""
    from .suggestions import overdue_suggestions

    rows = overdue_suggestions(user, on).order_by()
    if mechanism is not None:
        rows = rows.filter(report__mechanism=mechanism)
    result = []
    for s in rows:
        holder = s.recipient if s.recipient_id else s.report.author_organization
        if owner is not None and holder.pk != owner.pk:
            continue
        assert s.reply_due is not None
        result.append(
            LedgerRow(
                LedgerKind.SUGGESTION,
                s.pk,
                s.report.mechanism_id,
                str(s.report.mechanism),
                s.document_number or s.report.get_kind_display(),
                s.report.title,
                holder.pk,
                holder.name,
                s.recipient_name,
                "",
                s.get_state_display(),
                s.reply_due,
                late(s.reply_due, None, None),
                WORKING,
                reverse("reports:suggestion_detail", args=[s.report_id]),
            )
        )
    return result


def _recommendation_rows(
    user: User, mechanism: Mechanism | None, owner: Organization | None, on: dt.date, late: _WorkingDaysLate
) -> list[LedgerRow]:
    """Recommended people the receiving party has not decided on by the mechanism's limit."""
    from mediation.choices import RecommendationStatus
    from mediation.selectors import recommendation_list

    rows = recommendation_list(user=user).filter(status=RecommendationStatus.PENDING, decision_due__lt=on).order_by()
    return [
        LedgerRow(
            LedgerKind.RECOMMENDATION,
            r.pk,
            r.mechanism_id,
            str(r.mechanism),
            r.get_kind_display(),
            r.name,
            r.receiver_id,
            r.receiver.name,
            "",
            r.recommender.name,
            r.get_status_display(),
            r.decision_due,
            late(r.decision_due, None, None),
            WORKING,
            reverse("mediation:recommendation_detail", args=[r.pk]),
        )
        for r in _narrowed(rows, mechanism, owner, "receiver_id")
    ]


def _checkup_rows(
    user: User, mechanism: Mechanism | None, owner: Organization | None, on: dt.date, late: _WorkingDaysLate
) -> list[LedgerRow]:
    """Legal check-ups not assigned by the assignment limit (the chamber's) or not reported on by
    the report limit (the paired firm's)."""
    from mediation.selectors import checkup_list
    from mediation.services import overdue_checkups

    result = []
    for c in overdue_checkups(checkup_list(user=user), on).order_by():
        if mechanism is not None and c.mechanism_id != mechanism.pk:
            continue
        holder = c.pairing.firm if c.pairing_id else c.chamber
        if owner is not None and holder.pk != owner.pk:
            continue
        due = c.report_due if c.pairing_id and c.report_due else c.assign_due
        result.append(
            LedgerRow(
                LedgerKind.CHECKUP,
                c.pk,
                c.mechanism_id,
                str(c.mechanism),
                c.get_kind_display(),
                f"{c.enterprise_name}：{c.subject}",
                holder.pk,
                holder.name,
                c.lawyer.name if c.lawyer_id else "",
                c.chamber.name,
                c.get_status_display(),
                due,
                late(due, None, None),
                WORKING,
                reverse("mediation:checkup_detail", args=[c.pk]),
            )
        )
    return result


def _kind_counts(rows: list[LedgerRow]) -> list[KindCount]:
    return [
        KindCount(kind, str(label), sum(1 for row in rows if row.kind == kind)) for kind, label in LedgerKind.choices
    ]


def _summary(rows: list[LedgerRow]) -> list[OwnerSummary]:
    """Per owner organization, in the order of the (sorted) rows."""
    groups: dict[int, list[LedgerRow]] = {}
    for row in rows:
        groups.setdefault(row.owner_organization_id, []).append(row)
    return [
        OwnerSummary(
            pk, group[0].owner_organization_name, _kind_counts(group), len(group), min(row.due_date for row in group)
        )
        for pk, group in groups.items()
    ]


def overdue_ledger(
    *, user: User, mechanism: Mechanism | None = None, owner: Organization | None = None, kind: str | None = None
) -> OverdueLedger:
    """Everything the user sees that is open past its deadline today, by owner; see the module docstring.

    The caller has checked that the user sees `mechanism`. Rows are sorted by owner organization,
    owner, due date. One query per source asked for, whatever the number of rows (and one read of
    the calendar overrides should a due date lie outside the working-day index).
    """
    on = today()
    late = _WorkingDaysLate(on)
    kinds = [kind] if kind else LedgerKind.values
    rows: list[LedgerRow] = []
    if LedgerKind.COMPLAINT in kinds:
        rows += _complaint_rows(user, mechanism, owner, on, late)
    sources = [source for source, item_kind in ITEM_KINDS.items() if item_kind in kinds]
    if sources:
        rows += _item_rows(user, mechanism, owner, sources, on, late)
    if LedgerKind.MEDIATION in kinds:
        rows += _mediation_rows(user, mechanism, owner, on)
    if LedgerKind.RESEARCH_MILESTONE in kinds:
        rows += _milestone_rows(user, mechanism, owner, on, late)
    if LedgerKind.SUGGESTION in kinds:
        rows += _suggestion_rows(user, mechanism, owner, on, late)
    if LedgerKind.RECOMMENDATION in kinds:
        rows += _recommendation_rows(user, mechanism, owner, on, late)
    if LedgerKind.CHECKUP in kinds:
        rows += _checkup_rows(user, mechanism, owner, on, late)
    order = {value: n for n, value in enumerate(LedgerKind.values)}
    rows.sort(
        key=lambda r: (
            r.owner_organization_name,
            r.owner_organization_id,
            r.owner,
            r.due_date,
            order[r.kind],
            r.reference,
            r.pk,
        )
    )
    return OverdueLedger(on, mechanism, rows, _summary(rows))


# --- the evaluation table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """A unit's record on one kind of item (or on all of them) for the year."""

    kind: str  # a LedgerKind value, or "" for the total over the kinds
    owned: int
    done: int
    done_on_time: int
    open_overdue: int

    @property
    def label(self) -> str:
        return str(LedgerKind(self.kind).label) if self.kind else _("合计")

    @property
    def on_time_share(self) -> float | None:
        return share(self.done_on_time, self.owned)

    @property
    def on_time_percent(self) -> str:
        share = self.on_time_share
        return "—" if share is None else f"{share * 100:.1f}%"


def _total(scores: list[Score], kind: str = "") -> Score:
    return Score(
        kind,
        sum(s.owned for s in scores),
        sum(s.done for s in scores),
        sum(s.done_on_time for s in scores),
        sum(s.open_overdue for s in scores),
    )


@dataclass
class UnitEvaluation:
    organization_id: int
    organization_name: str
    scores: list[Score] = field(default_factory=list)  # the kinds the unit had anything of, in kind order

    @property
    def total(self) -> Score:
        return _total(self.scores)


@dataclass(frozen=True)
class UnitSatisfaction:
    """A court's answers rated in the year (online ratings and follow-up calls); no rate below the minimum sample."""

    organization_id: int
    organization_name: str
    sample: int
    satisfied: int  # 满意 and 基本满意

    @property
    def rate(self) -> float | None:
        return share(self.satisfied, self.sample) if self.sample >= SATISFACTION_MIN_SAMPLE else None


@dataclass(frozen=True)
class Evaluation:
    year: int
    mechanism: Mechanism | None
    today: dt.date
    units: list[UnitEvaluation]
    satisfaction: list[UnitSatisfaction] = field(default_factory=list)

    @property
    def totals(self) -> list[Score]:
        """Per kind over all units (every kind listed, zeros too)."""
        return [_total([s for u in self.units for s in u.scores if s.kind == kind], kind) for kind in EVALUATED_KINDS]

    @property
    def total(self) -> Score:
        return _total([s for u in self.units for s in u.scores])


def _complaint_scores(rows: QuerySet[Complaint], first: dt.date, last: dt.date, on: dt.date) -> QuerySet:
    local = ZoneInfo(settings.TIME_ZONE)
    feedback_due = deadline_of(
        ContentType.objects.get_for_model(Complaint),
        ("-start_date", "-pk"),
        kind=FEEDBACK,
        state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MET],
    )
    answered = Q(answered_at__isnull=False)
    return (
        rows.order_by()
        .annotate(feedback_due=feedback_due, answered_day=TruncDate("answered_at", tzinfo=local))
        .filter(feedback_due__gte=first, feedback_due__lte=last)
        .values(unit=F("court_id"), unit_name=F("court__name"))
        .annotate(
            owned=Count("pk"),
            done=Count("pk", filter=answered),
            done_on_time=Count("pk", filter=answered & Q(answered_day__lte=F("feedback_due"))),
            open_overdue=Count("pk", filter=overdue_q(on)),
        )
    )


def _item_scores(rows: QuerySet[ActionItem], first: dt.date, last: dt.date) -> QuerySet:
    local = ZoneInfo(settings.TIME_ZONE)
    return (
        rows.exclude(status=ItemStatus.DRAFT)
        .filter(due_date__gte=first, due_date__lte=last)
        .order_by()
        .annotate(closed_day=TruncDate("closed_at", tzinfo=local))
        .values(unit=F("owner_organization_id"), unit_name=F("owner_organization__name"))
        .annotate(**item_aggregates("items", ItemSource.MINUTES), **item_aggregates("tasks", ItemSource.DUAL_LIST))
    )


def _mediation_scores(rows: QuerySet[MediationCase], first: dt.date, last: dt.date, on: dt.date) -> QuerySet:
    finished = Q(status__in=FINISHED_STATES)
    return (
        rows.exclude(status=CaseStatus.WITHDRAWN)
        .filter(due_date__gte=first, due_date__lte=last)
        .order_by()
        .values(unit=F("organisation__organization_id"), unit_name=F("organisation__organization__name"))
        .annotate(
            owned=Count("pk"),
            done=Count("pk", filter=finished),
            done_on_time=Count("pk", filter=finished & Q(in_time=True)),
            open_overdue=Count("pk", filter=Q(status__in=MEDIATION_OPEN_STATES, due_date__lt=on)),
        )
    )


def _score(kind: str, values: dict) -> Score:
    return Score(kind, values["owned"], values["done"], values["done_on_time"], values["open_overdue"])


def evaluation_table(
    *, user: User, year: int, mechanism: Mechanism | None = None, owner: Organization | None = None
) -> Evaluation:
    """Each unit's items with a deadline in `year`, done, done on time and still overdue; see the module docstring.

    Database aggregates grouped by unit, three queries whatever the number of items. The caller
    has checked that the user sees `mechanism`.
    """
    on = today()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units: dict[int, UnitEvaluation] = {}
    found: list[tuple[int, str, Score]] = []
    complaints = _narrowed(complaint_scope(user), mechanism, owner, "court_id")
    for values in _complaint_scores(complaints, first, last, on):
        found.append((values["unit"], values["unit_name"], _score(LedgerKind.COMPLAINT, values)))
    for values in _item_scores(_narrowed(item_scope(user), mechanism, owner, "owner_organization_id"), first, last):
        for prefix, kind in (("items", LedgerKind.ACTION_ITEM), ("tasks", LedgerKind.TASK)):
            figures = item_figures(values, prefix)
            if figures["total"]:
                found.append(
                    (
                        values["unit"],
                        values["unit_name"],
                        Score(
                            kind, figures["total"], figures["done"], figures["done_on_time"], figures["open_overdue"]
                        ),
                    )
                )
    cases = _narrowed(case_scope(user), mechanism, owner, "organisation__organization_id")
    for values in _mediation_scores(cases, first, last, on):
        found.append((values["unit"], values["unit_name"], _score(LedgerKind.MEDIATION, values)))
    order = {value: n for n, value in enumerate(LedgerKind.values)}
    for pk, name, score in sorted(found, key=lambda f: (f[1], f[0], order[f[2].kind])):
        units.setdefault(pk, UnitEvaluation(pk, name)).scores.append(score)
    return Evaluation(year, mechanism, on, list(units.values()), _satisfaction(complaints, first, last))


def _satisfaction(complaints: QuerySet[Complaint], first: dt.date, last: dt.date) -> list[UnitSatisfaction]:
    """Ratings given in the year of the answers of each court (one query)."""
    local = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(first, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    rows = (
        Satisfaction.objects.filter(
            complaint__in=complaints.order_by().values("pk"), rated_at__gte=since, rated_at__lt=until
        )
        .order_by()
        .values(unit=F("complaint__court_id"), unit_name=F("complaint__court__name"))
        .annotate(sample=Count("pk"), satisfied=Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])))
        .order_by("unit_name", "unit")
    )
    return [UnitSatisfaction(r["unit"], r["unit_name"], r["sample"], r["satisfied"]) for r in rows]


# --- Excel ---------------------------------------------------------------------------------------


def overdue_ledger_workbook(ledger: OverdueLedger, *, link: Callable[[str], str] = str) -> bytes:
    """The ledger as .xlsx: a summary sheet by owner organization, then one sheet per kind.

    `link` turns a row's path into the address written in the sheet (the view makes it absolute).
    """
    workbook = SafeWorkbook(write_only=True)
    summary = workbook.create_sheet(_("汇总"))
    summary.append([_("逾期台账（截至 %(date)s）") % {"date": ledger.today.isoformat()}])
    summary.append([_("责任单位"), *[str(label) for label in LedgerKind.labels], _("合计"), _("最早截止日")])
    for owner in ledger.summary:
        summary.append([owner.owner_organization_name, *[c.count for c in owner.counts], owner.total, owner.oldest_due])
    summary.append(
        [
            _("合计"),
            *[c.count for c in ledger.totals],
            len(ledger.rows),
            min((owner.oldest_due for owner in ledger.summary), default=None),
        ]
    )
    for kind, label in LedgerKind.choices:
        sheet = workbook.create_sheet(str(label))
        sheet.append(
            [
                _("序号"),
                _("机制"),
                _("编号或来源"),
                _("事项"),
                _("责任单位"),
                _("责任部门或人员"),
                _("人民法院"),
                _("环节或状态"),
                _("截止日"),
                _("逾期天数"),
                _("计日单位"),
                _("链接"),
                _("四类案件监管"),
            ]
        )
        for n, row in enumerate(ledger.rows_of(kind), start=1):
            sheet.append(
                [
                    n,
                    row.mechanism_name,
                    row.reference,
                    row.title,
                    row.owner_organization_name,
                    row.owner,
                    row.court_name,
                    row.stage,
                    row.due_date,
                    row.days_overdue,
                    row.day_unit_label,
                    link(row.url),
                    _("是") if row.supervised else "",
                ]
            )
    return workbook_bytes(workbook)


SAMPLE_TOO_SMALL = gettext_lazy("样本不足，不计算")

DEFINITIONS = [
    gettext_lazy(
        "应办：截止日在本年度内的事项；已办结、按期办结：其中已办结的、在截止日（含）前办结的；"
        "按期办结率 = 按期办结 ÷ 应办；逾期未办结：其中至今未办结且已过截止日的。"
    ),
    gettext_lazy("涉企诉求：计入移送的法院，截止日为反馈时限（重新办理的以最新一次为准），已反馈为办结。"),
    gettext_lazy("督办事项、双清单任务：计入责任（牵头）单位，草拟事项不计。"),
    gettext_lazy(
        "调解案件：计入承办的调解组织，截止日为调解期限届满日（含延长），撤回的不计，达成协议或调解不成为办结。"
    ),
    gettext_lazy(
        "企业满意度：本年度内企业在线评价和工商联回访的件数，计入作出答复的法院；"
        "满意率 = （满意 + 基本满意）÷ 评价件数，评价少于5件的样本不足，不计算满意率。"
    ),
]


def evaluation_workbook(evaluation: Evaluation) -> bytes:
    """The evaluation table as .xlsx: one row per unit and kind, a total per unit, and the definitions."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("履职评价"))
    sheet.append([_("%(year)s 年度履职评价表") % {"year": evaluation.year}])
    sheet.append([_("单位"), _("事项类别"), _("应办"), _("已办结"), _("按期办结"), _("按期办结率"), _("逾期未办结")])

    def line(name: str, score: Score) -> list:
        share = WriteOnlyCell(sheet, value=score.on_time_share)
        share.number_format = "0.0%"
        return [name, score.label, score.owned, score.done, score.done_on_time, share, score.open_overdue]

    for unit in evaluation.units:
        for score in [*unit.scores, unit.total]:
            sheet.append(line(unit.organization_name, score))
    for score in [*evaluation.totals, evaluation.total]:
        sheet.append(line(_("全部单位"), score))
    satisfaction = workbook.create_sheet(_("企业满意度"))
    satisfaction.append([_("法院"), _("评价件数（样本）"), _("满意和基本满意"), _("满意率")])
    for unit in evaluation.satisfaction:
        rate = WriteOnlyCell(satisfaction, value=unit.rate if unit.rate is not None else str(SAMPLE_TOO_SMALL))
        rate.number_format = "0.0%"
        satisfaction.append([unit.organization_name, unit.sample, unit.satisfied, rate])
    notes = workbook.create_sheet(_("口径说明"))
    for text in DEFINITIONS:
        notes.append([str(text)])
    return workbook_bytes(workbook)
