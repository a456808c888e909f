from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("诉求移送")

    def ready(self) -> None:
        from liaison import attachments, audit, reminders
        from liaison.channels import events as channel_events
        from liaison.deadlines import register_follower
        from liaison.permissions import add_perms, register_workflow
        from liaison.workday_index import register_listener

        from . import selectors
        from .choices import REOPEN_DECISION, ComplaintStatus, ExtensionState, MembershipState
        from .durations import refresh_running_deadline_of, refresh_since
        from .models import Complaint, Satisfaction
        from .permissions import PERMS
        from .services import FEEDBACK, REGISTRATION, REVIEW
        from .workflow import COMPLAINT, MEMBERSHIP, SATISFACTION

        register_listener(refresh_since)
        register_follower(Complaint, refresh_running_deadline_of)
        reminders.register(reminders.ReminderRule(deadline_kind=REVIEW, title=_("诉求审核")))
        reminders.register(reminders.ReminderRule(deadline_kind=REGISTRATION, title=_("移送登记")))
        reminders.register(reminders.ReminderRule(deadline_kind=FEEDBACK, title=_("诉求反馈")))
        audit.register_labels(
            app="cases",
            actions={
                **COMPLAINT.labels(),
                **MEMBERSHIP.labels(),
                **SATISFACTION.labels(),
                "rate": _("企业评价"),
                "followup": _("回访"),
                "membership_create": _("申请关联企业"),
                "invitation_create": _("邀请企业联系人"),
                "enterprise_message": _("企业沟通留言"),
                "create": _("填报"),
                "edit": _("修改"),
                "note": _("内部备注"),
                "message": _("留言"),
                "enterprise_register": _("登记企业"),
                "enterprise_update": _("修改企业信息"),
                "enterprise_public": _("可在营商环境专栏公开企业名称"),
                "enterprise_unpublic": _("不再公开企业名称"),
                "transfer_create": _("制发移送函"),
                "letter_issue": _("移送函定稿"),
            },
            states={
                **dict(ComplaintStatus.choices),
                **dict(ExtensionState.choices),
                **{f"membership_{k}": v for k, v in MembershipState.choices},
            },
        )
        attachments.register_scope(Complaint, selectors.complaint_scope)
        register_workflow(COMPLAINT)
        channel_events.register(
            Complaint,
            url_name="cases:complaint_detail",
            fields=("serial", "kind", "title", "status", "is_major", "submitted_at", "transferred_at", "registered_at")
            + ("answered_at", "closed_at", "registration_number"),
            transitions={
                ("cases", "complaint", "submit"): "complaint.submitted",
                ("cases", "complaint", "transfer_now"): "complaint.transferred",
                ("cases", "complaint", "transfer_batch"): "complaint.transferred",
                ("cases", "complaint", "register"): "complaint.registered",
                ("cases", "complaint", "assign"): "complaint.assigned",
                ("cases", "complaint", "answer"): "complaint.answered",
                ("cases", "complaint", "close"): "complaint.closed",
                ("cases", "complaint", "court_return"): "complaint.returned",
            },
        )
        register_workflow(MEMBERSHIP)
        register_workflow(SATISFACTION)
        reminders.register(reminders.ReminderRule(deadline_kind=REOPEN_DECISION, title=_("企业重新办理申请")))
        # A request's deadline hangs on the rating: seen by whoever sees the complaint.
        attachments.register_scope(
            Satisfaction,
            lambda user: Satisfaction.objects.filter(complaint__in=selectors.complaint_scope(user).values("pk")),
        )
        add_perms("cases", PERMS)

        from liaison.demo.loader import register_loader

        from . import demo, demo_history, demo_portal

        register_loader(demo.load)
        register_loader(demo_history.load)
        register_loader(demo_portal.load)

        from .home import register as register_home_panels

        register_home_panels()

        from .search import register_sources

        register_sources()
