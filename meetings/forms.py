"""Forms of the meetings pages: they parse input into what the services take; the services decide.

Nothing here decides whether an action is allowed; clean methods only turn text into objects
(dates, people, rows) and report what cannot be parsed, in Chinese.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Complaint
from cases.selectors import complaint_scope
from liaison import membership, scoping
from liaison.deadlines import today
from liaison.forms import MultipleFileField, apply_refusal, style_filter_form  # noqa: F401 - shared helpers
from liaison.models import Department, Mechanism, Organization, User

from . import services
from .choices import Attendance, MeetingKind, Rsvp
from .models import ActionItem, DualList, Indicator, Invitee, Meeting, Minutes
from .selectors import plenaries_for

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class DateTimeLocalField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=DATETIME_FORMAT)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("请按“年-月-日 时:分”填写时间。"), "required": _("请填写时间。")}
        )
        super().__init__(*args, **kwargs)


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("error_messages", {"invalid": _("请按“年-月-日”填写日期。"), "required": _("请填写日期。")})
        super().__init__(*args, **kwargs)


def party_users(mechanisms: QuerySet[Mechanism]) -> QuerySet[User]:
    """The people a meeting may invite: staff of the parties told of meetings in these mechanisms
    (`liaison.membership.told`: not of a party that has left, nor of a place the mechanism does not tell)."""
    told = membership.told(mechanisms, membership.Notice.MEETING)
    return (
        User.objects.filter(
            organization_id__in=told.organizations_subquery(),
            is_active=True,
            role_assignments__isnull=False,
        )
        .select_related("organization")
        .distinct()
        .order_by("organization__name", "full_name", "username")
    )


def default_invitees(mechanisms: QuerySet[Mechanism]) -> list[int]:
    """Leaders, secretaries and liaison officers of the parties told of meetings are invited unless unticked."""
    told = {user.pk for user in membership.told(mechanisms, membership.Notice.MEETING).users}
    return sorted(set(party_users(mechanisms).filter(pk__in=told).values_list("pk", flat=True)))


def parse_outside(text: str) -> list[services.OutsideAttendee]:
    """One outside person per line: 姓名，单位，职务，邮箱 (separated by commas; the last two optional)."""
    people = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace("、", ",").split(",")]
        parts += [""] * (4 - len(parts))
        name, organization, title, email = parts[:4]
        if not name:
            raise ValidationError(_("第 %(n)s 行：请填写姓名。") % {"n": number})
        if email and "@" not in email:
            raise ValidationError(_("第 %(n)s 行：电子邮箱“%(email)s”格式不正确。") % {"n": number, "email": email})
        people.append(
            services.OutsideAttendee(
                name=name[:40], organization_name=organization[:100], title=title[:40], email=email
            )
        )
    return people


def outside_text(meeting: Meeting) -> str:
    return "\n".join(
        "，".join(filter(None, [i.name, i.organization_name, i.title, i.email]))
        for i in meeting.invitees.filter(user__isnull=True).order_by("order", "id")
    )


class MeetingForm(forms.Form):
    mechanism = forms.ModelChoiceField(
        label=_("沟通联系机制"), queryset=Mechanism.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(
        label=_("会议名称"),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("例如：2026年第一季度联席会议"),
    )
    starts_at = DateTimeLocalField(label=_("开始时间"))
    ends_at = DateTimeLocalField(label=_("结束时间"))
    place = forms.CharField(label=_("会议地点"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    online_link = forms.URLField(
        label=_("线上会议链接"),
        max_length=300,
        required=False,
        widget=forms.URLInput(attrs=TEXT),
        error_messages={"invalid": _("请填写完整的网址。")},
    )
    convenor = forms.ModelChoiceField(
        label=_("召集单位"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("不选则为机制的召集单位。"),
    )
    chair = forms.CharField(label=_("主持人"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT))
    notes = forms.CharField(label=_("会议说明"), required=False, widget=_textarea(2), max_length=5000)
    invitees = forms.ModelMultipleChoiceField(
        label=_("参会人员"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    outside = forms.CharField(
        label=_("列席人员（外单位）"),
        required=False,
        widget=_textarea(2),
        max_length=5000,
        help_text=_("每行一人：姓名，单位，职务，电子邮箱（后两项可省略）"),
    )
    action_items = forms.ModelMultipleChoiceField(
        label=_("列入议题的督办事项"),
        queryset=ActionItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complaints = forms.ModelMultipleChoiceField(
        label=_("列入议题的待移送诉求"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    include_hidden_complaints = forms.BooleanField(
        label=_("同时列入工商联提请移送的其他诉求"), required=False, initial=True
    )

    def __init__(self, *args: object, user: User, meeting: Meeting | None = None, **kwargs: object) -> None:
        mechanisms = scoping.actionable_mechanisms(user).order_by("name")
        if meeting is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "kind": meeting.kind,
                "title": meeting.title,
                "place": meeting.place,
                "starts_at": meeting.starts_at,
                "ends_at": meeting.ends_at,
                "online_link": meeting.online_link,
                "convenor": meeting.convenor_id,
                "chair": meeting.chair,
                "notes": meeting.notes,
                "invitees": list(meeting.invitees.filter(user__isnull=False).values_list("user_id", flat=True)),
                "outside": outside_text(meeting),
            }
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        scope = Mechanism.objects.filter(pk=meeting.mechanism_id) if meeting else mechanisms
        self.fields["convenor"].queryset = (
            Organization.objects.filter(mechanism_parties__mechanism__in=scope.values("pk")).distinct().order_by("name")
        )
        self.fields["invitees"].queryset = party_users(scope)
        self.fields["invitees"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.organization.short_name or u.organization.name}{'，' + u.title if u.title else ''}）"
        )
        if meeting is not None:
            for name in ("mechanism", "action_items", "complaints", "include_hidden_complaints"):
                del self.fields[name]
            return
        self.fields["mechanism"].queryset = mechanisms
        only = list(mechanisms[:2])
        if len(only) == 1:
            self.fields["mechanism"].initial = only[0].pk
            self.fields["mechanism"].empty_label = None
        self.fields["kind"].initial = MeetingKind.JOINT
        self.fields["invitees"].initial = default_invitees(mechanisms)
        items = (
            ActionItem.objects.filter(mechanism__in=mechanisms.values("pk"), status__in=["open", "in_progress"])
            .select_related("owner_organization")
            .order_by("due_date", "pk")
        )
        self.fields["action_items"].queryset = items
        self.fields["action_items"].label_from_instance = lambda i: f"{i.title}（{i.owner_display}，{i.due_date}）"
        self.fields["action_items"].initial = [i.pk for i in items]
        queued = Complaint.objects.filter(mechanism__in=mechanisms.values("pk"), status="queued")
        visible = complaint_scope(user).filter(pk__in=queued.values("pk")).select_related("enterprise")
        self.fields["complaints"].queryset = visible.order_by("serial")
        self.fields["complaints"].label_from_instance = lambda c: f"{c.serial} {c.title}（{c.enterprise.name}）"
        self.fields["complaints"].initial = [c.pk for c in visible]
        self.hidden_complaints = queued.exclude(pk__in=visible.values("pk"))
        self.hidden_count = self.hidden_complaints.count()
        if not self.hidden_count:
            del self.fields["include_hidden_complaints"]
        else:
            self.fields["include_hidden_complaints"].label = _(
                "同时列入工商联提请移送的其他 %(n)s 件诉求（移送前仅工商联可见）"
            ) % {"n": self.hidden_count}

    def clean_outside(self) -> list[services.OutsideAttendee]:
        return parse_outside(self.cleaned_data.get("outside", ""))

    def data_for_service(self) -> services.MeetingData:
        d = self.cleaned_data
        return services.MeetingData(
            kind=d["kind"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            online_link=d["online_link"],
            convenor=d.get("convenor"),
            chair=d["chair"],
            notes=d["notes"],
            invitees=list(d["invitees"]),
            outside=d["outside"],
        )

    def agenda_choices(self, mechanism: Mechanism) -> tuple[list, list]:
        """The action items and complaints kept for the default agenda, of the chosen mechanism."""
        d = self.cleaned_data
        items = [i for i in d.get("action_items", []) if i.mechanism_id == mechanism.pk]
        complaints = [c for c in d.get("complaints", []) if c.mechanism_id == mechanism.pk]
        if d.get("include_hidden_complaints") and self.hidden_count:
            complaints += list(self.hidden_complaints.filter(mechanism=mechanism))
        return items, complaints


# --- meeting actions ------------------------------------------------------------------------


class EmptyActionForm(forms.Form):
    """A step that takes no input: the button is the form."""


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=_textarea(2), max_length=300, error_messages={"required": _("请填写理由。")}
    )


class PostponeForm(forms.Form):
    reason = forms.CharField(
        label=_("延期理由"), widget=_textarea(2), max_length=300, error_messages={"required": _("请填写延期理由。")}
    )
    starts_at = DateTimeLocalField(label=_("新的开始时间"))
    ends_at = DateTimeLocalField(label=_("新的结束时间"))


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("是否参加"),
        widget=forms.RadioSelect,
        choices=[
            (Rsvp.ACCEPTED, Rsvp.ACCEPTED.label),
            (Rsvp.TENTATIVE, Rsvp.TENTATIVE.label),
            (Rsvp.DECLINED, Rsvp.DECLINED.label),
        ],
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("不参加的，请说明理由或委托参会人员。"),
    )


class AttendanceForm(forms.Form):
    """One choice and one deputy name per invitee."""

    def __init__(self, *args: object, invitees: list[Invitee], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        for invitee in invitees:
            self.fields[f"attendance_{invitee.pk}"] = forms.ChoiceField(
                label=invitee.display_name,
                choices=Attendance.choices,
                initial=invitee.attendance,
                widget=forms.Select(attrs={**SELECT, "class": "form-select form-select-sm"}),
            )
            self.fields[f"deputy_{invitee.pk}"] = forms.CharField(
                label=_("委托出席人"),
                max_length=60,
                required=False,
                initial=invitee.represented_by,
                widget=forms.TextInput(attrs={**TEXT, "class": "form-control form-control-sm"}),
            )

    def rows(self) -> list[tuple[Invitee, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"attendance_{i.pk}"], self[f"deputy_{i.pk}"]) for i in self.invitees]

    def entries(self) -> list[services.AttendanceEntry]:
        d = self.cleaned_data
        return [
            services.AttendanceEntry(i, d[f"attendance_{i.pk}"], d.get(f"deputy_{i.pk}", "")) for i in self.invitees
        ]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label=_("说明"), required=False, widget=_textarea(2), max_length=5000)
    presenter = forms.CharField(label=_("汇报人"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT))


class AgendaTrimForm(forms.Form):
    action_items = forms.ModelMultipleChoiceField(queryset=ActionItem.objects.none(), required=False)
    complaints = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args: object, item, visible_complaints: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_items"].queryset = item.action_items.all()
        self.fields["complaints"].queryset = visible_complaints


class AgendaTransferForm(forms.Form):
    complaints = forms.ModelMultipleChoiceField(
        label=_("本次会议移送的诉求"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要移送的诉求。")},
    )

    def __init__(self, *args: object, queued: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complaints"].queryset = queued


# --- minutes -----------------------------------------------------------------------------------


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("督办事项"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))
    owner_organization = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Organization.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    owner_department = forms.ModelChoiceField(
        label=_("责任部门"), queryset=Department.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    due_date = DateField(label=_("完成时限"), required=False)
    target = forms.CharField(label=_("具体要求"), required=False, max_length=2000, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: object, mechanism: Mechanism, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        parties = Organization.objects.filter(mechanism_parties__mechanism=mechanism).order_by("name")
        self.fields["owner_organization"].queryset = parties
        self.fields["owner_department"].queryset = (
            Department.objects.filter(organization__in=parties)
            .select_related("organization")
            .order_by("organization__name", "name")
        )

    @property
    def is_blank(self) -> bool:
        d = getattr(self, "cleaned_data", {})
        return not any(
            d.get(name) for name in ("title", "owner_organization", "owner_department", "due_date", "target")
        )

    def clean(self) -> dict:
        d = super().clean()
        if not self.is_blank:
            for name, label in (
                ("title", _("督办事项")),
                ("owner_organization", _("责任单位")),
                ("due_date", _("完成时限")),
            ):
                if not d.get(name) and name not in self.errors:
                    self.add_error(name, _("请填写%(label)s。") % {"label": label})
        return d


class BaseActionItemFormSet(forms.BaseFormSet):
    def __init__(self, *args: object, mechanism: Mechanism, **kwargs: object) -> None:
        self.mechanism = mechanism
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int) -> dict:
        return {**super().get_form_kwargs(index), "mechanism": self.mechanism}

    @property
    def empty_form(self) -> forms.Form:  # pragma: no cover - not rendered
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            mechanism=self.mechanism,
        )


ActionItemFormSet = forms.formset_factory(ActionItemForm, formset=BaseActionItemFormSet, extra=3, max_num=50)


class MinutesForm(forms.Form):
    """Title, summary, one discussion per agenda item (plus one more), decided items one per line."""

    title = forms.CharField(label=_("纪要标题"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    summary = forms.CharField(
        label=_("会议概况"),
        widget=_textarea(4),
        max_length=20000,
        help_text=_("时间、地点、主持人、参会单位和会议主要内容。"),
    )
    extra_heading = forms.CharField(
        label=_("其他议题"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    extra_discussion = forms.CharField(label=_("讨论情况"), required=False, widget=_textarea(3), max_length=20000)
    decisions = forms.CharField(
        label=_("议定事项"), required=False, widget=_textarea(4), max_length=20000, help_text=_("每行一项。")
    )

    def __init__(self, *args: object, meeting: Meeting, minutes: Minutes | None = None, **kwargs: object) -> None:
        self.agenda = list(meeting.agenda_items.all())
        sections = {}
        if minutes is not None and not kwargs.get("initial"):
            existing = list(minutes.sections.all())
            sections = {s.agenda_item_id: s for s in existing if s.agenda_item_id}
            extra = next((s for s in existing if not s.agenda_item_id), None)
            kwargs["initial"] = {
                "title": minutes.title,
                "summary": minutes.summary,
                "decisions": "\n".join(d.text for d in minutes.decisions.all()),
                "extra_heading": extra.heading if extra else "",
                "extra_discussion": extra.discussion if extra else "",
            }
        elif not kwargs.get("initial"):
            kwargs["initial"] = {"title": _("%(title)s纪要") % {"title": meeting.title}}
        super().__init__(*args, **kwargs)
        for item in self.agenda:
            self.fields[f"section_{item.pk}"] = forms.CharField(
                label=item.title,
                required=False,
                widget=_textarea(3),
                max_length=20000,
                initial=sections[item.pk].discussion if item.pk in sections else "",
            )

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{item.pk}"] for item in self.agenda]

    def data_for_service(self, action_items: list[services.ItemData]) -> services.MinutesData:
        d = self.cleaned_data
        sections = [
            services.SectionData(heading=item.title, discussion=d[f"section_{item.pk}"], agenda_item=item)
            for item in self.agenda
            if d.get(f"section_{item.pk}", "").strip()
        ]
        if d.get("extra_heading", "").strip() or d.get("extra_discussion", "").strip():
            sections.append(services.SectionData(heading=d["extra_heading"], discussion=d["extra_discussion"]))
        return services.MinutesData(
            title=d["title"],
            summary=d["summary"],
            sections=sections,
            decisions=[line.strip() for line in d.get("decisions", "").splitlines() if line.strip()],
            action_items=action_items,
        )


def action_items_of(formset: forms.BaseFormSet) -> list[services.ItemData]:
    return [
        services.ItemData(
            title=f.cleaned_data["title"],
            owner_organization=f.cleaned_data["owner_organization"],
            owner_department=f.cleaned_data.get("owner_department"),
            due_date=f.cleaned_data["due_date"],
            target=f.cleaned_data.get("target", ""),
        )
        for f in formset.forms
        if f.cleaned_data and not f.is_blank
    ]


def action_item_initial(minutes: Minutes) -> list[dict]:
    return [
        {
            "title": i.title,
            "owner_organization": i.owner_organization_id,
            "owner_department": i.owner_department_id,
            "due_date": i.due_date,
            "target": i.target,
        }
        for i in minutes.action_items.order_by("order", "id")
    ]


class DecisionForm(forms.Form):
    """A leader's decision for their organization: the comment, and a button to approve or to return."""

    decision = forms.ChoiceField(choices=[("approve", _("同意")), ("return", _("退回修改"))])
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        widget=_textarea(2),
        max_length=5000,
        help_text=_("退回修改的，请写明修改意见。"),
    )

    def __init__(self, *args: object, user: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.organization_id:
            self.note = _("代表%(org)s审定。") % {"org": user.organization.name}
        self.buttons = [
            ("decision", "approve", _("同意"), "btn-success"),
            ("decision", "return", _("退回修改"), "btn-outline-danger"),
        ]
        self.shown_fields = [self["comment"]]

    def clean(self) -> dict:
        data = super().clean()
        if "decision" in data:
            data["approve"] = data["decision"] == "approve"
            if not data["approve"] and not (data.get("comment") or "").strip():
                self.add_error("comment", _("退回修改的，请填写意见。"))
        return data


# --- action items and the dual list ---------------------------------------------------------------


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=_textarea(3), max_length=20000)
    completed = forms.BooleanField(label=_("已完成，申请办结销号"), required=False)
    files = MultipleFileField()


