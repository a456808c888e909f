"""Fixtures of the report tests: a higher-level reader, report builders, uploads, a frozen clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.models import User
from reports import services
from reports.choices import ReportKind

from ..cases.conftest import VALID_CODES, Cast, cast  # noqa: F401 - the complaint fixtures, for the figures and ledgers
from ..factories import OrganizationFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2 November 2026, a working day; the comment deadline below is Friday 13 November.
MONDAY = dt.datetime(2026, 11, 2, 9, 30, tzinfo=SHANGHAI)
COMMENT_DEADLINE = dt.date(2026, 11, 13)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode."
)


def pdf_upload(name: str = "附件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def exe_as_pdf(name: str = "判决书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def monday(time_machine):
    """The clock stands still on Monday 2 November 2026."""
    time_machine.move_to(MONDAY, tick=False)
    return MONDAY.date()


@pytest.fixture
def higher(world) -> User:
    """Staff of the court's parent court: reads the mechanism, may not act in it."""
    province = OrganizationFactory(name="甲省高级人民法院", kind="court", level="province")
    world.court.parent = province
    world.court.save()
    return UserFactory(username="higher", organization=province, roles=["court_clerk", "leader"])


def draft(world, *, actor: User | None = None, **fields) -> services.Report:
    values = {
        "mechanism": world.mechanism,
        "kind": ReportKind.TYPICAL_CASE,
        "title": "某机械公司买卖合同纠纷案",
        "summary": "依法平等保护民营企业合同权益",
        "body": "基本案情：某建设公司拖欠货款。裁判结果：判令支付。",
        "tags": ["民营企业", "合同纠纷"],
        "case_numbers": "（2022）豫03民初456号",
    }
    values.update(fields)
    return services.report_create(actor=actor or world.bob, **values)


def published(world, *, actor: User | None = None, **fields):
    report = draft(world, actor=actor, **fields)
    return services.report_publish(report=report, actor=actor or world.bob)


def draft_regulation(world, *, actor: User | None = None, **fields):
    values = {
        "kind": ReportKind.DRAFT_REGULATION,
        "title": "关于为民营经济发展提供司法保障的若干措施（征求意见稿）",
        "comment_deadline": COMMENT_DEADLINE,
        "tags": ["征求意见"],
    }
    values.update(fields)
    return draft(world, actor=actor, **values)
