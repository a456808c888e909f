"""Demo judicial suggestions for Luoyang: the intermediate court consulted the federation on one,
issued it to the federation and recorded its reply; another, issued to an outside body, awaits its
reply. Through the services; idempotent by title."""

from __future__ import annotations

from liaison import deadlines
from liaison.models import Mechanism, Organization, User

from . import services, suggestions
from .choices import ReportKind
from .models import Report

MECHANISM = "洛阳法院·工商联"
REPLIED = "关于规范民营企业劳动合同管理的司法建议"
AWAITING = "关于加强预付卡经营风险防范的风险提示报告"


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    mechanism = mechanisms[MECHANISM]
    clerk, fed_staff = users["court_clerk"], users["fed_staff"]
    federation = organizations["洛阳市工商业联合会"]
    today = deadlines.today()
    if not Report.objects.filter(mechanism=mechanism, title=REPLIED).exists():
        report = services.report_create(
            actor=clerk,
            mechanism=mechanism,
            kind=ReportKind.JUDICIAL_SUGGESTION,
            title=REPLIED,
            summary="审理劳动争议案件中发现部分企业劳动合同条款缺失。",
            body="近一年审结的涉民营企业劳动争议案件中，约三成涉及劳动合同未约定工作内容、保密义务等条款。建议工商联组织会员企业对照示范文本自查整改。",
        )
        suggestion = suggestions.suggestion_for(report)
        suggestions.suggestion_consult(
            actor=clerk, suggestion=suggestion, consulted=federation, comment_due=today.replace(year=today.year + 1)
        )
        suggestions.suggestion_comment(
            actor=fed_staff, suggestion=suggestion, text="建议增加劳动合同示范文本的获取渠道，便于企业落实。"
        )
        suggestions.suggestion_issue(
            actor=clerk,
            suggestion=suggestion,
            recipient=federation,
            recipient_name="",
            reply_working_days=30,
            document_number="洛中法建〔2026〕2号",
        )
        suggestions.suggestion_reply(
            actor=fed_staff,
            suggestion=suggestion,
            text="已转发各商会组织会员企业自查，共 126 家企业修订劳动合同。",
            replied_on=today,
        )
    if not Report.objects.filter(mechanism=mechanism, title=AWAITING).exists():
        report = services.report_create(
            actor=clerk,
            mechanism=mechanism,
            kind=ReportKind.RISK_REPORT,
            title=AWAITING,
            summary="预付卡经营者跑路引发的纠纷增多。",
            body="建议相关部门加强对预付式消费经营者的资金监管，提示会员企业依法经营。",
        )
        suggestions.suggestion_issue(
            actor=clerk,
            suggestion=suggestions.suggestion_for(report),
            recipient=None,
            recipient_name="洛阳市市场监督管理局",
            reply_working_days=40,
            document_number="洛中法建〔2026〕5号",
        )
