"""The intake API for docked systems: keys, scope, attachments, status, idempotent retries."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cases.models import Complaint, Enterprise
from liaison.channels import systems
from liaison.models import Attachment, ExternalSystem
from tests.concurrency import run_together
from tests.factories import UserFactory

from .conftest import VALID_CODES

URL = "/api/v1/intake/complaints/"


def dock(organization, mechanism, name="网上工商联") -> tuple[ExternalSystem, str]:
    system = ExternalSystem.objects.create(name=name, organization=organization)
    system.mechanisms.add(mechanism)
    admin = UserFactory(organization=organization, roles=["administrator"])
    return system, systems.system_key_rotate(actor=admin, system=system)


def client_for(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def body(world, **overrides) -> dict:
    data = {
        "mechanism": world.mechanism.pk,
        "court": world.court.pk,
        "enterprise_credit_code": VALID_CODES[0],
        "kind": "case_handling",
        "title": "合同纠纷案件久拖未结",
        "facts": "2021年起诉至今未审结。",
        "demands": "请求依法及时审理。",
        "case_numbers": "（2021）豫03民初123号",
    }
    data.update(overrides)
    return data


@pytest.fixture
def docked(cast):
    return dock(cast.world.federation, cast.world.mechanism)


def test_it_files_and_submits_a_complaint_as_the_system(cast, docked):
    system, key = docked
    response = client_for(key).post(URL, body(cast.world), format="json")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert response.json()["serial"] == complaint.serial
    assert (complaint.status, complaint.filing_organization_id) == ("submitted", cast.world.federation.pk)
    assert complaint.created_by.username == f"system-{system.pk}"
    assert complaint.enterprise == cast.enterprise


def test_it_registers_an_unknown_enterprise_or_says_what_is_missing(cast, docked):
    _system, key = docked
    client = client_for(key)
    missing = client.post(URL, body(cast.world, enterprise_credit_code=VALID_CODES[1]), format="json")
    assert missing.status_code == 400
    assert "请同时提供企业名称、规模和行业" in missing.json()["detail"]
    assert not Complaint.objects.exists()
    made = client.post(
        URL,
        body(
            cast.world,
            enterprise_credit_code=VALID_CODES[1],
            enterprise_name="深圳某科技有限公司",
            enterprise_size="small",
            enterprise_industry="C",
        ),
        format="json",
    )
    assert made.status_code == 201, made.content
    assert Enterprise.objects.get(credit_code=VALID_CODES[1]).name == "深圳某科技有限公司"


def test_it_takes_attachments(cast, docked):
    _system, key = docked
    data = body(cast.world)
    data["files"] = [SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")]
    response = client_for(key).post(URL, data, format="multipart")
    assert response.status_code == 201, response.content
    assert Attachment.objects.filter(object_id=str(response.json()["id"])).count() == 1


def test_bad_input_answers_400_in_chinese_and_saves_nothing(cast, docked):
    _system, key = docked
    response = client_for(key).post(URL, body(cast.world, title="", kind="nonsense"), format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"title", "kind"}
    assert not Complaint.objects.exists()


def test_it_reads_back_the_status_of_what_it_filed(cast, docked):
    from cases import services

    _system, key = docked
    client = client_for(key)
    filed = client.post(URL, body(cast.world), format="json").json()
    cast.to_review()  # filed by a person: not the system's
    complaint = Complaint.objects.get(pk=filed["id"])
    services.complaint_start_review(actor=cast.reviewer, complaint=complaint)
    detail = client.get(f"{URL}{filed['id']}/").json()
    assert (detail["status"], detail["status_display"]) == ("under_review", "审核中")
    listing = client.get(URL).json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [row["id"] for row in rows] == [filed["id"]]
    other = Complaint.objects.exclude(pk=filed["id"]).get()
    assert client.get(f"{URL}{other.pk}/").status_code == 404


def test_a_key_of_one_organization_is_refused_on_another_mechanism(cast, docked):
    world = cast.world
    _theirs, their_key = dock(world.other_federation, world.other_mechanism, name="乙区网上工商联")
    response = client_for(their_key).post(URL, body(world), format="json")
    assert response.status_code == 403
    assert "未获准对接该机制" in response.json()["detail"]
    # Registered for the mechanism by mistake: its organization is still not a party.
    stray, stray_key = dock(world.other_federation, world.mechanism, name="错登记的系统")
    assert client_for(stray_key).post(URL, body(world), format="json").status_code == 403
    assert not Complaint.objects.exists()


def test_no_key_a_wrong_key_or_a_revoked_key_is_refused(cast, docked):
    system, key = docked
    assert APIClient().post(URL, body(cast.world), format="json").status_code in (401, 403)
    assert client_for("lk_not-a-key").post(URL, body(cast.world), format="json").status_code == 401
    admin = UserFactory(organization=cast.world.court, roles=["administrator"])
    systems.system_key_rotate(actor=admin, system=system)
    assert client_for(key).get(URL).status_code == 401
    # A person's session cannot use the intake API.
    staff = APIClient()
    staff.force_authenticate(cast.staff)
    assert staff.get(URL).status_code in (401, 403)


def test_a_retried_post_returns_the_first_result(cast, docked):
    _system, key = docked
    client = client_for(key)
    first = client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="req-001")
    again = client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="req-001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    other = client.post(URL, body(cast.world, confirm_duplicate=True), format="json", HTTP_IDEMPOTENCY_KEY="req-002")
    assert other.status_code == 201 and Complaint.objects.count() == 2


def test_a_refused_post_is_not_remembered(cast, docked):
    _system, key = docked
    client = client_for(key)
    refused = client.post(URL, body(cast.world, title=""), format="json", HTTP_IDEMPOTENCY_KEY="req-9")
    assert refused.status_code == 400
    fixed = client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="req-9")
    assert fixed.status_code == 201


@pytest.mark.postgres
def test_ten_concurrent_retries_make_one_complaint(postgres, cast, docked):
    _system, key = docked
    data = body(cast.world)
    lock = threading.Lock()
    answers: list = []

    def retry():
        response = client_for(key).post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="burst-1")
        with lock:
            answers.append((response.status_code, response.json()))
        return response.status_code

    results = run_together(*[retry for _ in range(10)])
    assert results == [201] * 10, results
    assert Complaint.objects.count() == 1
    assert len({a[1]["serial"] for a in answers}) == 1


def test_a_key_reused_with_a_different_body_answers_422_and_files_nothing(cast, docked):
    _system, key = docked
    client = client_for(key)
    first = client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="req-7")
    assert first.status_code == 201
    reused = client.post(URL, body(cast.world, title="另一件诉求"), format="json", HTTP_IDEMPOTENCY_KEY="req-7")
    assert reused.status_code == 422
    assert "已用于另一内容不同的请求" in reused.json()["detail"]
    assert "Idempotent-Replayed" not in reused.headers
    assert Complaint.objects.count() == 1
    # The same request again still gets the first answer.
    again = client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="req-7")
    assert (again.status_code, again.json()) == (201, first.json())


def test_a_multipart_retry_is_the_same_request_but_another_file_is_not(cast, docked):
    _system, key = docked
    client = client_for(key)

    def with_file(content: bytes) -> dict:
        data = body(cast.world)
        data["files"] = [SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n" + content, content_type="application/pdf")]
        return data

    first = client.post(URL, with_file(b"one"), format="multipart", HTTP_IDEMPOTENCY_KEY="mp-1")
    assert first.status_code == 201, first.content
    again = client.post(URL, with_file(b"one"), format="multipart", HTTP_IDEMPOTENCY_KEY="mp-1")
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
    other = client.post(URL, with_file(b"two"), format="multipart", HTTP_IDEMPOTENCY_KEY="mp-1")
    assert other.status_code == 422
    assert Complaint.objects.count() == 1 and Attachment.objects.count() == 1


def test_remembered_answers_are_pruned_after_the_retention_period(cast, docked, settings):
    import datetime as dt

    from django.utils import timezone

    from liaison.models import IdempotentRequest
    from liaison.tasks import prune_idempotent_requests

    settings.IDEMPOTENCY_RETENTION_HOURS = 24
    _system, key = docked
    client = client_for(key)
    assert client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    assert client.post(URL, body(cast.world), format="json", HTTP_IDEMPOTENCY_KEY="new").status_code == 201
    IdempotentRequest.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert prune_idempotent_requests() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    # After the retention period the key may be used for a new request.
    reused = client.post(
        URL, body(cast.world, title="新的诉求", confirm_duplicate=True), format="json", HTTP_IDEMPOTENCY_KEY="old"
    )
    assert reused.status_code == 201


@pytest.mark.postgres
def test_concurrent_posts_with_one_key_and_different_bodies_file_one(postgres, cast, docked):
    _system, key = docked
    titles = [f"诉求{i}" for i in range(4)]

    def post(title):
        return lambda: (
            client_for(key)
            .post(URL, body(cast.world, title=title), format="json", HTTP_IDEMPOTENCY_KEY="k")
            .status_code
        )

    results = sorted(run_together(*[post(title) for title in titles]))
    assert results == [201, 422, 422, 422], results
    assert Complaint.objects.count() == 1
