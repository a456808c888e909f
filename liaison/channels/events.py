"""Events for docked systems (webhooks) and work-group robots, emitted where transitions happen.

Upper apps register, for a model, the fields its events may carry and which of their workflow's
transitions emit which event type (`register`). `Workflow.perform` calls `transition_performed`
after the audit event: a transition no app mapped costs nothing; a mapped one costs one query when
nobody listens in the object's mechanism (`listeners`), else writes, in the same transaction, one outbox row per subscribed system and robot of the object's mechanism. A system
receives events only for mechanisms it is registered for AND its organization is party to and told
there (`liaison.membership.told`: not after it left, nor when its place is not told) — what that
organization may see; the payload carries only the registered fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..membership import Notice, told
from ..models import Channel, ExternalSystem, Mechanism, OutboxMessage, RobotChannel

PAYLOAD_VERSION = "1"
NAMESPACE = uuid.UUID("6f1c5a8e-3b5d-4e61-9d0f-6c7a2f0b9e41")

EVENT_TYPES: dict[str, Any] = {
    "complaint.submitted": _("诉求已提交"),
    "complaint.transferred": _("诉求已移送"),
    "complaint.registered": _("诉求已登记"),
    "complaint.assigned": _("诉求已分办"),
    "complaint.answered": _("诉求已反馈"),
    "complaint.closed": _("诉求已办结"),
    "complaint.returned": _("诉求已退回"),
    "meeting.scheduled": _("会议已通知"),
    "minutes.issued": _("纪要已印发"),
    "action_item.due": _("督办事项即将到期"),
    "action_item.overdue": _("督办事项已逾期"),
    "mediation.referred": _("调解案件已委派/委托"),
    "mediation.concluded": _("调解已结束"),
    "mediation.confirmed": _("司法确认已作出"),
    "report.published": _("月度报告已发布"),
}
# What a mechanism's work group sees when its robot names no event type.
ROBOT_DEFAULT_EVENTS = ("complaint.transferred", "action_item.overdue", "meeting.scheduled", "minutes.issued")


@dataclass(frozen=True)
class Source:
    """How one model's objects become event payloads."""

    fields: tuple[str, ...]
    title_field: str = "title"
    mechanism_field: str = "mechanism_id"
    extra: Callable[[Any], dict] | None = None
    transitions: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # The URL name of the object's page (one `pk` argument): robots' messages link to it.
    url_name: str = ""


_SOURCES: dict[type[models.Model], Source] = {}
_TRANSITIONS: dict[tuple[str, str, str], str] = {}


def register(
    model: type[models.Model],
    *,
    fields: Iterable[str],
    transitions: dict[tuple[str, str, str], str] | None = None,
    title_field: str = "title",
    extra: Callable[[Any], dict] | None = None,
    url_name: str = "",
) -> None:
    """Declare a model's event payload fields and its transitions' events ((app, object, step) → type)."""
    transitions = transitions or {}
    for event_type in transitions.values():
        if event_type not in EVENT_TYPES:
            raise ValueError(event_type)
    _SOURCES[model] = Source(
        tuple(fields), title_field=title_field, extra=extra, transitions=transitions, url_name=url_name
    )
    _TRANSITIONS.update(transitions)


# Deadline kind → {"due": event type, "overdue": event type}: reminders of these deadlines become events.
_DEADLINE_EVENTS: dict[str, dict[str, str]] = {}


def register_deadline_events(deadline_kind: str, *, due: str, overdue: str) -> None:
    """The reminder sweep's "due soon" and "overdue" stages of this kind of deadline emit these events."""
    _DEADLINE_EVENTS[deadline_kind] = {"due": due, "overdue": overdue}


def deadline_event_kinds() -> list[str]:
    """The deadline kinds whose reminders become events."""
    return list(_DEADLINE_EVENTS)


def reminders_created(keys: Iterable[str]) -> int:
    """Emit the events of the reminders just written, given their dedup keys (one per deadline,
    stage and due date).

    The sweep writes its reminders set-based; their dedup keys (`kind:deadline:due:stage:user`)
    say which deadline reached which stage. The event key is the deadline, due date and stage, so a
    second sweep, or several recipients, make one event.
    """
    if not _DEADLINE_EVENTS:
        return 0
    from ..models import Deadline

    wanted: dict[int, tuple[str, str, str]] = {}
    for key in keys:
        parts = (key or "").rsplit(":", 3)
        if len(parts) != 4:
            continue
        head, due, stage, _user = parts
        kind, _, deadline_id = head.rpartition(":")
        events = _DEADLINE_EVENTS.get(kind)
        if not events or not deadline_id.isdigit():
            continue
        event_type = events["overdue"] if stage == "overdue" else events["due"] if stage.startswith("before") else None
        if event_type:
            wanted[int(deadline_id)] = (event_type, due, stage)
    written = 0
    for deadline in Deadline.objects.filter(pk__in=list(wanted)).select_related("content_type"):
        target = deadline.target
        if target is None or type(target) not in _SOURCES:
            continue
        event_type, due, stage = wanted[deadline.pk]
        written += emit(event_type, target, key=f"deadline:{deadline.pk}:{due}:{stage}")
    return written


