"""Signals other apps listen to (apps above `cases` may not be imported from here)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after commit when an enterprise is marked public or no longer public; `mechanism_id` says whose
# public column names may change.
enterprise_publicity_changed = Signal()
