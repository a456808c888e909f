"""The bounds of what the portal accepts from a request: dates, years, JSON depth and size.

Dates outside FIRST_DAY..LAST_DAY (a year 0, the end of time) cannot be counted in working
days or used as a period; they are refused with a message instead of failing deep inside.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)

# JSON request bodies: nesting beyond this is refused before any serializer sees it.
JSON_MAX_DEPTH = 32


def validate_supported_date(value: dt.date) -> None:
    """Refuse a date the calendar and the figures cannot work with."""
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("日期须在 %(first)s 至 %(last)s 之间。"),
            code="date_out_of_range",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


# Free text: the longest a person writes in one field (a complaint's facts, an answer, minutes),
# a message in a thread, a shared report's full text. Models, forms and serializers use these.
LONG_TEXT = 20_000
MESSAGE_TEXT = 5_000
REPORT_TEXT = 100_000
