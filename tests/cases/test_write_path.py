"""Filing with uploads: files are written before the audit chain is locked, and removed on failure."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Complaint
from cases.validators import parse_case_numbers
from liaison import attachments, audit
from liaison.models import Attachment, AuditEvent, NumberSequence

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def data(cast):
    return services.ComplaintData(
        enterprise=cast.enterprise,
        court=cast.world.court,
        kind="case_handling",
        title="附材料的诉求",
        facts="事实。",
        demands="请求。",
        case_numbers=parse_case_numbers("（2021）豫03民初123号"),
    )


def uploads():
    return attachments.validate_files([SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)])


def test_it_writes_the_files_before_the_first_audit_record(cast, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    events_when_saved: list[int] = []
    original = FileSystemStorage._save

    def spying_save(storage, name, content):
        events_when_saved.append(AuditEvent.objects.count())
        return original(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", spying_save)
    before = AuditEvent.objects.count()
    complaint = services.complaint_create(
        actor=cast.staff, mechanism=cast.world.mechanism, data=data(cast), files=uploads()
    )
    assert events_when_saved == [before, before]  # both files stored before any chain append
    assert [a.original_name for a in attachments.attachments_of(complaint)] == ["a.pdf", "b.pdf"]
    assert [e.action for e in audit.history(complaint)] == ["create", "attachment_add", "attachment_add"]


def test_a_failed_filing_leaves_no_file_behind(cast, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def failing_record(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.complaint_create(actor=cast.staff, mechanism=cast.world.mechanism, data=data(cast), files=uploads())
    assert not Attachment.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_filing_past_the_ten_thousandth_keeps_every_digit_of_its_number(cast):
    NumberSequence.objects.create(
        mechanism=cast.world.mechanism, series="complaint", year=timezone.localdate().year, last=9999
    )
    complaint = cast.file(title="第一万件")
    assert complaint.serial.endswith("-10000")
    assert Complaint.objects.get(pk=complaint.pk).serial == complaint.serial
