"""Starting, moving and ending stored deadlines, and keeping them right when the calendar changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import overload

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, workday_index
from .choices import DeadlineState
from .models import CalendarOverride, Deadline, Mechanism, Organization, User
from .workdays import WorkingCalendar

# Models that keep their nearest open deadline on their own row (e.g. `cases.Complaint`) register a
# callable taking the changed object ids; every change of their deadlines below calls it, in the
# same transaction, once per change (one set-based UPDATE).
_FOLLOWERS: dict[str, Callable[[list[str]], object]] = {}


def register_follower(model: type[models.Model], refresh: Callable[[list[str]], object]) -> None:
    _FOLLOWERS[model._meta.label_lower] = refresh


def deadlines_changed(content_type_id: int, object_ids: Iterable[str]) -> None:
    """Tell the target model that the deadlines of these objects changed (no-op when it keeps nothing)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    refresh = _FOLLOWERS.get(model._meta.label_lower) if model is not None else None
    ids = sorted({str(pk) for pk in object_ids})
    if refresh is not None and ids:
        refresh(ids)


def _changed(deadline: Deadline) -> None:
    deadlines_changed(deadline.content_type_id, [deadline.object_id])


def today() -> dt.date:
    return timezone.localdate()


def _apply(deadline: Deadline, calendar: WorkingCalendar) -> None:
    computation = calendar.explain_add(deadline.start_date, deadline.total_working_days)
    deadline.due_date = computation.due
    deadline.skipped_days = [day.as_json() for day in computation.skipped]
    deadline.assumed_years = computation.assumed_years


def deadline_start(
    *,
    target: models.Model,
    kind: str,
    label: str,
    mechanism: Mechanism,
    owner_organization: Organization,
    start: dt.date,
    working_days: int,
    owner_user: User | None = None,
    url: str = "",
    actor: User | None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Store a deadline `working_days` working days after `start` for the target object."""
    deadline = Deadline(
        kind=kind,
        label=label[:200],
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        url=url,
        mechanism=mechanism,
        owner_user=owner_user,
        owner_organization=owner_organization,
        start_date=start,
        working_days=working_days,
    )
    _apply(deadline, calendar or WorkingCalendar())
    with transaction.atomic():
        deadline.save()
        _changed(deadline)
        audit.record(
            actor=actor,
            target=deadline,
            action="deadline_start",
            to_state=DeadlineState.RUNNING,
            summary=_("%(label)s：自 %(start)s 起 %(days)s 个工作日，截止 %(due)s")
            % {"label": label, "start": start, "days": working_days, "due": deadline.due_date},
        )
    return deadline


def deadline_extend(*, deadline: Deadline, working_days: int, reason: str, actor: User | None) -> Deadline:
    """Move a running deadline later by some working days (an approved extension or a pause)."""
    if working_days <= 0:
        raise ValueError("working_days must be positive")
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if locked.state not in (DeadlineState.RUNNING, DeadlineState.PAUSED):
            raise ValueError("deadline is not running")
        old_due = locked.due_date
        locked.extra_working_days += working_days
        _apply(locked, WorkingCalendar())
        locked.save()
        _changed(locked)
        audit.record(
            actor=actor,
            target=locked,
            action="deadline_extend",
            summary=_("顺延 %(days)s 个工作日：%(old)s → %(new)s；%(reason)s")
            % {"days": working_days, "old": old_due, "new": locked.due_date, "reason": reason},
        )
    return locked


def deadline_pause(*, deadline: Deadline, actor: User | None, on: dt.date | None = None) -> bool:
    """Stop the clock (e.g. while waiting for the enterprise's material); remembers since when."""
    on = on or today()
    with transaction.atomic():
        updated = Deadline.objects.filter(pk=deadline.pk, state=DeadlineState.RUNNING).update(
            state=DeadlineState.PAUSED, paused_on=on
        )
        if updated != 1:
            return False
        _changed(deadline)
        audit.record(
            actor=actor,
            target=deadline,
            action="deadline_pause",
            from_state=DeadlineState.RUNNING,
            to_state=DeadlineState.PAUSED,
        )
    return True


def deadline_resume(*, deadline: Deadline, actor: User | None, on: dt.date | None = None) -> Deadline:
    """Restart the clock; the due date moves later by the working days it was paused."""
    on = on or today()
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if locked.state != DeadlineState.PAUSED:
            return locked
        paused = max(WorkingCalendar().working_days_between(locked.paused_on or on, on), 0)
        old_due = locked.due_date
        locked.extra_working_days += paused
        locked.state, locked.paused_on = DeadlineState.RUNNING, None
        _apply(locked, WorkingCalendar())
        locked.save()
        _changed(locked)
        audit.record(
            actor=actor,
            target=locked,
            action="deadline_resume",
            from_state=DeadlineState.PAUSED,
            to_state=DeadlineState.RUNNING,
            summary=_("暂停 %(days)s 个工作日，截止日 %(old)s → %(new)s")
            % {"days": paused, "old": old_due, "new": locked.due_date},
        )
    return locked


def open_deadline(target: models.Model, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        kind=kind,
        state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED],
    ).first()


def deadline_close(*, deadline: Deadline, actor: User | None, cancelled: bool = False) -> bool:
    """End a running deadline (met, or cancelled); False when it had already ended."""
    new_state = DeadlineState.CANCELLED if cancelled else DeadlineState.MET
    with transaction.atomic():
        updated = Deadline.objects.filter(
            pk=deadline.pk, state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]
        ).update(state=new_state)
        if updated != 1:
            return False
        _changed(deadline)
        audit.record(
            actor=actor, target=deadline, action="deadline_close", from_state=deadline.state, to_state=new_state
        )
    deadline.state = new_state
    return True


