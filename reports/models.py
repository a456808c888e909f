"""Shared case reports (共享案例 / 报告), their tags, and the comment round of a draft regulation."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT, MESSAGE_TEXT, REPORT_TEXT

from .choices import ReportKind, ReportState, SuggestionState


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """What one party of a mechanism writes and shares with the other parties."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="reports"
    )
    author_organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=ReportKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("摘要"), blank=True, max_length=MESSAGE_TEXT)
    body = models.TextField(_("正文"), max_length=REPORT_TEXT)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="reports")
    case_numbers = models.CharField(
        _("相关案号"), max_length=500, blank=True, help_text=_("多个案号用逗号或换行分隔，例如：（2021）豫03民初123号")
    )
    comment_deadline = models.DateField(
        _("征求意见截止日期"), null=True, blank=True, help_text=_("仅法规规章草案征求意见需要填写")
    )
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    is_public = models.BooleanField(
        _("在营商环境专栏公开"), default=False, help_text=_("已发布的共享案例经发布单位标记后，在机制的公开专栏展示。")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("共享案例")
        verbose_name_plural = _("共享案例")
        ordering = [models.F("published_at").desc(nulls_first=True), "-id"]
        indexes = [
            models.Index(fields=["mechanism", "state", "published_at"], name="report_mechanism_state"),
            models.Index(fields=["author_organization", "state"], name="report_author_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="report_state_valid"),
            # A draft regulation for comment has a comment deadline; nothing else has one.
            models.CheckConstraint(
                condition=(
                    Q(kind=ReportKind.DRAFT_REGULATION, comment_deadline__isnull=False)
                    | (~Q(kind=ReportKind.DRAFT_REGULATION) & Q(comment_deadline__isnull=True))
                ),
                name="report_comment_deadline_iff_draft_regulation",
                violation_error_message=_("只有法规规章草案征求意见须填写征求意见截止日期，且必须填写。"),
            ),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT) | Q(published_at__isnull=False),
                name="report_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(state=ReportState.PUBLISHED),
                name="report_public_only_when_published",
            ),
            models.UniqueConstraint(
                fields=["mechanism", "title"],
                name="report_title_unique_per_mechanism",
                violation_error_message=_("本机制已有同名的共享案例，请修改标题。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft_regulation(self) -> bool:
        return self.kind == ReportKind.DRAFT_REGULATION

    @property
    def case_number_list(self) -> list[str]:
        return [part.strip() for part in re.split(r"[,，;；、\n]+", self.case_numbers) if part.strip()]


class CommentRequest(models.Model):
    """One other party's invitation to comment on a draft regulation; its deadline hangs on it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comment_requests")
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("征求意见单位"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("首次反馈时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["report", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["report", "organization"], name="comment_request_unique")]

    def __str__(self) -> str:
        return f"{self.report} · {self.organization}"


class Opinion(models.Model):
    """A party's written opinion on a draft regulation, submitted before the comment deadline."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="opinions")
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("反馈单位"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("意见"), max_length=LONG_TEXT)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("反馈意见")
        verbose_name_plural = _("反馈意见")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["report", "organization"], name="opinion_report_org")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.report}"


class MonthlyReport(models.Model):
    """The figures of one mechanism for one month, published as a shared report for every party.

    `figures` is the snapshot taken when the report was (re)generated, so the page, the PDF and the
    Excel file always show the same numbers; regenerating takes a new snapshot and counts a revision.
    """

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="monthly")
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    figures = models.JSONField(_("统计数据"))
    revision = models.PositiveSmallIntegerField(_("生成次数"), default=1)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("月度运行情况通报")
        verbose_name_plural = _("月度运行情况通报")
        ordering = ["-year", "-month", "mechanism"]
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "year", "month"],
                name="monthly_report_unique_month",
                violation_error_message=_("该机制本月的运行情况通报已经生成。"),
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthly_report_month_valid"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="monthly_report_year_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism} {self.year}-{self.month:02d}"


from .models_research import (  # noqa: E402 - the research programme, in its own module
    ActivityReport,
    ResearchMilestone,
    ResearchTopic,
    ResearchUse,
    TopicApproval,
)

__all__ = [
    "ActivityReport",
    "CommentRequest",
    "MonthlyReport",
    "Opinion",
    "Report",
    "ResearchMilestone",
    "ResearchTopic",
    "ResearchUse",
    "Suggestion",
    "Tag",
    "TopicApproval",
]


class Suggestion(models.Model):
    """A judicial suggestion or risk report on its way: first, if wished, to a party for comment
    (by a comment date), then issued to a named recipient (in or outside the mechanism) with a
    reply deadline; the reply (text, and a file as attachment) is recorded when it comes."""

    report = models.OneToOneField(
        Report, verbose_name=_("共享案例"), on_delete=models.CASCADE, related_name="suggestion"
    )
    state = models.CharField(
        _("办理状态"), max_length=14, choices=SuggestionState.choices, default=SuggestionState.DRAFT
    )
    consulted = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("征求意见单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment_due = models.DateField(_("征求意见截止日期"), null=True, blank=True)
    comment_text = models.TextField(_("反馈意见"), blank=True, max_length=LONG_TEXT)
    commented_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    recipient = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("受文单位（机制内）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions_received",
    )
    recipient_name = models.CharField(_("受文单位"), max_length=100, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    reply_due = models.DateField(_("回复期限"), null=True, blank=True)
    reply_text = models.TextField(_("回复内容"), blank=True, max_length=LONG_TEXT)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    replied_at = models.DateTimeField(_("回复登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("司法建议办理")
        verbose_name_plural = _("司法建议办理")
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "reply_due"], name="suggestion_reply_due")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SuggestionState.values), name="suggestion_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=SuggestionState.CONSULTATION)
                | Q(consulted__isnull=False, comment_due__isnull=False),
                name="suggestion_consultation_has_party_and_date",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[SuggestionState.DRAFT, SuggestionState.CONSULTATION])
                | (Q(reply_due__isnull=False, issued_at__isnull=False) & ~Q(recipient_name="")),
                name="suggestion_issued_has_recipient_and_due",
            ),
            models.CheckConstraint(
                condition=~Q(state=SuggestionState.REPLIED) | (~Q(reply_text="") & Q(replied_on__isnull=False)),
                name="suggestion_replied_has_text",
            ),
        ]

    def __str__(self) -> str:
        return str(self.report)
