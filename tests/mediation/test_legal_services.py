"""Law firms paired with chambers and legal check-ups: pairing, renewal and end; a check-up from
request to confirmed report; working-day limits reminded and in the ledger; refusals; scoping;
figures per pairing and firm; and the agreement of offer and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from liaison import deadlines
from liaison.errors import ActionRefused
from liaison.models import Deadline, Mechanism, Organization, User
from liaison.workdays import WorkingCalendar
from mediation import services
from mediation.choices import CHECKUP_ASSIGN_KIND, CHECKUP_REPORT_KIND, CheckupStatus, PairingStatus
from mediation.models import Checkup, Pairing
from mediation.workflow import CHECKUP, PAIRING
from tests.workflow_agreement import disagreements

from ..conftest import login
from ..factories import OrganizationFactory, UserFactory, mechanism_between

CU = CheckupStatus


@dataclass
class Bureau:
    world: object
    mechanism: Mechanism
    bureau: Organization
    chamber: Organization
    firm: Organization
    other_firm: Organization
    clerk: User
    staff: User
    lawyer: User
    other_lawyer: User
    pairing: Pairing

    def file(self, name: str = "甲科技有限公司", **extra) -> Checkup:
        data = services.CheckupData(
            enterprise_name=name,
            contact_person="李经理",
            contact_phone="13902200001",
            subject="合同管理与用工合规体检",
            **extra,
        )
        return services.checkup_file(actor=self.staff, mechanism=self.mechanism, data=data)

    def assigned(self, **extra) -> Checkup:
        return services.checkup_assign(actor=self.staff, checkup=self.file(**extra), pairing=self.pairing)

    def reported(self, **extra) -> Checkup:
        checkup = self.assigned(**extra)
        return services.checkup_report(
            actor=self.lawyer, checkup=checkup, findings="劳动合同缺少竞业条款。", advice="修订劳动合同范本。"
        )


@pytest.fixture
def bureau(world) -> Bureau:
    justice = OrganizationFactory(name="甲市司法局", kind="justice_bureau")
    federation = OrganizationFactory(name="甲市工商联（司法）", kind="federation")
    chamber = OrganizationFactory(name="甲市科技商会", kind="chamber", parent=federation)
    firm = OrganizationFactory(name="甲市正义律师事务所", kind="law_firm")
    other_firm = OrganizationFactory(name="甲市公平律师事务所", kind="law_firm")
    mechanism = mechanism_between(justice, federation, chamber, firm, other_firm, name="甲市司法局·工商联机制")
    clerk = UserFactory(username="bureau_clerk", organization=justice, roles=["court_clerk"])
    staff = UserFactory(username="chamber_staff", organization=chamber, roles=["federation_staff"])
    lawyer = UserFactory(username="lawyer_a", organization=firm, roles=["lawyer"])
    other_lawyer = UserFactory(username="lawyer_b", organization=other_firm, roles=["lawyer"])
    today = deadlines.today()
    pairing = services.pairing_create(
        actor=clerk,
        mechanism=mechanism,
        data=services.PairingData(
            firm=firm,
            chamber=chamber,
            term_start=today - dt.timedelta(days=30),
            term_end=today + dt.timedelta(days=700),
            firm_contact="王律师",
            firm_phone="13902200002",
            chamber_contact="赵秘书长",
            chamber_phone="13902200003",
            services="每季度一次法治体检；日常法律咨询。",
        ),
    )
    return Bureau(world, mechanism, justice, chamber, firm, other_firm, clerk, staff, lawyer, other_lawyer, pairing)


def test_a_checkup_from_request_to_confirmed_report(bureau):
    checkup = bureau.file()
    assert checkup.status == CU.REQUESTED
    assert checkup.assign_due == WorkingCalendar().add_working_days(deadlines.today(), 3)
    assert (
        Deadline.objects.get(kind=CHECKUP_ASSIGN_KIND, object_id=str(checkup.pk)).owner_organization == bureau.chamber
    )
    lawyer = services.lawyer_add(
        actor=bureau.clerk, mechanism=bureau.mechanism, firm=bureau.firm, name="王律师", phone="13902200002"
    )
    services.checkup_assign(actor=bureau.clerk, checkup=checkup, pairing=bureau.pairing, lawyer=lawyer)
    assert checkup.status == CU.ASSIGNED
    assert checkup.report_due == WorkingCalendar().add_working_days(deadlines.today(), 20)
    report_deadline = Deadline.objects.get(kind=CHECKUP_REPORT_KIND, object_id=str(checkup.pk))
    assert report_deadline.owner_organization == bureau.firm
    services.checkup_visit(
        actor=bureau.lawyer, checkup=checkup, visited_on=deadlines.today(), lawyers="王律师", notes="查阅合同 30 份。"
    )
    assert checkup.visits.count() == 1
    services.checkup_report(
        actor=bureau.lawyer, checkup=checkup, findings="合同审批缺失。", advice="建立合同审批制度。"
    )
    assert checkup.status == CU.REPORTED and checkup.in_time is True
    report_deadline.refresh_from_db()
    assert report_deadline.state == "met"
    services.checkup_confirm(actor=bureau.staff, checkup=checkup, note="企业满意")
    assert checkup.status == CU.CONFIRMED


def test_refusals(bureau, world):
    checkup = bureau.file()
    with pytest.raises(ActionRefused, match="结对律师事务所"):
        services.checkup_report(actor=bureau.lawyer, checkup=checkup, findings="x", advice="y")
    with pytest.raises(ActionRefused):
        services.checkup_assign(actor=bureau.lawyer, checkup=checkup, pairing=bureau.pairing)
    other_chamber = OrganizationFactory(name="甲市建材商会", kind="chamber")
    stray = Pairing.objects.create(
        mechanism=bureau.mechanism,
        firm=bureau.other_firm,
        chamber=other_chamber,
        term_start=deadlines.today(),
        term_end=deadlines.today() + dt.timedelta(days=30),
        firm_contact="a",
        firm_phone="13902200009",
        chamber_contact="b",
        chamber_phone="13902200008",
        services="咨询",
    )
    with pytest.raises(ActionRefused, match="结对的律师事务所"):
        services.checkup_assign(actor=bureau.staff, checkup=checkup, pairing=stray)
    services.checkup_assign(actor=bureau.staff, checkup=checkup, pairing=bureau.pairing)
    # Only the assigned firm reports, with findings and advice.
    with pytest.raises(ActionRefused):
        services.checkup_report(actor=bureau.other_lawyer, checkup=checkup, findings="x", advice="y")
    with pytest.raises(ActionRefused, match="法律建议"):
        services.checkup_report(actor=bureau.lawyer, checkup=checkup, findings="x", advice=" ")
    with pytest.raises(ActionRefused, match="确认报告"):
        services.checkup_confirm(actor=bureau.staff, checkup=checkup)
    # Filing needs a pairing in the mechanism.
    with pytest.raises(ActionRefused):
        services.checkup_file(
            actor=world.alice,
            mechanism=bureau.mechanism,
            data=services.CheckupData(
                enterprise_name="x", contact_person="y", contact_phone="13902200001", subject="z"
            ),
        )
    with pytest.raises(ActionRefused, match="企业名称"):
        bureau.file(name=" ")


def test_pairings_renew_and_end(bureau):
    new_end = bureau.pairing.term_end + dt.timedelta(days=365)
    with pytest.raises(ActionRefused, match="晚于原届满日期"):
        services.pairing_renew(actor=bureau.clerk, pairing=bureau.pairing, term_end=bureau.pairing.term_end)
    with pytest.raises(ActionRefused):
        services.pairing_renew(actor=bureau.staff, pairing=bureau.pairing, term_end=new_end)
    services.pairing_renew(actor=bureau.clerk, pairing=bureau.pairing, term_end=new_end)
    assert bureau.pairing.term_end == new_end
    services.pairing_end(actor=bureau.clerk, pairing=bureau.pairing, reason="律所业务调整")
    assert bureau.pairing.status == PairingStatus.ENDED
    with pytest.raises(ActionRefused, match="没有结对律所"):
        bureau.file()


def test_overdue_checkups_are_in_the_ledger_and_reminded_once(bureau, time_machine):
    from liaison.models import MechanismParty, Notification
    from liaison.reminders import sweep
    from reports.ledgers import LedgerKind, overdue_ledger

    checkup = bureau.assigned()
    MechanismParty.objects.filter(mechanism=bureau.mechanism, organization=bureau.firm).update(
        liaison_officer=bureau.lawyer
    )
    late = checkup.report_due + dt.timedelta(days=3)
    time_machine.move_to(dt.datetime.combine(late, dt.time(9)).astimezone(), tick=False)
    rows = [r for r in overdue_ledger(user=bureau.clerk).rows if r.kind == LedgerKind.CHECKUP]
    assert [(r.pk, r.owner_organization_id) for r in rows] == [(checkup.pk, bureau.firm.pk)]
    sweep()
    first = Notification.objects.filter(recipient=bureau.lawyer, kind="overdue").count()
    sweep()
    assert first == 1 and Notification.objects.filter(recipient=bureau.lawyer, kind="overdue").count() == 1
    services.checkup_report(actor=bureau.lawyer, checkup=checkup, findings="x", advice="y")
    assert checkup.in_time is False
    assert [r for r in overdue_ledger(user=bureau.clerk).rows if r.kind == LedgerKind.CHECKUP] == []


def test_figures_per_pairing_and_firm(bureau):
    bureau.reported(name="甲公司")
    bureau.reported(name="乙公司")
    bureau.assigned(name="甲公司")
    bureau.file(name="丙公司")
    rows = services.service_figures(Checkup.objects.all(), "pairing__firm")
    assert rows == [{"pairing__firm": bureau.firm.pk, "requests": 3, "reported": 2, "on_time": 2, "enterprises": 2}]


def test_scoping_between_mechanisms(bureau, world, client):
    checkup = bureau.file()
    from mediation import selectors

    assert list(selectors.checkup_scope(bureau.lawyer)) == [checkup]
    assert list(selectors.checkup_scope(world.charlie)) == []
    assert CHECKUP.allowed(world.charlie, checkup) == []
    login(client, world.charlie)
    assert client.get(f"/mediation/checkups/{checkup.pk}/").status_code == 404


def test_offer_and_services_agree(bureau, world):
    today = deadlines.today()
    states = {
        "requested": lambda: bureau.file(name="一"),
        "assigned": lambda: bureau.assigned(name="二"),
        "reported": lambda: bureau.reported(name="三"),
    }
    users = [bureau.clerk, bureau.staff, bureau.lawyer, bureau.other_lawyer, world.alice, world.charlie]
    inputs = {
        "assign": {"pairing": bureau.pairing},
        "visit": {"visited_on": today, "lawyers": "王律师", "notes": "走访"},
        "report": {"findings": "问题", "advice": "建议"},
        "confirm": {"note": ""},
        "cancel": {"reason": "企业撤回"},
    }
    for state, build in states.items():
        pk = build().pk
        found = disagreements(CHECKUP, lambda pk=pk: Checkup.objects.get(pk=pk), users, inputs)
        assert found == [], state
    pairing_inputs = {"renew": {"term_end": today + dt.timedelta(days=2000)}, "end": {"reason": "到期"}}
    found = disagreements(PAIRING, lambda: Pairing.objects.get(pk=bureau.pairing.pk), users, pairing_inputs)
    assert found == []


def test_pages_pairing_form_and_checkup_form_keep_input(bureau, client, django_assert_max_num_queries):
    login(client, bureau.clerk)
    assert client.get("/mediation/pairings/new/").status_code == 200
    today = deadlines.today()
    data = {
        "mechanism": bureau.mechanism.pk,
        "firm": bureau.other_firm.pk,
        "chamber": bureau.chamber.pk,
        "term_start": today,
        "term_end": today,
        "firm_contact": "刘律师",
        "firm_phone": "13902200011",
        "chamber_contact": "赵秘书长",
        "chamber_phone": "13902200003",
        "services": "法律咨询",
    }
    response = client.post("/mediation/pairings/new/", data)
    assert response.status_code == 400 and "刘律师" in response.content.decode()
    data["term_end"] = today + dt.timedelta(days=365)
    response = client.post("/mediation/pairings/new/", data)
    assert response.status_code == 302
    assert Pairing.objects.filter(firm=bureau.other_firm, chamber=bureau.chamber).exists()
    # The chamber's staff cannot pair; they file requests.
    login(client, bureau.staff)
    assert client.get("/mediation/pairings/new/").status_code == 302
    response = client.post(
        "/mediation/checkups/new/",
        {
            "mechanism": bureau.mechanism.pk,
            "kind": "checkup",
            "enterprise_name": "乙公司",
            "contact_person": "李",
            "contact_phone": "12",
            "subject": "体检",
        },
    )
    assert response.status_code == 400 and "乙公司" in response.content.decode()
    for i in range(2):
        bureau.file(name=f"企业{i}")
    client.get("/mediation/checkups/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/mediation/checkups/").status_code == 200
    for i in range(2, 10):
        bureau.assigned(name=f"企业{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/mediation/checkups/")
    assert page.status_code == 200 and "table-cards" in page.content.decode()


def test_api_files_assigns_and_reports(bureau, api_client, world):
    api_client.force_authenticate(bureau.staff)
    payload = {
        "mechanism": bureau.mechanism.pk,
        "enterprise_name": "丁公司",
        "contact_person": "李",
        "contact_phone": "13902200001",
        "subject": "合同体检",
    }
    created = api_client.post("/api/v1/checkups/", payload, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api_client.post("/api/v1/checkups/", {**payload, "subject": ""}, format="json").status_code == 400
    assigned = api_client.post(f"/api/v1/checkups/{pk}/assign/", {"pairing": bureau.pairing.pk}, format="json")
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    api_client.force_authenticate(bureau.lawyer)
    refused = api_client.post(f"/api/v1/checkups/{pk}/report/", {"findings": "问题", "advice": ""}, format="json")
    assert refused.status_code == 400
    done = api_client.post(f"/api/v1/checkups/{pk}/report/", {"findings": "问题", "advice": "建议"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "reported"
    api_client.force_authenticate(world.charlie)
    assert api_client.get(f"/api/v1/checkups/{pk}/").status_code == 404
    assert api_client.get(f"/api/v1/pairings/{bureau.pairing.pk}/").status_code == 404


def test_checkups_in_excel(bureau, client):
    import io

    from openpyxl import load_workbook

    bureau.reported(name="戊公司")
    response = login(client, bureau.clerk).get("/mediation/checkups/export.xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert rows[0][1] == "企业名称" and rows[1][1] == "戊公司" and rows[1][4] == "甲市正义律师事务所"
    assert rows[1][11] == "是"
