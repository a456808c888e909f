"""The overdue ledger (逾期台账) and the evaluation table (履职评价表) pages, with their Excel exports.

Thin like the other pages: parse the filters, call `reports.ledgers`, render. The mechanism is chosen
among those the user sees (any other id answers 404, as on the dashboard); the owner, the kind and
the year are checked by a form, and a wrong value is named on the page and left out. A fixed number
of queries: the mechanisms and the units the filters offer, then the ledger's own queries.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from liaison import scoping
from liaison.deadlines import today
from liaison.downloads import download
from liaison.models import Organization
from liaison.paging import query_without_page
from liaison.permissions import page_requires
from liaison.replica import use_replica

from ..department_evaluation import DepartmentEvaluation, department_evaluation, department_evaluation_workbook
from ..ledgers import (
    DEFINITIONS,
    Evaluation,
    LedgerKind,
    OverdueLedger,
    evaluation_table,
    evaluation_workbook,
    ledger_owners,
    overdue_ledger,
    overdue_ledger_workbook,
)

SELECT = "form-select form-select-sm"


class OwnerFilterForm(forms.Form):
    """The owner organization, among the units the user may read; a wrong value is named, not used."""

    owner = forms.TypedChoiceField(
        label=gettext_lazy("责任单位"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": gettext_lazy("所选责任单位不存在或不在可见范围内。")},
    )

    def __init__(self, data: object, *, owners: list[Organization]) -> None:
        super().__init__(data)
        self.owners = {owner.pk: owner for owner in owners}
        self.fields["owner"].choices = [("", _("全部单位")), *[(o.pk, o.name) for o in owners]]

    def chosen(self) -> dict:
        """The valid filters (a wrong one is left out; the page names it)."""
        self.is_valid()
        data = dict(self.cleaned_data)
        data["owner"] = self.owners.get(data.get("owner"))
        return data

    def problems(self) -> list[str]:
        return [f"{self.fields[name].label}：{' '.join(errors)}" for name, errors in self.errors.items()]


class LedgerFilterForm(OwnerFilterForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("事项类别"),
        required=False,
        choices=[("", gettext_lazy("全部类别")), *LedgerKind.choices],
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "invalid_choice": gettext_lazy(
                "事项类别无效，可选：涉企诉求、督办事项、双清单任务、调解案件、调研课题节点。"
            )
        },
    )

    def chosen(self) -> dict:
        data = super().chosen()
        data["kind"] = data.get("kind") or None
        return data


class EvaluationFilterForm(OwnerFilterForm):
    """The year (this year when left empty) and owner organization of the evaluation table."""

    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={
            "invalid": gettext_lazy("年度须为四位数字，如 2026。"),
            "min_value": gettext_lazy("年度须在 2000 至 2100 之间。"),
            "max_value": gettext_lazy("年度须在 2000 至 2100 之间。"),
        },
    )
    field_order = ["year", "owner"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["placeholder"] = str(today().year)  # what an empty field means

    def chosen(self) -> dict:
        data = super().chosen()
        data["year"] = data.get("year") or today().year
        return data


def _filters(request: HttpRequest, form_class: type[OwnerFilterForm]) -> tuple[OwnerFilterForm, dict]:
    """The form and the chosen filters, with the mechanism (404 when the user does not see it)."""
    mechanisms = list(scoping.visible_mechanisms(request.user).order_by("name"))
    form = form_class(request.GET, owners=list(ledger_owners(user=request.user)))
    chosen = {
        **form.chosen(),
        "mechanism": scoping.chosen_mechanism(request.GET.get("mechanism"), mechanisms),
        "mechanisms": mechanisms,
    }
    return form, chosen


def _context(request: HttpRequest, form: OwnerFilterForm, chosen: dict) -> dict:
    return {
        "form": form,
        "problems": form.problems(),
        "mechanisms": chosen["mechanisms"],
        "mechanism": chosen["mechanism"],
        "query": query_without_page(request),
    }


LEDGERS_REFUSED = gettext_lazy("逾期台账和履职评价供诉求、会议事项的经办人员和领导使用，您的角色不能查看。")


def _refused(form: OwnerFilterForm) -> HttpResponse:
    """An export is not made from half-read filters: the wrong values are named instead."""
    text = _("筛选条件有误：%(problems)s") % {"problems": "；".join(form.problems())}
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def _ledger(request: HttpRequest, chosen: dict) -> OverdueLedger:
    return overdue_ledger(user=request.user, mechanism=chosen["mechanism"], owner=chosen["owner"], kind=chosen["kind"])


@login_required
@page_requires("reports.view_overdue_ledger", LEDGERS_REFUSED)
@require_GET
@use_replica()
def overdue_ledger_page(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, LedgerFilterForm)
    return render(
        request, "reports/ledgers/overdue.html", {**_context(request, form, chosen), "ledger": _ledger(request, chosen)}
    )


@login_required
@page_requires("reports.view_overdue_ledger", LEDGERS_REFUSED)
@require_GET
@use_replica()
def overdue_ledger_export(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, LedgerFilterForm)
    if form.errors:
        return _refused(form)
    ledger = _ledger(request, chosen)
    content = overdue_ledger_workbook(ledger, link=request.build_absolute_uri)
    day = f"{ledger.today:%Y%m%d}"
    return download(content, _("逾期台账-%(day)s.xlsx") % {"day": day})


def _evaluation(request: HttpRequest, chosen: dict) -> Evaluation:
    return evaluation_table(
        user=request.user, year=chosen["year"], mechanism=chosen["mechanism"], owner=chosen["owner"]
    )


@login_required
@page_requires("reports.view_evaluation", LEDGERS_REFUSED)
@require_GET
@use_replica()
def evaluation_page(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, EvaluationFilterForm)
    return render(
        request,
        "reports/ledgers/evaluation.html",
        {
            **_context(request, form, chosen),
            "evaluation": _evaluation(request, chosen),
            "definitions": DEFINITIONS,
        },
    )


@login_required
@page_requires("reports.view_evaluation", LEDGERS_REFUSED)
@require_GET
@use_replica()
def evaluation_export(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, EvaluationFilterForm)
    if form.errors:
        return _refused(form)
    content = evaluation_workbook(_evaluation(request, chosen))
    year = chosen["year"]
    return download(content, _("履职评价-%(year)s.xlsx") % {"year": year})


def _department_evaluation(request: HttpRequest, chosen: dict) -> DepartmentEvaluation | None:
    """The chosen mechanism's table (the first the user sees when none is chosen: weights are per mechanism)."""
    mechanism = chosen["mechanism"] or next(iter(chosen["mechanisms"]), None)
    if mechanism is None:
        return None
    chosen["mechanism"] = mechanism
    return department_evaluation(user=request.user, mechanism=mechanism, year=chosen["year"], owner=chosen["owner"])


@login_required
@page_requires("reports.view_evaluation", LEDGERS_REFUSED)
@require_GET
@use_replica()
def department_evaluation_page(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, EvaluationFilterForm)
    evaluation = _department_evaluation(request, chosen)
    return render(
        request,
        "reports/ledgers/department_evaluation.html",
        {**_context(request, form, chosen), "evaluation": evaluation, "year": chosen["year"]},
    )


@login_required
@page_requires("reports.view_evaluation", LEDGERS_REFUSED)
@require_GET
@use_replica()
def department_evaluation_export(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, EvaluationFilterForm)
    if form.errors:
        return _refused(form)
    evaluation = _department_evaluation(request, chosen)
    if evaluation is None:
        return _refused(form)
    content = department_evaluation_workbook(evaluation)
    return download(content, _("部门履职评价-%(year)s.xlsx") % {"year": evaluation.year})
