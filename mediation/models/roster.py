"""Mediation organisations, their admission by courts, and the courts' rosters of invited mediators."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import MediatorStatus, Profession, Specialty


class MediationOrganisation(models.Model):
    """A chamber's (or federation's) mediation body (商会调解组织).

    Its `organization` is an Organization of kind "mediation" whose parent is the organization
    that runs it, so the running chamber's people reach it through the scoping rule's
    `within_organization`.
    """

    organization = models.OneToOneField(
        "liaison.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="mediation_profile"
    )
    run_by = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("设立单位"),
        on_delete=models.PROTECT,
        related_name="run_mediation_organisations",
        help_text=_("设立该调解组织的商会或工商联"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解组织")
        verbose_name_plural = _("调解组织")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(condition=~Q(organization=F("run_by")), name="mediation_org_not_run_by_itself"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name


class Admission(models.Model):
    """A court admits a mediation organisation as an invited mediation organisation (特邀调解组织).

    The court acts through one of its mechanisms: that mechanism's rules (time limits) apply to
    the cases, and its parties read the roster.
    """

    organisation = models.ForeignKey(
        MediationOrganisation, verbose_name=_("调解组织"), on_delete=models.CASCADE, related_name="admissions"
    )
    court = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("人民法院"),
        on_delete=models.PROTECT,
        related_name="mediation_admissions",
    )
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="mediation_admissions"
    )
    document_number = models.CharField(_("吸纳文号"), max_length=60)
    admitted_on = models.DateField(_("吸纳日期"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("特邀调解组织吸纳")
        verbose_name_plural = _("特邀调解组织吸纳")
        ordering = ["court__name", "admitted_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "court"], name="admission_unique_per_court"),
            models.CheckConstraint(condition=~Q(document_number=""), name="admission_needs_document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.court} · {self.organisation}（{self.document_number}）"


class Mediator(models.Model):
    """An invited mediator (特邀调解员) on one court's roster, with a term of appointment.

    A person appointed by two courts has two roster entries, each with its own term and status.
    """

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="mediators"
    )
    court = models.ForeignKey(
        "liaison.Organization", verbose_name=_("聘任法院"), on_delete=models.PROTECT, related_name="invited_mediators"
    )
    organisation = models.ForeignKey(
        MediationOrganisation, verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="mediators"
    )
    user = models.ForeignKey(
        "liaison.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator_appointments",
    )
    name = models.CharField(_("姓名"), max_length=40)
    profession = models.CharField(_("职业"), max_length=20, choices=Profession.choices)
    languages = models.CharField(
        _("工作语言"), max_length=100, default="普通话", help_text=_("多种语言以顿号分隔，如：普通话、英语、粤语")
    )
    phone = models.CharField(_("联系电话"), max_length=30)
    appointment_number = models.CharField(_("聘任文号"), max_length=60, blank=True)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"))
    status = models.CharField(_("状态"), max_length=10, choices=MediatorStatus.choices, default=MediatorStatus.ACTIVE)
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    training_record = models.TextField(_("培训记录"), blank=True)
    takes_paid = models.BooleanField(_("承接有偿调解"), default=False)
    fee_standard = models.CharField(_("收费标准"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("特邀调解员")
        verbose_name_plural = _("特邀调解员")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="mediator_term_end_after_start"),
            models.CheckConstraint(condition=Q(status__in=MediatorStatus.values), name="mediator_status_valid"),
            models.CheckConstraint(condition=Q(profession__in=Profession.values), name="mediator_profession_valid"),
            models.CheckConstraint(
                condition=Q(takes_paid=True, fee_standard__gt="") | Q(takes_paid=False, fee_standard=""),
                name="mediator_fee_standard_only_when_paid",
            ),
            models.CheckConstraint(condition=~Q(name="") & ~Q(phone=""), name="mediator_name_and_phone"),
            models.UniqueConstraint(fields=["court", "name", "phone"], name="mediator_unique_on_roster"),
            models.UniqueConstraint(
                fields=["court", "user"], condition=Q(user__isnull=False), name="mediator_one_account_per_roster"
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "name"], name="mediator_roster"),
            models.Index(fields=["status", "term_end"], name="mediator_term_end"),
        ]

    def __str__(self) -> str:
        return self.name


class MediatorSpecialty(models.Model):
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="specialties")
    specialty = models.CharField(_("专长领域"), max_length=30, choices=Specialty.choices)

    class Meta:
        verbose_name = _("专长领域")
        verbose_name_plural = _("专长领域")
        ordering = ["mediator", "specialty"]
        constraints = [
            models.UniqueConstraint(fields=["mediator", "specialty"], name="mediator_specialty_unique"),
            models.CheckConstraint(condition=Q(specialty__in=Specialty.values), name="mediator_specialty_valid"),
        ]
        indexes = [models.Index(fields=["specialty", "mediator"], name="mediator_specialty_lookup")]

    def __str__(self) -> str:
        return self.get_specialty_display()


class MediatorLink(models.Model):
    """A recorded tie between a mediator and a possible party (a client, an employer, a relative...).

    A case whose party matches (the enterprise, or the same name) is a conflict: the mediator is
    left out of that case's ranking, with this tie as the reason.
    """

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="links")
    enterprise = models.ForeignKey(
        "cases.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    party_name = models.CharField(_("当事人名称"), max_length=120, blank=True)
    relation = models.CharField(_("关联关系"), max_length=200)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利害关系")
        verbose_name_plural = _("利害关系")
        ordering = ["mediator", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(party_name=""), name="mediator_link_names_a_party"
            ),
            models.CheckConstraint(condition=~Q(relation=""), name="mediator_link_has_relation"),
        ]

    def __str__(self) -> str:
        return f"{self.party_name or self.enterprise}：{self.relation}"
