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
            RECOMMENDATION_DECISION_KIND,
            TIME_LIMIT_KIND,
            CaseStatus,
            Confirmation,
            MediatorStatus,
            RecommendationStatus,
        )
        from .home import register as register_home_panels
        from .permissions import PERMS
        from .workflow import CASE, RECOMMENDATION, ROSTER

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
        audit.register_labels(
            app="mediation",
            actions={
                **CASE.labels(),
                **ROSTER.labels(),
                **RECOMMENDATION.labels(),
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
            },
        )
        register_workflow(CASE)
        register_workflow(ROSTER)
        register_workflow(RECOMMENDATION)
        add_perms("mediation", PERMS)
        from . import selectors
        from .models import MediationCase, Recommendation

        scoping.register_object_scope(MediationCase, selectors.case_scope)
        scoping.register_object_scope(Recommendation, selectors.recommendation_scope)
        register_loader(demo.load)
        register_home_panels()

        from .search import register_sources

        register_sources()
