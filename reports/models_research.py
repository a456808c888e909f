"""The yearly research programme of a mechanism (调研课题): topics, their approvals by the parties,
milestones, the use made of the result; and the link of an activity to the shared report of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .research_choices import AgreedHow, TopicStatus, UseKind


class ResearchTopic(models.Model):
    """One research topic of a mechanism's programme for a year."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="research_topics"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("课题名称"), max_length=200)
    description = models.TextField(_("研究内容"), blank=True, max_length=5000)
    status = models.CharField(_("状态"), max_length=20, choices=TopicStatus.choices, default=TopicStatus.PROPOSED)
    proposed_by_organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    lead_organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_research_topics"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("课题组成员"), blank=True, related_name="research_topics"
    )
    due_date = models.DateField(_("结题时间"))
    agreed_how = models.CharField(_("商定方式"), max_length=10, choices=AgreedHow.choices, blank=True, default="")
    agreed_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("商定的会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="research_topics",
    )
    agreed_at = models.DateTimeField(_("商定时间"), null=True, blank=True)
    result = models.OneToOneField(
        "reports.Report",
        verbose_name=_("调研报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="research_topic",
    )
    finished_at = models.DateTimeField(_("结题时间（登记）"), null=True, blank=True)
    reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")
        ordering = ["-year", "mechanism", "id"]
        indexes = [models.Index(fields=["mechanism", "year", "status"], name="research_topic_programme")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TopicStatus.values), name="research_topic_status_valid"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="research_topic_year_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="research_topic_has_title"),
            models.CheckConstraint(
                condition=~Q(status__in=[TopicStatus.AGREED, TopicStatus.FINISHED]) | ~Q(agreed_how=""),
                name="research_topic_agreed_says_how",
            ),
            models.CheckConstraint(
                condition=~Q(agreed_how=AgreedHow.MEETING) | Q(agreed_meeting__isnull=False),
                name="research_topic_meeting_named",
            ),
            models.CheckConstraint(
                condition=~Q(status=TopicStatus.FINISHED) | Q(result__isnull=False),
                name="research_topic_finished_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status=TopicStatus.DROPPED) | ~Q(reason=""), name="research_topic_dropped_has_reason"
            ),
            models.UniqueConstraint(
                fields=["mechanism", "year", "title"],
                name="research_topic_unique_title",
                violation_error_message=_("本机制该年度已有同名课题。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TopicApproval(models.Model):
    """A party's leader agreeing to a topic; when every party has, the topic is agreed."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="approvals")
    organization = models.ForeignKey("liaison.Organization", verbose_name=_("单位"), on_delete=models.PROTECT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("同意人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("同意时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("课题商定")
        verbose_name_plural = _("课题商定")
        ordering = ["topic", "approved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "organization"],
                name="topic_approval_once_per_party",
                violation_error_message=_("本单位已同意该课题。"),
            )
        ]


class ResearchMilestone(models.Model):
    """A dated step of a topic (research plan, field visits, draft report...)."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("完成时间"))
    done_at = models.DateTimeField(_("完成登记时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("课题节点")
        verbose_name_plural = _("课题节点")
        ordering = ["topic", "due_date", "order", "id"]
        indexes = [models.Index(fields=["due_date", "done_at"], name="research_milestone_due")]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="research_milestone_has_title")]

    def __str__(self) -> str:
        return self.title


class ResearchUse(models.Model):
    """A use made of a topic's result (转化运用): a judicial suggestion, a policy, a typical case, a training."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(_("运用方式"), max_length=30, choices=UseKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    used_on = models.DateField(_("日期"))
    link = models.URLField(_("链接"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("成果转化运用")
        verbose_name_plural = _("成果转化运用")
        ordering = ["topic", "used_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UseKind.values), name="research_use_kind_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="research_use_has_title"),
        ]


class ActivityReport(models.Model):
    """An activity's short report published as a shared report (工作简报)."""

    activity = models.OneToOneField("meetings.Activity", on_delete=models.PROTECT, related_name="shared_report")
    report = models.OneToOneField("reports.Report", on_delete=models.PROTECT, related_name="activity_link")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动简报")
        verbose_name_plural = _("活动简报")
