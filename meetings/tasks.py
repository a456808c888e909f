"""Celery tasks of the meetings app: thin wrappers that call services.

Add to the beat schedule in liaison/celery.py:
    "meetings-check-cadence": {"task": "meetings.tasks.check_cadence", "schedule": crontab(hour=8, minute=0)}
"""

from celery import shared_task

from . import cadence
from .services import activities, invitations


@shared_task(name="meetings.tasks.check_cadence", time_limit=300, soft_time_limit=240)
def check_cadence() -> int:
    """Remind secretaries of quarters (and years) without meetings, and leaders when one ended so."""
    return cadence.remind()


@shared_task(name="meetings.tasks.send_invitation_emails", time_limit=300, soft_time_limit=240)
def send_invitation_emails() -> int:
    """Send the pending meeting invitations (each with its .ics); rows are claimed, so redelivery sends nothing twice."""
    return invitations.send_pending_invitations()


@shared_task(name="meetings.tasks.remind_meetings", time_limit=300, soft_time_limit=240)
def remind_meetings() -> int:
    """Hourly: remind the invitees of tomorrow's meetings who are told (once each: dedup keys)."""
    return invitations.meetings_remind()


@shared_task(name="meetings.tasks.remind_activities", time_limit=300, soft_time_limit=240)
def remind_activities() -> int:
    """Hourly: remind the people registered for tomorrow's activities (once each: dedup keys)."""
    return activities.activities_remind()
