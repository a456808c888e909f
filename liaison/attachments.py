"""Storing and serving attachments.

A file is accepted only when its content is a PDF, an image, or a Word or Excel document, and
only within the size limit. Who may download it is decided by the object it belongs to: each app
registers, per model, the selector that gives the objects a user may see.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from . import audit, scoping
from .files import FileKind, sha256_of, validate_upload
from .models import Attachment, User

VisibleObjects = Callable[[User], models.QuerySet]


def register_scope(model: type[models.Model], visible_objects: VisibleObjects) -> None:
    """Declare which objects of `model` (and so which of their attachments and deadlines) a user may see."""
    scoping.register_object_scope(model, visible_objects)


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def validate_files(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, FileKind]]:
    """Check every file before anything is saved; one message per refused file."""
    accepted, errors = [], []
    for upload in files:
        try:
            accepted.append((upload, validate_upload(upload, max_bytes=max_bytes())))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return accepted


def _stored(upload: UploadedFile, kind: FileKind, actor: User, purpose: str) -> Attachment:
    """Write the file to storage; the row, not yet saved, waits for its target."""
    attachment = Attachment(
        purpose=purpose[:40],
        original_name=(upload.name or "file")[-200:],
        kind=kind.value,
        size=cast(int, upload.size),  # an upload read from a request always has its size
        sha256=sha256_of(upload),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(f"upload.{kind.value}", upload, save=False)
    _written(attachment)
    return attachment


def _record(target: models.Model, attachment: Attachment, actor: User) -> Attachment:
    attachment.content_type = ContentType.objects.get_for_model(target)
    attachment.object_id = str(target.pk)
    attachment.save()
    audit.record(
        actor=actor,
        target=target,
        action="attachment_add",
        summary=f"{attachment.original_name}（{attachment.size_display}，sha256 {attachment.sha256[:12]}…）",
    )
    return attachment


def attachment_add(
    *, target: models.Model, upload: UploadedFile, kind: FileKind | None = None, actor: User, purpose: str = ""
) -> Attachment:
    """Store one uploaded file against the target object and audit it."""
    if kind is None:
        kind = validate_upload(upload, max_bytes=max_bytes())
    attachment = _stored(upload, kind, actor, purpose)
    with transaction.atomic():
        return _record(target, attachment, actor)


@contextmanager
def stored_uploads(
    files: Iterable[tuple[UploadedFile, FileKind]], *, actor: User, purpose: str = ""
) -> Iterator[list[Attachment]]:
    """Write validated uploads to storage before the transaction that records them.

    The audit chain's head stays locked from the first audit record until commit, so files are
    written first, outside any lock; they are removed again when the block fails.
    """
    stored: list[Attachment] = []
    try:
        for upload, kind in files:
            stored.append(_stored(upload, kind, actor, purpose))
        yield stored
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def attachments_record(*, target: models.Model, stored: Iterable[Attachment], actor: User) -> list[Attachment]:
    """Attach files written by `stored_uploads` to the target and audit each; call inside the
    transaction of the change they belong to."""
    return [_record(target, attachment, actor) for attachment in stored]


def attachments_of(target: models.Model) -> models.QuerySet[Attachment]:
    """What people attached to `target` (not its frozen issued document, liaison.issued)."""
    return (
        Attachment.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk))
        .exclude(purpose="issued_document")
        .select_related("uploaded_by")
    )


def attachment_get_for_download(*, user: User, pk: int) -> Attachment:
    """The attachment when the user may see the object it belongs to, else 404."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    model = attachment.content_type.model_class()
    visible = scoping.object_scope(model)
    if visible is None or not visible(user).filter(pk=attachment.object_id).exists():
        raise Http404
    return attachment


# --- files of rolled-back uploads --------------------------------------------------------------

_tracking = threading.local()


def _written(attachment: Attachment) -> None:
    names = getattr(_tracking, "files", None)
    if names is not None:
        names.append((attachment.file.name, attachment.file.storage))


@contextmanager
def rolled_back_files_removed() -> Iterator[None]:
    """Remove the files stored inside the block whose attachment row did not survive it.

    A file is written before its row; when the surrounding transaction rolls back the row goes
    but the file stays. At the end of the block (a request) one query tells which rows exist.
    """
    if getattr(_tracking, "files", None) is not None:
        yield
        return
    _tracking.files = []
    try:
        yield
    finally:
        written, _tracking.files = _tracking.files, None
        if written:
            kept = set(Attachment.objects.filter(file__in=[name for name, _ in written]).values_list("file", flat=True))
            for name, storage in written:
                if name not in kept:
                    storage.delete(name)
