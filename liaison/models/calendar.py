"""The calendar override table and stored deadlines."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import DeadlineState


class CalendarOverride(models.Model):
    """An official day off or make-up working day entered by an administrator.

    Overrides win over the `chinesecalendar` package; a year with overrides counts as known.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"), help_text=_("勾选：调休上班；不勾选：放假"))
    note = models.CharField(_("说明"), max_length=60, blank=True, help_text=_("例如：国庆节、春节调休"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}"


class Deadline(models.Model):
    """A stored deadline with the computation that produced it.

    Sweeps and lists read `due_date` through an index; the page of a deadline shows how it
    was computed (start, working days, the days skipped) so that anyone can check it.
    """

    kind = models.CharField(_("时限类型"), max_length=60)
    label = models.CharField(_("事项"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    url = models.CharField(_("链接"), max_length=200, blank=True)
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.CASCADE, related_name="deadlines"
    )
    owner_user = models.ForeignKey(
        "liaison.User",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
    )
    owner_organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="deadlines"
    )
    start_date = models.DateField(_("起算日"))
    working_days = models.PositiveSmallIntegerField(_("工作日数"))
    extra_working_days = models.PositiveSmallIntegerField(
        _("顺延工作日数"), default=0, help_text=_("延期或暂停计时顺延的工作日")
    )
    due_date = models.DateField(_("截止日"))
    skipped_days = models.JSONField(_("跳过的非工作日"), default=list)
    assumed_years = models.JSONField(
        _("按周一至周五推算的年份"),
        default=list,
        help_text=_("节假日安排尚未公布、按周一至周五推算的年份"),
    )
    state = models.CharField(_("状态"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.RUNNING)
    paused_on = models.DateField(_("暂停日"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["state", "due_date"], name="deadline_state_due"),
            models.Index(fields=["kind", "state", "due_date"], name="deadline_kind_state_due"),
            models.Index(fields=["content_type", "object_id"], name="deadline_target"),
            # The reminder sweep also reads the running deadlines edited since its last run.
            models.Index(fields=["computed_at"], condition=Q(state="running"), name="deadline_running_changed"),
            # The deadlines an object has met, by kind, latest first: figures read "the feedback
            # deadline the answer met" for every complaint of a range.
            models.Index(
                fields=["content_type", "object_id", "kind", "-start_date", "-id"],
                condition=Q(state="met"),
                name="deadline_met_by_kind",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DeadlineState.values), name="deadline_state_valid"),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("start_date")), name="deadline_due_after_start"),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(state__in=["running", "paused"]),
                name="deadline_one_open_per_target_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.due_date:%Y-%m-%d}）"

    @property
    def total_working_days(self) -> int:
        return self.working_days + self.extra_working_days


class WorkingDayIndex(models.Model):
    """One row per calendar day, so that queries can count working days with a join or subquery.

    `ordinal` is the number of working days from the first indexed day up to and including this
    one; working days d with start < d <= end are `ordinal(end) - ordinal(start)`, the same count
    as `WorkingCalendar.working_days_between`. Derived from the calendar: rebuilt by
    `liaison.workday_index`, never edited by hand.
    """

    date = models.DateField(_("日期"), primary_key=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    ordinal = models.PositiveIntegerField(_("累计工作日序号"))

    class Meta:
        verbose_name = _("工作日索引")
        verbose_name_plural = _("工作日索引")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} #{self.ordinal}"
