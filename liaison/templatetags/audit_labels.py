"""Template filters that name an audit event's action and states in the reader's language."""

import re

from django import template

from liaison.audit import action_label, event_app, state_label
from liaison.choices import Role

register = template.Library()


def _get(event, field: str) -> str:
    return event.get(field, "") if isinstance(event, dict) else getattr(event, field)


@register.filter
def event_action(event) -> str:
    return action_label(_get(event, "action"), event_app(event))


@register.filter
def event_from_state(event) -> str:
    value = _get(event, "from_state")
    return state_label(value, event_app(event)) if value else ""


@register.filter
def event_to_state(event) -> str:
    value = _get(event, "to_state")
    return state_label(value, event_app(event)) if value else ""


_DIGEST = re.compile(r"[；;，,（(]?\s*sha256\s+([0-9a-f]{8,64})…?\s*[）)]?")


@register.filter
def event_summary(event) -> str:
    """The summary as read in a timeline: without the SHA-256 of a file or a frozen document."""
    return _DIGEST.sub("", _get(event, "summary") or "").strip()


@register.filter
def event_digests(event) -> list[str]:
    """The SHA-256 values in the summary, for the auditors' detail line."""
    return _DIGEST.findall(_get(event, "summary") or "")


@register.filter
def may_audit(user) -> bool:
    """Who reads the audit log reads the digests too (administrators and leaders)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_administrator or user.has_role(Role.LEADER)))
