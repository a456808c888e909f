"""Files the portal hands to the browser (Excel, PDF, calendars): one way to name and type them.

Django's `FileResponse` writes the Content-Disposition header (RFC 6266: a Chinese name is sent as
`filename*=utf-8''…`) and the length; the content type follows the file's extension.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import PurePath

from django.http import FileResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ICS = "text/calendar; charset=utf-8"
CONTENT_TYPES = {".xlsx": XLSX, ".pdf": PDF, ".ics": ICS, ".csv": "text/csv; charset=utf-8"}


def download(content: bytes, filename: str, *, inline: bool = False, content_type: str | None = None) -> FileResponse:
    """`content` as a file named `filename`: saved by the browser, or shown in it when `inline` (a PDF)."""
    if content_type is None:
        suffix = PurePath(filename).suffix.lower()
        content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return FileResponse(io.BytesIO(content), as_attachment=not inline, filename=filename, content_type=content_type)
