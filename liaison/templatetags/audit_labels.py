"""Template filters that name an audit event's action and states in the reader's language."""
from django import template

from liaison.audit import action_label, event_app, state_label

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
