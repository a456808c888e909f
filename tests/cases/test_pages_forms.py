"""Filing and editing complaints, registering enterprises: what the user typed survives every error."""

from __future__ import annotations

import pytest

from cases import services
from cases.choices import ComplaintStatus as S
from cases.models import Complaint, Enterprise
from cases.validators import parse_case_numbers
from liaison import attachments

from ..conftest import login
from ..factories import OrganizationFactory, mechanism_between
from .conftest import VALID_CODES
from .test_pages import exe_as_pdf, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def filing(cast, **overrides) -> dict:
    data = {
        "mechanism": cast.world.mechanism.pk,
        "enterprise": cast.enterprise.pk,
        "court": cast.world.court.pk,
        "kind": "case_handling",
        "title": "买卖合同纠纷执行迟缓",
        "facts": "2022年胜诉后至今未执行到位。",
        "demands": "请求依法加快执行。",
        "case_numbers": "（2022）豫03执45号",
        "amount_involved": "120000.50",
    }
    data.update(overrides)
    return data


# --- new complaint -------------------------------------------------------------------------------


def test_the_new_complaint_form_preselects_the_only_mechanism_and_lists_visible_enterprises(cast, client):
    services.enterprise_register(
        actor=cast.world.charlie,
        mechanism=cast.world.other_mechanism,
        data=services.EnterpriseData(name="别人的企业", credit_code=VALID_CODES[1], size="micro", industry="F"),
    )
    text = login(client, cast.staff).get("/cases/complaints/new/").content.decode()
    assert f'<option value="{cast.world.mechanism.pk}" selected>' in text
    assert "洛阳某机械制造有限公司" in text and "别人的企业" not in text
    assert '<input type="file" name="files"' in text and "multiple" in text
    assert f'<option value="{cast.world.court.pk}" selected>' in text
    assert cast.world.other_court.name not in text


def test_it_files_a_complaint_with_attachments(cast, client):
    login(client, cast.staff)
    response = client.post(
        "/cases/complaints/new/", {**filing(cast), "files": [pdf_upload("判决书.pdf"), pdf_upload("申请书.pdf")]}
    )
    complaint = Complaint.objects.get(title="买卖合同纠纷执行迟缓")
    assert response.status_code == 302 and response["Location"] == f"/cases/complaints/{complaint.pk}/"
    assert complaint.status == S.DRAFT and str(complaint.amount_involved) == "120000.50"
    assert [n.number for n in complaint.case_numbers.all()] == ["（2022）豫03执45号"]
    assert sorted(a.original_name for a in attachments.attachments_of(complaint)) == ["判决书.pdf", "申请书.pdf"]
    text = client.get(response["Location"]).content.decode()
    assert "诉求已保存为草稿" in text and "判决书.pdf" in text


