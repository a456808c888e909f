"""Mediation cases (诉前调解案件) with their parties, sessions, declines and extensions."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT

from ..choices import CaseSource, CaseStatus, Confirmation, PartyRole, Specialty

S = CaseStatus


class MediationCase(models.Model):
    """A dispute delegated or entrusted by a court, or applied for through a chamber.

    The time limit is counted in calendar days from the referral (`due_date`, moved by recorded
    extensions); a liaison Deadline on the last working day on or before it drives the reminders.
    When a case ends, `closed_on`, `duration_days` and `in_time` are stored so that the figures are
    plain database aggregates.
    """

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="mediation_cases"
    )
    court = models.ForeignKey(
        "liaison.Organization", verbose_name=_("人民法院"), on_delete=models.PROTECT, related_name="mediation_cases"
    )
    organisation = models.ForeignKey(
        "mediation.MediationOrganisation", verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="cases"
    )
    serial = models.CharField(_("编号"), max_length=30, unique=True)
    source = models.CharField(_("来源"), max_length=12, choices=CaseSource.choices)
    case_number = models.CharField(_("案号"), max_length=60, blank=True, help_text=_("委托调解（立案后）的案号"))
    dispute_type = models.CharField(_("纠纷类型"), max_length=30, choices=Specialty.choices)
    title = models.CharField(_("案由"), max_length=200)
    description = models.TextField(_("纠纷概况"), max_length=LONG_TEXT)
    amount = models.DecimalField(_("标的额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=S.REFERRED)
    mediator = models.ForeignKey(
        "mediation.Mediator",
        verbose_name=_("调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    referred_by = models.ForeignKey(
        "liaison.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(_("委派（受理）时间"))
    time_limit_days = models.PositiveSmallIntegerField(_("调解期限（日）"))
    due_date = models.DateField(_("期限届满日"))
    extended_days = models.PositiveSmallIntegerField(_("已延长（日）"), default=0)
    assigned_at = models.DateTimeField(_("指派时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始调解时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("用时（日）"), null=True, blank=True)
    in_time = models.BooleanField(_("期限内办结"), null=True, blank=True)
    agreement_text = models.TextField(_("调解协议内容"), blank=True, max_length=LONG_TEXT)
    agreement_amount = models.DecimalField(_("协议金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    failure_reason = models.TextField(_("调解不成的原因"), blank=True, max_length=LONG_TEXT)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True, max_length=LONG_TEXT)
    confirmation = models.CharField(
        _("司法确认"), max_length=10, choices=Confirmation.choices, default=Confirmation.NONE
    )
    confirmation_requested_at = models.DateTimeField(_("申请司法确认时间"), null=True, blank=True)
    confirmation_decided_at = models.DateTimeField(_("司法确认审查时间"), null=True, blank=True)
    confirmation_note = models.TextField(_("司法确认说明"), blank=True, max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-referred_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="mediation_case_status_valid"),
            models.CheckConstraint(condition=Q(source__in=CaseSource.values), name="mediation_case_source_valid"),
            models.CheckConstraint(
                condition=Q(dispute_type__in=Specialty.values), name="mediation_case_dispute_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(confirmation__in=Confirmation.values), name="mediation_case_confirmation_valid"
            ),
            # Only an entrusted case (after filing) has a case number, and it must.
            models.CheckConstraint(
                condition=Q(source=CaseSource.ENTRUSTED, case_number__gt="")
                | (~Q(source=CaseSource.ENTRUSTED) & Q(case_number="")),
                name="mediation_case_number_only_when_entrusted",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="mediation_case_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(agreement_amount__isnull=True) | Q(agreement_amount__gte=0),
                name="mediation_case_agreement_amount_not_negative",
            ),
            models.CheckConstraint(condition=Q(time_limit_days__gte=1), name="mediation_case_time_limit_positive"),
            models.CheckConstraint(
                condition=Q(status__in=[S.REFERRED, S.WITHDRAWN]) | Q(mediator__isnull=False),
                name="mediation_case_mediator_once_assigned",
            ),
            models.CheckConstraint(
                condition=~Q(status=S.AGREEMENT) | ~Q(agreement_text=""), name="mediation_case_agreement_has_text"
            ),
            models.CheckConstraint(
                condition=~Q(status=S.FAILED) | ~Q(failure_reason=""), name="mediation_case_failure_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(confirmation=Confirmation.NONE) | Q(status=S.AGREEMENT),
                name="mediation_case_confirmation_only_after_agreement",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[S.AGREEMENT, S.FAILED, S.WITHDRAWN], closed_on__isnull=False)
                | Q(status__in=[S.REFERRED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS], closed_on__isnull=True),
                name="mediation_case_closed_on_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "-referred_at"], name="mediation_case_court"),
            models.Index(fields=["organisation", "status"], name="mediation_case_organisation"),
            models.Index(fields=["mediator", "status"], name="mediation_case_mediator"),
            models.Index(fields=["status", "due_date"], name="mediation_case_due"),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in (S.REFERRED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)


class MediationParty(models.Model):
    """An applicant or respondent; linked to a registered enterprise when it is one."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("当事人地位"), max_length=12, choices=PartyRole.choices)
    name = models.CharField(_("当事人名称"), max_length=120)
    enterprise = models.ForeignKey(
        "cases.Enterprise",
        verbose_name=_("关联企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_parties",
    )
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "role", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="mediation_party_role_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="mediation_party_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MediationSession(models.Model):
    """A mediation session, in a room or online; notes are what happened."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    scheduled_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online_link = models.URLField(_("在线调解链接"), max_length=300, blank=True)
    notes = models.TextField(_("调解记录"), blank=True, max_length=LONG_TEXT)
    created_by = models.ForeignKey("liaison.User", verbose_name=_("安排人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解安排")
        verbose_name_plural = _("调解安排")
        ordering = ["scheduled_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_link=""), name="mediation_session_has_place"),
        ]
        indexes = [models.Index(fields=["scheduled_at"], name="mediation_session_when")]

    def __str__(self) -> str:
        return f"{self.case.serial} {self.scheduled_at:%Y-%m-%d %H:%M}"


class MediationDecline(models.Model):
    """A mediator declined an assignment, with the reason; the case goes back to be assigned again."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="declines")
    mediator = models.ForeignKey("mediation.Mediator", on_delete=models.PROTECT, related_name="declines")
    reason = models.TextField(_("拒绝理由"))
    declined_at = models.DateTimeField(_("拒绝时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拒绝指派")
        verbose_name_plural = _("拒绝指派")
        ordering = ["declined_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="mediation_decline_has_reason")]


class MediationExtension(models.Model):
    """An extension of the time limit, which needs both parties' consent (recorded here)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.TextField(_("延长理由"))
    applicant_consent = models.BooleanField(_("申请人同意"))
    respondent_consent = models.BooleanField(_("被申请人同意"))
    consent_note = models.CharField(_("同意方式"), max_length=200, help_text=_("如：双方当事人签署书面同意书"))
    old_due = models.DateField(_("原届满日"))
    new_due = models.DateField(_("新届满日"))
    recorded_by = models.ForeignKey(
        "liaison.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延长调解期限")
        verbose_name_plural = _("延长调解期限")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_consent=True, respondent_consent=True),
                name="mediation_extension_needs_both_consents",
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="mediation_extension_days_positive"),
            models.CheckConstraint(condition=Q(new_due__gt=F("old_due")), name="mediation_extension_moves_later"),
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(consent_note=""), name="mediation_extension_reason_and_consent_note"
            ),
        ]
