"""Idempotent loading of the demo data: natural keys everywhere, nothing written twice."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from .. import deadlines
from ..choices import DeadlineState, NotificationKind, PartyPlace
from ..models import Deadline, Department, Mechanism, MechanismParty, Organization, RoleAssignment, User
from ..notifications import Draft, create_notifications
from . import history
from .institutions import LIAISONS, MECHANISMS, MEMBER_UNITS, ORGANIZATIONS, PASSWORD, USERS


def load() -> list[str]:
    """Create what is missing; return one line per kind of thing, for the command's output."""
    organizations = _organizations()
    mechanisms = _mechanisms(organizations)
    users = _users(organizations)
    _liaisons(mechanisms, organizations, users)
    _admin(organizations)
    _deadlines(mechanisms, organizations, users)
    # Later apps add their demo data here, each through its own loader; the steps of their past go
    # on one timeline, run in time order before the late loaders (which read that past).
    with history.recording() as past:
        for extra in _APP_LOADERS:
            extra(users=users, organizations=organizations, mechanisms=mechanisms)
        past.run()
    for extra in _LATE_LOADERS:
        extra(users=users, organizations=organizations, mechanisms=mechanisms)
    # After the apps' loaders: the docked system hears of what people do from now on, not of the history.
    _docking(organizations, mechanisms)
    _welcome(users)  # last, so that it is the newest notification a demo user sees
    return [
        f"单位 {len(organizations)} 个，机制 {len(mechanisms)} 个，演示账号 {len(users) + 1} 个",
    ]


_APP_LOADERS: list = []
_LATE_LOADERS: list = []


def register_loader(loader, *, late: bool = False) -> None:
    """Apps add their demo data with a callable taking users, organizations and mechanisms;
    `late` loaders run after every other one (e.g. reports computed from the others' data)."""
    loaders = _LATE_LOADERS if late else _APP_LOADERS
    if loader not in loaders:
        loaders.append(loader)


def _organizations() -> dict[str, Organization]:
    result: dict[str, Organization] = {}
    for name, short, kind, level, parent, region, departments in ORGANIZATIONS:
        org, _ = Organization.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "level": level,
                "parent": result.get(parent) if parent else None,
                "region": region,
            },
        )
        for department in departments:
            Department.objects.get_or_create(organization=org, name=department)
        result[name] = org
    return result


def _department(organization: Organization, name: str | None) -> Department | None:
    return Department.objects.get(organization=organization, name=name) if name else None


def _mechanisms(organizations: dict[str, Organization]) -> dict[str, Mechanism]:
    result = {}
    for name, short, number, founded, prefix, parties, per_quarter, plenaries in MECHANISMS:
        mechanism, _ = Mechanism.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "document_number": number,
                "founded_on": founded,
                "transfer_number_prefix": prefix,
                "meetings_per_quarter": per_quarter,
                "plenaries_per_year": plenaries,
            },
        )
        for org_name, department, convenor in parties:
            org = organizations[org_name]
            MechanismParty.objects.update_or_create(
                mechanism=mechanism,
                organization=org,
                defaults={
                    "responsible_department": _department(org, department),
                    "is_convenor": convenor,
                    "place": PartyPlace.CONVENOR
                    if convenor
                    else PartyPlace.MEMBER
                    if org_name in MEMBER_UNITS
                    else PartyPlace.CORE,
                    "joined_on": founded if org_name in MEMBER_UNITS else None,
                },
            )
        mechanism.assign_default_sides()
        result[short] = mechanism
    return result


def _users(organizations: dict[str, Organization]) -> dict[str, User]:
    result = {}
    for username, full_name, org_name, department, title, roles in USERS:
        org = organizations[org_name]
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "organization": org,
                "department": _department(org, department),
                "title": title,
                "email": f"{username}@demo.liaison.local",
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        result[username] = user
    return result


def _admin(organizations: dict[str, Organization]) -> None:
    admin, created = User.objects.update_or_create(
        username="admin",
        defaults={
            "full_name": "系统管理员",
            "is_staff": True,
            "is_superuser": True,
            "organization": organizations["洛阳市中级人民法院"],
            "email": "admin@demo.liaison.local",
        },
    )
    if created:
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=admin, role="administrator")


# The demo's 网上工商联 pushes to the small receiver `manage.py run_webhook_receiver` (make demo starts it).
DEMO_RECEIVER_URL = "http://127.0.0.1:8765/hooks/liaison"
DEMO_WEBHOOK_SECRET = "demo-webhook-secret-not-for-production"


def _docking(organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    from ..channels.events import EVENT_TYPES
    from ..models import ExternalSystem

    federation = organizations["洛阳市工商业联合会"]
    system, _created = ExternalSystem.objects.get_or_create(
        name="网上工商联",
        organization=federation,
        defaults={
            "webhook_url": DEMO_RECEIVER_URL,
            "secret": DEMO_WEBHOOK_SECRET,
            "event_types": list(EVENT_TYPES),
        },
    )
    system.mechanisms.add(*[m for m in mechanisms.values() if m.parties.filter(organization=federation).exists()])


def _liaisons(mechanisms: dict[str, Mechanism], organizations: dict[str, Organization], users: dict[str, User]) -> None:
    for short, org_name, lead, officer in LIAISONS:
        MechanismParty.objects.filter(mechanism=mechanisms[short], organization=organizations[org_name]).update(
            liaison_lead=users.get(lead) if lead else None,
            liaison_officer=users[officer],
        )


def _deadlines(
    mechanisms: dict[str, Mechanism], organizations: dict[str, Organization], users: dict[str, User]
) -> None:
    """Two running deadlines on the Luoyang mechanism, so the queue and the computation page show."""
    mechanism = mechanisms["洛阳法院·工商联"]
    today = deadlines.today()
    wanted = [
        (
            "demo.agenda",
            "报送下次联席会议议题",
            organizations["洛阳市工商业联合会"],
            users["fed_staff"],
            today - dt.timedelta(days=6),
            5,
        ),
        (
            "demo.liaison_list",
            "更新结对联系人名单",
            organizations["洛阳市中级人民法院"],
            users["court_clerk"],
            today - dt.timedelta(days=1),
            3,
        ),
    ]
    content_type = ContentType.objects.get_for_model(Mechanism)
    for kind, label, org, owner, start, days in wanted:
        exists = Deadline.objects.filter(
            content_type=content_type,
            object_id=str(mechanism.pk),
            kind=kind,
            state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED],
        ).exists()
        if not exists:
            deadlines.deadline_start(
                target=mechanism,
                kind=kind,
                label=label,
                mechanism=mechanism,
                owner_organization=org,
                owner_user=owner,
                start=start,
                working_days=days,
                actor=None,
                url=f"/mechanisms/{mechanism.pk}/",
            )


def _welcome(users: dict[str, User]) -> None:
    create_notifications(
        [
            Draft(
                user.pk,
                NotificationKind.SYSTEM,
                "欢迎使用沟通联系机制平台",
                "这是演示环境。左上角菜单可进入各项工作；右上角可切换语言。",
                "/",
                dedup_key=f"demo-welcome:{user.pk}",
            )
            for user in users.values()
        ]
    )
