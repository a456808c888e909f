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


# The allowed state changes, one service each:
#   draft     → published  report_publish   the author organization shares it with the other parties
#   published → withdrawn  report_withdraw  the author organization takes it back; open comment
#                                            deadlines are cancelled
#   withdrawn → draft      report_reopen    the author organization revises it before publishing again
# A withdrawn report is not re-published directly: it goes back to draft first, so that whatever
# made it wrong can be corrected and every check of publishing (e.g. a comment deadline still in
# the future) applies again. Only drafts can be edited.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportState.DRAFT: frozenset({ReportState.PUBLISHED}),
    ReportState.PUBLISHED: frozenset({ReportState.WITHDRAWN}),
    ReportState.WITHDRAWN: frozenset({ReportState.DRAFT}),
}


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


# The deadline kind of a party's comment on a draft regulation (see liaison.reminders).
COMMENT_DEADLINE_KIND = "report.comment"
