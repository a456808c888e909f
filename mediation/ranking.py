"""Which invited mediators suit a case, best first, and which are out and why.

The candidates are the active mediators on the referring court's roster whose term covers today.
They are ranked by, in this order:
1. specialty match: the case's dispute type is one of the mediator's specialties;
2. current open cases (assigned, accepted, in progress): fewer first;
3. past success: the share of their finished cases that ended in an agreement, higher first;
4. experience (finished cases), then name.

A candidate is left out, with every reason shown, when
- their mediation organisation is run by the chamber an enterprise party belongs to
  (`cases.Enterprise.chambers`), or is that party's own chamber body;
- they are recorded as linked to a party (the enterprise, or a party of the same name);
- they already declined this case.
The figures come from one annotated query; the whole ranking costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import deadlines

from .choices import FINISHED_STATES, WORKLOAD_STATES, CaseStatus, MediatorStatus
from .models import MediationCase, MediationDecline, MediationParty, Mediator, MediatorLink, MediatorSpecialty


@dataclass
class Candidate:
    mediator: Mediator
    rank: int
    specialty_match: bool
    open_cases: int
    finished: int
    successes: int

    @property
    def success_rate(self) -> float | None:
        return self.successes / self.finished if self.finished else None

    @property
    def explanation(self) -> str:
        parts = [
            _("专长匹配") if self.specialty_match else _("专长不匹配"),
            _("在办 %(n)s 件") % {"n": self.open_cases},
        ]
        if self.finished:
            parts.append(
                _("成功率 %(rate)s%%（%(ok)s/%(all)s）")
                % {"rate": round(100 * self.successes / self.finished), "ok": self.successes, "all": self.finished}
            )
        else:
            parts.append(_("尚无办结案件"))
        return " · ".join(str(p) for p in parts)


@dataclass
class Excluded:
    mediator: Mediator
    reasons: list[str] = field(default_factory=list)


@dataclass
class Ranking:
    candidates: list[Candidate]
    excluded: list[Excluded]

    @property
    def candidate_ids(self) -> set[int]:
        return {c.mediator.pk for c in self.candidates}

    @property
    def excluded_by_id(self) -> dict[int, Excluded]:
        return {e.mediator.pk: e for e in self.excluded}

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _pool(case: MediationCase):
    today = deadlines.today()
    return (
        Mediator.objects.filter(
            court_id=case.court_id, status=MediatorStatus.ACTIVE, term_start__lte=today, term_end__gte=today
        )
        .select_related("organisation__organization", "organisation__run_by")
        .prefetch_related(
            Prefetch("links", queryset=MediatorLink.objects.select_related("enterprise")),
            Prefetch("specialties", queryset=MediatorSpecialty.objects.order_by("specialty")),
        )
        .annotate(
            specialty_match=Exists(
                MediatorSpecialty.objects.filter(mediator=OuterRef("pk"), specialty=case.dispute_type)
            ),
            open_cases=Count("cases", filter=Q(cases__status__in=WORKLOAD_STATES), distinct=True),
            finished=Count("cases", filter=Q(cases__status__in=FINISHED_STATES), distinct=True),
            successes=Count("cases", filter=Q(cases__status=CaseStatus.AGREEMENT), distinct=True),
        )
    )


def _norm(name: str) -> str:
    return "".join((name or "").split()).replace("(", "（").replace(")", "）")


def _conflicts(mediator: Mediator, parties: list[MediationParty]) -> list[str]:
    reasons = []
    organisation = mediator.organisation
    for party in parties:
        enterprise = party.enterprise
        if enterprise is None:
            continue
        chamber_ids = {chamber.pk for chamber in enterprise.chambers.all()}
        if organisation.run_by_id in chamber_ids:
            reasons.append(
                _("所在调解组织“%(org)s”由当事人“%(party)s”所属的商会“%(chamber)s”设立")
                % {"org": organisation.name, "party": party.name, "chamber": organisation.run_by.name}
            )
        elif organisation.organization_id in chamber_ids:
            reasons.append(
                _("所在调解组织“%(org)s”是当事人“%(party)s”所属的商会组织")
                % {"org": organisation.name, "party": party.name}
            )
    names = {_norm(p.name): p for p in parties}
    enterprises = {p.enterprise_id: p for p in parties if p.enterprise_id}
    for link in mediator.links.all():
        party = enterprises.get(link.enterprise_id) if link.enterprise_id else None
        party = (
            party
            or names.get(_norm(link.party_name))
            or (names.get(_norm(link.enterprise.name)) if link.enterprise_id else None)
        )
        if party is not None:
            reasons.append(
                _("登记为与当事人“%(party)s”存在利害关系：%(relation)s")
                % {"party": party.name, "relation": link.relation}
            )
    return reasons


def rank_candidates(case: MediationCase) -> Ranking:
    """The ranked candidates and the excluded ones (each with its reasons) for this case."""
    parties = list(case.parties.select_related("enterprise").prefetch_related("enterprise__chambers"))
    declines: dict[int, list[MediationDecline]] = {}
    for decline in case.declines.all():
        declines.setdefault(decline.mediator_id, []).append(decline)
    candidates, excluded = [], []
    for mediator in _pool(case):
        reasons = _conflicts(mediator, parties)
        for decline in declines.get(mediator.pk, []):
            reasons.append(
                _("已于 %(when)s 拒绝本案：%(reason)s")
                % {"when": timezone.localtime(decline.declined_at).strftime("%Y-%m-%d"), "reason": decline.reason}
            )
        if reasons:
            excluded.append(Excluded(mediator, reasons))
            continue
        candidates.append(
            Candidate(
                mediator, 0, bool(mediator.specialty_match), mediator.open_cases, mediator.finished, mediator.successes
            )
        )

    def order(c: Candidate) -> tuple:
        rate = Decimal(c.successes) / c.finished if c.finished else Decimal(0)
        return (not c.specialty_match, c.open_cases, -rate, -c.finished, c.mediator.name, c.mediator.pk)

    candidates.sort(key=order)
    for index, candidate in enumerate(candidates, start=1):
        candidate.rank = index
    excluded.sort(key=lambda e: (e.mediator.name, e.mediator.pk))
    return Ranking(candidates, excluded)
