"""The demo loader creates the seeds' institutions and every role, and a second run changes nothing."""
from django.apps import apps

from liaison.demo import loader
from liaison.models import Mechanism, Organization, User

COUNTED = ["liaison.Organization", "liaison.Department", "liaison.User", "liaison.RoleAssignment",
           "liaison.Mechanism", "liaison.MechanismParty", "liaison.Deadline", "liaison.AuditEvent",
           "liaison.Notification", "liaison.Attachment", "cases.Enterprise", "cases.Complaint", "cases.Transfer"]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_it_loads_the_seed_institutions_and_is_idempotent(db):
    loader.load()
    first = counts()
    loader.load()
    assert counts() == first
    assert Organization.objects.filter(name__in=["洛阳市中级人民法院", "洛阳市工商业联合会", "广州市天河区人民法院",
                                                 "广州市天河区工商业联合会", "天津市司法局", "天津市工商业联合会",
                                                 "卫东区人民政府", "卫东区人民法院"]).count() == 8
    assert Mechanism.objects.get(document_number="洛中法〔2021〕65号").parties.count() == 2
    assert set(Mechanism.objects.values_list("document_number", flat=True)) >= {
        "洛中法〔2021〕65号", "穗天法〔2021〕31号", "津司发〔2024〕8号"}
    for username in ["fed_staff", "fed_reviewer", "fed_leader", "court_clerk", "court_handler", "court_leader",
                     "secretary", "mediation_manager", "mediator", "admin", "tianhe_fed_staff", "tianhe_court_clerk"]:
        assert User.objects.get(username=username).check_password("demo-pass-2026"), username


def test_the_demo_has_complaints_in_every_state(db):
    from cases.choices import ComplaintStatus
    from cases.models import Complaint

    loader.load()
    states = set(Complaint.objects.values_list("status", flat=True))
    assert states == set(ComplaintStatus.values)
