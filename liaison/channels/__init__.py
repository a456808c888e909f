"""Channels beside email: SMS, work-group robots and webhooks to docked systems.

Every message is an `OutboxMessage` row written in the caller's transaction; `outbox.send_due`
claims due rows and hands each to the backend of its channel (configured like Django's email
backends), with exponential backoff and a limit of attempts.
"""
