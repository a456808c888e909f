"""Recommendations of people (推荐): the federation (or a bureau) proposes a person to a court, a
justice bureau or another party of a mechanism as people's assessor, special or integrity
supervisor, arbitrator or invited mediator; the receiving party appoints (term, document number)
or declines with a reason within the mechanism's working-day limit.

An invited mediator appointed this way is put on the court's roster (`mediator`), so nobody types
the person twice.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT

from ..choices import (
    DEFAULT_DECISION_WORKING_DAYS,
    Profession,
    RecommendationKind,
    RecommendationStatus,
)

R = RecommendationStatus


class ServiceRules(models.Model):
    """A mechanism's working-day limits for recommendations and legal services (defaults when absent)."""

    mechanism = models.OneToOneField(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.CASCADE, related_name="service_rules"
    )
    decision_working_days = models.PositiveSmallIntegerField(
        _("推荐人选决定时限（工作日）"), default=DEFAULT_DECISION_WORKING_DAYS
    )
    assign_working_days = models.PositiveSmallIntegerField(_("法治体检分派时限（工作日）"), default=3)
    report_working_days = models.PositiveSmallIntegerField(_("法治体检报告时限（工作日）"), default=20)

    class Meta:
        verbose_name = _("推荐与法律服务时限")
        verbose_name_plural = _("推荐与法律服务时限")
        constraints = [
            models.CheckConstraint(condition=Q(decision_working_days__gte=1), name="service_rules_decision_positive"),
            models.CheckConstraint(
                condition=Q(assign_working_days__gte=1, report_working_days__gte=1),
                name="service_rules_checkup_limits_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.mechanism)


class Recommendation(models.Model):
    """One candidate recommended for one post, and what became of it."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="recommendations"
    )
    kind = models.CharField(_("推荐类别"), max_length=24, choices=RecommendationKind.choices)
    recommender = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("推荐单位"),
        on_delete=models.PROTECT,
        related_name="recommendations_made",
    )
    receiver = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("接收单位"),
        on_delete=models.PROTECT,
        related_name="recommendations_received",
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=30)
    employer = models.CharField(_("工作单位"), max_length=100)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    profession = models.CharField(_("职业"), max_length=20, choices=Profession.choices, blank=True)
    specialties = models.CharField(
        _("专长"), max_length=200, help_text=_("多项以顿号分隔；推荐特邀调解员时选择专长领域")
    )
    mediation_organisation = models.ForeignKey(
        "mediation.MediationOrganisation",
        verbose_name=_("所在调解组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text=_("推荐特邀调解员时必填"),
    )
    reasons = models.TextField(_("推荐理由"), max_length=LONG_TEXT)
    status = models.CharField(_("状态"), max_length=10, choices=RecommendationStatus.choices, default=R.PENDING)
    filed_by = models.ForeignKey("liaison.User", verbose_name=_("推荐人"), on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("推荐时间"))
    decision_due = models.DateField(_("决定期限"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decline_reason = models.TextField(_("未采纳理由"), blank=True, max_length=LONG_TEXT)
    appointment_number = models.CharField(_("任命文号"), max_length=60, blank=True)
    term_start = models.DateField(_("任期开始"), null=True, blank=True)
    term_end = models.DateField(_("任期届满"), null=True, blank=True)
    end_reason = models.TextField(_("撤回或免除理由"), blank=True, max_length=LONG_TEXT)
    ended_at = models.DateTimeField(_("撤回或免除时间"), null=True, blank=True)
    mediator = models.OneToOneField(
        "mediation.Mediator",
        verbose_name=_("名册中的调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
    )

    class Meta:
        verbose_name = _("推荐人选")
        verbose_name_plural = _("推荐人选")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RecommendationKind.values), name="recommendation_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=R.values), name="recommendation_status_valid"),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(phone="") & ~Q(employer="") & ~Q(reasons="") & ~Q(specialties=""),
                name="recommendation_candidate_complete",
            ),
            models.CheckConstraint(condition=~Q(recommender=F("receiver")), name="recommendation_not_to_itself"),
            models.CheckConstraint(
                condition=~Q(kind=RecommendationKind.MEDIATOR)
                | (Q(mediation_organisation__isnull=False) & ~Q(profession="")),
                name="recommendation_mediator_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[R.APPOINTED, R.WITHDRAWN, R.EXPIRED])
                | (Q(term_start__isnull=False, term_end__gt=F("term_start")) & ~Q(appointment_number="")),
                name="recommendation_appointed_has_term",
            ),
            models.CheckConstraint(
                condition=~Q(status=R.DECLINED) | ~Q(decline_reason=""), name="recommendation_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[R.RECALLED, R.WITHDRAWN]) | ~Q(end_reason=""),
                name="recommendation_ended_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["mechanism", "kind", "status"], name="recommendation_register"),
            models.Index(fields=["status", "term_end"], name="recommendation_term_end"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"

    @property
    def is_pending(self) -> bool:
        return self.status == R.PENDING
