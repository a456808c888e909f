"""The delivered check-up report printed as a PDF (findings, advice, visits), refused before it is
delivered and not found from another mechanism; the figures per pairing and per firm on the figures
page and in /api/v1/figures/checkups/, checked against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt

from liaison import deadlines
from mediation import services
from mediation.models import Checkup

from ..conftest import login
from . import test_legal_services as legal

bureau = legal.bureau


def _body(response) -> bytes:  # noqa: ANN001
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_delivered_report_is_printed(bureau, world, client):
    checkup = bureau.assigned(name="甲科技有限公司")
    services.checkup_visit(
        actor=bureau.lawyer, checkup=checkup, visited_on=deadlines.today(), lawyers="王律师", notes="查阅合同 30 份。"
    )
    login(client, bureau.staff)
    early = client.get(f"/mediation/checkups/{checkup.pk}/report.pdf", follow=True)
    assert "律所出具报告后才能打印体检报告" in early.content.decode()
    services.checkup_report(
        actor=bureau.lawyer, checkup=checkup, findings="劳动合同缺少竞业条款。", advice="修订劳动合同范本。"
    )
    page = client.get(f"/mediation/checkups/{checkup.pk}/").content.decode()
    assert f"/mediation/checkups/{checkup.pk}/report.pdf" in page
    pdf = client.get(f"/mediation/checkups/{checkup.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert _body(pdf).startswith(b"%PDF")
    login(client, world.charlie)
    assert client.get(f"/mediation/checkups/{checkup.pk}/report.pdf").status_code == 404


def test_the_print_template_carries_findings_advice_and_visits(bureau):
    from django.template.loader import render_to_string

    checkup = bureau.assigned(name="甲科技有限公司")
    services.checkup_visit(
        actor=bureau.lawyer, checkup=checkup, visited_on=dt.date(2026, 3, 2), lawyers="王律师", notes="查阅合同 30 份。"
    )
    checkup = services.checkup_report(
        actor=bureau.lawyer, checkup=checkup, findings="缺少竞业条款。", advice="修订范本。"
    )
    html = render_to_string(
        "mediation/print/checkup_report.html",
        {"checkup": checkup, "visits": list(checkup.visits.all()), "printed_on": deadlines.today()},
    )
    for text in (
        "甲科技有限公司",
        "缺少竞业条款。",
        "修订范本。",
        "查阅合同 30 份。",
        "2026.3.2",
        "按期出具",
        bureau.firm.name,
    ):
        assert text in html


def _worked_example(bureau) -> None:  # noqa: ANN001
    """Pairing A (firm, chamber): 甲 on time, 乙 late, 甲 again on time, 丙 not yet reported;
    丁 not assigned; pairing B (other firm, chamber): 戊 on time."""
    today = deadlines.today()
    bureau.reported(name="甲")
    late = bureau.assigned(name="乙")
    Checkup.objects.filter(pk=late.pk).update(report_due=today - dt.timedelta(days=1))
    late.refresh_from_db()
    services.checkup_report(actor=bureau.lawyer, checkup=late, findings="问题", advice="建议")
    bureau.reported(name="甲")
    bureau.assigned(name="丙")
    bureau.file(name="丁")
    other = services.pairing_create(
        actor=bureau.clerk,
        mechanism=bureau.mechanism,
        data=services.PairingData(
            firm=bureau.other_firm,
            chamber=bureau.chamber,
            term_start=today - dt.timedelta(days=1),
            term_end=today + dt.timedelta(days=365),
            firm_contact="钱律师",
            firm_phone="13902200008",
            chamber_contact="赵秘书长",
            chamber_phone="13902200003",
            services="法律咨询",
        ),
    )
    checkup = services.checkup_assign(actor=bureau.staff, checkup=bureau.file(name="戊"), pairing=other)
    services.checkup_report(actor=bureau.other_lawyer, checkup=checkup, findings="问题", advice="建议")


def test_figures_per_pairing_and_per_firm_by_hand(bureau, world, api_client, client):
    _worked_example(bureau)
    api_client.force_authenticate(bureau.clerk)
    answer = api_client.get("/api/v1/figures/checkups/")
    assert answer.status_code == 200
    pairings = {row["firm"]: row for row in answer.json()["pairings"]}
    counts = ("requests", "reported", "on_time", "enterprises")
    # A: 甲, 乙, 甲, 丙 assigned (4); three reported; 乙 late (2 on time); 甲 and 乙 served (2).
    assert [pairings[bureau.firm.name][k] for k in counts] == [4, 3, 2, 2]
    assert pairings[bureau.firm.name]["chamber"] == bureau.chamber.name
    assert [pairings[bureau.other_firm.name][k] for k in counts] == [1, 1, 1, 1]
    firms = {row["name"]: row for row in answer.json()["firms"]}
    assert [firms[bureau.firm.name][k] for k in counts] == [4, 3, 2, 2]
    assert firms[bureau.other_firm.name]["firm"] == bureau.other_firm.pk
    login(client, bureau.clerk)
    page = client.get("/mediation/figures/").content.decode()
    assert "checkups-by-pairing" in page and "checkups-by-firm" in page and bureau.other_firm.name in page
    api_client.force_authenticate(world.charlie)
    assert api_client.get("/api/v1/figures/checkups/").json() == {"pairings": [], "firms": []}
