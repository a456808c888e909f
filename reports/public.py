"""The public column of a mechanism (营商环境专栏): what an anonymous visitor may read.

Only what the parties chose to publish, field by field: the mechanism's name and its party
organizations (public institutions), the published monthly figures (aggregates, no person and no
enterprise; the satisfaction rate with its sample size, or in words below the minimum sample), and the published reports their author marked public (title, kind, date, author
organization, summary, body — never the writer, case numbers, tags, opinions or files), and of those
only the ones that name no enterprise of the mechanism unless the enterprise was marked public. The
column is built once and cached; visitors are counted per address and minute.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.figures import SATISFACTION_MIN_SAMPLE
from cases.models import Enterprise
from liaison.models import Mechanism, Organization

from .choices import ReportKind, ReportState
from .models import MonthlyReport, Report
from .monthly import SHARE, display, table

MONTHS_SHOWN = 12
REPORTS_SHOWN = 50
REPORT_FIELDS = ("title", "kind", "published_at", "author_organization", "summary", "body")
FIGURE_FIELDS = ("label", "month_text", "previous_text", "year_to_date_text")


def _key(mechanism_id: int) -> str:
    return f"public-column:{mechanism_id}:{get_language()}"


def forget_public_column(mechanism_id: int) -> None:
    for language, _name in settings.LANGUAGES:
        cache.delete(f"public-column:{mechanism_id}:{language}")


def _names_withheld(mechanism_id: int) -> set[str]:
    """The names of the mechanism's enterprises not marked public: a report naming one stays out."""
    return set(
        Enterprise.objects.filter(mechanism_id=mechanism_id, is_public=False)
        .exclude(name="")
        .values_list("name", flat=True)
    )


def _names_none_of(report: Report, names: set[str]) -> bool:
    text = " ".join([report.title, report.summary, report.body])
    return not any(name in text for name in names)


def forget_on_enterprise_publicity(sender: object, mechanism_id: int, **kwargs: object) -> None:
    """An enterprise was marked public or no longer public: the column is built again."""
    forget_public_column(mechanism_id)


def public_reports(mechanism_id: int) -> list[dict]:
    withheld = _names_withheld(mechanism_id)
    rows = (
        Report.objects.filter(mechanism_id=mechanism_id, state=ReportState.PUBLISHED, is_public=True)
        .exclude(kind__in=[ReportKind.MONTHLY_FIGURES, ReportKind.DRAFT_REGULATION])
        .select_related("author_organization")
        .order_by("-published_at", "-pk")[:REPORTS_SHOWN]
    )
    return [
        {
            "pk": r.pk,
            "title": r.title,
            "kind": str(r.get_kind_display()),
            "published_at": r.published_at,
            "author_organization": r.author_organization.name,
            "summary": r.summary,
            "body": r.body,
        }
        for r in rows
        if _names_none_of(r, withheld)
    ]


PERIODS = (("month", "month_text"), ("previous", "previous_text"), ("year_to_date", "year_to_date_text"))


def satisfaction_text(rate: float | None, sample: int | None) -> str:
    """The satisfaction rate as the column prints it: with its sample, or in words below the minimum."""
    if sample is None:
        return "—"
    if rate is None or sample < SATISFACTION_MIN_SAMPLE:
        return _("样本不足（%(n)d件评价，少于%(min)d件，不计算满意率）") % {"n": sample, "min": SATISFACTION_MIN_SAMPLE}
    return _("%(rate)s（%(n)d件评价）") % {"rate": display(SHARE, rate), "n": sample}


def _with_satisfaction(figures: dict) -> list[dict]:
    """The printed table, with the satisfaction rate given its sample size (or the words saying why not)."""
    sections = table(figures)
    samples = {row["key"]: row for row in figures["rows"]}.get("satisfaction_sample")
    for section in sections:
        for row in section["rows"]:
            if row["key"] == "satisfaction_rate" and samples is not None:
                for value, text in PERIODS:
                    row[text] = satisfaction_text(row[value], samples[value])
    return sections


def public_figures(mechanism_id: int) -> list[dict]:
    monthly = (
        MonthlyReport.objects.filter(mechanism_id=mechanism_id, report__state=ReportState.PUBLISHED)
        .select_related("report")
        .order_by("-year", "-month")[:MONTHS_SHOWN]
    )
    return [
        {
            "year": m.year,
            "month": m.month,
            "published_at": m.report.published_at,
            "sections": [
                {
                    "label": section["label"],
                    "rows": [{field: row[field] for field in FIGURE_FIELDS} for row in section["rows"]],
                }
                for section in _with_satisfaction(m.figures)
            ],
        }
        for m in monthly
    ]


def public_column(mechanism_id: int) -> dict | None:
    """The column's content, or None when the mechanism has not opened one (the page answers 404)."""
    key = _key(mechanism_id)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    mechanism = Mechanism.objects.filter(pk=mechanism_id, public_page=True, is_active=True).first()
    if mechanism is None:
        column: dict = {}
    else:
        column = {
            "pk": mechanism.pk,
            "name": mechanism.name,
            "document_number": mechanism.document_number,
            "parties": list(
                Organization.objects.filter(mechanism_parties__mechanism=mechanism)
                .order_by("-mechanism_parties__is_convenor", "name")
                .values_list("name", flat=True)
            ),
            "figures": public_figures(mechanism.pk),
            "reports": public_reports(mechanism.pk),
            "built_at": timezone.now(),
        }
    cache.set(key, column, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return column or None


def over_rate_limit(address: str | None) -> bool:
    """Whether this address asked more than `PUBLIC_PAGE_RATE_LIMIT` public pages this minute."""
    minute = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M")
    key = f"public-rate:{address or 'unknown'}:{minute}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=70)
            count = 1
    return count > settings.PUBLIC_PAGE_RATE_LIMIT
