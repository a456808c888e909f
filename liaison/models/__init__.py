"""Models of the shared core: organizations and people, mechanisms, calendar, audit, notifications."""

from .attachments import Attachment
from .audit import AuditChain, AuditEvent
from .calendar import CalendarOverride, Deadline, WorkingDayIndex
from .channels import (
    Channel,
    ExternalSystem,
    IdempotentRequest,
    OutboxMessage,
    OutboxState,
    RobotChannel,
    SystemKey,
)
from .notifications import Notification, NotificationPreference, ReminderSweep
from .numbering import NumberSequence
from .organizations import (
    Department,
    Mechanism,
    MechanismParty,
    MechanismPlaceRule,
    Organization,
    RoleAssignment,
    User,
)
from .scope import ScopeGeneration

__all__ = [
    "Attachment",
    "AuditChain",
    "AuditEvent",
    "CalendarOverride",
    "Channel",
    "ExternalSystem",
    "IdempotentRequest",
    "OutboxMessage",
    "OutboxState",
    "RobotChannel",
    "SystemKey",
    "Deadline",
    "Department",
    "Mechanism",
    "MechanismParty",
    "MechanismPlaceRule",
    "Notification",
    "NotificationPreference",
    "ReminderSweep",
    "NumberSequence",
    "Organization",
    "RoleAssignment",
    "ScopeGeneration",
    "User",
    "WorkingDayIndex",
]
