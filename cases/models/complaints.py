"""Complaints (涉企诉求) from filing to closing, with their case numbers, thread and case review."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT, MESSAGE_TEXT

from ..choices import ComplaintKind, ComplaintStatus, ExtensionState, MessageVisibility, ReviewOutcome


class Complaint(models.Model):
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="complaints"
    )
    serial = models.CharField(_("编号"), max_length=30, unique=True)
    filing_organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="filed_complaints"
    )
    court = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("拟送法院"),
        on_delete=models.PROTECT,
        related_name="addressed_complaints",
    )
    enterprise = models.ForeignKey(
        "cases.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="complaints"
    )
    kind = models.CharField(_("诉求类型"), max_length=20, choices=ComplaintKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    facts = models.TextField(_("基本事实"), max_length=LONG_TEXT)
    demands = models.TextField(_("具体诉求"), max_length=LONG_TEXT)
    amount_involved = models.DecimalField(_("涉案金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    is_major = models.BooleanField(_("重大事项"), default=False)
    major_reason = models.CharField(_("重大事项理由"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.DRAFT)
    created_by = models.ForeignKey("liaison.User", verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    transfer = models.ForeignKey(
        "cases.Transfer",
        verbose_name=_("移送函"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    registration_number = models.CharField(_("登记号"), max_length=40, blank=True)
    court_case_numbers = models.CharField(_("关联案号（法院登记）"), max_length=300, blank=True)
    under_supervision = models.BooleanField(_("纳入四类案件监管"), default=False)
    department = models.ForeignKey(
        "liaison.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        "liaison.User",
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    answer = models.TextField(_("办理结果"), blank=True, max_length=LONG_TEXT)
    # What the enterprise reads of the court's answer, written for it; `answer` stays internal.
    enterprise_answer = models.TextField(_("答复企业的内容"), blank=True, max_length=LONG_TEXT)
    filed_online = models.BooleanField(_("企业在线提交"), default=False)
    reason = models.TextField(_("最近一次退回、不予移送或重新办理的理由"), blank=True, max_length=LONG_TEXT)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    extension_state = models.CharField(
        _("延期"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.NONE
    )
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    former_courts = models.ManyToManyField(
        "liaison.Organization", verbose_name=_("曾移送法院"), blank=True, related_name="+"
    )
    # Kept by `cases.durations.refresh_durations` whenever a stage's time or the working-day calendar
    # changes, so that the figures average columns instead of looking up every complaint's days.
    transfer_working_days = models.IntegerField(_("提交至移送（工作日）"), null=True, blank=True, editable=False)
    registration_working_days = models.IntegerField(_("移送至登记（工作日）"), null=True, blank=True, editable=False)
    answer_working_days = models.IntegerField(_("登记至反馈（工作日）"), null=True, blank=True, editable=False)
    answered_on_time = models.BooleanField(_("按期反馈"), null=True, blank=True, editable=False)
    # The nearest open (running or paused) deadline, kept by `cases.durations.refresh_running_deadline`
    # whenever a deadline of the complaint starts, moves, pauses or ends, so that lists filter and
    # order by a column instead of looking the deadline up for every row.
    current_due = models.DateField(_("截止日"), null=True, blank=True, editable=False)
    current_due_kind = models.CharField(_("期限类型"), max_length=40, blank=True, editable=False)
    current_due_paused = models.BooleanField(_("暂停计时"), default=False, editable=False)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ComplaintStatus.values), name="complaint_status_valid"),
            *[
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(field), LONG_TEXT), name=f"complaint_{field}_length"
                )
                for field in ("facts", "demands", "answer", "enterprise_answer")
            ],
            models.CheckConstraint(condition=Q(kind__in=ComplaintKind.values), name="complaint_kind_valid"),
            models.CheckConstraint(
                condition=Q(extension_state__in=ExtensionState.values), name="complaint_extension_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_major=False) | ~Q(major_reason=""), name="complaint_major_needs_reason"
            ),
            models.CheckConstraint(
                condition=Q(amount_involved__isnull=True) | Q(amount_involved__gte=0),
                name="complaint_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(transfer__isnull=True)
                | ~Q(status__in=["draft", "submitted", "under_review", "needs_material", "queued"]),
                name="complaint_transfer_only_once_transferred",
            ),
        ]
        indexes = [
            models.Index(fields=["mechanism", "status", "-created_at"], name="complaint_queue"),
            models.Index(fields=["court", "status"], name="complaint_court_status"),
            models.Index(fields=["enterprise", "status"], name="complaint_enterprise_status"),
            models.Index(fields=["handler", "status"], name="complaint_handler_status"),
            models.Index(fields=["submitted_at"], name="complaint_submitted_at"),
            # The lists' order, and after it every column the scope tests: the list's COUNT(*) and
            # the ids of a deep page are read from this index alone (an index-only scan), not from
            # the table's rows with their long texts (`liaison.paging.IdsFirstPaginator`).
            models.Index(
                fields=[
                    "-created_at",
                    "-id",
                    "mechanism",
                    "status",
                    "filing_organization",
                    "transferred_at",
                    "filed_online",
                ],
                name="complaint_newest_scope",
            ),
            models.Index(fields=["current_due", "id"], name="complaint_current_due"),
            # Every column of the scope predicate and of the overdue filter, so that the lists'
            # COUNT(*) reads this index alone (an index-only scan) instead of the wide rows, and
            # the overdue count only its range of past due dates.
            models.Index(
                fields=["current_due", "id"],
                include=[
                    "mechanism",
                    "filing_organization",
                    "status",
                    "filed_online",
                    "transferred_at",
                    "current_due_paused",
                ],
                name="complaint_scope_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title}"

    @property
    def current_due_state(self) -> str:
        """The state of the nearest open deadline ("running" or "paused"), empty when there is none."""
        if self.current_due is None:
            return ""
        return "paused" if self.current_due_paused else "running"


class ComplaintCaseNumber(models.Model):
    """A related case number, canonical form, for the duplicate check and search."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="case_numbers")
    number = models.CharField(_("案号"), max_length=60, db_index=True)

    class Meta:
        verbose_name = _("关联案号")
        verbose_name_plural = _("关联案号")
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="complaint_case_number_unique")]

    def __str__(self) -> str:
        return self.number


class ComplaintMessage(models.Model):
    """The discussion thread between the two sides, and internal notes of one organization."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("liaison.User", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("liaison.Organization", on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(_("可见范围"), max_length=10, choices=MessageVisibility.choices)
    body = models.TextField(_("内容"), max_length=MESSAGE_TEXT)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("沟通留言")
        verbose_name_plural = _("沟通留言")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=MessageVisibility.values), name="message_visibility_valid"
            ),
            models.CheckConstraint(condition=LessThanOrEqual(Length("body"), MESSAGE_TEXT), name="message_body_length"),
        ]


class CaseReview(models.Model):
    """The review (评查/复查) of an effective judgment that a complaint is about."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="case_review")
    outcome = models.CharField(_("评查结果"), max_length=12, choices=ReviewOutcome.choices)
    explanation = models.TextField(_("释法析理说明"), blank=True, max_length=LONG_TEXT)
    reviewed_by = models.ForeignKey(
        "liaison.User", verbose_name=_("评查人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("评查时间"))

    class Meta:
        verbose_name = _("案件评查")
        verbose_name_plural = _("案件评查")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=ReviewOutcome.values), name="case_review_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome="no_error") | ~Q(explanation=""), name="case_review_no_error_needs_explanation"
            ),
        ]
