"""Data for the figures benchmark, written with set-based SQL on PostgreSQL (INSERT … SELECT generate_series).

Everything lands in the demo mechanism 洛阳法院·工商联 and is made once: each part is skipped when its
rows are there (complaints are written in chunks, each chunk with its deadlines in one transaction,
so an interrupted run resumes where it stopped).

- complaints (serials F00000000…) submitted over the two years before today, spread over the states,
  kinds and enterprises (every industry and size), with the timestamps the figures read
  (submitted_at, transferred_at, registered_at, answered_at, closed_at, reopen_count) and their
  deadlines (review, registration, feedback, and a second feedback after a reopen; running, paused,
  met or cancelled, due dates counted on the working-day index, some overdue);
- a meeting a month with issued minutes (the quarter's joint meeting, coordination meetings; one
  quarter without its joint meeting), a plenary a year approving that year's dual list, one
  cancelled and one postponed meeting, and the action items and dual-list
  tasks (open, in progress, done on time or late, open past their date; a few drafts);
- mediation cases (serials BM000001…) referred over the two years, open, agreed, failed or withdrawn.
"""

from __future__ import annotations

import datetime as dt
import time

COMPLAINT_PREFIX = "F"
MEDIATION_PREFIX = "BM"
MEETING_PREFIX = "基准·"
ITEM_PREFIX = "基准督办事项"
CHUNK = 100_000
SPAN_DAYS = 730
COURT_PATH = ("transferred", "returned", "registered", "assigned", "answered", "closed")
LOCAL = "Asia/Shanghai"


def _in(values: tuple[str, ...]) -> str:
    """An SQL list of constant strings (our own constants only)."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


# One row per complaint to write: the state aimed at, the time of each step, then the state reached by
# now (a step still in the future leaves the complaint at the step before). The steps of a reopened
# complaint all end within 110 days, so only complaints older than that are reopened.
STAGED_SQL = f"""
CREATE TEMP TABLE bench_staged ON COMMIT DROP AS
WITH draw AS MATERIALIZED (
    SELECT g, random() AS r_state, random() AS r_age, random() AS r_transfer, random() AS r_register,
           random() AS r_assign, random() AS r_answer, random() AS r_close, random() AS r_reopen,
           random() AS r_answer2, random() AS r_enterprise, random() AS r_kind, random() AS r_amount
    FROM generate_series(%(first)s, %(last)s) AS g
), aimed AS (
    SELECT *, CASE
        WHEN r_state < 0.02 THEN 'draft'         WHEN r_state < 0.05 THEN 'submitted'
        WHEN r_state < 0.09 THEN 'under_review'  WHEN r_state < 0.10 THEN 'needs_material'
        WHEN r_state < 0.14 THEN 'declined'      WHEN r_state < 0.17 THEN 'queued'
        WHEN r_state < 0.19 THEN 'withdrawn'     WHEN r_state < 0.22 THEN 'transferred'
        WHEN r_state < 0.24 THEN 'returned'      WHEN r_state < 0.27 THEN 'registered'
        WHEN r_state < 0.35 THEN 'assigned'      WHEN r_state < 0.40 THEN 'answered'
        ELSE 'closed' END AS aim
    FROM draw
), timed AS (
    SELECT *, %(now)s::timestamptz - interval '1 day' * r_age * CASE aim
        WHEN 'draft' THEN 30 WHEN 'submitted' THEN 5 WHEN 'under_review' THEN 12 WHEN 'needs_material' THEN 20
        WHEN 'queued' THEN 30 WHEN 'transferred' THEN 8 WHEN 'registered' THEN 30 WHEN 'assigned' THEN 400 * r_age
        WHEN 'answered' THEN 60 WHEN 'returned' THEN 400 ELSE {SPAN_DAYS} END AS t_sub
    FROM aimed
), steps AS (
    SELECT *, t_sub + interval '1 day' * (0.5 + 25 * r_transfer ^ 2) AS t_tr,
           aim IN ('assigned', 'answered', 'closed') AND r_reopen < 0.06
               AND t_sub < %(now)s::timestamptz - interval '110 days' AS reopened
    FROM timed
), court AS (
    SELECT *, t_tr + interval '1 day' * (0.05 + 6 * r_register ^ 3) AS t_reg,
           t_tr + interval '1 day' * (0.5 + 6 * r_register) AS t_ret
    FROM steps
), handling AS (
    SELECT *, t_reg + interval '1 day' * (0.02 + 2 * r_assign) AS t_asg FROM court
), answering AS (
    SELECT *, t_asg + interval '1 day' * (1 + 30 * r_answer ^ 1.5) AS t_ans1 FROM handling
), reopening AS (
    SELECT *, t_ans1 + interval '1 day' * (1 + 6 * r_reopen / 0.06) AS t_reopen FROM answering
), answered AS (
    SELECT *, CASE WHEN reopened THEN t_reopen + interval '1 day' * (2 + 22 * r_answer2) ELSE t_ans1 END AS t_ans
    FROM reopening
), ended AS (
    SELECT *, t_ans + interval '1 day' * (0.5 + 9 * r_close) AS t_close,
           t_sub + interval '1 day' * (0.5 + 6 * r_close) AS t_decl
    FROM answered
)
SELECT *, CASE
    WHEN aim IN ('declined', 'withdrawn') AND t_decl > %(now)s THEN 'under_review'
    WHEN aim IN {_in(COURT_PATH)} AND t_tr > %(now)s THEN 'under_review'
    WHEN aim = 'returned' AND t_ret > %(now)s THEN 'transferred'
    WHEN aim IN ('registered', 'assigned', 'answered', 'closed') AND t_reg > %(now)s THEN 'transferred'
    WHEN aim IN ('assigned', 'answered', 'closed') AND t_asg > %(now)s THEN 'registered'
    WHEN aim IN ('answered', 'closed') AND t_ans > %(now)s THEN 'assigned'
    WHEN aim = 'closed' AND t_close > %(now)s THEN 'answered'
    ELSE aim END AS status,
    'F' || lpad(g::text, 8, '0') AS serial
