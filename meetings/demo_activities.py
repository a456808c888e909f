"""Demo activities for Luoyang and Tianhe: a held court open day with sign-ins and a report, a
training with a waiting list, a held lecture in enterprises and an upcoming open day.

Through the services (audit, notifications, registrations are the real ones). A held activity is
planned, published and registered for ahead of today, then its dates are moved back (a demo has
no past to plan in) before sign-in and holding. Idempotent: an activity is found by its mechanism
and title; one that exists is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from liaison import deadlines
from liaison.models import Mechanism, Organization, User

from .models import Activity
from .services import activities as services


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def _plan(
    organizer: User, mechanism: Mechanism, title: str, kind: str, day: dt.date, capacity: int, place: str, text: str
) -> Activity | None:
    if Activity.objects.filter(mechanism=mechanism, title=title).exists():
        return None
    data = services.ActivityData(
        kind=kind,
        title=title,
        starts_at=_at(day, 9),
        ends_at=_at(day, 11) + dt.timedelta(minutes=30),
        capacity=capacity,
        place=place,
        for_party_staff=True,
        for_chamber_members=True,
        for_enterprises=True,
        description=text,
    )
    activity = services.activity_create(actor=organizer, mechanism=mechanism, data=data)
    return services.activity_publish(actor=organizer, activity=activity)


def _held(activity: Activity, organizer: User, people: list[User], back_days: int, report: str, enterprises: int):
    """Register the people, move the activity `back_days` into the past, sign them in, hold, report."""
    registrations = [services.registration_create(actor=person, activity=activity) for person in people]
    shift = (activity.starts_at - timezone.now()) + dt.timedelta(days=back_days)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at - shift, ends_at=activity.ends_at - shift, registration_deadline=None
    )
    activity.refresh_from_db()
    services.activity_close_registration(actor=organizer, activity=activity)
    services.sign_in_record(
        actor=organizer, activity=activity, present=[r.pk for r in registrations if r.status == "confirmed"]
    )
    services.activity_hold(actor=organizer, activity=activity)
    return services.activity_report_record(
        actor=organizer, activity=activity, report=report, enterprises_reached=enterprises
    )


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    today = deadlines.today()
    luoyang, tianhe = mechanisms.get("洛阳法院·工商联"), mechanisms.get("天河法院·工商联")
    if luoyang is not None and "secretary" in users:
        open_day = _plan(
            users["secretary"],
            luoyang,
            "“法院公众开放日”——民营企业家走进洛阳中院",
            "open_day",
            today + dt.timedelta(days=3),
            30,
            "洛阳市中级人民法院诉讼服务中心",
            "参观诉讼服务中心和智慧法庭，旁听一起买卖合同纠纷案件庭审，与法官座谈。",
        )
        if open_day is not None:
            _held(
                open_day,
                users["secretary"],
                [users[n] for n in ("fed_staff", "fed_reviewer", "court_clerk", "court_handler") if n in users],
                20,
                "市工商联组织 26 名民营企业家参加法院开放日，参观诉讼服务中心，旁听庭审，"
                "就合同履行和财产保全问题与法官座谈，收集意见建议 5 条。",
                18,
            )
        training = _plan(
            users["fed_staff"],
            luoyang,
            "商会调解员业务培训（第一期）",
            "training",
            today + dt.timedelta(days=12),
            2,
            "洛阳市工商业联合会三楼会议室",
            "邀请民一庭法官讲授诉前调解规范和司法确认程序。名额有限，额满进入候补。",
        )
        if training is not None:
            for name in ("court_handler", "fed_reviewer", "court_clerk"):
                if name in users:
                    services.registration_create(actor=users[name], activity=training)
    if tianhe is not None and "tianhe_secretary" in users:
        lecture = _plan(
            users["tianhe_secretary"],
            tianhe,
            "“送法进企业”——合同风险防范讲座",
            "enterprise_visit",
            today + dt.timedelta(days=2),
            40,
            "天河区某科技园区会议中心",
            "法官走进园区企业，讲解合同签订和履行中的常见风险。",
        )
        if lecture is not None:
            _held(
                lecture,
                users["tianhe_secretary"],
                [users[n] for n in ("tianhe_fed_staff", "tianhe_fed_reviewer", "tianhe_court_handler") if n in users],
                35,
                "法官为园区 40 余家企业讲解合同风险防范，现场解答法律咨询 12 次。",
                42,
            )
        _plan(
            users["tianhe_secretary"],
            tianhe,
            "天河法院开放日暨庭审观摩",
            "open_day",
            today + dt.timedelta(days=20),
            25,
            "广州市天河区人民法院",
            "观摩一起涉民营企业案件庭审，介绍在线调解和司法确认。",
        )
