"""Organizations, their departments and people, and the mechanisms that join them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import connections, models, router
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    COLLECTING_KINDS,
    COLLECTING_SIDES,
    HANDLING_SIDES,
    OrganizationKind,
    OrganizationLevel,
    PartyPlace,
    PartySide,
    Role,
    default_side,
)


class Organization(models.Model):
    """A court, federation, chamber, justice bureau, government department or mediation body."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganizationKind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=OrganizationLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.CharField(_("所在地区"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"),
            models.CheckConstraint(condition=Q(level__in=OrganizationLevel.values), name="organization_level_valid"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="organization_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A unit inside an organization, e.g. 审务督查局 or 经济联络部."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属单位"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("部门名称"), max_length=60)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["organization__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="department_unique_per_org")]

    def __str__(self) -> str:
        return f"{self.organization.short_name or self.organization.name} · {self.name}"


class User(AbstractUser):
    """A person who works in one organization (and optionally one of its departments)."""

    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    title = models.CharField(_("职务"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        """The roles the user holds, read once per request object: with the user's units and
        mechanisms on most requests (`scoping._prime`), else here."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if not self.pk:
                cached = frozenset()
            else:
                # Asked on every request that checks a permission: plain SQL (its ORM compilation
                # cost more than running it).
                alias = router.db_for_read(RoleAssignment, instance=self)
                table = connections[alias].ops.quote_name(RoleAssignment._meta.db_table)
                with connections[alias].cursor() as cursor:
                    cursor.execute(f"SELECT role FROM {table} WHERE user_id = %s", [self.pk])
                    cached = frozenset(role for (role,) in cursor.fetchall())
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_assignment_role_valid"),
        ]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return self.get_role_display()


class Mechanism(models.Model):
    """A standing liaison mechanism (沟通联系机制) between two or more organizations."""

    name = models.CharField(_("机制名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    document_number = models.CharField(_("成立文号"), max_length=40, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    transfer_number_prefix = models.CharField(
        _("移送函字号"), max_length=20, blank=True, help_text=_("例如：洛工商联移")
    )
    meetings_per_quarter = models.PositiveSmallIntegerField(_("每季度至少联席会议次数"), default=1)
    plenaries_per_year = models.PositiveSmallIntegerField(_("每年至少全体会议次数"), default=0)
    review_working_days = models.PositiveSmallIntegerField(_("审核时限（工作日）"), default=5)
    registration_working_days = models.PositiveSmallIntegerField(_("登记时限（工作日）"), default=3)
    feedback_working_days = models.PositiveSmallIntegerField(_("反馈时限（工作日）"), default=15)
    extensions_allowed = models.PositiveSmallIntegerField(_("可延期次数"), default=1)
    extension_working_days = models.PositiveSmallIntegerField(_("每次延期（工作日）"), default=15)
    delegated_mediation_days = models.PositiveSmallIntegerField(_("委派调解期限（日）"), default=30)
    entrusted_mediation_days = models.PositiveSmallIntegerField(_("委托调解期限（日）"), default=15)
    is_active = models.BooleanField(_("有效"), default=True)
    # The scoring scheme of the evaluation by department (履职评价), set by the administrator.
    weight_done = models.PositiveSmallIntegerField(_("权重：办结率"), default=30)
    weight_on_time = models.PositiveSmallIntegerField(_("权重：按期办结率"), default=40)
    weight_indicators = models.PositiveSmallIntegerField(_("权重：指标达标率"), default=30)
    overdue_penalty = models.PositiveSmallIntegerField(_("每项逾期未办结扣分"), default=2)
    public_page = models.BooleanField(
        _("开设营商环境专栏"),
        default=False,
        help_text=_("由召集单位开启：对外公开已发布的月度运行情况通报和标记为公开的共享案例，无需登录。"),
    )
    organizations = models.ManyToManyField(
        Organization, through="MechanismParty", related_name="mechanisms", verbose_name=_("参与单位")
    )

    class Meta:
        verbose_name = _("沟通联系机制")
        verbose_name_plural = _("沟通联系机制")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(review_working_days__gte=1), name="mechanism_review_days_positive"),
            models.CheckConstraint(
                condition=Q(registration_working_days__gte=1), name="mechanism_registration_days_positive"
            ),
            models.CheckConstraint(condition=Q(feedback_working_days__gte=1), name="mechanism_feedback_days_positive"),
            models.CheckConstraint(
                condition=Q(weight_done__gt=0) | Q(weight_on_time__gt=0) | Q(weight_indicators__gt=0),
                name="mechanism_evaluation_weights_not_all_zero",
                violation_error_message=_("办结率、按期办结率、指标达标率的权重不能全为 0。"),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def assign_default_sides(self) -> None:
        """Give every party the side its kind takes by default (set up of a new mechanism)."""
        parties = list(self.parties.select_related("organization"))
        has_collector = any(p.organization.kind in COLLECTING_KINDS for p in parties)
        for party in parties:
            party.side = default_side(party.organization.kind, has_collector)
            party.save(update_fields=["side"])

    def party_ids(self, sides: tuple[str, ...]) -> set[int]:
        """The organizations of the current parties on these sides whose place lets them route matters."""
        from ..membership import routing_parties

        return set(routing_parties(self.parties.filter(side__in=sides)).values_list("organization_id", flat=True))


class MechanismParty(models.Model):
    """One organization's place in a mechanism: its responsible department and named contacts."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="mechanism_parties"
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    liaison_lead = models.ForeignKey(
        User, verbose_name=_("分管领导"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    liaison_officer = models.ForeignKey(
        User, verbose_name=_("联络员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_convenor = models.BooleanField(_("召集单位"), default=False)
    side = models.CharField(
        _("在机制中的位置"),
        max_length=12,
        choices=PartySide.choices,
        default=PartySide.MEMBER,
        help_text=_("收集移送方填报并移送事项，办理方登记、办理并反馈；双向的单位两者皆可。"),
    )
    place = models.CharField(
        _("成员身份"),
        max_length=10,
        choices=PartyPlace.choices,
        default=PartyPlace.CORE,
        help_text=_(
            "召集单位、核心成员单位、成员单位或列席单位；审定纪要、移送办理和接收通知的权限按机制的身份规则确定。"
        ),
    )
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    left_on = models.DateField(
        _("退出日期"), null=True, blank=True, help_text=_("退出后不再参与新的审定和分送，历史记录保留。")
    )

    class Meta:
        verbose_name = _("机制参与单位")
        verbose_name_plural = _("机制参与单位")
        ordering = ["mechanism", "-is_convenor", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "organization"], name="mechanism_party_unique"),
            models.CheckConstraint(condition=Q(side__in=PartySide.values), name="mechanism_party_side_valid"),
            models.CheckConstraint(condition=Q(place__in=PartyPlace.values), name="mechanism_party_place_valid"),
            models.CheckConstraint(
                condition=~Q(place=PartyPlace.CONVENOR) | Q(is_convenor=True),
                name="mechanism_party_convenor_flag",
                violation_error_message=_("身份为召集单位的，须勾选“召集单位”。"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="mechanism_party_left_after_joined",
                violation_error_message=_("退出日期不能早于加入日期。"),
            ),
        ]

    @property
    def effective_place(self) -> str:
        """The convenor flag wins: a party marked convenor holds the convenor's place."""
        return PartyPlace.CONVENOR if self.is_convenor else self.place

    @property
    def collects(self) -> bool:
        return self.side in COLLECTING_SIDES

    @property
    def handles(self) -> bool:
        return self.side in HANDLING_SIDES

    def __str__(self) -> str:
        return f"{self.mechanism} · {self.organization}"


class MechanismPlaceRule(models.Model):
    """What one place carries in one mechanism; a place without a rule keeps the defaults
    (`liaison.choices.DEFAULT_PLACE_RIGHTS`)."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="place_rules")
    place = models.CharField(_("成员身份"), max_length=10, choices=PartyPlace.choices)
    approves_minutes = models.BooleanField(_("审定会议纪要"), default=False)
    routes_matters = models.BooleanField(_("填报、移送和办理事项"), default=False)
    is_told = models.BooleanField(_("接收纪要和通知"), default=True)

    class Meta:
        verbose_name = _("成员身份规则")
        verbose_name_plural = _("成员身份规则")
        ordering = ["mechanism", "place"]
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "place"],
                name="mechanism_place_rule_unique",
                violation_error_message=_("该身份的规则已设置。"),
            ),
            models.CheckConstraint(condition=Q(place__in=PartyPlace.values), name="mechanism_place_rule_place_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism} · {self.get_place_display()}"
