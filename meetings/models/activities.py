"""Activities of a mechanism (training, law-publicity days, court open days, trial observation,
lectures in enterprises, forums) and the people registered for them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..activity_choices import ActivityKind, ActivityStatus, RegistrationStatus


class Activity(models.Model):
    """One joint activity: planned as a draft, published for registration, closed, then held or cancelled."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    organizer = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="organized_activities",
    )
    co_organizers = models.ManyToManyField(
        "liaison.Organization", verbose_name=_("协办单位"), blank=True, related_name="co_organized_activities"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("活动地点"), max_length=200, blank=True)
    online_link = models.URLField(_("线上链接"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("名额"), help_text=_("报名人数上限；超出的进入候补名单"))
    for_party_staff = models.BooleanField(_("面向参与单位工作人员"), default=True)
    for_chamber_members = models.BooleanField(_("面向商会会员"), default=False)
    for_enterprises = models.BooleanField(_("面向企业"), default=False)
    registration_deadline = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    description = models.TextField(_("活动说明"), blank=True)
    report = models.TextField(_("活动简报"), blank=True)
    enterprises_reached = models.PositiveIntegerField(_("覆盖企业数"), default=0)
    reason = models.CharField(_("取消理由"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(_("日历版本号"), default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止报名时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("确认举办时间"), null=True, blank=True)
    created_by = models.ForeignKey("liaison.User", verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["mechanism", "kind", "status", "starts_at"], name="activity_figures")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ActivityStatus.values), name="activity_status_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="activity_has_place_or_link",
                violation_error_message=_("请填写活动地点或线上链接。"),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="activity_capacity_positive",
                violation_error_message=_("名额至少为 1。"),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True) | Q(registration_deadline__lte=F("starts_at")),
                name="activity_deadline_before_start",
                violation_error_message=_("报名截止时间不能晚于活动开始时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ActivityStatus.CANCELLED) | ~Q(reason=""),
                name="activity_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        """The iCalendar UID: the same for every version of the activity."""
        return f"activity-{self.pk}@liaison"


class Registration(models.Model):
    """A person registered for an activity: holding a place, waiting for one, or withdrawn; signed in on the day."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        "liaison.User", verbose_name=_("报名人"), on_delete=models.PROTECT, related_name="activity_registrations"
    )
    status = models.CharField(_("报名状态"), max_length=12, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消报名时间"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(
        "liaison.User", verbose_name=_("签到登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["activity", "registered_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="registration_once_per_activity",
                violation_error_message=_("您已报名该活动。"),
            ),
            models.CheckConstraint(
                condition=Q(signed_in_at__isnull=True) | Q(status=RegistrationStatus.CONFIRMED),
                name="registration_signed_in_is_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "registered_at"], name="registration_queue")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.user}"
