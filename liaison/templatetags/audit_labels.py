"""Template filters that name audit actions and states in the reader's language."""
from django import template

from liaison.audit import action_label, state_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("state_label", state_label)
