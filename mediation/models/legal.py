"""Law firms paired with chambers (万所联万会) and the legal check-ups and consultations they give
enterprises (法治体检), in a justice bureau's mechanism.

A law firm is an Organization of kind "law_firm" that is a party of the mechanism; its lawyers are
people listed here (logins only for those who record visits and reports, with the role "lawyer").
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import LONG_TEXT

from ..choices import CheckupKind, CheckupStatus, PairingStatus

C = CheckupStatus


class Lawyer(models.Model):
    firm = models.ForeignKey(
        "liaison.Organization", verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="lawyers"
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=30)
    license_number = models.CharField(_("执业证号"), max_length=40, blank=True)
    specialties = models.CharField(_("专业领域"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("律师")
        verbose_name_plural = _("律师")
        ordering = ["firm__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name="") & ~Q(phone=""), name="lawyer_name_and_phone"),
            models.UniqueConstraint(fields=["firm", "name", "phone"], name="lawyer_unique_in_firm"),
        ]

    def __str__(self) -> str:
        return self.name


class Pairing(models.Model):
    """A law firm paired with a chamber for a term: contacts on each side and the services agreed."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="pairings"
    )
    firm = models.ForeignKey(
        "liaison.Organization", verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="firm_pairings"
    )
    chamber = models.ForeignKey(
        "liaison.Organization", verbose_name=_("商会"), on_delete=models.PROTECT, related_name="chamber_pairings"
    )
    term_start = models.DateField(_("结对开始"))
    term_end = models.DateField(_("结对届满"))
    firm_contact = models.CharField(_("律所联系人"), max_length=40)
    firm_phone = models.CharField(_("律所联系电话"), max_length=30)
    chamber_contact = models.CharField(_("商会联系人"), max_length=40)
    chamber_phone = models.CharField(_("商会联系电话"), max_length=30)
    services = models.TextField(_("约定服务"), max_length=LONG_TEXT)
    status = models.CharField(_("状态"), max_length=10, choices=PairingStatus.choices, default=PairingStatus.ACTIVE)
    end_reason = models.CharField(_("结束原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("律所商会结对")
        verbose_name_plural = _("律所商会结对")
        ordering = ["firm__name", "chamber__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="pairing_term_end_after_start"),
            models.CheckConstraint(condition=Q(status__in=PairingStatus.values), name="pairing_status_valid"),
            models.CheckConstraint(condition=~Q(services=""), name="pairing_has_services"),
            models.CheckConstraint(
                condition=~Q(status=PairingStatus.ENDED) | ~Q(end_reason=""), name="pairing_ended_has_reason"
            ),
            models.UniqueConstraint(
                fields=["firm", "chamber"],
                condition=Q(status=PairingStatus.ACTIVE),
                name="pairing_one_active_per_firm_and_chamber",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm} · {self.chamber}"


class Checkup(models.Model):
    """An enterprise's request for a legal check-up or consultation, filed by its chamber, assigned
    to a paired firm, visited, reported on with findings and advice, and confirmed."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="checkups"
    )
    chamber = models.ForeignKey(
        "liaison.Organization", verbose_name=_("商会"), on_delete=models.PROTECT, related_name="checkups"
    )
    kind = models.CharField(_("服务类型"), max_length=14, choices=CheckupKind.choices, default=CheckupKind.CHECKUP)
    enterprise_name = models.CharField(_("企业名称"), max_length=120)
    contact_person = models.CharField(_("企业联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    subject = models.CharField(_("需求事项"), max_length=200)
    description = models.TextField(_("需求说明"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CheckupStatus.choices, default=C.REQUESTED)
    filed_by = models.ForeignKey("liaison.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("申请时间"))
    assign_due = models.DateField(_("分派期限"))
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对律所"), null=True, blank=True, on_delete=models.PROTECT, related_name="checkups"
    )
    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("承办律师"), null=True, blank=True, on_delete=models.PROTECT, related_name="checkups"
    )
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    report_due = models.DateField(_("报告期限"), null=True, blank=True)
    findings = models.TextField(_("发现的问题"), blank=True, max_length=LONG_TEXT)
    advice = models.TextField(_("法律建议"), blank=True, max_length=LONG_TEXT)
    reported_at = models.DateTimeField(_("出具报告时间"), null=True, blank=True)
    in_time = models.BooleanField(_("按期出具报告"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmation_note = models.CharField(_("确认意见"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法治体检")
        verbose_name_plural = _("法治体检")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=C.values), name="checkup_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=CheckupKind.values), name="checkup_kind_valid"),
            models.CheckConstraint(
                condition=~Q(enterprise_name="") & ~Q(subject="") & ~Q(contact_phone=""), name="checkup_has_request"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[C.REQUESTED, C.CANCELLED]) | Q(pairing__isnull=False, report_due__isnull=False),
                name="checkup_assigned_has_firm",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[C.REPORTED, C.CONFIRMED]) | (~Q(findings="") & ~Q(advice="")),
                name="checkup_report_has_findings_and_advice",
            ),
        ]
        indexes = [models.Index(fields=["status", "report_due"], name="checkup_due")]

    def __str__(self) -> str:
        return f"{self.enterprise_name} · {self.subject}"


class CheckupVisit(models.Model):
    checkup = models.ForeignKey(Checkup, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    lawyers = models.CharField(_("走访律师"), max_length=200)
    notes = models.TextField(_("走访记录"), max_length=LONG_TEXT)
    recorded_by = models.ForeignKey(
        "liaison.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["visited_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(notes=""), name="checkup_visit_has_notes")]