FROM ended
"""

COMPLAINTS_SQL = f"""
INSERT INTO cases_complaint (
    mechanism_id, serial, filing_organization_id, court_id, enterprise_id, kind, title, facts, demands,
    amount_involved, is_major, major_reason, status, created_by_id, created_at, submitted_at, transferred_at,
    registered_at, answered_at, closed_at, registration_number, court_case_numbers, under_supervision,
    department_id, handler_id, answer, reason, reopen_count, extension_state, extension_reason,
    current_due_kind, current_due_paused, enterprise_answer, filed_online)
SELECT %(mechanism)s, serial, %(federation)s, %(court)s,
       (%(enterprises)s::int[])[1 + floor(r_enterprise * %(enterprise_count)s)::int],
       (%(kinds)s::text[])[1 + floor(r_kind ^ 1.4 * %(kind_count)s)::int],
       '基准诉求' || g, '事实', '诉求', round((r_amount * 5000000)::numeric, 2), false, '', status,
       %(staff)s, t_sub - interval '2 hours',
       CASE WHEN status <> 'draft' THEN t_sub END,
       CASE WHEN status IN {_in(COURT_PATH)} THEN t_tr END,
       CASE WHEN status IN ('registered', 'assigned', 'answered', 'closed') THEN t_reg END,
       CASE WHEN status IN ('answered', 'closed') THEN t_ans END,
       CASE WHEN status = 'closed' THEN t_close WHEN status IN ('declined', 'withdrawn') THEN t_decl END,
       CASE WHEN status IN ('registered', 'assigned', 'answered', 'closed') THEN 'DJ' || g ELSE '' END,
       '', false,
       CASE WHEN status IN ('assigned', 'answered', 'closed') THEN %(department)s END,
       CASE WHEN status IN ('assigned', 'answered', 'closed') THEN %(handler)s END,
       CASE WHEN status IN ('answered', 'closed') THEN '已办理' ELSE '' END,
       CASE WHEN reopened THEN '请重新办理' WHEN status IN ('declined', 'withdrawn', 'returned') THEN '理由' ELSE '' END,
       CASE WHEN reopened THEN 1 ELSE 0 END, 'none', '',
       '', false,  -- the nearest open deadline: refresh_durations fills it once the deadlines are in
       '', false
FROM bench_staged
"""

# The deadlines of the staged complaints, as the services would have left them: due dates are the
# working day whose index ordinal is the start's plus the working days, computed on the morning of
# the start (the reminder sweep reads the deadlines computed since its last run as changed).
DEADLINES_SQL = f"""
INSERT INTO liaison_deadline (
    kind, label, content_type_id, object_id, url, mechanism_id, owner_user_id, owner_organization_id,
    start_date, working_days, extra_working_days, due_date, skipped_days, assumed_years, state, paused_on,
    computed_at)