class IndicatorValueForm(forms.Form):
    """A month's value of one of the task's entered indicators."""

    indicator = forms.ModelChoiceField(
        label=_("指标"), queryset=Indicator.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    month = forms.DateField(
        label=_("月份"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={**TEXT, "type": "month"}, format="%Y-%m"),
    )
    value = forms.DecimalField(
        label=_("数值"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )

    def __init__(self, *args: object, item: ActionItem, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from .choices import IndicatorSource

        field = self.fields["indicator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = item.indicators.filter(source=IndicatorSource.ENTERED)
        field.label_from_instance = lambda i: f"{i.name}（{i.target_display}）"
        if not self.is_bound:
            self.initial["month"] = today().replace(day=1)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("办结意见"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT))


class DualListForm(forms.Form):
    mechanism = forms.ModelChoiceField(
        label=_("沟通联系机制"), queryset=Mechanism.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT))
    title = forms.CharField(
        label=_("名称"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("不填则自动生成。"),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        mechanisms = scoping.actionable_mechanisms(user).order_by("name")
        self.fields["mechanism"].queryset = mechanisms
        self.fields["year"].initial = dt.date.today().year
        only = list(mechanisms[:2])
        if len(only) == 1:
            self.fields["mechanism"].initial = only[0].pk
            self.fields["mechanism"].empty_label = None


class DualListImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={**TEXT, "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )
    create_departments = forms.BooleanField(
        label=_("创建缺少的部门"),
        required=False,
        help_text=_("表中的牵头部门、责任部门尚未建立时，先不勾选导入一次查看清单，确认后勾选再导入。"),
    )


class DualListApproveForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("审定的全体会议"),
        queryset=Meeting.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("请选择审定双清单的全体会议。")},
    )

    def __init__(self, *args: object, dual_list: DualList, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = plenaries_for(dual_list)
