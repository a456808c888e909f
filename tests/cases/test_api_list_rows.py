"""The complaint list endpoint reads columns (ComplaintRows) and answers exactly what ComplaintSerializer would."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from cases import selectors
from cases.api.serializers import ComplaintSerializer, complaint_rows
from cases.api.serializers.complaint_rows import ImproperlyShaped
from cases.models import Complaint
from cases.validators import parse_case_numbers
from liaison import deadlines

from ..conftest import login


def every_kind_of_row(cast) -> None:
    """Drafts with and without case numbers and amounts, a running, a paused and an overdue deadline,
    a transfer, a handler with and without a name, a department."""
    cast.file(title="草稿无案号", case_numbers=[], amount_involved=Decimal("1234.5"))
    cast.file(title="草稿两个案号", case_numbers=parse_case_numbers("（2021）豫03民初1号，（2022）豫03民终2号"))
    paused = cast.to_review(title="暂停计时")
    Complaint.objects.filter(pk=paused.pk).update(current_due_paused=True)
    late = cast.to_review(title="已逾期")
    moved = cast.transferred(title="已移送")
    Complaint.objects.filter(pk__in=[late.pk, moved.pk]).update(current_due=deadlines.today() - dt.timedelta(days=9))
    cast.assigned()
    cast.handler.full_name = ""  # shown by username
    cast.handler.save(update_fields=["full_name"])
    cast.assigned()


def as_json(data) -> list:
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize(
    "user, query, numbers_in_rows",
    [
        *[(user, query, True) for user in ("staff", "clerk") for query in ("", "?ordering=due", "?overdue=true")],
        ("staff", "?ordering=-due", True),
        ("staff", "", False),  # other databases: the case numbers in one query per page
    ],
)
def test_the_list_answers_what_the_serializer_answers(cast, api_client, monkeypatch, user, query, numbers_in_rows):
    if not numbers_in_rows:
        monkeypatch.setattr(complaint_rows, "connection", SimpleNamespace(vendor="sqlite"))
    every_kind_of_row(cast)
    actor = getattr(cast, user)
    login(api_client, actor)
    response = api_client.get(f"/api/v1/complaints/{query}")
    assert response.status_code == 200
    listed = response.json()["results"]
    assert listed, "the data gives every user something to list"
    by_id = {c.pk: c for c in selectors.complaint_list(user=actor).filter(pk__in=[row["id"] for row in listed])}
    request = APIRequestFactory().get("/api/v1/complaints/")
    request.user = actor
    expected = as_json(
        ComplaintSerializer([by_id[row["id"]] for row in listed], many=True, context={"request": request}).data
    )
    assert listed == expected
    assert [list(row) for row in listed] == [list(row) for row in expected]  # the same order of keys
    if user == "staff" and not query:
        shown = {row["title"]: row for row in listed}
        assert shown["草稿无案号"]["case_numbers"] == [] and shown["草稿无案号"]["amount_involved"] == "1234.50"
        assert shown["暂停计时"]["deadline"]["working_days"] == 0
        assert shown["已逾期"]["deadline"]["working_days"] < 0
        assert {row["handler"]["name"] for row in listed if row["handler"]} == {"handler"}


def test_a_field_without_a_plan_is_refused(monkeypatch):
    class Extended(ComplaintSerializer):
        extra = serializers.SerializerMethodField()

        class Meta(ComplaintSerializer.Meta):
            fields = [*ComplaintSerializer.Meta.fields, "extra"]

        def get_extra(self, complaint) -> str:
            return "x"

    monkeypatch.setattr(complaint_rows, "ComplaintSerializer", Extended)
    with pytest.raises(ImproperlyShaped, match="extra"):
        complaint_rows.Plan(numbers_in_rows=True)
