"""Minutes (会议纪要): numbered when issued, approved by every party first, frozen once issued.

The freeze is also kept by the database: triggers (migration 0002) refuse any change to an issued
minutes and to its sections, decided items and the content of its action items.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT

from ..choices import ApprovalDecision, MinutesStatus


class Minutes(models.Model):
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="minutes"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="minutes"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的纪要"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    status = models.CharField(_("状态"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    title = models.CharField(_("纪要标题"), max_length=200)
    summary = models.TextField(_("会议概况"), max_length=LONG_TEXT)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("期数"), null=True, blank=True)
    number = models.CharField(_("纪要编号"), max_length=40, blank=True)
    approval_round = models.PositiveSmallIntegerField(_("审定轮次"), default=0)
    created_by = models.ForeignKey("liaison.User", verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("送审时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        "liaison.User", verbose_name=_("印发人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["mechanism", "status"], name="minutes_mechanism_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MinutesStatus.values), name="minutes_status_valid"),
            models.UniqueConstraint(fields=["mechanism", "year", "sequence"], name="minutes_number_unique"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(corrects__isnull=True),
                name="minutes_one_original_per_meeting",
                violation_error_message=_("该会议已有纪要。"),
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                condition=~Q(status="issued"),
                name="minutes_one_open_correction",
                violation_error_message=_("该纪要已有一份正在办理的更正纪要。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (Q(sequence__isnull=False, year__isnull=False, issued_at__isnull=False) & ~Q(number="")),
                name="minutes_issued_is_numbered",
            ),
            models.CheckConstraint(condition=~Q(corrects=F("pk")), name="minutes_not_own_correction"),
            models.CheckConstraint(condition=~Q(title=""), name="minutes_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_issued(self) -> bool:
        return self.status == MinutesStatus.ISSUED


class MinutesSection(models.Model):
    """What was said on one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="sections")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    heading = models.CharField(_("议题"), max_length=200)
    discussion = models.TextField(_("讨论情况"), max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("纪要议题")
        verbose_name_plural = _("纪要议题")
        ordering = ["minutes", "order", "id"]


class Decision(models.Model):
    """A decided item (议定事项)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.TextField(_("议定事项"), max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["minutes", "order", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="decision_has_text")]


class MinutesApproval(models.Model):
    """One party's decision on a minutes in one round of approval."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField(_("轮次"))
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("审定单位"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("审定意见"), max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    comment = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(
        "liaison.User", verbose_name=_("审定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("纪要审定")
        verbose_name_plural = _("纪要审定")
        ordering = ["minutes", "-round", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "round", "organization"], name="minutes_approval_unique"),
            models.CheckConstraint(
                condition=Q(decision__in=ApprovalDecision.values), name="minutes_approval_decision_valid"
            ),
            models.CheckConstraint(
                condition=~Q(decision=ApprovalDecision.RETURNED) | ~Q(comment=""), name="minutes_return_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} · {self.organization}"


class MinutesDistribution(models.Model):
    """An organization the issued minutes went to (分送)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="distribution")
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("分送单位"), on_delete=models.PROTECT, related_name="+"
    )
    distributed_at = models.DateTimeField(_("分送时间"))

    class Meta:
        verbose_name = _("纪要分送")
        verbose_name_plural = _("纪要分送")
        ordering = ["minutes", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["minutes", "organization"], name="minutes_distribution_unique")]
