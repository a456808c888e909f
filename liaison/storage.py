"""Serving stored files from whichever storage holds them (a local folder or an S3 bucket).

The bucket is never public. After the scoping check the portal either streams the object itself
or, with ``STORAGE_DOWNLOADS=redirect`` on S3, redirects to a URL signed for
``S3_SIGNED_URL_SECONDS`` that names the file and its type. A stored object that has gone
missing answers 410 with a message, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _


class StoredFileGone(Exception):
    """The database row exists but its file is missing from the storage."""


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name")


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}"


def file_download(field: FieldFile, *, filename: str, content_type: str) -> HttpResponseBase:
    """Answer a download of ``field`` (already checked against the user's scope).

    Raises StoredFileGone when the storage no longer has the object.
    """
    storage = field.storage
    name = cast(str, field.name)  # a stored attachment's file always has a name
    if settings.STORAGE_DOWNLOADS == "redirect" and is_s3(storage):
        if not storage.exists(name):
            raise StoredFileGone(name)
        signed = {"ResponseContentDisposition": _disposition(filename), "ResponseContentType": content_type}
        url = storage.url(name, parameters=signed, expire=settings.S3_SIGNED_URL_SECONDS)  # type: ignore[call-arg] # S3Storage.url takes these
        response: HttpResponse = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as error:
        raise StoredFileGone(name) from error
    download = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    download["Cache-Control"] = "private, no-store"
    return download


def gone_response(request: HttpRequest, filename: str) -> HttpResponse:
    """410 with a message in the user's language: the record is kept, the file is lost."""
    message = _("文件“%(name)s”已不在存储中，可能已被删除或尚未恢复。请联系管理员从备份恢复。") % {"name": filename}
    body = render_to_string("410.html", {"message": message}, request=request)
    return HttpResponse(body, status=410)


def iter_names(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage under ``folder``, recursively (local folder or bucket)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from iter_names(storage, f"{folder}/{directory}" if folder else directory)
