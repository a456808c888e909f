from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("诉求移送")

    def ready(self) -> None:
        from liaison import attachments, reminders

        from . import selectors
        from .models import Complaint
        from .services import FEEDBACK, REGISTRATION, REVIEW

        reminders.register(reminders.ReminderRule(deadline_kind=REVIEW, title=str(_("诉求审核"))))
        reminders.register(reminders.ReminderRule(deadline_kind=REGISTRATION, title=str(_("移送登记"))))
        reminders.register(reminders.ReminderRule(deadline_kind=FEEDBACK, title=str(_("诉求反馈"))))
        attachments.register_scope(Complaint, selectors.complaint_scope)

        from liaison.demo.loader import register_loader

        from . import demo

        register_loader(demo.load)
