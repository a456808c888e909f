"""The minutes PDF against plain WeasyPrint on the same text and font.

Renders one set of minutes (a joint meeting of four parties, eight sections, twelve decided items,
twelve action items) through `meetings.documents` and, interleaved with it, the same text as
plain paragraphs in Noto Serif CJK SC; prints the median times (wall clock, and the process's CPU
time, which other jobs on a shared machine disturb far less), their ratios, the sizes and the font
faces each PDF embeds. No database: the minutes are unsaved model instances.

    python bench/pdf.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def minutes_context() -> dict:
    """A full set of minutes, built in memory."""
    from django.utils import timezone

    from liaison.models import Mechanism, Organization
    from meetings.models import Meeting, Minutes

    parties = [
        Organization(pk=i, name=name)
        for i, name in enumerate(
            ["洛阳市中级人民法院", "洛阳市工商业联合会", "洛阳市司法局", "洛阳市民营企业商会"], start=1
        )
    ]
    mechanism = Mechanism(name="洛阳市中级人民法院与洛阳市工商业联合会沟通联系机制")
    start = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 30))
    meeting = Meeting(
        mechanism=mechanism,
        kind="regular",
        title="2026年第四季度联席会议",
        place="洛阳市中级人民法院第一会议室",
        chair="张明",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        convenor_id=1,
    )
    minutes = Minutes(
        meeting=meeting,
        mechanism=mechanism,
        number="洛联纪〔2026〕4号",
        status="issued",
        title="2026年第四季度联席会议纪要",
        summary="会议通报了本季度涉企诉求移送、登记、反馈情况，研究了下一阶段重点工作。\n" * 3,
    )
    text = "会议认为，要进一步畅通涉企诉求反映渠道，规范移送登记流程，提高反馈质量和时效，切实维护民营企业合法权益。"
    sections = [SimpleNamespace(heading=f"关于第{i}项议题的讨论", discussion=(text + "\n") * 3) for i in range(1, 9)]
    decisions = [SimpleNamespace(text=f"{text}（第{i}项）") for i in range(1, 13)]
    items = [
        SimpleNamespace(
            title=f"落实第{i}项议定事项",
            target="按季度报告进展",
            owner_organization=parties[i % 4],
            owner_department=None,
            due_date=dt.date(2027, 3, 31),
        )
        for i in range(1, 13)
    ]
    people = [
        SimpleNamespace(
            display_name=f"参会人{i}",
            organization_display=parties[i % 4].name,
            title_display="副庭长",
            represented_by="",
        )
        for i in range(1, 17)
    ]
    return {
        "minutes": minutes,
        "meeting": meeting,
        "parties": parties,
        "attendance": {"present": people, "absent": people[:2], "unknown": []},
        "sections": sections,
        "decisions": decisions,
        "action_items": items,
        "distribution": parties,
        "issued_on": dt.date(2026, 11, 25),
        "meeting_start": start,
        "meeting_end": start + dt.timedelta(hours=2),
        "issuer": parties[0],
    }


def plain_html(text: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A4; margin: 37mm 26mm 35mm 28mm; }'
        ' body { font-family: "Noto Serif CJK SC"; font-size: 16pt; line-height: 1.75; }</style></head>'
        f"<body>{paragraphs}</body></html>"
    )


def fonts_of(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    import django

    django.setup()
    from django.template.loader import render_to_string
    from lxml import html as lxml_html
    from weasyprint import HTML

    from liaison.pdf import render_pdf

    context = minutes_context()
    text = lxml_html.fromstring(render_to_string("meetings/print/minutes.html", context)).body.text_content()
    ours = lambda: render_pdf("meetings/print/minutes.html", context)  # noqa: E731
    plain = lambda: HTML(string=plain_html(text)).write_pdf()  # noqa: E731
    ours(), plain()  # warm-up: fonts loaded, templates compiled
    times: dict[str, list[float]] = {"ours": [], "plain": []}
    cpu: dict[str, list[float]] = {"ours": [], "plain": []}
    for _ in range(args.repeat):
        for name, call in (("ours", ours), ("plain", plain)):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            times[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    ours_pdf, plain_pdf = ours(), plain()
    median = {name: statistics.median(values) for name, values in times.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"minutes PDF, {len(text)} characters, {args.repeat} interleaved pairs after one warm-up")
    for name, pdf in (("ours", ours_pdf), ("plain", plain_pdf)):
        print(
            f"  {name:5}  median {median[name] * 1000:7.1f} ms (CPU {median_cpu[name] * 1000:6.1f} ms)  "
            f"size {len(pdf) / 1024:6.1f} KB  faces {len(fonts_of(pdf))}: {', '.join(fonts_of(pdf))}"
        )
    print(
        f"  ratio ours / plain: {median['ours'] / median['plain']:.2f}, "
        f"CPU {median_cpu['ours'] / median_cpu['plain']:.2f}  (goal ≤ 1.5)"
    )


if __name__ == "__main__":
    main()
