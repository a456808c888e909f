"""The one exception services raise when they refuse an action, with a message for the user."""

from __future__ import annotations


class ActionRefused(Exception):
    """A service refused: `code` says why (permission, state, invalid), `message` says it in Chinese."""

    PERMISSION = "permission"
    STATE = "state"
    INVALID = "invalid"

    def __init__(self, message: str, code: str = INVALID, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message
