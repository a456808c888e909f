"""Search: the complaint list's `q` over the complaint's text, enterprise, case numbers and the
messages the user may see, and the one search page across the apps, scoped like everything else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import Complaint
from meetings.models import Meeting
from reports.models import Report

from ..conftest import login


def found(client, term: str) -> set[str]:
    response = client.get("/api/v1/complaints/", {"q": term})
    assert response.status_code == 200
    return {row["serial"] for row in response.json()["results"]}


@pytest.fixture
def answered(cast) -> Complaint:
    complaint = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已组织双方调解达成分期履行方案")
    services.message_post(actor=cast.clerk, complaint=complaint, body="请补充企业营业执照复印件", internal=False)
    services.message_post(actor=cast.clerk, complaint=complaint, body="承办庭内部意见：拟加快执行进度", internal=True)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def outsider_complaint(world) -> Complaint:
    """A complaint of the other mechanism that uses the same words."""
    enterprise = services.enterprise_register(
        actor=world.charlie,
        mechanism=world.other_mechanism,
        data=services.EnterpriseData(
            name="洛阳某机械制造有限公司",
            credit_code="914403001922038216",
            size="small",
            industry="C",
            contact_person="李经理",
            contact_phone="13812345679",
        ),
    )
    data = services.ComplaintData(
        enterprise=enterprise,
        court=world.other_court,
        kind="case_handling",
        title="合同纠纷案件久拖未结",
        facts="2021年起诉至今未审结。",
        demands="请求依法及时审理。",
        case_numbers=[],
    )
    return services.complaint_create(actor=world.charlie, mechanism=world.other_mechanism, data=data)


@pytest.mark.parametrize(
    "term",
    ["某机械制造", "机械", "起诉至今", "及时审理", "分期履行", "豫03民初123", "营业执照复印件", "91350100M000100Y43"],
)
def test_it_finds_a_complaint_by_each_of_its_texts(client, cast, answered, outsider_complaint, term):
    assert found(login(client, cast.staff), term) == {answered.serial}


def test_it_never_finds_another_organizations_internal_note(client, cast, answered):
    assert found(login(client, cast.staff), "拟加快执行进度") == set()
    assert found(login(client, cast.clerk), "拟加快执行进度") == {answered.serial}


def test_it_never_finds_a_complaint_out_of_scope(client, world, cast, answered, outsider_complaint):
    assert found(login(client, world.charlie), "营业执照复印件") == set()
    assert found(login(client, world.charlie), "机械") == {outsider_complaint.serial}


def test_the_html_list_searches_the_same_way(client, cast, answered, outsider_complaint):
    response = login(client, cast.staff).get("/cases/complaints/", {"q": "分期履行"})
    assert response.status_code == 200 and answered.serial.encode() in response.content
    assert outsider_complaint.serial.encode() not in response.content


@pytest.fixture
def elsewhere(world, cast):
    """A meeting and a published report of each mechanism, all naming the same enterprise."""
    start = timezone.now() + dt.timedelta(days=3)
    rows = {}
    for key, mechanism, organization, author in (
        ("own", world.mechanism, world.court, world.bob),
        ("other", world.other_mechanism, world.other_court, world.charlie),
    ):
        rows[f"meeting_{key}"] = Meeting.objects.create(
            mechanism=mechanism,
            kind="joint",
            title=f"{key}专题协调会：某机械制造公司欠款",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="会议室",
            convenor=organization,
            created_by=author,
        )
        rows[f"report_{key}"] = Report.objects.create(
            mechanism=mechanism,
            author_organization=organization,
            kind="typical_case",
            title=f"{key}典型案例：某机械制造公司",
            body="正文",
            state="published",
            published_at=timezone.now(),
        )
    rows["report_draft"] = Report.objects.create(
        mechanism=world.mechanism,
        author_organization=world.court,
        kind="typical_case",
        title="草稿：某机械制造公司",
        body="正文",
        state="draft",
    )
    return rows


def test_the_search_page_shows_each_app_in_scope_only(client, world, cast, answered, outsider_complaint, elsewhere):
    response = login(client, cast.staff).get("/search/", {"q": "某机械制造"})
    assert response.status_code == 200
    page = response.content.decode()
    assert answered.serial in page and outsider_complaint.serial not in page
    assert elsewhere["meeting_own"].title in page and elsewhere["meeting_other"].title not in page
    assert elsewhere["report_own"].title in page and elsewhere["report_other"].title not in page
    assert elsewhere["report_draft"].title not in page  # the court's draft is not shared yet
    note_search = login(client, cast.staff).get("/search/", {"q": "拟加快执行进度"}).content.decode()
    assert answered.serial not in note_search


def test_the_search_page_runs_a_fixed_number_of_queries(
    client, cast, answered, elsewhere, django_assert_max_num_queries
):
    login(client, cast.staff)
    for _ in range(12):
        cast.file(title="某机械制造公司再次投诉")
    with django_assert_max_num_queries(20) as few:  # session, user, scope ids; two per source at most
        client.get("/search/", {"q": "某机械制造"})
    for _ in range(12):
        cast.file(title="某机械制造公司又一次投诉")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/search/", {"q": "某机械制造"})
    assert response.status_code == 200 and "共 25 条" in response.content.decode()
