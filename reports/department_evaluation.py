"""The evaluation by department (部门履职评价): every unit answering for the mechanism's action items
and tasks due in the year — a department, or an organization as a whole where no department is named —
with what it owned, did, did on time, left overdue and the indicators it met, scored with the weights
the administrator set for the mechanism (`Mechanism.weight_*`), and ranked.

A task counts once for each of its owners (lead, co-leads, responsible departments); an indicator
counts as met when its latest month (entered, or computed by the portal) meets the target. Five
queries whatever the number of items, plus one per computed indicator kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell

from liaison.deadlines import today
from liaison.models import Mechanism, Organization, User
from liaison.xlsx import SafeWorkbook, workbook_bytes
from meetings.choices import Direction, IndicatorSource, ItemStatus
from meetings.indicators import computed_values, months_between
from meetings.models import Indicator, IndicatorValue, TaskOwner
from meetings.selectors import item_scope


@dataclass
class DepartmentScore:
    organization_id: int
    organization_name: str
    department_name: str
    owned: int = 0
    done: int = 0
    done_on_time: int = 0
    open_overdue: int = 0
    indicators: int = 0
    indicators_met: int = 0
    score: float = 0.0
    rank: int = 0
    item_ids: set[int] = field(default_factory=set)

    @property
    def unit_name(self) -> str:
        return f"{self.organization_name} · {self.department_name}" if self.department_name else self.organization_name

    @staticmethod
    def _percent(part: int, whole: int) -> str:
        return "—" if not whole else f"{part * 100 / whole:.1f}%"

    @property
    def done_percent(self) -> str:
        return self._percent(self.done, self.owned)

    @property
    def on_time_percent(self) -> str:
        return self._percent(self.done_on_time, self.owned)

    @property
    def indicators_percent(self) -> str:
        return self._percent(self.indicators_met, self.indicators)


@dataclass(frozen=True)
class DepartmentEvaluation:
    mechanism: Mechanism
    year: int
    today: dt.date
    rows: list[DepartmentScore]

    @property
    def definitions(self) -> list[str]:
        m = self.mechanism
        return [
            _(
                "统计范围：本机制截止日在 %(year)s 年内、已生效的督办事项和双清单任务；一项任务计入其牵头单位、共同牵头单位和各责任部门。"
            )
            % {"year": self.year},
            _(
                "应办：上述事项数；已办结：其中已办结销号的；按期办结：在截止日（含）前办结的；逾期未办结：至今未办结且已过截止日的。"
            ),
            _("指标达标：任务各项指标最近一个月的数值（责任部门填报或系统计算）达到目标值的项数。"),
            _(
                "得分 =（办结率×%(done)s + 按期办结率×%(on_time)s + 指标达标率×%(indicators)s）÷ 权重之和 × 100 − "
                "逾期未办结项数 × %(penalty)s，最低 0 分；没有指标的部门不计指标一项及其权重。权重由系统管理员按机制设置。"
            )
            % {
                "done": m.weight_done,
                "on_time": m.weight_on_time,
                "indicators": m.weight_indicators,
                "penalty": m.overdue_penalty,
            },
            _("排名按得分从高到低，得分相同的并列。"),
        ]


def _score(row: DepartmentScore, mechanism: Mechanism) -> float:
    parts = [(mechanism.weight_done, row.done / row.owned), (mechanism.weight_on_time, row.done_on_time / row.owned)]
    if row.indicators:
        parts.append((mechanism.weight_indicators, row.indicators_met / row.indicators))
    weights = sum(weight for weight, _share in parts)
    base = sum(weight * share for weight, share in parts) / weights * 100 if weights else 0.0
    return round(max(base - mechanism.overdue_penalty * row.open_overdue, 0.0), 1)


def _indicators_met(indicators: list[dict], mechanism: Mechanism, year: int, on: dt.date) -> dict[int, tuple[int, int]]:
    """Item id → (indicators, met in their latest month)."""
    months = months_between(dt.date(year, 1, 1), min(on, dt.date(year, 12, 31))) if on.year >= year else []
    latest: dict[int, Decimal] = {}
    for value in (
        IndicatorValue.objects.filter(indicator_id__in=[i["pk"] for i in indicators], month__in=months)
        .order_by("indicator_id", "month")
        .values("indicator_id", "value")
    ):
        latest[value["indicator_id"]] = value["value"]  # ordered by month: the last one stays
    computed: dict[str, dict[dt.date, Decimal]] = {}
    counts: dict[int, tuple[int, int]] = {}
    for indicator in indicators:
        if indicator["source"] == IndicatorSource.COMPUTED:
            if indicator["metric"] not in computed:
                computed[indicator["metric"]] = computed_values(mechanism.pk, indicator["metric"], months)
            series = computed[indicator["metric"]]
            value = series[max(series)] if series else None
        else:
            value = latest.get(indicator["pk"])
        met = value is not None and (
            value <= indicator["target"]
            if indicator["direction"] == Direction.AT_MOST
            else value >= indicator["target"]
        )
        total, done = counts.get(indicator["item_id"], (0, 0))
        counts[indicator["item_id"]] = (total + 1, done + int(met))
    return counts


def department_evaluation(
    *, user: User, mechanism: Mechanism, year: int, owner: Organization | None = None
) -> DepartmentEvaluation:
    """The table of the mechanism's units answering for items due in `year`, scored and ranked (ranks
    among all units; `owner` keeps one organization's rows, e.g. a member unit's own figures). The
    caller has checked that the user sees `mechanism`."""
    on = today()
    items = list(
        item_scope(user)
        .filter(mechanism=mechanism, due_date__year=year)
        .exclude(status=ItemStatus.DRAFT)
        .values(
            "pk",
            "status",
            "due_date",
            "closed_at",
            "owner_organization_id",
            "owner_organization__name",
            "owner_department__name",
        )
    )
    ids = [item["pk"] for item in items]
    owners: dict[int, list[tuple[int, str, str]]] = {}
    for row in TaskOwner.objects.filter(item_id__in=ids).values(
        "item_id", "organization_id", "organization__name", "department__name"
    ):
        owners.setdefault(row["item_id"], []).append(
            (row["organization_id"], row["organization__name"], row["department__name"] or "")
        )
    indicators = list(
        Indicator.objects.filter(item_id__in=ids).values("pk", "item_id", "source", "metric", "direction", "target")
    )
    measured = _indicators_met(indicators, mechanism, year, on)
    rows: dict[tuple[int, str, str], DepartmentScore] = {}
    for item in items:
        units = owners.get(item["pk"]) or [
            (item["owner_organization_id"], item["owner_organization__name"], item["owner_department__name"] or "")
        ]
        closed = timezone.localtime(item["closed_at"]).date() if item["closed_at"] else None
        done = item["status"] == ItemStatus.DONE
        total, met = measured.get(item["pk"], (0, 0))
        for unit in dict.fromkeys(units):
            row = rows.setdefault(unit, DepartmentScore(*unit))
            if item["pk"] in row.item_ids:
                continue
            row.item_ids.add(item["pk"])
            row.owned += 1
            row.done += int(done)
            row.done_on_time += int(done and closed is not None and closed <= item["due_date"])
            row.open_overdue += int(not done and item["due_date"] < on)
            row.indicators += total
            row.indicators_met += met
    ranked = list(rows.values())
    for row in ranked:
        row.score = _score(row, mechanism)
    ranked.sort(key=lambda r: (-r.score, r.organization_name, r.department_name))
    for index, row in enumerate(ranked):
        row.rank = ranked[index - 1].rank if index and ranked[index - 1].score == row.score else index + 1
    if owner is not None:
        ranked = [row for row in ranked if row.organization_id == owner.pk]
    return DepartmentEvaluation(mechanism, year, on, ranked)


HEADERS = [
    gettext_lazy("排名"),
    gettext_lazy("单位"),
    gettext_lazy("部门"),
    gettext_lazy("应办"),
    gettext_lazy("已办结"),
    gettext_lazy("按期办结"),
    gettext_lazy("逾期未办结"),
    gettext_lazy("指标"),
    gettext_lazy("指标达标"),
    gettext_lazy("得分"),
]


def department_evaluation_workbook(evaluation: DepartmentEvaluation) -> bytes:
    """The table as .xlsx, with the definitions and weights under it."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("部门履职评价"))
    sheet.append(
        [
            _("%(mechanism)s %(year)s 年度部门履职评价表")
            % {"mechanism": evaluation.mechanism.name, "year": evaluation.year}
        ]
    )
    sheet.append([str(h) for h in HEADERS])
    for row in evaluation.rows:
        score = WriteOnlyCell(sheet, value=row.score)
        score.number_format = "0.0"
        sheet.append(
            [
                row.rank,
                row.organization_name,
                row.department_name,
                row.owned,
                row.done,
                row.done_on_time,
                row.open_overdue,
                row.indicators,
                row.indicators_met,
                score,
            ]
        )
    sheet.append([])
    sheet.append([_("口径说明")])
    for text in evaluation.definitions:
        sheet.append([text])
    return workbook_bytes(workbook)
