"""The demo: two chamber mediation organisations for Luoyang, twenty mediators, cases in every state; idempotent."""

import datetime as dt

from django.apps import apps

from liaison import deadlines
from liaison.demo import loader
from liaison.models import User
from mediation.choices import CaseStatus, Confirmation, MediatorStatus
from mediation.models import MediationCase, MediationOrganisation, Mediator
from mediation.ranking import rank_candidates

COUNTED = [
    "mediation.MediationOrganisation",
    "mediation.Admission",
    "mediation.Mediator",
    "mediation.MediatorSpecialty",
    "mediation.MediatorLink",
    "mediation.MediationCase",
    "mediation.MediationParty",
    "mediation.MediationSession",
    "mediation.MediationDecline",
    "mediation.MediationExtension",
    "liaison.User",
    "liaison.Organization",
    "liaison.Deadline",
    "liaison.AuditEvent",
    "liaison.Notification",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_it_loads_the_luoyang_mediation_demo_and_a_second_run_changes_nothing(db):
    loader.load()
    first = counts()
    loader.load()
    assert counts() == first
    organisations = MediationOrganisation.objects.select_related("run_by")
    assert {o.run_by.name for o in organisations} == {"洛阳市民营企业商会", "洛阳市工商业联合会"}
    assert all(o.admissions.filter(court__name="洛阳市中级人民法院").exists() for o in organisations)
    assert Mediator.objects.count() == 20
    mediator = User.objects.get(username="mediator")
    assert Mediator.objects.get(user=mediator).name == "吴海涛"
    statuses = set(Mediator.objects.values_list("status", flat=True))
    assert {MediatorStatus.ACTIVE, MediatorStatus.EXPIRED, MediatorStatus.SUSPENDED} <= statuses
    today = deadlines.today()
    ending = Mediator.objects.filter(status="active", term_end__lte=today + dt.timedelta(days=60))
    assert ending.count() >= 3
    specialties = {s for m in Mediator.objects.all() for s in m.specialties.values_list("specialty", flat=True)}
    assert len(specialties) >= 7


def test_the_demo_has_cases_in_every_state(db):
    loader.load()
    assert set(MediationCase.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(MediationCase.objects.values_list("confirmation", flat=True)) == set(Confirmation.values)
    assert set(MediationCase.objects.values_list("source", flat=True)) == {"delegated", "entrusted", "chamber"}
    assert MediationCase.objects.filter(extensions__isnull=False).exists()
    assert MediationCase.objects.filter(declines__isnull=False, status="referred").exists()
    assert MediationCase.objects.filter(status="in_progress", due_date__lt=deadlines.today()).exists()
    # The ranking leaves the chamber's own mediators out of its member enterprises' disputes.
    case = MediationCase.objects.get(title="工程分包款结算纠纷")
    ranking = rank_candidates(case)
    assert ranking.candidates and ranking.excluded
    assert any("洛阳市民营企业商会" in reason for e in ranking.excluded for reason in e.reasons)
    assert any("常年法律顾问" in reason for e in ranking.excluded for reason in e.reasons)
