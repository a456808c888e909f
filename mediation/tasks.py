"""Celery tasks of the mediation app: thin wrappers that call the services.

Both are safe to run again or concurrently: expiry is a conditional update, and every reminder
carries a dedup key (liaison.Notification.dedup_key). The time limits of cases are reminded by
liaison.tasks.sweep_reminders (the rule is registered in MediationConfig.ready()).
"""

from celery import shared_task

from . import services


@shared_task(name="mediation.tasks.sweep_terms", time_limit=300, soft_time_limit=240)
def sweep_terms() -> dict:
    """Daily: move ended terms to expired; remind 60 and 30 days before a term ends."""
    result = services.terms_sweep()
    return {"expired": result.expired, "reminded": result.reminded}


@shared_task(name="mediation.tasks.remind_sessions", time_limit=300, soft_time_limit=240)
def remind_sessions() -> int:
    """Hourly: remind the mediator and the managers of the sessions in the next 24 hours."""
    return services.sessions_remind()


@shared_task(name="mediation.tasks.sweep_recommendation_terms", time_limit=300, soft_time_limit=240)
def sweep_recommendation_terms() -> dict:
    """Daily: recommended people whose term ended expire; remind 60 and 30 days before the end."""
    result = services.recommendation_terms_sweep()
    return {"expired": result.expired, "reminded": result.reminded}
