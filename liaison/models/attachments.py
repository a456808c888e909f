"""Uploaded files, recognised by content and stored under a random name with their hash."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance: Attachment, filename: str) -> str:
    # The original name is kept in a field; on disk a random name, so no personal data in paths.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class Attachment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("用途"), max_length=40, blank=True)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        "liaison.User", verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_target")]
        constraints = [models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def mime_type(self) -> str:
        """The type recognised from the content at upload (never from the file's name)."""
        from ..files import FileKind

        try:
            return FileKind(self.kind).mime_type
        except ValueError:
            return "application/octet-stream"

    @property
    def size_display(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        if self.size >= 1024:
            return f"{self.size // 1024} KB"
        return f"{self.size} B"