SELECT d.kind, d.label || c.title, %(content_type)s, c.id::text, '/cases/complaints/' || c.id || '/',
       c.mechanism_id, d.owner_user, d.owner_organization, d.start_date, d.days, 0, due.date, '[]', '[]',
       d.state, CASE WHEN d.state = 'paused' THEN LEAST(d.start_date + 1, %(today)s::date) END,
       LEAST(%(now)s::timestamptz, (d.start_date + time '09:00') AT TIME ZONE '{LOCAL}')
FROM bench_staged s
JOIN cases_complaint c ON c.serial = s.serial
CROSS JOIN LATERAL (VALUES
    ('complaint.review', '审核：', %(federation)s, NULL::int,
     CASE WHEN s.status <> 'draft' THEN (s.t_sub AT TIME ZONE '{LOCAL}')::date END, %(review_days)s,
     CASE WHEN s.status IN ('submitted', 'under_review') THEN 'running' WHEN s.status = 'needs_material' THEN 'paused'
          WHEN s.status = 'withdrawn' THEN 'cancelled' ELSE 'met' END),
    ('complaint.registration', '登记：', %(court)s, NULL::int,
     CASE WHEN s.status IN {_in(COURT_PATH)} THEN (s.t_tr AT TIME ZONE '{LOCAL}')::date END, %(registration_days)s,
     CASE s.status WHEN 'transferred' THEN 'running' WHEN 'returned' THEN 'cancelled' ELSE 'met' END),
    ('complaint.feedback', '反馈：', %(court)s, c.handler_id,
     CASE WHEN s.status IN {_in(COURT_PATH)} THEN (s.t_tr AT TIME ZONE '{LOCAL}')::date END, %(feedback_days)s,
     CASE WHEN s.status = 'returned' THEN 'cancelled'
          WHEN s.status IN ('transferred', 'registered', 'assigned') AND NOT s.reopened THEN 'running'
          ELSE 'met' END),
    ('complaint.feedback', '反馈：', %(court)s, c.handler_id,
     CASE WHEN s.reopened THEN (s.t_reopen AT TIME ZONE '{LOCAL}')::date END, %(feedback_days)s,
     CASE WHEN s.status = 'assigned' THEN 'running' ELSE 'met' END)
) AS d(kind, label, owner_organization, owner_user, start_date, days, state)
JOIN liaison_workingdayindex first_day ON first_day.date = d.start_date
JOIN liaison_workingdayindex due ON due.ordinal = first_day.ordinal + d.days AND due.is_working_day
WHERE d.start_date IS NOT NULL
"""

ITEMS_SQL = f"""
INSERT INTO meetings_actionitem (
    mechanism_id, source, minutes_id, dual_list_id, "order", title, target, owner_organization_id,
    owner_department_id, responsible_units, due_date, status, completion_reported_at, closed_at, closed_by_id,
    closing_note, created_at)
