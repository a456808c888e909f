"""Demo reports for the Luoyang and Tianhe mechanisms (and one consultation in Tianjin).

Idempotent: a report is identified by its mechanism and title; one that exists is left alone.
Reports are written and published through the services, so their timelines, notifications and
comment deadlines look like real ones.
"""

from __future__ import annotations

import datetime as dt

from liaison import deadlines
from liaison.models import Mechanism, Organization, User

from . import services
from .choices import ReportKind
from .models import Report

# (mechanism short name, author username, kind, title, summary, body, tags, case numbers,
#  comment deadline in days from today or None, publish?)
DEMO_REPORTS = [
    (
        "洛阳法院·工商联",
        "court_clerk",
        ReportKind.TYPICAL_CASE,
        "某机械制造公司与某建设公司买卖合同纠纷案——依法平等保护民营企业合同权益",
        "民营企业作为供货方依约交付设备后，买受方以工程未结算为由拒付货款。法院依法判令支付货款及逾期付款损失，"
        "并通过诉前调解促成分期履行方案。",
        "【基本案情】\n2022年3月，洛阳某机械制造有限公司（民营企业）与某建设公司签订设备买卖合同，约定货到验收合格后"
        "九十日内付清货款。机械公司依约交付设备并经验收，建设公司以其与发包方的工程款尚未结算为由拒付剩余货款"
        "三百二十万元。\n【裁判结果】\n法院审理认为，合同相对性原则下，买受方与第三方之间的结算安排不能对抗出卖人，"
        "判令建设公司支付货款及逾期付款损失。判决生效前，经市工商联推荐的商会调解组织参与，双方达成分期履行方案。\n"
        "【典型意义】\n本案明确“背靠背”条款不能当然免除付款义务，体现了对民营企业合同权益的平等保护，"
        "也是法院与工商联诉调对接机制的一次成功实践。",
        ["民营企业", "合同纠纷", "诉调对接"],
        "（2022）豫03民初456号",
        None,
        True,
    ),
    (
        "洛阳法院·工商联",
        "court_clerk",
        ReportKind.JUDICIAL_SUGGESTION,
        "关于规范民营企业用工管理、防范劳动争议风险的司法建议",
        "针对近年审理的涉民营企业劳动争议案件中反映出的劳动合同签订不规范、加班费约定不明等问题，提出四项建议。",
        "市工商业联合会：\n我院在审理涉民营企业劳动争议案件中发现，部分中小微企业存在未及时签订书面劳动合同、"
        "规章制度未经民主程序制定、加班费计算基数约定不明等问题，导致企业败诉风险较高。\n为此建议：一是通过商会"
        "组织开展劳动用工合规培训；二是推广使用劳动合同示范文本；三是指导企业完善规章制度的民主程序和公示程序；"
        "四是建立劳动争议先行调解机制，发挥商会调解组织作用。\n请于收到本建议后两个月内将采纳情况函告我院。",
        ["劳动争议", "合规经营", "司法建议"],
        "",
        None,
        True,
    ),
    (
        "洛阳法院·工商联",
        "fed_reviewer",
        ReportKind.WORK_BULLETIN,
        "洛阳市工商联法律服务工作简报（第3期）",
        "本期通报第三季度涉企诉求收集移送、商会调解和“法律进企业”活动开展情况。",
        "一、诉求收集与移送。第三季度共收集民营企业涉法诉求二十七件，经审核后向市中级人民法院移送十九件，"
        "其中重大诉求两件即时移送，已全部获得反馈。\n二、商会调解。市民营企业商会调解委员会受理法院委派调解案件"
        "三十五件，调解成功二十一件，涉案金额一千二百余万元。\n三、法律进企业。联合市中级人民法院开展“法官进商会”"
        "活动四场，覆盖企业一百二十余家。",
        ["工作简报", "商会调解"],
        "",
        None,
        True,
    ),
    (
        "洛阳法院·工商联",
        "court_clerk",
        ReportKind.DRAFT_REGULATION,
        "洛阳市中级人民法院关于为民营经济高质量发展提供司法服务和保障的若干措施（征求意见稿）",
        "共二十条，涉及平等保护产权、规范涉企强制措施、善意文明执行、完善诉调对接等方面，现征求市工商联意见。",
        "第一条 坚持平等保护原则，依法保护民营企业和企业家的财产权、经营自主权和人身权利。\n"
        "第二条 严格规范涉企财产保全措施，能采取“活封”的不采取“死封”，不得超标的查封。\n"
        "第三条 对生产经营暂时困难但有发展前景的民营企业，依法适用执行和解、分期履行等方式，帮助企业渡过难关。\n"
        "第四条 完善与工商联的诉调对接机制，对适宜调解的涉企纠纷优先委派商会调解组织调解。\n（以下略）",
        ["征求意见", "营商环境"],
        "",
        20,
        True,
    ),
    (
        "天河法院·工商联",
        "tianhe_court_clerk",
        ReportKind.TYPICAL_CASE,
        "某科技公司申请司法确认调解协议案——在线调解助力中小企业快速回款",
        "商会调解组织通过在线调解平台促成服务合同欠款纠纷和解，法院当日在线出具司法确认裁定。",
        "【基本案情】\n广州某信息科技有限公司为某贸易公司开发管理系统，贸易公司以资金紧张为由拖欠服务费四十八万元。\n"
        "【调解过程】\n天河区人民法院将纠纷委派天河区工商联所属商会调解组织，调解员通过在线调解平台组织双方视频调解，"
        "三日内达成分三期付款的调解协议，双方当日在线申请司法确认。\n【典型意义】\n本案体现了“在线调解+司法确认”"
        "的高效便捷，为中小企业节约了诉讼成本。",
        ["在线调解", "司法确认", "民营企业"],
        "（2023）粤0106民特789号",
        None,
        True,
    ),
    (
        "天河法院·工商联",
        "tianhe_court_clerk",
        ReportKind.RISK_REPORT,
        "关于民营企业融资担保纠纷的风险提示",
        "梳理近三年涉民营企业融资担保纠纷案件的主要风险点，提示企业审慎提供担保、规范关联交易。",
        "一、互保联保风险。部分企业之间相互提供担保，一家企业违约即引发担保链风险。\n二、法定代表人越权担保风险。"
        "公司对外担保未经股东会或董事会决议，可能导致担保合同效力争议。\n三、民间借贷高息风险。超过法定利率保护上限"
        "的利息不受法律保护。\n建议企业建立对外担保审批制度，审慎评估被担保方偿债能力。",
        ["融资担保", "风险提示"],
        "",
        None,
        True,
    ),
    (
        "天河法院·工商联",
        "tianhe_fed_reviewer",
        ReportKind.WORK_BULLETIN,
        "天河区工商联“法治护企”工作简报（2024年第2期）",
        "通报上半年“法治护企”系列活动、特邀调解员推荐和信用修复协作情况。",
        "一、上半年联合天河区人民法院举办“法院开放日”两场、“法律进企业”座谈会三场。\n二、向区法院推荐特邀调解员"
        "六名，均已完成岗前培训。\n三、协助十二家企业完成信用修复，推动法院对履行完毕的企业及时屏蔽失信信息。",
        ["工作简报", "信用修复"],
        "",
        None,
        True,
    ),
    (
        "天津司法局·工商联",
        "tianjin_bureau_clerk",
        ReportKind.DRAFT_REGULATION,
        "天津市优化营商环境条例（修订草案征求意见稿）",
        "修订草案增加了涉企行政执法“首违不罚”清单、包容审慎监管等内容，现征求市工商联及商会意见。",
        "第一章 总则\n第一条 为了持续优化营商环境，保护市场主体合法权益，根据《优化营商环境条例》等法律、"
        "行政法规，结合本市实际，制定本条例。\n（以下略）",
        ["征求意见", "营商环境"],
        "",
        25,
        True,
    ),
]


