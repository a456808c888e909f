"""The demo's recommendations, pairings, check-ups and judicial suggestions."""

from __future__ import annotations

from liaison.demo import loader
from liaison.models import User
from mediation.models import Checkup, Pairing, Recommendation
from reports.ledgers import LedgerKind, overdue_ledger
from reports.models import Suggestion


def test_the_demo_has_recommendations_pairings_checkups_and_suggestions(db):
    loader.load()
    assessors = Recommendation.objects.filter(mechanism__short_name="洛阳法院·工商联", kind="assessor")
    assert sorted(assessors.values_list("status", flat=True)) == ["appointed", "pending"]
    assert Pairing.objects.filter(mechanism__short_name="天津司法局·工商联", status="active").count() == 2
    checkups = Checkup.objects.filter(mechanism__short_name="天津司法局·工商联")
    assert sorted(checkups.values_list("status", flat=True)) == ["assigned", "confirmed", "requested"]
    assert checkups.get(status="confirmed").findings
    clerk = User.objects.get(username="tianjin_bureau_clerk")
    assert [r.kind for r in overdue_ledger(user=clerk).rows if r.kind == LedgerKind.CHECKUP] == [LedgerKind.CHECKUP]
    assert sorted(Suggestion.objects.values_list("state", flat=True)) == ["issued", "replied"]
    for username in ("tianjin_chamber_staff", "tianjin_lawyer", "tianjin_lawyer_b"):
        assert User.objects.get(username=username).check_password("demo-pass-2026")
    loader.load()
    assert Checkup.objects.count() == 3 and Recommendation.objects.count() == 2 and Suggestion.objects.count() == 2