WITH draw AS MATERIALIZED (
    SELECT g, random() AS r_source, random() AS r_pick, random() AS r_due, random() AS r_status,
           random() AS r_close
    FROM generate_series(1, %(count)s) AS g
), placed AS (
    SELECT *, CASE WHEN r_source < 0.01 THEN 'draft_list' WHEN r_source < 0.35 THEN 'dual_list'
                   ELSE 'minutes' END AS place,
           1 + floor(r_pick * %(minutes_count)s)::int AS m, 1 + floor(r_pick * %(list_count)s)::int AS l
    FROM draw
), dated AS (
    SELECT *, CASE place
        WHEN 'minutes' THEN (%(minutes_days)s::date[])[m] + 10 + floor(r_due * 110)::int
        WHEN 'dual_list' THEN make_date((%(list_years)s::int[])[l], 1, 31) + floor(r_due * 334)::int
        ELSE make_date(%(draft_year)s, 1, 31) + floor(r_due * 334)::int END AS due
    FROM placed
), stated AS (
    SELECT *, CASE
        WHEN place = 'draft_list' THEN 'draft'
        WHEN due > %(today)s::date THEN CASE WHEN r_status < 0.15 THEN 'done' WHEN r_status < 0.55 THEN 'in_progress'
                                             ELSE 'open' END
        ELSE CASE WHEN r_status < 0.80 THEN 'done' WHEN r_status < 0.90 THEN 'in_progress' ELSE 'open' END
        END AS status
    FROM dated
), closed AS (
    SELECT *, CASE WHEN status = 'done' THEN LEAST(%(now)s::timestamptz,
        ((due + CASE WHEN due > %(today)s::date THEN -1 - floor(r_close * 40)::int
                     ELSE floor(r_close * 40)::int - 25 END)::timestamp + interval '16 hours')
        AT TIME ZONE '{LOCAL}') END AS t_close
    FROM stated
)
SELECT %(mechanism)s, CASE WHEN place = 'minutes' THEN 'minutes' ELSE 'dual_list' END,
       CASE WHEN place = 'minutes' THEN (%(minutes_ids)s::int[])[m] END,
       CASE place WHEN 'dual_list' THEN (%(list_ids)s::int[])[l] WHEN 'draft_list' THEN %(draft_list)s END,
       g %% 30, '{ITEM_PREFIX}' || g, '', CASE WHEN g %% 2 = 0 THEN %(court)s ELSE %(federation)s END, NULL, '',
       due, status, t_close - interval '1 day', t_close, CASE WHEN status = 'done' THEN %(secretary)s END,
       CASE WHEN status = 'done' THEN '已落实' ELSE '' END, %(now)s
FROM closed
"""

MEDIATION_SQL = f"""
INSERT INTO mediation_mediationcase (
    mechanism_id, court_id, organisation_id, serial, source, case_number, dispute_type, title, description, amount,
    status, mediator_id, referred_by_id, referred_at, time_limit_days, due_date, extended_days, assigned_at,
    accepted_at, started_at, closed_at, closed_on, duration_days, in_time, agreement_text, agreement_amount,
    failure_reason, withdrawal_reason, confirmation, confirmation_note)
WITH draw AS MATERIALIZED (
    SELECT g, random() AS r_source, random() AS r_state, random() AS r_age, random() AS r_step,
           random() AS r_duration, random() AS r_mediator, random() AS r_type
    FROM generate_series(%(first)s, %(last)s) AS g
), aimed AS (
    SELECT *, CASE WHEN r_source < 0.6 THEN 'delegated' WHEN r_source < 0.85 THEN 'entrusted' ELSE 'chamber' END
               AS source,
           CASE WHEN r_state < 0.04 THEN 'referred' WHEN r_state < 0.07 THEN 'assigned'
                WHEN r_state < 0.10 THEN 'accepted' WHEN r_state < 0.18 THEN 'in_progress'
                WHEN r_state < 0.60 THEN 'agreement' WHEN r_state < 0.88 THEN 'failed' ELSE 'withdrawn' END AS aim,
           1 + floor(r_mediator * %(mediator_count)s)::int AS pick
    FROM draw
), timed AS (
    SELECT *, %(now)s::timestamptz - interval '1 day' * r_age
               * CASE WHEN aim IN ('agreement', 'failed', 'withdrawn') THEN {SPAN_DAYS} ELSE 60 END AS t_ref,
           CASE WHEN source = 'entrusted' THEN %(entrusted_days)s ELSE %(delegated_days)s END AS limit_days
    FROM aimed
), steps AS (
    SELECT *, t_ref + interval '1 day' * (0.2 + 3 * r_step) AS t_asg,
           t_ref + interval '1 day' * (0.3 + 5 * r_step) AS t_acc,
           t_ref + interval '1 day' * (1 + 8 * r_step) AS t_start,
           t_ref + interval '1 day' * (1 + 8 * r_step + 1 + 40 * r_duration ^ 1.3) AS t_end,
           t_ref + interval '1 day' * (1 + 20 * r_duration) AS t_withdraw
    FROM timed
), reached AS (
    SELECT *, CASE
        WHEN aim = 'withdrawn' THEN CASE WHEN t_withdraw > %(now)s THEN 'referred' ELSE 'withdrawn' END
        WHEN aim <> 'referred' AND t_asg > %(now)s THEN 'referred'
        WHEN aim IN ('accepted', 'in_progress', 'agreement', 'failed') AND t_acc > %(now)s THEN 'assigned'
        WHEN aim IN ('in_progress', 'agreement', 'failed') AND t_start > %(now)s THEN 'accepted'
        WHEN aim IN ('agreement', 'failed') AND t_end > %(now)s THEN 'in_progress'
        ELSE aim END AS status,
        CASE WHEN aim = 'withdrawn' THEN t_withdraw ELSE t_end END AS t_close,
        (t_ref AT TIME ZONE '{LOCAL}')::date AS referred_on
    FROM steps
), closing AS (
    SELECT *, status IN ('agreement', 'failed', 'withdrawn') AS is_closed,
           (t_close AT TIME ZONE '{LOCAL}')::date AS closed_day, referred_on + limit_days AS due
    FROM reached
)
SELECT %(mechanism)s, %(court)s, (%(organisations)s::int[])[pick], 'BM' || lpad(g::text, 6, '0'), source,
       CASE WHEN source = 'entrusted' THEN '（' || extract(year FROM referred_on) || '）豫03民初' || g || '号'
            ELSE '' END,
       (%(dispute_types)s::text[])[1 + floor(r_type * %(dispute_type_count)s)::int], '基准调解案件' || g, '纠纷概况',
       round((r_duration * 2000000)::numeric, 2), status,
       CASE WHEN status <> 'referred' THEN (%(mediators)s::int[])[pick] END, %(clerk)s, t_ref, limit_days, due, 0,
       CASE WHEN status NOT IN ('referred', 'withdrawn') OR (status = 'withdrawn' AND t_asg < t_close) THEN t_asg END,
       CASE WHEN status IN ('accepted', 'in_progress', 'agreement', 'failed') THEN t_acc END,
       CASE WHEN status IN ('in_progress', 'agreement', 'failed') THEN t_start END,
       CASE WHEN is_closed THEN t_close END, CASE WHEN is_closed THEN closed_day END,
       CASE WHEN is_closed THEN GREATEST(closed_day - referred_on, 0) END,
       CASE WHEN is_closed THEN closed_day <= due END,
       CASE WHEN status = 'agreement' THEN '双方自愿达成调解协议' ELSE '' END,
       CASE WHEN status = 'agreement' THEN round((r_duration * 1000000)::numeric, 2) END,
       CASE WHEN status = 'failed' THEN '双方分歧较大' ELSE '' END,
       CASE WHEN status = 'withdrawn' THEN '申请人撤回' ELSE '' END, 'none', ''
