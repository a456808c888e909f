"""The joint meetings a batch transfer is decided at, as choices.

The meetings live in the `meetings` app, which stands above this one: it registers the source of
the choices at start-up (`register`), so the batch transfer form and serializer offer the
meetings that exist without this app importing that one.
"""

from __future__ import annotations

from collections.abc import Callable

from liaison.models import User

# user → [(meeting id, reference written on the transfer letter)], newest first
Source = Callable[[User], list[tuple[int, str]]]
_source: list[Source] = []


def register(source: Source) -> None:
    _source[:] = [source]


def meetings_for(user: User) -> list[tuple[int, str]]:
    """The meetings of the mechanisms the user acts in (none when the meetings app is absent)."""
    return _source[0](user) if _source else []


def reference_of(user: User, meeting_id: int) -> str | None:
    """The reference of one of the user's meetings, or None when it is not one of them."""
    return dict(meetings_for(user)).get(meeting_id)
