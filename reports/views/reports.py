"""HTML pages of shared case reports: thin, they parse, call one selector or service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison import attachments, deadlines, scoping
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.replica import use_replica
from liaison.workflow_views import act_view

from .. import documents, monthly, selectors, services
from ..choices import ReportKind
from ..filters import ReportFilter
from ..forms import MonthlyGenerateForm, OpinionForm, ReportForm, WithdrawForm
from ..models import MonthlyReport, Report
from ..workflow import REPORT

PER_PAGE = 20


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    filterset = ReportFilter(request.GET or None, queryset=selectors.report_list(user=request.user), request=request)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": deadlines.today(),
            "may_write": request.user.has_perm("reports.add_report")
            and selectors.report_mechanisms(request.user).exists(),
        },
    )


def _detail_context(request: HttpRequest, report: Report, *, opinion_form: OpinionForm | None = None) -> dict:
    actions = services.allowed_actions(user=request.user, report=report)
    return {
        "report": report,
        "actions": actions,
        "attachments": attachments.attachments_of(report),
        "opinions": selectors.opinion_list(user=request.user, report=report),
        "comment_requests": selectors.comment_requests(user=request.user, report=report),
        "opinion_form": opinion_form or (OpinionForm() if "comment" in actions else None),
        "withdraw_form": WithdrawForm(prefix="withdraw") if "withdraw" in actions else None,
        "events": selectors.report_timeline(report),
        "monthly_sections": monthly.table(report.monthly.figures)
        if report.kind == ReportKind.MONTHLY_FIGURES
        else None,
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    return download(documents.report_pdf(report), documents.report_pdf_filename(report), inline=True)


def _save(request: HttpRequest, form: ReportForm, report: Report | None) -> Report | None:
    """Call the service; a refusal goes on the form, which keeps everything the user typed."""
    try:
        if report is None:
            return services.report_create(
                mechanism=form.cleaned_data["mechanism"],
                **form.service_data(),
                files=form.cleaned_data["files"],
                actor=request.user,
            )
        return services.report_update(
            report=report, data=form.service_data(), files=form.cleaned_data["files"], actor=request.user
        )
    except ActionRefused as error:
        form.add_error(None, error.message)
        return None


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.add_report"):
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        report = _save(request, form, None)
        if report is not None:
            messages.success(request, _("草稿已保存。发布后，机制的其他参与单位才能看到。"))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "report": None})


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    if not request.user.has_perm("reports.edit", report):
        messages.error(request, _("只有发布单位可以修改草稿；已发布的共享案例须先撤回并退回草稿。"))
        return redirect("reports:detail", pk=report.pk)
    form = ReportForm(request.POST or None, request.FILES or None, instance=report, user=request.user)
    if request.method == "POST" and form.is_valid():
        if _save(request, form, report) is not None:
            messages.success(request, _("草稿已保存。"))
            return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "report": report,
            "attachments": attachments.attachments_of(report),
        },
    )


def _load(request: HttpRequest, pk: int) -> Report:
    return selectors.report_get(user=request.user, pk=pk)


def _show_again(request: HttpRequest, report: Report, action: str, form) -> HttpResponse:  # noqa: ANN001
    context = _detail_context(request, report)
    context[f"{action}_form"] = form
    return render(request, "reports/report_detail.html", context)


# Publish, withdraw and reopen: the steps declared in `workflow.REPORT`, one POST view at their
# existing addresses (`reports/<pk>/<step>/`).
report_act = login_required(act_view(REPORT, load=_load, detail="reports:detail", show_again=_show_again))


@login_required
@require_POST
def opinion_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    form = OpinionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.opinion_submit(
                report=report, text=form.cleaned_data["text"], files=form.cleaned_data["files"], actor=request.user
            )
        except ActionRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("意见已提交。"))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report, opinion_form=form))


# --- monthly reports -------------------------------------------------------------------------------


def _generator_mechanisms(user):
    """Mechanisms the user may generate monthly reports of (none unless leader or secretary)."""
    if not user.has_perm("reports.generate_monthly"):
        return scoping.actionable_mechanisms(user).none()
    return scoping.actionable_mechanisms(user).order_by("name")


@login_required
def monthly_list(request: HttpRequest) -> HttpResponse:
    """Every monthly report the user may read, with the form to generate one on demand."""
    mechanisms = _generator_mechanisms(request.user)
    form = MonthlyGenerateForm(request.POST or None, mechanisms=mechanisms)
    if request.method == "POST":
        if not mechanisms.exists():
            raise Http404
        if form.is_valid():
            year, month = form.cleaned_data["month"]
            try:
                made = monthly.generate_monthly_report(
                    mechanism=form.cleaned_data["mechanism"], year=year, month=month, actor=request.user
                )
            except ActionRefused as refusal:
                form.add_error("month" if refusal.field == "month" else None, refusal.message)
            else:
                messages.success(request, _("已生成（第%(n)d次），机制各参与单位均可查看。") % {"n": made.revision})
                return redirect("reports:detail", pk=made.report_id)
    page = Paginator(selectors.monthly_list(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/monthly_list.html", {"page": page, "form": form if mechanisms.exists() else None})


def _monthly_report(request: HttpRequest, pk: int) -> Report:
    """A readable report that is a monthly report, else 404."""
    report = selectors.report_get(user=request.user, pk=pk)
    if report.kind != ReportKind.MONTHLY_FIGURES:
        raise Http404
    return report


@login_required
@require_POST
def monthly_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _monthly_report(request, pk)
    try:
        services.monthly_regenerate(report=report, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("已重新生成（第%(n)d次）。") % {"n": MonthlyReport.objects.get(pk=report.monthly.pk).revision}
        )
    return redirect("reports:detail", pk=report.pk)


@login_required
@use_replica()
def monthly_export(request: HttpRequest, pk: int) -> HttpResponse:
    current = _monthly_report(request, pk).monthly
    return download(monthly.workbook(current), monthly.workbook_filename(current))