FROM closing
"""


def _morning(day: dt.date) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=ZoneInfo(LOCAL))


def cover_working_days(first: dt.date, last: dt.date) -> None:
    """Make the working-day index reach from `first` to `last` (rebuilt when it falls short)."""
    from django.db.models import Max, Min

    from liaison.models import WorkingDayIndex
    from liaison.workday_index import rebuild_working_day_index

    def covered() -> bool:
        bounds = WorkingDayIndex.objects.aggregate(low=Min("date"), high=Max("date"))
        return bounds["low"] is not None and bounds["low"] <= first and bounds["high"] >= last

    if not covered():
        written = rebuild_working_day_index(first.year, last.year)
        print(f"working-day index: {written} days written", flush=True)
    if not covered():
        raise SystemExit(f"the working-day index does not reach from {first} to {last}")


def generate_complaints(world, total: int, now: dt.datetime, today: dt.date) -> int:
    """Write the complaints F00000000… up to `total` with their deadlines; returns how many were written."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from harness import bench_enterprises

    from cases.choices import ComplaintKind, Industry
    from cases.durations import refresh_durations
    from cases.models import Complaint
    from liaison.models import Department

    have = Complaint.objects.filter(serial__startswith=COMPLAINT_PREFIX, mechanism=world.mechanism).count()
    if have >= total:
        print(f"data: {have} complaints already there", flush=True)
        return 0
    enterprises = [e.pk for e in bench_enterprises(world, 2000, Industry.values)]
    mechanism = world.mechanism
    params = {
        "now": now,
        "today": today,
        "mechanism": mechanism.pk,
        "federation": world.federation.pk,
        "court": world.court.pk,
        "staff": world.users["fed_staff"].pk,
        "handler": world.users["court_handler"].pk,
        "department": Department.objects.get(organization=world.court, name="民一庭").pk,
        "enterprises": enterprises,
        "enterprise_count": len(enterprises),
        "kinds": list(ComplaintKind.values),
        "kind_count": len(ComplaintKind.values),
        "content_type": ContentType.objects.get_for_model(Complaint).pk,
        "review_days": mechanism.review_working_days,
        "registration_days": mechanism.registration_working_days,
        "feedback_days": mechanism.feedback_working_days,
    }
    started = time.perf_counter()
    for first in range(have, total, CHUNK):
        last = min(first + CHUNK, total) - 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(STAGED_SQL, {**params, "first": first, "last": last})
            cursor.execute("ANALYZE bench_staged")
            cursor.execute(COMPLAINTS_SQL, params)
            cursor.execute(DEADLINES_SQL, params)
            deadlines = cursor.rowcount
            # The stage durations the services keep (cases.durations), for the rows just written.
            refresh_durations(
                Complaint.objects.filter(mechanism=mechanism, serial__gte=f"F{first:08d}", serial__lte=f"F{last:08d}")
            )
        print(
            f"data: {last + 1}/{total} complaints, {deadlines} deadlines in the chunk "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    return total - have


def generate_meetings(world, items: int, now: dt.datetime, today: dt.date) -> int:
    """Meetings, minutes and dual lists over the two years, with `items` action items and tasks."""
    from django.db import connection, transaction

    from meetings.models import ActionItem, DualList, Meeting, Minutes
    from meetings.services.minutes import minutes_number

    if Meeting.objects.filter(mechanism=world.mechanism, title__startswith=MEETING_PREFIX).exists():
        have = ActionItem.objects.filter(mechanism=world.mechanism, title__startswith=ITEM_PREFIX).count()
        print(f"data: bench meetings and {have} action items already there", flush=True)
        return 0
    started = time.perf_counter()
    mechanism, secretary = world.mechanism, world.users["secretary"]
    first = today - dt.timedelta(days=SPAN_DAYS)
    common = {
        "mechanism": mechanism,
        "convenor": world.court,
        "created_by": secretary,
        "place": "洛阳市中级人民法院三楼第一会议室",
    }

    def meeting(kind: str, day: dt.date, title: str, status: str, **extra) -> Meeting:
        starts = _morning(day)
        return Meeting(
            kind=kind,
            title=f"{MEETING_PREFIX}{title}",
            status=status,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            held_at=starts if status in ("held", "minutes_issued") else None,
            **common,
            **extra,
        )

    with transaction.atomic():
        # A meeting with minutes every month: the quarter's joint meeting in its second month (but one
        # quarter a year ago misses it), coordination meetings in the other months.
        monthly, plenaries, others = [], {}, []
        month = first.replace(day=1)
        missed = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1)
        while month <= today:
            day = month.replace(day=15)
            if first <= day < today:
                kind = "joint" if month.month % 3 == 2 and abs((month - missed).days) > 45 else "coordination"
                monthly.append(
                    meeting(
                        kind,
                        day,
                        f"{day:%Y年%m月}{'联席会议' if kind == 'joint' else '协调会'}",
                        "held" if (today - day).days < 30 else "minutes_issued",
                    )
                )
            month = (month + dt.timedelta(days=32)).replace(day=1)
        for year in range(first.year + 1, today.year + 1):
            plenaries[year] = meeting("plenary", dt.date(year, 1, 20), f"{year}年全体会议", "minutes_issued")
        others.append(
            meeting("joint", today - dt.timedelta(days=200), "取消的联席会议", "cancelled", reason="议题合并")
        )
        others.append(
            meeting("joint", today + dt.timedelta(days=20), "延期的联席会议", "postponed", reason="主要领导出差")
        )
        Meeting.objects.bulk_create(monthly + list(plenaries.values()) + others)

        with_minutes = [m for m in monthly if m.status == "minutes_issued"] + list(plenaries.values())
        minutes = Minutes.objects.bulk_create(
            [
                Minutes(
                    mechanism=mechanism,
                    meeting=m,
                    status="approved",
                    title=f"{m.title}纪要",
                    summary="会议概况",
                    created_by=secretary,
                    approved_at=m.starts_at + dt.timedelta(days=3),
                )
                for m in with_minutes
            ]
        )
        lists = []
        for year, plenary in plenaries.items():
            found = DualList.objects.filter(mechanism=mechanism, year=year).first()
            lists.append(
                found
                or DualList.objects.create(
                    mechanism=mechanism,
                    year=year,
                    title=f"{MEETING_PREFIX}{year}年度双清单",
                    status="approved",
                    approved_at_meeting=plenary,
                    approved_at=plenary.starts_at,
                    approved_by=secretary,
                    created_by=secretary,
                )
            )
        draft_year = today.year + 1
        draft = DualList.objects.filter(mechanism=mechanism, year=draft_year).first() or DualList.objects.create(
            mechanism=mechanism,
            year=draft_year,
            title=f"{MEETING_PREFIX}{draft_year}年度双清单（草拟）",
            created_by=secretary,
        )

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                ITEMS_SQL,
                {
                    "count": items,
                    "now": now,
                    "today": today,
                    "mechanism": mechanism.pk,
                    "court": world.court.pk,
                    "federation": world.federation.pk,
                    "secretary": secretary.pk,
                    "minutes_ids": [m.pk for m in minutes],
                    "minutes_count": len(minutes),
                    "minutes_days": [m.meeting.starts_at.date() for m in minutes],
                    "list_ids": [d.pk for d in lists],
                    "list_years": [d.year for d in lists],
                    "list_count": len(lists),
                    "draft_list": draft.pk,
                    "draft_year": draft_year,
                },
            )
            written = cursor.rowcount
        # Issued once their items are in (issued minutes refuse new items).
        for sequence, issued in enumerate(minutes, 100):
            year = issued.meeting.starts_at.year
            Minutes.objects.filter(pk=issued.pk).update(
                status="issued",
                year=year,
                sequence=sequence,
                number=minutes_number(year, sequence),
                issued_at=issued.approved_at,
                issued_by=secretary,
            )
    print(
        f"data: {len(monthly) + len(plenaries) + len(others)} meetings, {len(minutes)} minutes, "
        f"{written} action items and tasks ({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    return written


def generate_mediation(world, total: int, now: dt.datetime) -> int:
    """Mediation cases BM000001… up to `total`, on the court's roster of mediators."""
    from django.db import connection, transaction

    from mediation.choices import Specialty
    from mediation.models import MediationCase, Mediator

    have = MediationCase.objects.filter(serial__startswith=MEDIATION_PREFIX).count()
    if have >= total:
        print(f"data: {have} mediation cases already there", flush=True)
        return 0
    mediators = list(Mediator.objects.filter(court=world.court).order_by("pk").values_list("pk", "organisation_id"))
    if not mediators:
        print("data: no mediators on the court's roster, no mediation cases", flush=True)
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            MEDIATION_SQL,
            {
                "first": have + 1,
                "last": total,
                "now": now,
                "mechanism": world.mechanism.pk,
                "court": world.court.pk,
                "clerk": world.users["court_clerk"].pk,
                "mediators": [m for m, _ in mediators],
                "organisations": [o for _, o in mediators],
                "mediator_count": len(mediators),
                "dispute_types": list(Specialty.values),
                "dispute_type_count": len(Specialty.values),
                "delegated_days": world.mechanism.delegated_mediation_days,
                "entrusted_days": world.mechanism.entrusted_mediation_days,
            },
        )
        written = cursor.rowcount
    print(f"data: {written} mediation cases", flush=True)
    return written


def generate(world, *, complaints: int, items: int, mediation_cases: int) -> None:
    """Write what is missing, then refresh the planner's statistics of the tables written to."""
    from django.db import connection
    from django.utils import timezone

    from liaison.deadlines import today as local_today

    now, today = timezone.now(), local_today()
    cover_working_days(today - dt.timedelta(days=SPAN_DAYS + 10), today + dt.timedelta(days=400))
    started = time.perf_counter()
    written = (
        generate_complaints(world, complaints, now, today)
        + generate_meetings(world, items, now, today)
        + generate_mediation(world, mediation_cases, now)
    )
    if written:
        with connection.cursor() as cursor:
            # No deadline computed within the sweep's margin (15 minutes) of the fill, the demo's
            # included: the "sweep five minutes later" would otherwise look at them as saved since.
            cursor.execute(
                "UPDATE liaison_deadline SET computed_at = %s WHERE computed_at > %s",
                [now - dt.timedelta(hours=1), now - dt.timedelta(hours=1)],
            )
            for table in ("cases_complaint", "liaison_deadline", "meetings_actionitem", "mediation_mediationcase"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        print(f"data: generated in {time.perf_counter() - started:.0f} s (with VACUUM ANALYZE)", flush=True)
