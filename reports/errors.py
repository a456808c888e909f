"""The refusals of the reports app: `ActionRefused` with the status the API answers."""

from __future__ import annotations

from liaison.errors import ActionRefused


class ReportError(ActionRefused):
    """A refused action: `message` is what the user reads; the API answers it by its code."""

    status_code = 400
    kind = ActionRefused.INVALID

    def __init__(self, message: object) -> None:
        super().__init__(str(message), self.kind)


class ReportPermissionDenied(ReportError):
    status_code = 403
    kind = ActionRefused.PERMISSION


class ReportStateConflict(ReportError):
    status_code = 409
    kind = ActionRefused.STATE
