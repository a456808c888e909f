from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("共享案例与报告")

    def ready(self) -> None:
        from liaison import attachments, audit, reminders, scoping
        from liaison.channels import events as channel_events
        from liaison.demo.loader import register_loader
        from liaison.permissions import add_perms, register_workflow

        from . import selectors
        from .choices import COMMENT_DEADLINE_KIND, REPLY_DEADLINE_KIND, ReportState, SuggestionState
        from .demo import load_monthly, load_reports
        from .models import CommentRequest, Opinion, Report, Suggestion
        from .permissions import PERMS
        from .suggestions import suggestion_scope
        from .workflow import REPORT, SUGGESTION

        channel_events.register(Report, fields=("title", "kind", "state", "published_at"), url_name="reports:detail")

        reminders.register(reminders.ReminderRule(deadline_kind=COMMENT_DEADLINE_KIND, title="征求意见"))
        attachments.register_scope(Report, selectors.report_visible)
        attachments.register_scope(Opinion, selectors.opinion_visible)
        scoping.register_object_scope(CommentRequest, selectors.comment_request_visible)
        # The audit log names these events in words too, not only the report's own timeline.
        audit.register_labels(app=self.label, actions=selectors.ACTION_LABELS, states=dict(ReportState.choices))
        register_workflow(REPORT)
        # Judicial suggestions and risk reports: the recipient's reply deadline, reminded 5 working days before.
        reminders.register(
            reminders.ReminderRule(
                deadline_kind=REPLY_DEADLINE_KIND, title=_("司法建议回复期限"), before_working_days=5
            )
        )
        attachments.register_scope(Suggestion, suggestion_scope)
        audit.register_labels(
            app=self.label,
            actions=SUGGESTION.labels(),
            states={f"suggestion:{code}": label for code, label in SuggestionState.choices},
        )
        register_workflow(SUGGESTION)
        add_perms("reports", PERMS)
        register_loader(load_reports)
        from . import demo_suggestions

        register_loader(demo_suggestions.load)
        register_loader(load_monthly, late=True)

        from .search import register_sources

        register_sources()
        _register_research()

        from cases.signals import enterprise_publicity_changed

        from .public import forget_on_enterprise_publicity

        enterprise_publicity_changed.connect(forget_on_enterprise_publicity, dispatch_uid="reports-public-column")


def _register_research() -> None:
    """The research programme: its words in the timelines, its scope, its permissions."""
    import rules

    from liaison import audit, scoping
    from liaison.permissions import add_perms, has_role

    from . import selectors
    from .models import ResearchTopic
    from .research_choices import TopicStatus
    from .research_workflow import RESEARCH, WORKING_ROLES

    audit.register_labels(
        app="reports",
        actions={
            **RESEARCH.labels(),
            "research_propose": _("提出调研课题"),
            "activity_share_report": _("活动简报作为共享报告发布"),
        },
        states={f"research.{code}": label for code, label in TopicStatus.choices},
    )
    audit.register_labels(app="meetings", actions={"activity_share_report": _("活动简报作为共享报告发布")})
    scoping.register_object_scope(ResearchTopic, selectors.research_scope)

    from meetings import cadence_rows

    from .research_cadence import KEY
    from .research_cadence import cadence_rows as research_rows

    # The cadence page of meetings shows the topics agreed per year against the 1–2 expected.
    cadence_rows.register(KEY, research_rows)

    from liaison.demo.loader import register_loader

    from .demo_research import load_research

    register_loader(load_research, late=True)

    def step(name: str) -> rules.Predicate:
        return rules.Predicate(
            lambda user, obj: obj is not None and RESEARCH.may(user, obj, name), name=f"research_{name}"
        )

    add_perms(
        "reports",
        {
            "add_research_topic": has_role(*WORKING_ROLES),
            **{f"research_{rule.name}": step(rule.name) for rule in RESEARCH},
        },
    )
