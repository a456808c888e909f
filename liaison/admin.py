"""The Django admin for the shared core; every save and delete writes an audit event."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import audit, deadlines
from .acting import acting_user
from .models import (
    AuditEvent,
    CalendarOverride,
    Department,
    ExternalSystem,
    Mechanism,
    MechanismParty,
    MechanismPlaceRule,
    Organization,
    OutboxMessage,
    RobotChannel,
    RoleAssignment,
    SystemKey,
    User,
)
from .workdays import unknown_years


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event for every add, change and delete made in the admin."""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            summary = audit.changed_fields_summary(
                {name: form.initial.get(name) for name in form.changed_data},
                {name: form.cleaned_data.get(name) for name in form.changed_data},
                {name: str(form.fields[name].label) for name in form.changed_data},
            )
        else:
            summary = str(_("新建"))
        audit.record(
            actor=acting_user(request), target=obj, action="admin_change" if change else "admin_add", summary=summary
        )

    def delete_model(self, request: HttpRequest, obj) -> None:
        audit.record(actor=acting_user(request), target=obj, action="admin_delete", summary=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            audit.record(actor=acting_user(request), target=obj, action="admin_delete", summary=str(obj))
        super().delete_queryset(request, queryset)


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "level", "parent", "region")
    list_filter = ("kind", "level")
    search_fields = ("name", "short_name", "region")
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "organization")
    search_fields = ("name", "organization__name")


class AtLeastTwoParties(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(kept) < 2:
            raise forms.ValidationError(_("一个沟通联系机制至少需要两个参与单位。"))


class MechanismPartyInline(admin.StackedInline):
    model = MechanismParty
    formset = AtLeastTwoParties
    extra = 0
    min_num = 2
    autocomplete_fields = ("organization", "liaison_lead", "liaison_officer")
    fields = (
        ("organization", "place", "is_convenor", "side"),
        ("joined_on", "left_on"),
        "responsible_department",
        ("liaison_lead", "liaison_officer"),
    )


class MechanismPlaceRuleInline(admin.TabularInline):
    """Who approves minutes, routes matters and is told, per place, in this mechanism."""

    model = MechanismPlaceRule
    extra = 0
    verbose_name_plural = _(
        "成员身份规则（未设置的身份按默认：召集单位和核心成员单位审定纪要、商定调研课题、移送办理，各单位均接收通知；"
        "不接收通知的身份不再收到纪要分送、会议通知和提醒、会议频次提醒、活动通知、报告和对接系统的事件）"
    )


@admin.register(Mechanism)
class MechanismAdmin(AuditedAdmin):
    list_display = ("name", "document_number", "meetings_per_quarter", "plenaries_per_year", "is_active")
    search_fields = ("name", "document_number")
    inlines = [MechanismPartyInline, MechanismPlaceRuleInline]
    fieldsets = (
        (
            None,
            {"fields": ("name", "short_name", "document_number", "founded_on", "transfer_number_prefix", "is_active")},
        ),
        (_("会议频次"), {"fields": ("meetings_per_quarter", "plenaries_per_year")}),
        (
            _("履职评价权重"),
            {
                "fields": (("weight_done", "weight_on_time", "weight_indicators"), "overdue_penalty"),
                "description": _(
                    "得分 =（办结率×权重 + 按期办结率×权重 + 指标达标率×权重）÷ 权重之和 × 100 − 逾期未办结项数 × 扣分；没有指标的部门不计指标一项。"
                ),
            },
        ),
        (
            _("办理时限"),
            {
                "fields": (
                    "review_working_days",
                    "registration_working_days",
                    "feedback_working_days",
                    "extensions_allowed",
                    "extension_working_days",
                    "delegated_mediation_days",
                    "entrusted_mediation_days",
                )
            },
        ),
    )


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "organization", "department", "is_active")
    list_filter = ("organization", "is_active")
    search_fields = ("username", "full_name", "organization__name")
    inlines = [RoleInline]
    fieldsets = tuple(BaseUserAdmin.fieldsets or ()) + (
        (_("单位与职务"), {"fields": ("full_name", "organization", "department", "title", "phone")}),
    )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Overrides go through the calendar service, which recomputes the deadlines they move."""

    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form, change: bool) -> None:
        if change and "date" in form.changed_data:
            previous = CalendarOverride.objects.get(pk=obj.pk)
            deadlines.calendar_override_delete(override=previous, actor=acting_user(request))
        deadlines.calendar_override_save(
            date=obj.date, is_working_day=obj.is_working_day, note=obj.note, actor=acting_user(request)
        )

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        deadlines.calendar_override_delete(override=obj, actor=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            deadlines.calendar_override_delete(override=obj, actor=acting_user(request))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        from django.contrib import messages

        from .deadlines import today

        year = today().year
        for missing in unknown_years([year, year + 1]):
            messages.warning(
                request, _("%(year)s 年的节假日安排尚未录入，该年按周一至周五计算工作日。") % {"year": missing}
            )
        return super().changelist_view(request, extra_context)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "actor_name",
        "actor_organization_name",
        "action",
        "object_repr",
        "from_state",
        "to_state",
        "ip_address",
    )
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_name", "summary")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def _event_choices() -> list[tuple[str, str]]:
    from .channels.events import EVENT_TYPES

    return [(code, f"{label}（{code}）") for code, label in EVENT_TYPES.items()]


class ExternalSystemForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("订阅的事件"), choices=_event_choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ExternalSystem
        fields = ["name", "organization", "mechanisms", "webhook_url", "secret", "event_types", "is_active"]
        help_texts = {"secret": _("推送签名密钥（HMAC-SHA256）；留空时自动生成。")}

    def clean(self) -> dict:
        data = super().clean() or {}
        organization, mechanisms = data.get("organization"), data.get("mechanisms")
        if organization and mechanisms:
            outside = [m.name for m in mechanisms if not m.parties.filter(organization=organization).exists()]
            if outside:
                raise forms.ValidationError(
                    _("所属单位不是以下机制的参与单位，不能对接：%(names)s") % {"names": "、".join(outside)}
                )
        if data.get("webhook_url") and not data.get("secret"):
            data["secret"] = secrets.token_urlsafe(32)
        return data


@admin.register(ExternalSystem)
class ExternalSystemAdmin(AuditedAdmin):
    form = ExternalSystemForm
    list_display = ("name", "organization", "webhook_url", "is_active")
    list_filter = ("is_active",)
    filter_horizontal = ("mechanisms",)


class RobotChannelForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("推送的消息类型"),
        choices=_event_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("不选时推送移送、逾期、会议通知和纪要印发。"),
    )

    class Meta:
        model = RobotChannel
        fields = ["mechanism", "name", "channel", "webhook_url", "secret", "kinds", "is_active"]


@admin.register(RobotChannel)
class RobotChannelAdmin(AuditedAdmin):
    form = RobotChannelForm
    list_display = ("name", "mechanism", "channel", "is_active")
    list_filter = ("channel", "is_active")


@admin.register(SystemKey)
class SystemKeyAdmin(admin.ModelAdmin):
    """Keys are issued on the system's page (shown once); here they are listed and revoked."""

    list_display = ("system", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("system", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "kind", "recipient", "status", "attempts", "status_code", "duration_ms")
    list_filter = ("channel", "status")
    search_fields = ("recipient", "event_id", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


admin.site.site_header = _("沟通联系机制平台 · 管理")
admin.site.site_title = _("沟通联系机制平台")
