from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("诉前调解")

    def ready(self) -> None:
        from liaison import audit, reminders
        from liaison.demo.loader import register_loader

        from . import demo
        from .choices import (
            CONFIRMATION_TRANSITIONS,
            MEDIATOR_TRANSITIONS,
            TIME_LIMIT_KIND,
            TRANSITIONS,
            CaseStatus,
            Confirmation,
            MediatorStatus,
        )
        from .home import register as register_home_panels

        # Reminded 3 working days before the limit, on its last working day, and when overdue.
        reminders.register(reminders.ReminderRule(deadline_kind=TIME_LIMIT_KIND, title=_("调解期限"),
                                                  before_working_days=3))
        audit.register_labels(
            app="mediation",
            actions={
                **{name: rule.label for name, rule in TRANSITIONS.items()},
                **{name: rule.label for name, rule in CONFIRMATION_TRANSITIONS.items()},
                **{f"mediator_{name}": rule.label for name, rule in MEDIATOR_TRANSITIONS.items()},
                "refer": _("登记调解案件"), "session": _("安排调解"), "extend": _("延长调解期限"),
                "mediator_appoint": _("聘任特邀调解员"), "mediator_update": _("修改调解员信息"),
                "mediator_link": _("登记利害关系"), "organisation_register": _("登记调解组织"),
                "organisation_admit": _("吸纳为特邀调解组织"),
            },
            states={**dict(CaseStatus.choices), **dict(Confirmation.choices), **dict(MediatorStatus.choices)},
        )
        register_loader(demo.load)
        register_home_panels()

        from .search import register_sources

        register_sources()
