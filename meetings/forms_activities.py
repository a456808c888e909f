"""Forms of the activity pages: planning, cancelling, sign-in and the report. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison import scoping
from liaison.forms import MultipleFileField
from liaison.models import Mechanism, Organization, User

from .activity_choices import ActivityKind
from .forms import SELECT, TEXT, DateTimeLocalField, _textarea
from .models import Activity, Registration
from .services.activities import ActivityData


class ActivityForm(forms.Form):
    mechanism = forms.ModelChoiceField(
        label=_("沟通联系机制"), queryset=Mechanism.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label=_("活动名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    organizer = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("不选则为本单位。"),
    )
    co_organizers = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Organization.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_at = DateTimeLocalField(label=_("开始时间"))
    ends_at = DateTimeLocalField(label=_("结束时间"))
    place = forms.CharField(label=_("活动地点"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    online_link = forms.URLField(
        label=_("线上链接"),
        max_length=300,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs=TEXT),
        error_messages={"invalid": _("请填写完整的网址。")},
    )
    capacity = forms.IntegerField(
        label=_("名额"),
        min_value=1,
        max_value=100000,
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={"min_value": _("名额至少为 1。"), "required": _("请填写名额。"), "invalid": _("请填写整数。")},
    )
    registration_deadline = DateTimeLocalField(label=_("报名截止时间"), required=False)
    for_party_staff = forms.BooleanField(label=_("面向参与单位工作人员"), required=False, initial=True)
    for_chamber_members = forms.BooleanField(label=_("面向商会会员"), required=False)
    for_enterprises = forms.BooleanField(label=_("面向企业"), required=False)
    description = forms.CharField(label=_("活动说明"), required=False, widget=_textarea(3), max_length=5000)

    def __init__(self, *args: object, user: User, activity: Activity | None = None, **kwargs: object) -> None:
        if activity is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                name: getattr(activity, name)
                for name in (
                    "kind",
                    "title",
                    "starts_at",
                    "ends_at",
                    "place",
                    "online_link",
                    "capacity",
                    "registration_deadline",
                    "for_party_staff",
                    "for_chamber_members",
                    "for_enterprises",
                    "description",
                )
            } | {"organizer": activity.organizer_id, "co_organizers": [o.pk for o in activity.co_organizers.all()]}
        super().__init__(*args, **kwargs)
        self.activity = activity
        scope = (
            Mechanism.objects.filter(pk=activity.mechanism_id)
            if activity
            else scoping.actionable_mechanisms(user).order_by("name")
        )
        self.fields["mechanism"].queryset = scope
        parties = Organization.objects.filter(mechanism_parties__mechanism__in=scope.values("pk")).distinct()
        self.fields["organizer"].queryset = parties.order_by("name")
        self.fields["co_organizers"].queryset = parties.order_by("name")
        if activity is not None:
            del self.fields["mechanism"]

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间须晚于开始时间。"))
        if not data.get("place") and not data.get("online_link") and "place" not in self.errors:
            self.add_error("place", _("请填写活动地点或线上链接。"))
        deadline = data.get("registration_deadline")
        if deadline and starts and deadline > starts:
            self.add_error("registration_deadline", _("报名截止时间不能晚于活动开始时间。"))
        return data

    def data_for_service(self) -> ActivityData:
        d = self.cleaned_data
        return ActivityData(
            kind=d["kind"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            capacity=d["capacity"],
            place=d.get("place", ""),
            online_link=d.get("online_link", ""),
            organizer=d.get("organizer"),
            co_organizers=list(d.get("co_organizers") or []),
            for_party_staff=d.get("for_party_staff", False),
            for_chamber_members=d.get("for_chamber_members", False),
            for_enterprises=d.get("for_enterprises", False),
            registration_deadline=d.get("registration_deadline"),
            description=d.get("description", ""),
        )


class ActivityReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("取消理由"), widget=_textarea(2), max_length=300, error_messages={"required": _("请填写取消理由。")}
    )


class SignInForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("已签到"), queryset=Registration.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, activity: Activity, **kwargs: object) -> None:
        confirmed = [r for r in activity.registrations.all() if r.status == "confirmed"]
        kwargs.setdefault("initial", {"present": [r.pk for r in confirmed if r.signed_in_at]})
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Registration.objects.filter(pk__in=[r.pk for r in confirmed])
        self.fields["present"].label_from_instance = lambda r: (
            f"{r.user.display_name}（{r.user.organization.name if r.user.organization_id else ''}）"
        )


class ActivityReportForm(forms.Form):
    report = forms.CharField(
        label=_("活动简报"), widget=_textarea(5), max_length=5000, error_messages={"required": _("请填写活动简报。")}
    )
    enterprises_reached = forms.IntegerField(
        label=_("覆盖企业数"),
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={"min_value": _("覆盖企业数不能为负数。"), "invalid": _("请填写整数。")},
    )
    photos = MultipleFileField(label=_("照片和附件"), required=False)
