"""Celery tasks of shared reports: thin wrappers that call services."""

import logging

from celery import shared_task

from liaison.deadlines import today
from liaison.errors import ActionRefused

from . import monthly

log = logging.getLogger(__name__)


@shared_task(name="reports.tasks.generate_monthly_reports", time_limit=1800, soft_time_limit=1700)
def generate_monthly_reports() -> int:
    """From the first working day of a month, publish last month's report of every active mechanism
    that has none yet (runs daily, so a day the server was down is caught up the next day)."""
    made = 0
    for mechanism, year, month in monthly.due_months(today()):
        try:
            monthly.generate_monthly_report(mechanism=mechanism, year=year, month=month)
        except ActionRefused as refusal:  # e.g. a mechanism without parties: the others still get theirs
            log.warning("monthly report of %s %d-%02d not generated: %s", mechanism.pk, year, month, refusal)
        else:
            made += 1
    return made


@shared_task(name="reports.tasks.remind_research", time_limit=300, soft_time_limit=240)
def remind_research() -> int:
    """Daily: the January reminder of mechanisms without an agreed research topic, and the reminders
    before research milestones (each once: dedup keys)."""
    from . import research

    return research.research_remind()


@shared_task(name="reports.tasks.sweep_suggestions", time_limit=300, soft_time_limit=240)
def sweep_suggestions() -> int:
    """Daily: judicial suggestions whose reply deadline has passed unanswered turn overdue."""
    from .suggestions import suggestions_sweep

    return suggestions_sweep().lapsed