def load_reports(
    *, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]
) -> None:
    today = deadlines.today()
    for short, username, kind, title, summary, body, tags, case_numbers, deadline_days, publish in DEMO_REPORTS:
        mechanism, author = mechanisms.get(short), users.get(username)
        if mechanism is None or author is None:
            continue
        if Report.objects.filter(mechanism=mechanism, title=title).exists():
            continue
        report = services.report_create(
            mechanism=mechanism,
            kind=kind,
            title=title,
            summary=summary,
            body=body,
            tags=tags,
            case_numbers=case_numbers,
            comment_deadline=today + dt.timedelta(days=deadline_days) if deadline_days else None,
            actor=author,
        )
        if publish:
            services.report_publish(report=report, actor=author)


def load_monthly(
    *, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]
) -> None:
    """Last month's report of every demo mechanism, as the beat task would have published it."""
    from .models import MonthlyReport
    from .monthly import generate_monthly_report, previous_month

    today = deadlines.today()
    year, month = previous_month(today.year, today.month)
    for mechanism in mechanisms.values():
        if mechanism.founded_on and mechanism.founded_on > today.replace(day=1):
            continue
        if not MonthlyReport.objects.filter(mechanism=mechanism, year=year, month=month).exists():
            generate_monthly_report(mechanism=mechanism, year=year, month=month)
