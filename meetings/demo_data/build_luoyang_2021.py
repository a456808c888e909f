"""Build luoyang_2021_plan.xlsx, the dual-list workbook of the Luoyang court's 2021 work plan
(洛中法〔2021〕42号, 70 tasks), from the text of the notice kept beside it.

Run from the repository root: `python meetings/demo_data/build_luoyang_2021.py`. Each task becomes
one row: its first sentence as the task, the whole paragraph as the target, the lead departments and
responsible units as written (several, separated by 、), due at the end of 2021, and an indicator
for each number the text sets as a target (listed by hand in INDICATORS below).
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "luoyang_2021_plan.txt"
TARGET = HERE / "luoyang_2021_plan.xlsx"
LEAD_ORGANIZATION = "洛阳市中级人民法院"
DUE = "2021年底"
MAX_INDICATORS = 3

# Task number → (name, unit, direction, target) for every target the text states as a number.
INDICATORS: dict[int, list[tuple[str, str, str, str]]] = {
    2: [("基层法院一审涉营商环境案件平均审理用时", "天", "不高于", "50")],
    5: [("涉营商环境案件立案平均用时", "天", "不高于", "1")],
    14: [("选取评议的案件数", "件", "不低于", "1000"), ("邀请旁听庭审人数", "人", "不低于", "10000")],
    20: [("首次执行案件平均用时", "天", "不高于", "70")],
    22: [("财产线索调查核实用时", "日", "不高于", "3")],
    24: [("到账案款发放用时", "日", "不高于", "30"), ("法定事由消失后案款兑付用时", "日", "不高于", "10")],
    25: [("本地财产解除强制措施用时", "小时", "不高于", "24"), ("外地财产解除强制措施用时", "日", "不高于", "5")],
    29: [("涉营商环境案件一二审移转用时", "天", "不高于", "30")],
    32: [("文书上网率", "%", "不低于", "90"), ("庭审直播率", "%", "不低于", "20")],
    34: [("商业纠纷成本占索赔额的平均值", "%", "不高于", "20")],
    37: [
        ("债务人无异议时裁定受理用时", "日", "不高于", "5"),
        ("债务人有异议时裁定受理用时", "日", "不高于", "7"),
        ("一次性告知补正材料用时", "日", "不高于", "3"),
    ],
    38: [("破产案件平均审理用时", "天", "不高于", "450")],
    39: [("破产成本占比", "%", "不高于", "15")],
    40: [("债权平均回收率", "%", "不低于", "50")],
    65: [("一审知识产权民事案件结收比", "%", "不低于", "99"), ("二审知识产权民事案件结收比", "%", "不低于", "95")],
}

_TASK = re.compile(r"(?ms)^\s*(\d{1,2})\s*[.．]\s*(.+?)\n\s*牵头部门：(.+?)\n\s*责任部门：(.+?)\n")
_HEADING = re.compile(r"^\s*（[一二三四五六七八九十]+）.*$", re.M)


def tasks(text: str) -> list[dict]:
    """The numbered tasks of section 三 (工作要点), in order."""
    body = text[text.index("三、工作要点") : text.index("四、工作要求")]
    found = []
    for match in _TASK.finditer(body):
        paragraph = "".join(line.strip() for line in _HEADING.sub("", match[2]).splitlines())
        first = re.split(r"(?<=[。；])", paragraph, maxsplit=1)[0]
        found.append(
            {
                "number": int(match[1]),
                "title": first[:300],
                "target": paragraph,
                "lead": match[3].strip(),
                "responsible": match[4].strip(),
            }
        )
    return found


def build() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2021年优化营商环境工作要点"
    indicator_headers = [
        f"指标{n}{part}" for n in range(1, MAX_INDICATORS + 1) for part in ("名称", "单位", "方向", "目标")
    ]
    sheet.append(["序号", "任务", "牵头单位", "牵头部门", "责任单位", "目标要求", "完成时限", *indicator_headers])
    for task in tasks(SOURCE.read_text(encoding="utf-8")):
        cells = [value for indicator in INDICATORS.get(task["number"], []) for value in indicator]
        sheet.append(
            [
                task["number"],
                task["title"],
                LEAD_ORGANIZATION,
                task["lead"],
                task["responsible"],
                task["target"],
                DUE,
                *cells,
            ]
        )
    return workbook


if __name__ == "__main__":
    built = build()
    built.save(TARGET)
    print(f"{TARGET.name}: {built.active.max_row - 1} tasks")
