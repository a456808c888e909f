"""Kinds and states of shared case reports, and the table of allowed state changes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.choices import Role


class ReportKind(models.TextChoices):
    TYPICAL_CASE = "typical_case", _("典型案例")
    GUIDING_CASE = "guiding_case", _("指导性案例")
    JUDICIAL_STANDARD = "judicial_standard", _("裁判规则/司法标准")
    RESEARCH_REPORT = "research_report", _("调研报告")
    JUDICIAL_SUGGESTION = "judicial_suggestion", _("司法建议")
    RISK_REPORT = "risk_report", _("风险提示报告")
    WORK_BULLETIN = "work_bulletin", _("工作简报")
    MAJOR_CASE_NOTICE = "major_case_notice", _("涉民营企业重大案件通报")
    DRAFT_REGULATION = "draft_regulation", _("法规规章草案征求意见")
    MONTHLY_FIGURES = "monthly_figures", _("月度运行情况通报")


# Kinds the system writes (the monthly report): nobody files, edits or withdraws them by hand.
GENERATED_KINDS = frozenset({ReportKind.MONTHLY_FIGURES})
WRITABLE_KIND_CHOICES = [(value, label) for value, label in ReportKind.choices if value not in GENERATED_KINDS]
# Who may generate or regenerate a monthly report on demand: leaders and meeting secretaries of a party.
GENERATOR_ROLES = frozenset({Role.LEADER, Role.MEETING_SECRETARY, Role.ADMINISTRATOR})


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


# The state changes (draft → published → withdrawn → draft) are declared in `reports.workflow`.
# A withdrawn report is not re-published directly: it goes back to draft first, so that whatever
# made it wrong can be corrected and every check of publishing applies again.


# The deadline kind of a party's comment on a draft regulation (see liaison.reminders).
COMMENT_DEADLINE_KIND = "report.comment"


class SuggestionState(models.TextChoices):
    """Where a judicial suggestion or risk report stands between its draft and the recipient's reply."""

    DRAFT = "draft", _("拟稿")
    CONSULTATION = "consultation", _("征求意见中")
    ISSUED = "issued", _("已发出待回复")
    REPLIED = "replied", _("已回复")
    OVERDUE = "overdue", _("逾期未回复")


# The kinds of report that are issued to a recipient and expect a reply.
SUGGESTION_KINDS = (ReportKind.JUDICIAL_SUGGESTION, ReportKind.RISK_REPORT)
# The deadline kind of the recipient's reply (liaison.Deadline, reminded by liaison.reminders).
REPLY_DEADLINE_KIND = "report.suggestion_reply"
# Working days a recipient has to reply unless the issuer sets another limit.
DEFAULT_REPLY_WORKING_DAYS = 40
