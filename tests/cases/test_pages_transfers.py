"""Transfer letters: the list, the letter, its PDF, and the batch at a joint meeting."""

from __future__ import annotations

import io

import pypdf
import pytest

from cases import services
from cases.choices import ComplaintStatus as S
from cases.models import Transfer

from ..conftest import login
from ..factories import OrganizationFactory, UserFactory


def queued(cast, **overrides):
    complaint = cast.to_review(**overrides)
    return services.complaint_queue(actor=cast.reviewer, complaint=complaint)


def test_the_batch_page_lists_queued_complaints_and_transfers_the_chosen(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)  # a Monday
    first, second, left = queued(cast, title="第一件"), queued(cast, title="第二件"), queued(cast, title="留待下次")
    login(client, cast.reviewer)
    page = client.get("/cases/transfers/new/").content.decode()
    for c in (first, second, left):
        assert f'name="complaints" value="{c.pk}"' in page
    response = client.post(
        "/cases/transfers/new/", {"complaints": [first.pk, second.pk], "meeting_reference": "2026年第四季度联席会议"}
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/transfers/{transfer.pk}/"
    assert {c.pk for c in transfer.complaints.all()} == {first.pk, second.pk}
    left.refresh_from_db()
    assert left.status == S.QUEUED
    text = client.get(response["Location"]).content.decode()
    assert transfer.number in text and "第一件" in text and "第二件" in text and "2026年第四季度联席会议" in text
    assert "2026-11-05" in text and "剩余 3 个工作日" in text


def test_one_letter_per_court(cast, client):
    other_court = OrganizationFactory(name="甲市某区人民法院", kind="court")
    cast.world.mechanism.parties.create(organization=other_court, side="handler")
    queued(cast)
    queued(cast, court=other_court)
    login(client, cast.reviewer)
    ids = list(cast.world.mechanism.complaints.values_list("pk", flat=True))
    response = client.post("/cases/transfers/new/", {"complaints": ids, "meeting_reference": "联席会议"}, follow=True)
    assert Transfer.objects.count() == 2
    assert response.redirect_chain[-1][0] == "/cases/transfers/"
    text = response.content.decode()
    assert all(t.number in text for t in Transfer.objects.all())


def test_the_batch_keeps_the_choice_when_the_meeting_is_missing(cast, client):
    complaint = queued(cast)
    login(client, cast.reviewer)
    text = client.post("/cases/transfers/new/", {"complaints": [complaint.pk]}).content.decode()
    assert f'value="{complaint.pk}" id="complaint-{complaint.pk}" checked' in text and "该字段是必填项。" in text
    assert not Transfer.objects.exists()


def test_staff_without_the_role_are_refused_by_the_service(cast, client):
    complaint = queued(cast)
    text = (
        login(client, cast.staff)
        .post("/cases/transfers/new/", {"complaints": [complaint.pk], "meeting_reference": "联席会议"})
        .content.decode()
    )
    assert "您没有“联席会议批量移送”的权限。" in text and not Transfer.objects.exists()


def test_a_meeting_secretary_may_transfer(cast, client):
    secretary = UserFactory(organization=cast.world.federation, roles=["meeting_secretary"])
    complaint = queued(cast)
    login(client, secretary).post("/cases/transfers/new/", {"complaints": [complaint.pk], "meeting_reference": "会"})
    assert Transfer.objects.count() == 1


def test_the_court_cannot_choose_complaints_it_does_not_see(cast, client):
    complaint = queued(cast)
    text = (
        login(client, cast.clerk)
        .post("/cases/transfers/new/", {"complaints": [complaint.pk], "meeting_reference": "联席会议"})
        .content.decode()
    )
    assert not Transfer.objects.exists() and "不在可用的选项中" in text


def test_the_transfer_list_and_pdf(cast, client):
    complaint = cast.transferred()
    transfer = complaint.transfer
    login(client, cast.clerk)
    text = client.get("/cases/transfers/").content.decode()
    assert transfer.number in text and complaint.serial in text
    response = client.get(f"/cases/transfers/{transfer.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    text = pypdf.PdfReader(io.BytesIO(response.getvalue())).pages[0].extract_text()
    flat = "".join(text.split())
    assert "".join(transfer.number.split()) in flat and "洛阳某机械制造有限公司" in flat


@pytest.mark.parametrize("path", ["", "pdf/"])
def test_an_outsider_gets_404_on_the_transfer(cast, client, path):
    transfer = cast.transferred().transfer
    assert login(client, cast.world.charlie).get(f"/cases/transfers/{transfer.pk}/{path}").status_code == 404
    assert transfer.number not in client.get("/cases/transfers/").content.decode()
