"""Celery tasks of the core: thin wrappers that call services."""

import time

from celery import shared_task

from . import audit, notifications, reminders, workday_index
from .channels import outbox, systems
from .observability import record_sweep


@shared_task(name="liaison.tasks.sweep_reminders", time_limit=600, soft_time_limit=540)
def sweep_reminders() -> int:
    started = time.monotonic()
    created = reminders.sweep()
    record_sweep(time.monotonic() - started, created)
    return created


@shared_task(name="liaison.tasks.send_notification_emails", time_limit=300, soft_time_limit=240)
def send_notification_emails() -> int:
    return notifications.send_pending_emails()


@shared_task(name="liaison.tasks.prune_notifications", time_limit=600, soft_time_limit=540)
def prune_notifications() -> int:
    return notifications.prune_read_notifications()


@shared_task(name="liaison.tasks.prune_idempotent_requests", time_limit=300, soft_time_limit=240)
def prune_idempotent_requests() -> int:
    return systems.prune_idempotent_requests()


@shared_task(name="liaison.tasks.extend_working_day_index", time_limit=300, soft_time_limit=240)
def extend_working_day_index() -> int:
    return workday_index.extend_working_day_index()


@shared_task(name="liaison.tasks.write_audit_checkpoint", time_limit=300, soft_time_limit=240)
def write_audit_checkpoint() -> str:
    return str(audit.write_checkpoint())


@shared_task(name="liaison.tasks.send_outbox", time_limit=300, soft_time_limit=240)
def send_outbox() -> int:
    return outbox.send_due()


@shared_task(name="liaison.tasks.send_daily_digests", time_limit=600, soft_time_limit=540)
def send_daily_digests() -> int:
    return notifications.queue_daily_digests()
