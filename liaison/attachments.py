"""Storing and serving attachments.

A file is accepted only when its content is a PDF, an image, or a Word or Excel document, and
only within the size limit. Who may download it is decided by the object it belongs to: each app
registers, per model, the selector that gives the objects a user may see.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from . import audit
from .files import FileKind, sha256_of, validate_upload
from .models import Attachment, User

VisibleObjects = Callable[[User], models.QuerySet]
_SCOPES: dict[type[models.Model], VisibleObjects] = {}


def register_scope(model: type[models.Model], visible_objects: VisibleObjects) -> None:
    """Declare which objects of `model` (and so which of their attachments) a user may see."""
    _SCOPES[model] = visible_objects


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


def attachment_add(*, target: models.Model, upload: UploadedFile, kind: FileKind | None = None,
                   actor: User, purpose: str = "") -> Attachment:
    """Store one uploaded file against the target object and audit it."""
    if kind is None:
        kind = validate_upload(upload, max_bytes=max_bytes())
    with transaction.atomic():
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            purpose=purpose[:40],
            original_name=(upload.name or "file")[-200:],
            kind=kind.value,
            size=upload.size,
            sha256=sha256_of(upload),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        attachment.file.save(f"upload.{kind.value}", upload, save=False)
        attachment.save()
        audit.record(actor=actor, target=target, action="attachment_add",
                     summary=f"{attachment.original_name}（{attachment.size_display}，sha256 {attachment.sha256[:12]}…）")
    return attachment


def attachments_of(target: models.Model) -> models.QuerySet[Attachment]:
    """What people attached to `target` (not its frozen issued document, liaison.issued)."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).exclude(purpose="issued_document").select_related("uploaded_by")


def attachment_get_for_download(*, user: User, pk: int) -> Attachment:
    """The attachment when the user may see the object it belongs to, else 404."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    model = attachment.content_type.model_class()
    visible = _SCOPES.get(model)
    if visible is None or not visible(user).filter(pk=attachment.object_id).exists():
        raise Http404
    return attachment
