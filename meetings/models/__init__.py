"""Models of the meetings app: meetings and their people and agenda, minutes, action items and the dual list."""

from .activities import Activity, Registration
from .calendar import CalendarFeed, InvitationEmail
from .indicators import Indicator, IndicatorValue, TaskOwner
from .meetings import AgendaItem, Invitee, Meeting
from .minutes import Decision, Minutes, MinutesApproval, MinutesDistribution, MinutesSection
from .supervision import ActionItem, DualList, ProgressReport

__all__ = [
    "ActionItem",
    "Activity",
    "AgendaItem",
    "CalendarFeed",
    "Decision",
    "DualList",
    "Indicator",
    "IndicatorValue",
    "InvitationEmail",
    "Invitee",
    "Meeting",
    "Minutes",
    "MinutesApproval",
    "MinutesDistribution",
    "MinutesSection",
    "ProgressReport",
    "Registration",
    "TaskOwner",
]