def event_type_of(app: str, object_name: str, transition: str) -> str | None:
    return _TRANSITIONS.get((app, object_name, transition))


def _value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def data_of(obj: models.Model) -> dict:
    source = _SOURCES[type(obj)]
    data = {name: _value(getattr(obj, name)) for name in source.fields}
    if source.extra:
        data.update(source.extra(obj))
    return data


def object_link(obj: Any) -> str:
    """The absolute address of the object's page (SITE_URL), or "" when its model names none."""
    source = _SOURCES.get(type(obj))
    if source is None or not source.url_name:
        return ""
    from django.urls import reverse

    from ..notifications import absolute_url

    return absolute_url(reverse(source.url_name, args=[obj.pk]))


def transition_performed(app: str, object_name: str, transition: str, obj: Any, *, stamp: Any) -> int:
    """Called by `Workflow.perform` after the audit event; `stamp` (the audit event's id) makes the event id stable."""
    event_type = _TRANSITIONS.get((app, object_name, transition))
    if event_type is None or type(obj) not in _SOURCES:
        return 0
    return emit(event_type, obj, key=f"audit:{stamp}")


def listeners(mechanism_id: int) -> tuple[str, bool, bool] | None:
    """In one query: the mechanism's name, whether an active docked system (of a party organization,
    with a URL) and whether an active robot listen in it; None when neither does.

    A transition in a mechanism nobody listens in pays this one query and writes nothing.
    """
    parties = told(mechanism_id, Notice.SYSTEM_EVENT).organizations_subquery()
    row = (
        Mechanism.objects.filter(pk=mechanism_id)
        .annotate(
            has_systems=Exists(
                ExternalSystem.objects.filter(
                    is_active=True, mechanisms=OuterRef("pk"), organization_id__in=parties
                ).exclude(webhook_url="")
            ),
            has_robots=Exists(RobotChannel.objects.filter(mechanism_id=OuterRef("pk"), is_active=True)),
        )
        .values_list("name", "has_systems", "has_robots")
        .first()
    )
    if row is None or not (row[1] or row[2]):
        return None
    return row


def emit(event_type: str, obj: Any, *, key: str) -> int:
    """Write the outbox rows of one event; `key` identifies the occurrence (same key, same event id)."""
    source = _SOURCES[type(obj)]
    mechanism_id = getattr(obj, source.mechanism_field)
    event_id = str(uuid.uuid5(NAMESPACE, f"{event_type}:{key}"))
    found = listeners(mechanism_id)
    if found is None:
        return 0
    mechanism_name, has_systems, has_robots = found
    systems = (
        [
            system
            for system in ExternalSystem.objects.filter(
                is_active=True,
                mechanisms=mechanism_id,
                organization_id__in=told(mechanism_id, Notice.SYSTEM_EVENT).organizations_subquery(),
            ).exclude(webhook_url="")
            if event_type in system.event_types
        ]
        if has_systems
        else []
    )
    robots = (
        [
            robot
            for robot in RobotChannel.objects.filter(mechanism_id=mechanism_id, is_active=True)
            if event_type in (robot.kinds or ROBOT_DEFAULT_EVENTS)
        ]
        if has_robots
        else []
    )
    if not systems and not robots:
        return 0
    mechanism = Mechanism(pk=mechanism_id, name=mechanism_name)
    title = str(getattr(obj, source.title_field, "") or "")
    payload = {
        "id": event_id,
        "type": event_type,
        "version": PAYLOAD_VERSION,
        "occurred_at": timezone.now().isoformat(),
        "mechanism": {"id": mechanism_id, "name": mechanism.name},
        "object": {"type": type(obj)._meta.label_lower, "id": obj.pk},
        "data": data_of(obj),
    }
    rows = [
        OutboxMessage(
            kind=event_type,
            channel=Channel.WEBHOOK,
            recipient=system.webhook_url,
            payload=payload,
            event_id=event_id,
            system=system,
            dedup_key=f"webhook:{system.pk}:{event_id}",
        )
        for system in systems
    ]
    label = str(EVENT_TYPES[event_type])
    text = f"**{mechanism.name}**\n\n> {title}\n\n{timezone.localtime():%Y-%m-%d %H:%M}"
    link = object_link(obj)
    if link:
        text += f"\n\n[{_('查看详情')}]({link})"
    rows += [
        OutboxMessage(
            kind=event_type,
            channel=robot.channel,
            recipient=robot.name[:500],
            payload={"robot": robot.pk, "title": label, "text": text},
            event_id=event_id,
            dedup_key=f"robot:{robot.pk}:{event_id}",
        )
        for robot in robots
    ]
    from .outbox import enqueue

    enqueue(rows)
    return len(rows)
