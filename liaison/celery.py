"""The Celery application and its beat schedule (kept in code, not in a database row)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_time_limit=300,
    task_soft_time_limit=240,
    # A task is acknowledged when it ends, and handed back to the queue when its worker process
    # dies, so a killed worker loses nothing; every task claims its rows, so a rerun is harmless.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    timezone="Asia/Shanghai",
    beat_scheduler="liaison.beat:LockedScheduler",
)
app.autodiscover_tasks()


def all_queues() -> list[str]:
    """Every queue name: the default one first, then one per kind (CELERY_QUEUES_BY_KIND)."""
    return [queue.name for queue in app.conf.task_queues]


def _beat_schedule() -> dict:
    from django.conf import settings

    return {
        "sweep-reminders": {
            "task": "liaison.tasks.sweep_reminders",
            "schedule": settings.REMINDER_SWEEP_SECONDS,
        },
        # Sends what a lost queued task did not (Redis down at commit) and reclaims stuck rows.
        "send-notification-emails": {
            "task": "liaison.tasks.send_notification_emails",
            "schedule": settings.EMAIL_SWEEP_SECONDS,
        },
        # Sends the due outbox rows: retries, and rows whose queued task was lost.
        "send-outbox": {"task": "liaison.tasks.send_outbox", "schedule": settings.OUTBOX_SWEEP_SECONDS},
        "send-daily-digests": {"task": "liaison.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=0)},
        "prune-notifications": {"task": "liaison.tasks.prune_notifications", "schedule": crontab(hour=3, minute=15)},
        "prune-idempotent-requests": {
            "task": "liaison.tasks.prune_idempotent_requests",
            "schedule": crontab(minute=45),
        },
        "write-audit-checkpoint": {
            "task": "liaison.tasks.write_audit_checkpoint",
            "schedule": crontab(hour=0, minute=30),
        },
        "extend-working-day-index": {
            "task": "liaison.tasks.extend_working_day_index",
            "schedule": crontab(day_of_month=1, hour=2, minute=0),
        },
        "meetings-check-cadence": {"task": "meetings.tasks.check_cadence", "schedule": crontab(hour=8, minute=0)},
        # Resends invitation emails whose queued task was lost.
        "meetings-send-invitations": {
            "task": "meetings.tasks.send_invitation_emails",
            "schedule": settings.REMINDER_SWEEP_SECONDS,
        },
        "mediation-sweep-terms": {"task": "mediation.tasks.sweep_terms", "schedule": crontab(hour=6, minute=30)},
        "mediation-sweep-recommendation-terms": {
            "task": "mediation.tasks.sweep_recommendation_terms",
            "schedule": crontab(hour=6, minute=35),
        },
        "reports-sweep-suggestions": {
            "task": "reports.tasks.sweep_suggestions",
            "schedule": crontab(hour=6, minute=40),
        },
        # Publishes last month's report on the first working day of a month (checked daily).
        "reports-generate-monthly": {
            "task": "reports.tasks.generate_monthly_reports",
            "schedule": crontab(hour=7, minute=30),
        },
        "mediation-remind-sessions": {"task": "mediation.tasks.remind_sessions", "schedule": 3600.0},
        # The day before a meeting, its invitees are reminded (hourly; once each).
        "meetings-remind-meetings": {"task": "meetings.tasks.remind_meetings", "schedule": 3600.0},
        # The day before an activity, its registered people are reminded (hourly; once each).
        "meetings-remind-activities": {"task": "meetings.tasks.remind_activities", "schedule": 3600.0},
        # January: mechanisms without an agreed research topic; before each research milestone.
        "reports-remind-research": {"task": "reports.tasks.remind_research", "schedule": crontab(hour=8, minute=30)},
    }


@app.on_after_finalize.connect
def _setup_periodic_tasks(sender: Celery, **kwargs: object) -> None:
    sender.conf.beat_schedule = _beat_schedule()