def recompute_affected(changed: Iterable[dt.date], *, actor: User | None) -> int:
    """Recompute the open deadlines whose counting window contains a changed calendar date."""
    changed = sorted(set(changed))
    if not changed:
        return 0
    window = Q()
    for day in changed:
        window |= Q(start_date__lt=day, due_date__gte=day)
    open_states = [DeadlineState.RUNNING, DeadlineState.PAUSED]
    calendar = WorkingCalendar()
    moved = []
    with transaction.atomic():
        for deadline in Deadline.objects.select_for_update().filter(window, state__in=open_states):
            old_due = deadline.due_date
            _apply(deadline, calendar)
            if deadline.due_date != old_due:
                moved.append((deadline, old_due))
            deadline.save(update_fields=["due_date", "skipped_days", "assumed_years", "computed_at"])
        by_type: dict[int, list[str]] = {}
        for deadline, _old_due in moved:
            by_type.setdefault(deadline.content_type_id, []).append(deadline.object_id)
        for content_type_id, object_ids in by_type.items():
            deadlines_changed(content_type_id, object_ids)
        # One audit chain per mechanism: lock them in one order, so two recomputes cannot deadlock.
        for deadline, old_due in sorted(moved, key=lambda pair: (pair[0].mechanism_id, pair[0].pk)):
            audit.record(
                actor=actor,
                target=deadline,
                action="deadline_recompute",
                summary=_("节假日调整后重新计算：%(old)s → %(new)s") % {"old": old_due, "new": deadline.due_date},
            )
    return len(moved)


def calendar_override_save(*, date: dt.date, is_working_day: bool, note: str, actor: User | None) -> CalendarOverride:
    """Enter or change one day of the official schedule, then recompute the deadlines it moves."""
    with transaction.atomic():
        override = CalendarOverride.objects.filter(date=date).first()
        before = override.is_working_day if override else None
        if override is None:
            override = CalendarOverride(date=date)
        override.is_working_day, override.note = is_working_day, note
        override.save()
        audit.record(
            actor=actor,
            target=override,
            action="calendar_override_save",
            from_state="" if before is None else ("工作日" if before else "休息日"),
            to_state="工作日" if is_working_day else "休息日",
            summary=note,
        )
        workday_index.rebuild_working_day_index(date.year, date.year)
        recompute_affected([date], actor=actor)
    return override


def calendar_override_delete(*, override: CalendarOverride, actor: User | None) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor, target=override, action="calendar_override_delete", summary=f"{override.date} {override.note}"
        )
        day = override.date
        override.delete()
        workday_index.rebuild_working_day_index(day.year, day.year)
        recompute_affected([day], actor=actor)


@dataclass(frozen=True)
class DueStatus:
    """How a deadline stands today, in working days, for lists and pages."""

    working_days: int  # positive: left; zero: today; negative: overdue by
    text: str
    css: str


def due_status(deadline: Deadline, calendar: WorkingCalendar, on: dt.date | None = None) -> DueStatus:
    if deadline.state == DeadlineState.PAUSED:
        return DueStatus(0, _("暂停计时"), "secondary")
    if deadline.state != DeadlineState.RUNNING:
        return DueStatus(0, deadline.get_state_display(), "secondary")
    return due_status_of(deadline.due_date, calendar, on)


@overload
def due_status_of(
    due: dt.date, calendar: WorkingCalendar, on: dt.date | None = None, state: str = DeadlineState.RUNNING
) -> DueStatus: ...
@overload
def due_status_of(
    due: None, calendar: WorkingCalendar, on: dt.date | None = None, state: str = DeadlineState.RUNNING
) -> None: ...
@overload
def due_status_of(
    due: dt.date | None, calendar: WorkingCalendar, on: dt.date | None = None, state: str = DeadlineState.RUNNING
) -> DueStatus | None: ...
def due_status_of(
    due: dt.date | None, calendar: WorkingCalendar, on: dt.date | None = None, state: str = DeadlineState.RUNNING
) -> DueStatus | None:
    """'Due in N working days' / 'due today' / 'overdue by N' for a due date (None: no deadline)."""
    if due is None:
        return None
    if state == DeadlineState.PAUSED:
        return DueStatus(0, _("暂停计时"), "secondary")
    on = on or today()
    left = calendar.working_days_between(on, due)
    if due == on or (left == 0 and due > on):
        return DueStatus(0, _("今日到期"), "warning")
    if due > on:
        return DueStatus(left, _("剩余 %(n)s 个工作日") % {"n": left}, "warning" if left <= 2 else "success")
    overdue = max(-left, 1)
    return DueStatus(-overdue, _("已逾期 %(n)s 个工作日") % {"n": overdue}, "danger")
