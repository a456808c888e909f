from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("诉前调解")

    def ready(self) -> None:
        from liaison import audit, reminders, scoping
        from liaison.demo.loader import register_loader
        from liaison.permissions import add_perms, register_workflow

        from . import demo
        from .choices import (
            CHECKUP_ASSIGN_KIND,
            CHECKUP_REPORT_KIND,
            RECOMMENDATION_DECISION_KIND,
            TIME_LIMIT_KIND,
            CaseStatus,
            CheckupStatus,
            Confirmation,
            MediatorStatus,
            PairingStatus,
            RecommendationStatus,
        )
        from .home import register as register_home_panels
        from .permissions import PERMS
        from .workflow import CASE, CHECKUP, PAIRING, RECOMMENDATION, ROSTER

        # Reminded 3 working days before the limit, on its last working day, and when overdue.
        reminders.register(
            reminders.ReminderRule(deadline_kind=TIME_LIMIT_KIND, title=_("调解期限"), before_working_days=3)
        )
        # The receiving party's decision on a recommended person: 3 working days before, on the day, overdue.
        reminders.register(
            reminders.ReminderRule(
                deadline_kind=RECOMMENDATION_DECISION_KIND, title=_("推荐人选决定期限"), before_working_days=3
            )
        )
        # A legal check-up: its assignment to a paired firm, and the firm's report.
        reminders.register(
            reminders.ReminderRule(
                deadline_kind=CHECKUP_ASSIGN_KIND, title=_("法治体检分派期限"), before_working_days=1
            )
        )
        reminders.register(
            reminders.ReminderRule(
                deadline_kind=CHECKUP_REPORT_KIND, title=_("法治体检报告期限"), before_working_days=3
            )
        )
        audit.register_labels(
            app="mediation",
            actions={
                **CASE.labels(),
                **ROSTER.labels(),
                **RECOMMENDATION.labels(),
                **CHECKUP.labels(),
                **PAIRING.labels(),
                "checkup_file": _("申请法治体检"),
                "pairing_create": _("登记结对"),
                "lawyer_add": _("登记律师"),
                "lawyer_deactivate": _("停用律师"),
                "recommendation_file": _("推荐人选"),
                # The timeline says what a session event was, not the button that recorded it.
                "session": _("安排调解"),
                "refer": _("登记调解案件"),
                "mediator_appoint": _("聘任特邀调解员"),
                "organisation_register": _("登记调解组织"),
                "organisation_admit": _("吸纳为特邀调解组织"),
            },
            states={
                **dict(CaseStatus.choices),
                **dict(Confirmation.choices),
                **dict(MediatorStatus.choices),
                **{f"recommendation:{code}": label for code, label in RecommendationStatus.choices},
                **{f"checkup:{code}": label for code, label in CheckupStatus.choices},
                **{f"pairing:{code}": label for code, label in PairingStatus.choices},
            },
        )
        register_workflow(CASE)
        register_workflow(ROSTER)
        register_workflow(RECOMMENDATION)
        register_workflow(CHECKUP)
        register_workflow(PAIRING)
        add_perms("mediation", PERMS)
        from liaison.channels import events as channel_events

        from . import selectors
        from .models import Checkup, MediationCase, Recommendation

        channel_events.register(
            MediationCase,
            url_name="mediation:case_detail",
            fields=("serial", "source", "case_number", "title", "status", "referred_at", "due_date"),
            transitions={
                ("mediation", "case", "agree"): "mediation.concluded",
                ("mediation", "case", "fail"): "mediation.concluded",
                ("mediation", "case", "withdraw"): "mediation.concluded",
                ("mediation", "case", "confirm"): "mediation.confirmed",
            },
        )

        scoping.register_object_scope(MediationCase, selectors.case_scope)
        scoping.register_object_scope(Recommendation, selectors.recommendation_scope)
        scoping.register_object_scope(Checkup, selectors.checkup_scope)
        register_loader(demo.load)
        from . import demo_services

        register_loader(demo_services.load)
        register_home_panels()

        from .search import register_sources

        register_sources()
