"""Ranking and conflict exclusion, with a table of cases.

The field: organisation A is run by chamber A, organisation B by chamber B.
  甲 (A)  contracts                 no history
  乙 (B)  contracts                 one open case
  丙 (B)  finance                   no history; recorded as linked to a party named 赵某某
  丁 (B)  contracts                 two finished: one agreement, one failure (50 %)
  戊 (B)  contracts                 no history; recorded as linked to enterprise E3
  己 (B)  contracts, finance        one finished: an agreement (100 %)
  庚 (B)  contracts                 suspended: never a candidate
Enterprises: E1 is a member of chamber A, E2 of chamber B, E3 of no chamber.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from liaison.errors import ActionRefused
from mediation import services
from mediation.ranking import rank_candidates


@pytest.fixture
def field(roster):
    a, b = roster.organisation, roster.other_organisation
    roster.appoint("甲", organisation=a, specialties=("contracts",))
    roster.appoint("乙", organisation=b, specialties=("contracts",))
    roster.appoint("丙", organisation=b, specialties=("finance",))
    roster.appoint("丁", organisation=b, specialties=("contracts",))
    roster.appoint("戊", organisation=b, specialties=("contracts",))
    roster.appoint("己", organisation=b, specialties=("contracts", "finance"))
    roster.appoint("庚", organisation=b, specialties=("contracts",))
    services.mediator_suspend(actor=roster.other_manager, mediator=roster.mediators["庚"], reason="休假")
    # 王调解 (the fixture's first mediator) is removed so that the table reads only the field above.
    services.mediator_remove(actor=roster.manager, mediator=roster.mediators.pop("王调解"), reason="调离")
    roster.enterprise("E1", chambers=(roster.chamber,))
    roster.enterprise("E2", chambers=(roster.other_chamber,))
    roster.enterprise("E3")
    services.mediator_link_add(
        actor=roster.other_manager, mediator=roster.mediators["丙"], party_name="赵某某", relation="系其表弟"
    )
    services.mediator_link_add(
        actor=roster.other_manager,
        mediator=roster.mediators["戊"],
        enterprise=roster.enterprises["E3"],
        relation="担任该企业法律顾问",
    )

    def history(name: str, outcome: str) -> None:
        case = roster.refer(title=f"{name}的旧案")
        services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators[name])
        if outcome == "open":
            return
        user = roster.user_for(name)
        services.case_accept(actor=user, case=case)
        services.session_add(actor=user, case=case, scheduled_at=timezone.now(), place="调解室")
        if outcome == "agreement":
            services.case_record_agreement(actor=user, case=case, agreement_text="和解")
        else:
            services.case_record_failure(actor=user, case=case, reason="未达成一致")

    history("乙", "open")
    history("丁", "agreement")
    history("丁", "failure")
    history("己", "agreement")
    return roster


CASES = [
    # (dispute type, applicant, respondent, ranked, excluded: {name: [words in the reasons]})
    ("contracts", "张三", "李四", ["己", "丁", "戊", "甲", "乙", "丙"], {}),
    ("finance", "张三", "李四", ["己", "丙", "丁", "戊", "甲", "乙"], {}),
    ("construction", "张三", "李四", ["己", "丁", "丙", "戊", "甲", "乙"], {}),
    (
        "contracts",
        "E1",
        "李四",
        ["己", "丁", "戊", "乙", "丙"],
        {"甲": ["所在调解组织“甲市民营企业商会调解委员会”由当事人“E1”所属的商会“甲市民营企业商会”设立"]},
    ),
    (
        "contracts",
        "张三",
        "E2",
        ["甲"],
        {name: ["由当事人“E2”所属的商会“甲市建筑业商会”设立"] for name in ["乙", "丙", "丁", "戊", "己"]},
    ),
    (
        "contracts",
        "E3",
        "李四",
        ["己", "丁", "甲", "乙", "丙"],
        {"戊": ["登记为与当事人“E3”存在利害关系：担任该企业法律顾问"]},
    ),
    (
        "finance",
        "赵某某",
        "李四",
        ["己", "丁", "戊", "甲", "乙"],
        {"丙": ["登记为与当事人“赵某某”存在利害关系：系其表弟"]},
    ),
    (
        "contracts",
        "E3",
        "E2",
        ["甲"],
        {
            "乙": ["E2"],
            "丙": ["E2"],
            "丁": ["E2"],
            "己": ["E2"],
            "戊": ["由当事人“E2”所属的商会", "登记为与当事人“E3”存在利害关系"],
        },
    ),
    ("contracts", "E1", "E2", [], {name: ["商会"] for name in ["甲", "乙", "丙", "丁", "戊", "己"]}),
]


@pytest.mark.parametrize(
    "dispute, applicant, respondent, ranked, excluded", CASES, ids=[f"{d}-{a}-{r}" for d, a, r, *_ in CASES]
)
def test_it_ranks_and_excludes(field, dispute, applicant, respondent, ranked, excluded):
    def party(name: str):
        return field.enterprises.get(name, name)

    case = field.refer(
        dispute_type=dispute, applicant=party(applicant), respondent=party(respondent), title="表中的纠纷"
    )
    ranking = rank_candidates(case)
    assert [c.mediator.name for c in ranking.candidates] == ranked
    assert [c.rank for c in ranking.candidates] == list(range(1, len(ranked) + 1))
    assert {e.mediator.name for e in ranking.excluded} == set(excluded)
    for e in ranking.excluded:
        words = excluded[e.mediator.name]
        assert len(e.reasons) >= len(words)
        text = "；".join(e.reasons)
        for word in words:
            assert word in text, (e.mediator.name, text)
    assert "庚" not in [c.mediator.name for c in ranking.candidates] + [e.mediator.name for e in ranking.excluded]


def test_each_candidate_says_why_it_ranks_where_it_does(field):
    case = field.refer(dispute_type="contracts")
    ranking = rank_candidates(case)
    explained = {c.mediator.name: c.explanation for c in ranking.candidates}
    assert explained["己"] == "专长匹配 · 在办 0 件 · 成功率 100%（1/1）"
    assert explained["丁"] == "专长匹配 · 在办 0 件 · 成功率 50%（1/2）"
    assert explained["乙"] == "专长匹配 · 在办 1 件 · 尚无办结案件"
    assert explained["丙"] == "专长不匹配 · 在办 0 件 · 尚无办结案件"


def test_a_mediator_who_declined_is_out_with_the_reason(field):
    case = field.refer(dispute_type="contracts")
    services.case_assign(actor=field.manager, case=case, mediator=field.mediators["己"])
    services.case_decline(actor=field.user_for("己"), case=case, reason="近期住院")
    ranking = rank_candidates(case)
    assert ranking.top.mediator.name == "丁"
    [declined] = [e for e in ranking.excluded if e.mediator.name == "己"]
    assert declined.reasons[0].endswith("拒绝本案：近期住院")


def test_an_excluded_mediator_cannot_be_assigned_and_the_refusal_says_why(field):
    case = field.refer(dispute_type="contracts", applicant=field.enterprises["E1"])
    with pytest.raises(
        ActionRefused, match="不能指派甲：所在调解组织“甲市民营企业商会调解委员会”由当事人“E1”所属的商会"
    ):
        services.case_assign(actor=field.manager, case=case, mediator=field.mediators["甲"])
    case.refresh_from_db()
    assert case.status == "referred"


def test_the_ranking_costs_a_fixed_number_of_queries(field, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = field.refer(dispute_type="contracts", applicant=field.enterprises["E1"], respondent=field.enterprises["E3"])
    with CaptureQueriesContext(connection) as few:
        rank_candidates(case)
    for n in range(6):
        field.appoint(f"新{n}", organisation=field.other_organisation, specialties=("contracts", "finance"))
        services.mediator_link_add(
            actor=field.other_manager, mediator=field.mediators[f"新{n}"], party_name="某人", relation="同学"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        ranking = rank_candidates(case)
    assert len(ranking.candidates) + len(ranking.excluded) == 12
