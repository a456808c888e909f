"""What is supervised until done: action items of minutes and the tasks of a dual list (双清单).

Both are rows of one table, so the supervision page, reminders, progress reports and closing work
the same for both; `source` says which, and exactly one of `minutes` and `dual_list` is set.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT

from ..choices import DualListStatus, ItemSource, ItemStatus


class DualList(models.Model):
    """A mechanism's list of tasks for a year, approved at a plenary."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="dual_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=DualListStatus.choices, default=DualListStatus.DRAFT)
    approved_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("审定会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_dual_lists",
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "liaison.User", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey("liaison.User", verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("双清单")
        verbose_name_plural = _("双清单")
        ordering = ["-year", "mechanism__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "year"],
                name="dual_list_one_per_year",
                violation_error_message=_("该机制本年度已有双清单。"),
            ),
            models.CheckConstraint(condition=Q(status__in=DualListStatus.values), name="dual_list_status_valid"),
            models.CheckConstraint(
                condition=Q(status=DualListStatus.DRAFT)
                | Q(approved_at_meeting__isnull=False, approved_at__isnull=False),
                name="dual_list_approved_at_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="action_items"
    )
    source = models.CharField(_("来源"), max_length=10, choices=ItemSource.choices)
    minutes = models.ForeignKey(
        "meetings.Minutes",
        verbose_name=_("会议纪要"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    dual_list = models.ForeignKey(
        DualList, verbose_name=_("双清单"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("事项"), max_length=300)
    target = models.TextField(_("目标要求"), blank=True)
    owner_organization = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("责任（牵头）单位"),
        on_delete=models.PROTECT,
        related_name="meeting_action_items",
    )
    owner_department = models.ForeignKey(
        "liaison.Department",
        verbose_name=_("责任（牵头）部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_action_items",
    )
    responsible_units = models.CharField(_("责任单位"), max_length=300, blank=True)
    due_date = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    completion_reported_at = models.DateTimeField(_("报告完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "liaison.User", verbose_name=_("办结人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.CharField(_("办结意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_date", "order", "id"]
        indexes = [
            models.Index(fields=["mechanism", "status", "due_date"], name="action_item_supervision"),
            models.Index(fields=["owner_organization", "status", "due_date"], name="action_item_owner"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=ItemSource.values), name="action_item_source_valid"),
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="action_item_status_valid"),
            models.CheckConstraint(
                condition=(
                    Q(source=ItemSource.MINUTES, minutes__isnull=False, dual_list__isnull=True)
                    | Q(source=ItemSource.DUAL_LIST, minutes__isnull=True, dual_list__isnull=False)
                ),
                name="action_item_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.DONE) | Q(closed_at__isnull=False), name="action_item_done_is_closed"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="action_item_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_task(self) -> bool:
        return self.source == ItemSource.DUAL_LIST

    @property
    def owner_display(self) -> str:
        name = self.owner_organization.short_name or self.owner_organization.name
        return f"{name} · {self.owner_department.name}" if self.owner_department_id else name


class ProgressReport(models.Model):
    """The owner's report on an action item or task, with attachments."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="progress_reports")
    author = models.ForeignKey("liaison.User", verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("报告单位"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("进展情况"), max_length=LONG_TEXT)
    reports_completion = models.BooleanField(_("报告已完成，申请销号"), default=False)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["item", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="progress_report_has_text")]

    def __str__(self) -> str:
        return f"{self.item} · {self.created_at:%Y-%m-%d}"