def test_a_rejected_upload_shows_the_chinese_message_and_keeps_the_input(cast, client):
    login(client, cast.staff)
    response = client.post("/cases/complaints/new/", {**filing(cast), "files": [pdf_upload(), exe_as_pdf()]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "“判决书.pdf”的内容不是这些类型之一" in text
    assert 'value="买卖合同纠纷执行迟缓"' in text
    assert "2022年胜诉后至今未执行到位。" in text and "请求依法加快执行。" in text
    assert "（2022）豫03执45号" in text and 'value="120000.50"' in text
    assert f'<option value="{cast.enterprise.pk}" selected>' in text
    assert not Complaint.objects.exists()


def test_bad_case_numbers_are_shown_under_the_field(cast, client):
    login(client, cast.staff)
    response = client.post("/cases/complaints/new/", filing(cast, case_numbers="（2022）豫03执45号\n2021豫03民初1号"))
    text = response.content.decode()
    assert response.status_code == 200 and "“2021豫03民初1号”：案号格式不正确：年份应放在括号中" in text
    assert not Complaint.objects.exists()


def test_a_major_complaint_without_a_reason_is_refused_on_the_field(cast, client):
    login(client, cast.staff)
    text = client.post("/cases/complaints/new/", filing(cast, is_major="on")).content.decode()
    assert "重大事项须说明理由。" in text and not Complaint.objects.exists()
    client.post("/cases/complaints/new/", filing(cast, is_major="on", major_reason="涉及千人就业"))
    assert Complaint.objects.get().is_major


def test_a_court_outside_the_mechanism_is_refused_by_the_service(cast, client):
    far_court = OrganizationFactory(name="丁区人民法院", kind="court")
    mechanism_between(far_court, cast.world.federation, name="丁区机制")
    login(client, cast.staff)
    text = client.post("/cases/complaints/new/", filing(cast, court=far_court.pk)).content.decode()
    assert "所选法院不是本机制的参与法院。" in text and not Complaint.objects.exists()


def test_a_likely_duplicate_is_saved_only_when_confirmed(cast, client):
    first = cast.file(case_numbers=parse_case_numbers("（2022）豫03执45号"))
    login(client, cast.staff)
    response = client.post("/cases/complaints/new/", filing(cast, case_numbers="(2022)豫03执45号"))
    text = response.content.decode()
    assert response.status_code == 200 and 'id="duplicate-warning"' in text
    assert f'href="/cases/complaints/{first.pk}/"' in text and "确认不是重复诉求，继续保存" in text
    assert Complaint.objects.count() == 1
    response = client.post(
        "/cases/complaints/new/", filing(cast, case_numbers="(2022)豫03执45号", confirm_duplicate="on")
    )
    assert response.status_code == 302 and Complaint.objects.count() == 2


def test_users_who_may_not_file_are_told_so(cast, client):
    text = login(client, cast.clerk).post("/cases/complaints/new/", filing(cast)).content.decode()
    assert "您没有“填报诉求”的权限。" in text and not Complaint.objects.exists()


# --- editing ------------------------------------------------------------------------------------


def test_a_draft_is_edited_with_its_values_filled_in(cast, client):
    complaint = cast.file()
    login(client, cast.staff)
    text = client.get(f"/cases/complaints/{complaint.pk}/edit/").content.decode()
    assert 'value="合同纠纷案件久拖未结"' in text and "（2021）豫03民初123号" in text
    response = client.post(
        f"/cases/complaints/{complaint.pk}/edit/",
        {**filing(cast), "title": "改后的标题", "case_numbers": "（2021）豫03民初123号"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.title == "改后的标题"


def test_a_transferred_complaint_cannot_be_edited(cast, client):
    complaint = cast.transferred()
    login(client, cast.staff)
    response = client.get(f"/cases/complaints/{complaint.pk}/edit/", follow=True)
    assert "您不能修改该诉求" in response.content.decode()
    assert "修改</a>" not in client.get(f"/cases/complaints/{complaint.pk}/").content.decode()


# --- enterprises ----------------------------------------------------------------------------------


def enterprise_data(cast, **overrides) -> dict:
    data = {
        "mechanism": cast.world.mechanism.pk,
        "name": "洛阳某食品有限公司",
        "credit_code": VALID_CODES[1],
        "size": "medium",
        "industry": "C",
        "contact_person": "李女士",
        "contact_phone": "0379-63211234",
    }
    data.update(overrides)
    return data


def test_it_registers_an_enterprise_with_a_normalised_code(cast, client):
    login(client, cast.staff)
    code = " ".join(VALID_CODES[1][i : i + 6] for i in range(0, 18, 6)).lower()
    response = client.post("/cases/enterprises/new/", enterprise_data(cast, credit_code=code))
    enterprise = Enterprise.objects.get(name="洛阳某食品有限公司")
    assert response.status_code == 302 and enterprise.credit_code == VALID_CODES[1]


def test_a_wrong_check_character_is_explained(cast, client):
    login(client, cast.staff)
    wrong = VALID_CODES[1][:17] + ("0" if VALID_CODES[1][17] != "0" else "1")
    text = client.post("/cases/enterprises/new/", enterprise_data(cast, credit_code=wrong)).content.decode()
    assert "校验码错误" in text and 'value="洛阳某食品有限公司"' in text
    assert not Enterprise.objects.filter(name="洛阳某食品有限公司").exists()


def test_a_duplicate_code_is_refused_by_the_service_on_the_field(cast, client):
    login(client, cast.staff)
    text = client.post("/cases/enterprises/new/", enterprise_data(cast, credit_code=VALID_CODES[0])).content.decode()
    assert "已登记为“洛阳某机械制造有限公司”" in text


def test_a_bad_phone_is_explained(cast, client):
    login(client, cast.staff)
    text = client.post("/cases/enterprises/new/", enterprise_data(cast, contact_phone="1381234")).content.decode()
    assert "手机号码应为11位数字" in text


def test_the_enterprise_list_searches_and_masks_phones_for_the_court(cast, client):
    login(client, cast.clerk)
    text = client.get("/cases/enterprises/?q=机械").content.decode()
    assert "洛阳某机械制造有限公司" in text and "138****5678" in text and "13812345678" not in text
    assert (
        "洛阳某机械制造有限公司" not in client.get("/cases/enterprises/?q=不存在").content.decode().split("</form>")[1]
    )
    text = login(client, cast.staff).get(f"/cases/enterprises/?q={VALID_CODES[0]}").content.decode()
    assert "13812345678" in text


def test_only_the_registering_federation_edits_an_enterprise(cast, client):
    login(client, cast.clerk)
    response = client.get(f"/cases/enterprises/{cast.enterprise.pk}/edit/", follow=True)
    text = response.content.decode()
    assert "只有登记该企业的单位才能修改企业信息。" in text and "13812345678" not in text
    login(client, cast.staff)
    response = client.post(
        f"/cases/enterprises/{cast.enterprise.pk}/edit/",
        {
            "name": "洛阳某机械制造股份有限公司",
            "credit_code": VALID_CODES[0],
            "size": "medium",
            "industry": "C",
            "contact_phone": "13812345678",
        },
    )
    assert response.status_code == 302
    cast.enterprise.refresh_from_db()
    assert cast.enterprise.name == "洛阳某机械制造股份有限公司"
    text = client.get(f"/cases/enterprises/{cast.enterprise.pk}/").content.decode()
    assert "修改企业信息" in text and "洛阳某机械制造有限公司 → 洛阳某机械制造股份有限公司" in text


def test_the_enterprise_detail_lists_its_complaints_and_hides_it_from_outsiders(cast, client):
    complaint = cast.transferred()
    text = login(client, cast.clerk).get(f"/cases/enterprises/{cast.enterprise.pk}/").content.decode()
    assert complaint.serial in text and "138****5678" in text
    assert login(client, cast.world.charlie).get(f"/cases/enterprises/{cast.enterprise.pk}/").status_code == 404
    assert client.get(f"/cases/enterprises/{cast.enterprise.pk}/edit/").status_code == 404
