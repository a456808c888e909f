"""The enterprise side: who acts for an enterprise, how they were let in, and their one-time codes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.limits import MESSAGE_TEXT

from ..choices import MembershipSource, MembershipState, Rating, RatingSource, ReopenDecision
from ..validators import validate_phone


class EnterpriseMembership(models.Model):
    """A person acting for one enterprise (an enterprise user belongs to exactly one).

    Whether it came from an invitation or a self-registration, the federation confirms the link
    before the person may file (`cases.workflow.MEMBERSHIP`).
    """

    user = models.OneToOneField(
        "liaison.User", verbose_name=_("用户"), on_delete=models.CASCADE, related_name="enterprise_membership"
    )
    enterprise = models.ForeignKey(
        "cases.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="memberships"
    )
    state = models.CharField(
        _("确认状态"), max_length=10, choices=MembershipState.choices, default=MembershipState.PENDING
    )
    source = models.CharField(_("来源"), max_length=10, choices=MembershipSource.choices)
    claimed_name = models.CharField(_("填报的企业名称"), max_length=120)
    mobile = models.CharField(_("手机号码"), max_length=20, validators=[validate_phone])
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "liaison.User", verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("未通过的理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业用户关联")
        verbose_name_plural = _("企业用户关联")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=MembershipState.values), name="membership_state_valid"),
            models.CheckConstraint(condition=Q(source__in=MembershipSource.values), name="membership_source_valid"),
            models.CheckConstraint(
                condition=~Q(state=MembershipState.REFUSED) | ~Q(refusal_reason=""),
                name="membership_refusal_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "state"], name="membership_enterprise_state")]

    def __str__(self) -> str:
        return f"{self.user} · {self.claimed_name}"


class EnterpriseInvitation(models.Model):
    """A one-time link the federation sends a contact person; only the token's digest is stored."""

    enterprise = models.ForeignKey(
        "cases.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="invitations"
    )
    full_name = models.CharField(_("联系人姓名"), max_length=40)
    mobile = models.CharField(_("手机号码"), max_length=20, validators=[validate_phone])
    email = models.EmailField(_("电子邮箱"))
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey("liaison.User", verbose_name=_("邀请人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "liaison.User", verbose_name=_("接受人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("企业用户邀请")
        verbose_name_plural = _("企业用户邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.enterprise}"


class OneTimeCode(models.Model):
    """A verification code sent to a person: stored as a keyed digest, expiring, single-use.

    The rows also count the codes sent per mobile number, per address and per client address,
    for the rate limits (`cases.services.portal`).
    """

    purpose = models.CharField(_("用途"), max_length=20)
    mobile = models.CharField(_("手机号码"), max_length=20)
    email = models.EmailField(_("电子邮箱"))
    client_ip = models.GenericIPAddressField(_("请求地址"), null=True, blank=True)
    code_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")
        indexes = [
            models.Index(fields=["mobile", "created_at"], name="one_time_code_mobile"),
            models.Index(fields=["email", "created_at"], name="one_time_code_email"),
            models.Index(fields=["client_ip", "created_at"], name="one_time_code_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class Satisfaction(models.Model):
    """The enterprise's rating of an answer: given online by the enterprise, or recorded by the
    federation's staff from a follow-up call (回访) for matters filed on paper. Both count in the figures."""

    complaint = models.ForeignKey(
        "cases.Complaint", verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="satisfactions"
    )
    # The answer rated: the complaint's reopen count when it was rated (one rating per answer).
    answer_round = models.PositiveSmallIntegerField(_("答复轮次"), default=0)
    source = models.CharField(_("来源"), max_length=10, choices=RatingSource.choices)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True, max_length=MESSAGE_TEXT)
    rated_by = models.ForeignKey("liaison.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(_("评价时间"))
    called_on = models.DateField(_("回访日期"), null=True, blank=True)
    person_reached = models.CharField(_("回访对象"), max_length=40, blank=True)
    reopen_reason = models.TextField(_("申请重新办理的理由"), blank=True, max_length=MESSAGE_TEXT)
    decision = models.CharField(
        _("重新办理申请"), max_length=10, choices=ReopenDecision.choices, default=ReopenDecision.NONE
    )
    decision_note = models.TextField(_("解释说明"), blank=True, max_length=MESSAGE_TEXT)
    decided_by = models.ForeignKey(
        "liaison.User", verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "answer_round"], name="satisfaction_once_per_answer"),
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="satisfaction_rating_valid"),
            models.CheckConstraint(condition=Q(source__in=RatingSource.values), name="satisfaction_source_valid"),
            models.CheckConstraint(condition=Q(decision__in=ReopenDecision.values), name="satisfaction_decision_valid"),
            models.CheckConstraint(
                condition=Q(decision=ReopenDecision.NONE) | (Q(rating=Rating.DISSATISFIED) & ~Q(reopen_reason="")),
                name="satisfaction_reopen_needs_dissatisfied_reason",
            ),
            models.CheckConstraint(
                condition=~Q(source=RatingSource.CALL) | (Q(called_on__isnull=False) & ~Q(person_reached="")),
                name="satisfaction_call_needs_date_and_person",
            ),
        ]
        indexes = [models.Index(fields=["decision"], name="satisfaction_decision")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_rating_display()}"
