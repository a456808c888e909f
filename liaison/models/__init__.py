"""Models of the shared core: organizations and people, mechanisms, calendar, audit, notifications."""
from .audit import AuditChainHead, AuditEvent
from .calendar import CalendarOverride, Deadline
from .notifications import Notification, NotificationPreference
from .organizations import Department, Mechanism, MechanismParty, Organization, RoleAssignment, User

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "CalendarOverride",
    "Deadline",
    "Department",
    "Mechanism",
    "MechanismParty",
    "Notification",
    "NotificationPreference",
    "Organization",
    "RoleAssignment",
    "User",
]
