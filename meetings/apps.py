from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("联席会议")

    def ready(self) -> None:
        from cases import meeting_choices
        from liaison import attachments, audit, reminders, scoping
        from liaison.channels import events as channel_events
        from liaison.demo.loader import register_loader
        from liaison.permissions import add_perms

        from . import demo, selectors
        from .choices import (
            ApprovalDecision,
            DualListStatus,
            ItemStatus,
            MeetingStatus,
            MinutesStatus,
        )
        from .home import register as register_home_panels
        from .models import ActionItem, Meeting, Minutes, ProgressReport
        from .permissions import PERMS
        from .services import ITEM_DEADLINE, TASK_DEADLINE
        from .workflow import WORKFLOWS

        channel_events.register(
            Meeting,
            url_name="meetings:meeting_detail",
            fields=("kind", "title", "status", "starts_at", "ends_at", "place", "notice_sent_at"),
            transitions={("meetings", "meeting", "send_notice"): "meeting.scheduled"},
        )
        channel_events.register(
            Minutes,
            url_name="meetings:minutes_detail",
            fields=("title", "number", "status", "meeting_id", "issued_at"),
            transitions={("meetings", "minutes", "issue"): "minutes.issued"},
        )
        channel_events.register(
            ActionItem,
            url_name="meetings:item_detail",
            fields=("title", "source", "status", "due_date", "owner_organization_id", "minutes_id", "dual_list_id"),
        )
        channel_events.register_deadline_events(ITEM_DEADLINE, due="action_item.due", overdue="action_item.overdue")

        reminders.register(
            reminders.ReminderRule(deadline_kind=ITEM_DEADLINE, title=_("督办事项"), before_working_days=3)
        )
        reminders.register(
            reminders.ReminderRule(deadline_kind=TASK_DEADLINE, title=_("双清单任务"), before_working_days=5)
        )
        audit.register_labels(
            app="meetings",
            # The declared steps' words, and the words the timelines have always used for them.
            actions={
                **{code: label for workflow in WORKFLOWS for code, label in workflow.labels().items()},
                "meeting_create": _("安排会议"),
                "department_create": _("创建部门"),
                "meeting_edit": _("修改会议"),
                "meeting_send_notice": _("发出会议通知"),
                "meeting_postpone": _("延期"),
                "meeting_cancel": _("取消会议"),
                "meeting_hold": _("确认已召开"),
                "meeting_draft_minutes": _("起草纪要"),
                "meeting_approve_minutes": _("纪要审定"),
                "meeting_issue_minutes": _("印发纪要"),
                "meeting_rsvp": _("回复参会"),
                "meeting_attendance": _("登记出席情况"),
                "meeting_agenda_add": _("增加议题"),
                "meeting_agenda_edit": _("调整议题"),
                "meeting_agenda_remove": _("删除议题"),
                "meeting_agenda_transfer": _("会上移送诉求"),
                "minutes_create": _("起草纪要"),
                "minutes_edit": _("修改纪要"),
                "minutes_submit": _("纪要送审"),
                "minutes_approve": _("同意纪要"),
                "minutes_approved": _("纪要审定通过"),
                "minutes_return": _("退回纪要"),
                "minutes_issue": _("印发纪要"),
                "minutes_correct": _("起草更正纪要"),
                "item_open": _("督办事项生效"),
                "item_progress": _("报告进展"),
                "item_close": _("办结销号"),
                "dual_list_create": _("编制双清单"),
                "dual_list_import": _("导入双清单"),
                "dual_list_approve": _("双清单审定"),
                "calendar_feed_reset": _("重置日历订阅地址"),
            },
            states={
                **dict(MeetingStatus.choices),
                **{f"minutes.{code}": label for code, label in MinutesStatus.choices},
                **{f"item.{code}": label for code, label in ItemStatus.choices},
                **{f"dual_list.{code}": label for code, label in DualListStatus.choices},
                **{f"approval.{code}": label for code, label in ApprovalDecision.choices},
            },
        )
        attachments.register_scope(ProgressReport, selectors.progress_scope)
        add_perms("meetings", PERMS)
        scoping.register_object_scope(ActionItem, selectors.item_scope)
        meeting_choices.register(selectors.transfer_meeting_choices)
        register_loader(demo.load)
        register_home_panels()

        from .search import register_sources

        register_sources()
        _register_activities()


def _register_activities() -> None:
    """Activities: their words in the audit timelines, their scope, their permissions."""
    from liaison import attachments, audit
    from liaison.permissions import add_perms

    from . import selectors
    from .activity_choices import ActivityStatus
    from .activity_workflow import ACTIVITY
    from .models import Activity, Registration
    from .permissions import ACTIVITY_PERMS

    audit.register_labels(
        app="meetings",
        actions={
            **ACTIVITY.labels(),
            "activity_create": _("安排活动"),
            "activity_promote": _("候补转正"),
        },
        states={f"activity.{code}": label for code, label in ActivityStatus.choices},
    )
    attachments.register_scope(Activity, selectors.activity_scope)
    attachments.register_scope(Registration, selectors.registration_scope)
    add_perms("meetings", ACTIVITY_PERMS)

    from liaison.demo.loader import register_loader

    from .demo_activities import load

    register_loader(load)
