"""Demo activities for Luoyang and Tianhe: a held court open day with sign-ins and a report, a
training with a waiting list, a held lecture in enterprises and an upcoming open day.

Through the services (audit, notifications, registrations are the real ones). A held activity is a
past: its steps go on the demo's timeline (`liaison.demo.history`) on their own days under the moved
clock: planned and published two weeks before, registered for in the following days, registration
closed the day before, signed in and held on its day, its report written the next day. Without
history the same steps run now on an activity starting in a few minutes (the dates are today's).
Upcoming activities are planned and published at load time. Idempotent: an activity is found by its
mechanism and title; one that exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from liaison import deadlines
from liaison.demo import history
from liaison.models import Mechanism, Organization, User
from liaison.workdays import WorkingCalendar

from .models import Activity
from .services import activities as services

# Days before its day that a held activity is planned and published.
PLANNED_AHEAD = 14
# The held activities and how long ago (at least, in days; on a working day) they took place.
OPEN_DAY, OPEN_DAY_BACK = "“法院公众开放日”——民营企业家走进洛阳中院", 20
LECTURE, LECTURE_BACK = "“送法进企业”——合同风险防范讲座", 35


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def held_day(today: dt.date, back_days: int) -> dt.date:
    """The day a held activity took place: the last working day at least `back_days` before today."""
    calendar = WorkingCalendar()
    day = today - dt.timedelta(days=back_days)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


@dataclass
class Plan:
    organizer: User
    mechanism: Mechanism
    title: str
    kind: str
    capacity: int
    place: str
    text: str

    def exists(self) -> bool:
        return Activity.objects.filter(mechanism=self.mechanism, title=self.title).exists()

    def data(self, starts_at: dt.datetime) -> services.ActivityData:
        return services.ActivityData(
            kind=self.kind,
            title=self.title,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2, minutes=30),
            capacity=self.capacity,
            place=self.place,
            for_party_staff=True,
            for_chamber_members=True,
            for_enterprises=True,
            description=self.text,
        )

    def publish(self, starts_at: dt.datetime) -> Activity:
        activity = services.activity_create(actor=self.organizer, mechanism=self.mechanism, data=self.data(starts_at))
        return services.activity_publish(actor=self.organizer, activity=activity)


def _upcoming(plan: Plan, day: dt.date) -> Activity | None:
    """An activity still ahead: planned and published now."""
    return None if plan.exists() else plan.publish(_at(day, 9))


def _held(plan: Plan, day: dt.date, people: list[User], report: str, enterprises: int) -> None:
    """The steps of an activity held on `day`, each on the timeline at its moment."""
    if plan.exists():
        return
    past = history.timeline()
    box: dict[str, Activity] = {}

    def activity() -> Activity:
        box["activity"].refresh_from_db()
        return box["activity"]

    def on(moment: dt.datetime, run) -> None:
        past.add(moment, run, clamp=True)

    def publish() -> None:
        # Without history the activity starts in a few minutes today, so that it can be held now.
        starts_at = _at(day, 9) if past.travel else timezone.now() + dt.timedelta(minutes=5)
        box["activity"] = plan.publish(starts_at)

    def on_its_day() -> bool:
        return timezone.localtime(activity().starts_at).date() <= deadlines.today()

    def close() -> None:
        services.activity_close_registration(actor=plan.organizer, activity=activity())

    def sign_in() -> None:
        if on_its_day():  # without history, a load a few minutes before midnight leaves it upcoming
            present = activity().registrations.filter(status="confirmed").values_list("pk", flat=True)
            services.sign_in_record(actor=plan.organizer, activity=activity(), present=list(present))

    def hold() -> None:
        if on_its_day():
            services.activity_hold(actor=plan.organizer, activity=activity())

    def write() -> None:
        if activity().status == "held":
            services.activity_report_record(
                actor=plan.organizer, activity=activity(), report=report, enterprises_reached=enterprises
            )

    on(_at(day - dt.timedelta(days=PLANNED_AHEAD), 10), publish)
    for n, person in enumerate(people):

        def register(person: User = person) -> None:
            services.registration_create(actor=person, activity=activity())

        on(_at(day - dt.timedelta(days=PLANNED_AHEAD - 1 - n), 15, 20), register)
    on(_at(day - dt.timedelta(days=1), 17), close)
    on(_at(day, 9, 10), sign_in)
    on(_at(day, 11, 40), hold)
    on(_at(day + dt.timedelta(days=1), 10), write)


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    today = history.timeline().today
    luoyang, tianhe = mechanisms.get("洛阳法院·工商联"), mechanisms.get("天河法院·工商联")
    if luoyang is not None and "secretary" in users:
        _held(
            Plan(
                users["secretary"],
                luoyang,
                OPEN_DAY,
                "open_day",
                30,
                "洛阳市中级人民法院诉讼服务中心",
                "参观诉讼服务中心和智慧法庭，旁听一起买卖合同纠纷案件庭审，与法官座谈。",
            ),
            held_day(today, OPEN_DAY_BACK),
            [users[n] for n in ("fed_staff", "fed_reviewer", "court_clerk", "court_handler") if n in users],
            "市工商联组织 26 名民营企业家参加法院开放日，参观诉讼服务中心，旁听庭审，"
            "就合同履行和财产保全问题与法官座谈，收集意见建议 5 条。",
            18,
        )
        training = _upcoming(
            Plan(
                users["fed_staff"],
                luoyang,
                "商会调解员业务培训（第一期）",
                "training",
                2,
                "洛阳市工商业联合会三楼会议室",
                "邀请民一庭法官讲授诉前调解规范和司法确认程序。名额有限，额满进入候补。",
            ),
            today + dt.timedelta(days=12),
        )
        if training is not None:
            for name in ("court_handler", "fed_reviewer", "court_clerk"):
                if name in users:
                    services.registration_create(actor=users[name], activity=training)
    if tianhe is not None and "tianhe_secretary" in users:
        _held(
            Plan(
                users["tianhe_secretary"],
                tianhe,
                LECTURE,
                "enterprise_visit",
                40,
                "天河区某科技园区会议中心",
                "法官走进园区企业，讲解合同签订和履行中的常见风险。",
            ),
            held_day(today, LECTURE_BACK),
            [users[n] for n in ("tianhe_fed_staff", "tianhe_fed_reviewer", "tianhe_court_handler") if n in users],
            "法官为园区 40 余家企业讲解合同风险防范，现场解答法律咨询 12 次。",
            42,
        )
        _upcoming(
            Plan(
                users["tianhe_secretary"],
                tianhe,
                "天河法院开放日暨庭审观摩",
                "open_day",
                25,
                "广州市天河区人民法院",
                "观摩一起涉民营企业案件庭审，介绍在线调解和司法确认。",
            ),
            today + dt.timedelta(days=20),
        )
