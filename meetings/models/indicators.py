"""Who answers for a task (one lead, co-leads, responsible departments) and how it is measured
(indicators with a target and a value per month)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ComputedMetric, Direction, IndicatorSource, OwnerRole


class TaskOwner(models.Model):
    """One unit answering for a task: an organization, or one of its departments, with its role."""

    item = models.ForeignKey("meetings.ActionItem", on_delete=models.CASCADE, related_name="owners")
    role = models.CharField(_("职责"), max_length=12, choices=OwnerRole.choices)
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="task_ownerships"
    )
    department = models.ForeignKey(
        "liaison.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_ownerships",
    )

    class Meta:
        verbose_name = _("任务责任单位")
        verbose_name_plural = _("任务责任单位")
        ordering = ["item", "role", "id"]
        indexes = [models.Index(fields=["organization", "role"], name="task_owner_organization")]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=OwnerRole.values), name="task_owner_role_valid"),
            models.UniqueConstraint(
                fields=["item", "role", "organization"],
                condition=Q(department__isnull=True),
                name="task_owner_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["item", "role", "department"],
                condition=Q(department__isnull=False),
                name="task_owner_unique_department",
            ),
        ]

    def __str__(self) -> str:
        name = self.organization.short_name or self.organization.name
        return f"{name} · {self.department.name}" if self.department_id else name


class Indicator(models.Model):
    """A measured target of a task: e.g. 立案平均用时 at most 1 day, 文书上网率 at least 90 %."""

    item = models.ForeignKey("meetings.ActionItem", on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=10, help_text=_("例如：天、%、件"))
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(
        _("取值方式"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.ENTERED
    )
    metric = models.CharField(_("系统计算的口径"), max_length=20, choices=ComputedMetric.choices, blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["item", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="indicator_direction_valid"),
            models.CheckConstraint(condition=Q(source__in=IndicatorSource.values), name="indicator_source_valid"),
            models.CheckConstraint(
                condition=Q(source=IndicatorSource.ENTERED, metric="")
                | Q(source=IndicatorSource.COMPUTED, metric__in=ComputedMetric.values),
                name="indicator_computed_has_metric",
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_not_negative"),
            models.CheckConstraint(condition=~Q(name=""), name="indicator_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_met(self, value: Decimal | float | None) -> bool | None:
        """Whether a month's value meets the target (None: nothing reported)."""
        if value is None:
            return None
        value = Decimal(str(value))
        return value <= self.target if self.direction == Direction.AT_MOST else value >= self.target

    @property
    def target_display(self) -> str:
        target = f"{self.target.normalize():f}"
        return f"{self.get_direction_display()} {target}{self.unit}"


class IndicatorValue(models.Model):
    """The value of an entered indicator for one month, reported by a unit answering for the task."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey("liaison.User", verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("指标月度数值")
        verbose_name_plural = _("指标月度数值")
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month"],
                name="indicator_value_one_per_month",
                violation_error_message=_("该月已报送。"),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.month:%Y-%m}"
