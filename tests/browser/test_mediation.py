"""A delegated mediation case through a real browser: the manager assigns the top-ranked mediator,
the mediator accepts, records a session and the agreement, the manager requests judicial confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")

TITLE = "跨境货物买卖合同纠纷（浏览器测试）"


@pytest.fixture
def delegated_case(demo_data):
    """The court delegates a foreign-related sales dispute (only 吴海涛 mediates those in the demo)."""
    from liaison.models import User
    from mediation import services
    from mediation.models import MediationOrganisation

    clerk = User.objects.get(username="court_clerk")
    organisation = MediationOrganisation.objects.get(organization__name="洛阳市民营企业商会调解委员会")
    return services.case_refer(
        actor=clerk,
        data=services.CaseData(
            source="delegated",
            organisation=organisation,
            court=clerk.organization,
            dispute_type="international",
            title=TITLE,
            description="境外买方以质量问题为由拒付尾款，双方同意诉前调解。",
            parties=[
                services.PartyData(role="applicant", name="洛阳某进出口有限公司"),
                services.PartyData(role="respondent", name="香港某贸易有限公司"),
            ],
        ),
    )


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(message.text)
        ),
    )
    page.on(
        "response", lambda response: response.status >= 500 and problems.append(f"{response.status} {response.url}")
    )
    return problems


def _open_case(page, live_server, queue: str) -> None:
    page.goto(f"{live_server.url}/mediation/cases/?queue={queue}")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)


def test_a_delegated_case_from_assignment_to_judicial_confirmation(page, live_server, artifacts_dir, delegated_case):
    problems = _watch(page)

    # The manager takes the delegated case and assigns the top-ranked mediator.
    log_in(page, live_server, "mediation_manager")
    _open_case(page, live_server, "to_assign")
    expect(page.locator("#case-status")).to_have_text("待指派")
    top = page.locator('#candidates tr[data-rank="1"]')
    expect(top).to_contain_text("吴海涛")
    expect(top).to_contain_text("专长匹配")
    expect(page.locator("#excluded")).to_have_count(0)  # no party is a member enterprise or linked to anyone
    page.screenshot(path=str(artifacts_dir / "mediation-1-ranking.png"), full_page=True)
    top.get_by_role("button", name="指派").click()
    expect(page.locator(".alert-success")).to_have_text("已指派调解员，等待其接受。")
    expect(page.locator("#case-status")).to_have_text("已指派")
    expect(page.locator("#case-mediator")).to_have_text("吴海涛")

    # The mediator accepts, records a session and the agreement.
    page.context.clear_cookies()
    log_in(page, live_server, "mediator")
    _open_case(page, live_server, "mine")
    page.locator("#action-accept").get_by_role("button", name="接受指派").click()
    expect(page.locator(".alert-success")).to_have_text("已接受指派，请安排调解。")
    session = page.locator("#action-session")
    session.locator("#id_session-scheduled_at").fill("2026-11-20T09:30")
    session.locator("#id_session-place").fill("商会调解室")
    session.locator("#id_session-online_link").fill("https://tiaojie.court.gov.cn/room/ly-1")
    session.locator("#id_session-notes").fill("双方到场，买方同意在扣减质量折价后支付尾款。")
    session.get_by_role("button", name="安排或记录调解").click()
    expect(page.locator(".alert-success")).to_have_text("调解安排已保存。")
    expect(page.locator("#case-status")).to_have_text("调解中")
    expect(page.locator("#sessions")).to_contain_text("双方到场，买方同意在扣减质量折价后支付尾款。")
    agreement = page.locator("#action-agree")
    agreement.locator("#id_agree-agreement_text").fill("被申请人于十五日内支付尾款18万元，申请人放弃其余请求。")
    agreement.locator("#id_agree-agreement_amount").fill("180000")
    agreement.get_by_role("button", name="达成调解协议").click()
    expect(page.locator(".alert-success")).to_have_text("已记录调解协议。")
    expect(page.locator("#case-status")).to_have_text("达成协议")
    expect(page.locator("#agreement")).to_contain_text("被申请人于十五日内支付尾款18万元")
    page.screenshot(path=str(artifacts_dir / "mediation-2-agreement.png"), full_page=True)

    # The manager requests judicial confirmation.
    page.context.clear_cookies()
    log_in(page, live_server, "mediation_manager")
    page.goto(f"{live_server.url}/mediation/cases/{delegated_case.pk}/")
    form = page.locator("#action-request_confirmation")
    form.locator("#id_request_confirmation-note").fill("双方当事人共同申请司法确认。")
    form.get_by_role("button", name="申请司法确认").click()
    expect(page.locator(".alert-success")).to_have_text("已向法院申请司法确认。")
    expect(page.locator("#case-confirmation")).to_have_text("司法确认审查中")
    expect(page.locator(".timeline-list")).to_contain_text("申请司法确认")
    page.screenshot(path=str(artifacts_dir / "mediation-3-confirmation.png"), full_page=True)

    delegated_case.refresh_from_db()
    assert delegated_case.status == "agreement" and delegated_case.confirmation == "requested"
    assert delegated_case.mediator.user.username == "mediator"
    assert problems == []


def test_the_roster_page_in_the_browser(page, live_server, artifacts_dir):
    problems = _watch(page)
    log_in(page, live_server, "court_clerk")
    page.goto(f"{live_server.url}/mediation/roster/")
    expect(page.locator("h1")).to_have_text("特邀调解员名册")
    expect(page.locator("#roster-table")).to_contain_text("吴海涛")
    page.select_option("#id_specialty", "international")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#roster-table tbody tr")).to_have_count(1)
    page.screenshot(path=str(artifacts_dir / "mediation-roster.png"), full_page=True)
    assert problems == []
