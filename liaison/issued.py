"""Issued documents, frozen: a numbered letter or minutes is rendered once when it is issued,
stored through Django's default storage (an Attachment with its own purpose) with its SHA-256, and
served as stored ever after, whatever later changes to templates, fonts or data."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from .models import Attachment, User

ISSUED_PURPOSE = "issued_document"


def issued_document(target: models.Model) -> Attachment | None:
    """The stored document of `target`, if it has been issued."""
    return (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            purpose=ISSUED_PURPOSE,
        )
        .order_by("pk")
        .first()
    )


def freeze(*, target: models.Model, content: bytes, name: str, actor: User | None) -> Attachment:
    """Store the issued PDF of `target` (once: a second call returns the first file).

    Called inside the issuing service's transaction, under its lock on `target`.
    """
    existing = issued_document(target)
    if existing is not None:
        return existing
    document = Attachment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        purpose=ISSUED_PURPOSE,
        original_name=name[:200],
        kind="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if actor and actor.pk else None,
        uploaded_at=timezone.now(),
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def read(document: Attachment) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()
