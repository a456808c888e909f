"""The one workflow core: transitions declared once, checked once, performed once.

An app declares each step of its state machine as a `Transition` in its `workflow.py`: the
states it starts from, the state it leads to, which side of the object may take it with which
roles, a guard, its label, the confirmation text of an irreversible step, and how it is asked for
(the HTML form and the API serializer, named by dotted path so this declaration imports no view).
A `Workflow` groups an app's transitions for one model and answers the three questions every
layer asks:

- `allowed(actor, obj)`: the steps the user may take now (buttons, API `allowed_actions`);
- `check(actor, obj, name)`: the same rule, raising `ActionRefused` in words (services);
- `perform(actor, obj, name, ...)`: check, conditional update of the state (so of two concurrent
  users exactly one wins), audit event, all inside the caller's transaction.

Who stands on which side of an object (the filing federation, the addressed court, the assigned
mediator...) is answered by the workflow's `sides` function, from the mechanism's data, never
from an organization's kind. Notifications are rows written by the service in the same
transaction; emails go after commit (`liaison.notifications`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .channels import events
from .errors import ActionRefused
from .models import User

Guard = Callable[[User, Any], "str | ActionRefused | None"]

# The side every party organization of the object's mechanism holds: it may act in the
# mechanism, but a step needs one of its declared sides too.
PARTY = "party"


@dataclass(frozen=True)
class Who:
    """One side of the object and the roles on that side that may take a step."""

    side: str
    roles: frozenset[str]


def by(side: str, *roles: str) -> Who:
    return Who(side, frozenset(roles))


@dataclass(frozen=True)
class Transition:
    """One step of a state machine, declared once.

    `sources` are the states of `state_field` (default: the workflow's) it may start from; `target` the state it leads to, or
    None for a step that records something without moving the state (its service does the work).
    `require` names other fields and the values they must hold (checked on the object and in the
    conditional update). `guard(actor, obj)` returns a refusal message or None.
    `alternatives` are other targets the service may choose (approve or refuse). `fields` names
    the input the step needs, with its label. `form`, `serializer` and `service` are dotted paths;
    `kwargs` turns the parsed form or serializer data into the service's keyword arguments
    (default: the data as it is). `audit` overrides the audit action code; `stale` the refusal
    of a step taken from the wrong state. `creates` marks a step whose service returns a new
    object of the model (a correction): the API answers it with 201.
    """

    name: str
    label: Any
    sources: tuple[str, ...]
    target: str | None
    who: tuple[Who, ...]
    guard: Guard | None = None
    require: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    state_field: str = ""
    alternatives: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    audit: str = ""
    stale: Any = ""
    confirm: Any = ""
    service: str = ""
    form: str = ""
    serializer: str = ""
    kwargs: Callable[[dict], dict] | None = None
    done: Any = ""
    button: str = "btn-primary"
    api: bool = True
    per_object: bool = True
    url_path: str = ""
    summary: Any = ""
    creates: bool = False

    @property
    def path(self) -> str:
        """The URL path segment of the step (`start-review`)."""
        return self.url_path or self.name.replace("_", "-")

    def roles(self) -> frozenset[str]:
        return frozenset().union(*(w.roles for w in self.who))

    def resolve(self, attribute: str) -> Any:
        """Import the form, serializer or service this step names."""
        dotted = getattr(self, attribute)
        module, _, name = dotted.rpartition(".")
        return getattr(import_module(module), name)

    def arguments(self, data: dict) -> dict:
        return self.kwargs(data) if self.kwargs else dict(data)


class Workflow:
    """An app's transitions for one model, and the one place that checks and performs them."""

    def __init__(
        self,
        *,
        app: str,
        object_name: str,
        model: type[models.Model] | None = None,
        sides: Callable[[User, Any], set[str]],
        side_labels: Callable[[], dict[str, Any]],
        transitions: Iterable[Transition],
        state_field: str = "status",
        audit_prefix: str = "",
        audit_state: Callable[[str], str] = lambda code: code,
        stale_message: Any = None,
        separate_histories: bool = False,
    ) -> None:
        self.model = model
        self.app = app
        self.object_name = object_name
        self.sides = sides
        self.side_labels = side_labels
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}
        self.state_field = state_field
        self.audit_prefix = audit_prefix
        self.audit_state = audit_state
        self.stale_message = stale_message
        # A step on a second state field (a case's judicial confirmation) names, when refused from
        # the wrong state, the last step on that field only.
        self.separate_histories = separate_histories

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __iter__(self):
        return iter(self.transitions.values())

    # --- the rule ---------------------------------------------------------------------------

    def refusal(self, actor: User, obj: Any, name: str, *, sides: set[str] | None = None) -> ActionRefused | None:
        """Why the actor may not take the step now, or None when they may."""
        rule = self.transitions[name]
        if not actor.is_authenticated:
            return ActionRefused(_("请先登录。"), ActionRefused.PERMISSION)
        held = self.sides(actor, obj) if sides is None else sides
        if not held:
            return ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)
        wanted = [w for w in rule.who if w.side in held]
        if not wanted:
            labels = self.side_labels()
            names = _("或").join(str(labels.get(w.side, w.side)) for w in rule.who)
            return ActionRefused(
                _("只有%(side)s才能“%(what)s”。") % {"side": names, "what": rule.label}, ActionRefused.PERMISSION
            )
        if not any(actor.has_role(*w.roles) for w in wanted):
            return ActionRefused(_("您没有“%(what)s”的权限。") % {"what": rule.label}, ActionRefused.PERMISSION)
        if not self._in_state(obj, rule):
            return self.stale(obj, rule)
        if rule.guard is not None:
            refused = rule.guard(actor, obj)
            if isinstance(refused, ActionRefused):
                return refused
            if refused:
                return ActionRefused(str(refused), ActionRefused.STATE)
        return None

    def _in_state(self, obj: Any, rule: Transition) -> bool:
        if getattr(obj, rule.state_field or self.state_field) not in rule.sources:
            return False
        return all(getattr(obj, name) in values for name, values in rule.require.items())

    def may(self, actor: User, obj: Any, name: str) -> bool:
        # A step from another state is refused: no need to word the refusal (which reads the history).
        rule = self.transitions[name]
        if not self._in_state(obj, rule):
            return False
        return self.refusal(actor, obj, name) is None

    def allowed(self, actor: User, obj: Any) -> list[Transition]:
        """The steps the actor may take on the object now, in declaration order."""
        if not actor.is_authenticated:
            return []
        held = self.sides(actor, obj)
        if not held:
            return []
        # A step from another state is left out before its refusal is worded (which reads the history).
        return [
            rule
            for rule in self.transitions.values()
            if self._in_state(obj, rule) and self.refusal(actor, obj, rule.name, sides=held) is None
        ]

    def check(self, actor: User, obj: Any, name: str) -> Transition:
        refusal = self.refusal(actor, obj, name)
        if refusal is not None:
            raise refusal
        return self.transitions[name]

    # --- performing -------------------------------------------------------------------------

    def stale(self, obj: Any, rule: Transition) -> ActionRefused:
        """Refuse a step from the wrong state, saying who moved the object there and when.

        This is also what the loser of two concurrent steps reads ("已由 … 登记").
        """
        current = type(obj)._default_manager.get(pk=obj.pk)
        state_field = rule.state_field or self.state_field
        state = getattr(current, f"get_{state_field}_display")()
        if getattr(current, state_field) in rule.sources and rule.require:
            # The state is right but a required field is not (e.g. the complaint has moved on).
            for name in rule.require:
                if getattr(current, name) not in rule.require[name]:
                    display = getattr(current, f"get_{name}_display", None)
                    state = display() if display else getattr(current, name)
        if rule.stale:
            return ActionRefused(str(rule.stale), ActionRefused.STATE)
        events = audit.history(current).exclude(to_state="")
        if self.separate_histories and state_field != self.state_field:
            events = events.filter(
                action__in=[
                    self.audit_action(other) for other in self if (other.state_field or self.state_field) == state_field
                ]
            )
        last = events.order_by("-id").first()
        if last is None:
            return ActionRefused(
                _("当前状态为“%(state)s”，不能“%(what)s”。") % {"state": state, "what": rule.label}, ActionRefused.STATE
            )
        return ActionRefused(
            (
                self.stale_message
                or _("该事项已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。")
            )
            % {
                "who": last.actor_name,
                "org": last.actor_organization_name,
                "when": timezone.localtime(last.created_at).strftime("%Y-%m-%d %H:%M"),
                "action": audit.action_label(last.action, self.app),
                "state": state,
                "what": rule.label,
            },
            ActionRefused.STATE,
        )

    def perform(
        self,
        actor: User | None,
        obj: Any,
        name: str,
        *,
        summary: str | Callable[[Any], str] = "",
        checked: bool = False,
        target: str | None = None,
        **updates: Any,
    ) -> Any:
        """Check the step, move the state with a conditional update, write the audit event.

        A callable `summary` is given the object as it is after the step (e.g. to render and store
        the document the step issues, and audit its digest).
        Call inside `transaction.atomic()`; the service adds its own effects (deadlines,
        notifications) in the same transaction. `checked` skips the check when the service has
        just made it (e.g. before a slow preparation). `target` picks one of the step's
        alternatives. No `actor` (None) only for a step no person takes, which is always `checked`.
        """
        if checked:
            rule = self.transitions[name]
        else:
            assert actor is not None, "a step nobody takes is checked by its caller"
            rule = self.check(actor, obj, name)
        target = rule.target if target is None else target
        if target not in (rule.target, *rule.alternatives):
            raise ValueError(f"{target!r} is not a target of {name}")
        assert transaction.get_connection().in_atomic_block, "perform() runs inside the service's transaction"
        state_field = rule.state_field or self.state_field
        old = getattr(obj, state_field)
        manager = type(obj)._default_manager
        if target is not None:
            changes = {state_field: target, **updates}
            if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
                changes.setdefault("updated_at", timezone.now())
            condition = {f"{state_field}__in": rule.sources}
            condition.update({f"{key}__in": values for key, values in rule.require.items()})
            if manager.filter(pk=obj.pk, **condition).update(**changes) != 1:
                raise self.stale(obj, rule)
            obj.refresh_from_db()
        elif updates:
            manager.filter(pk=obj.pk).update(**updates)
            obj.refresh_from_db()
        event = audit.record(
            actor=actor,
            target=obj,
            action=self.audit_action(rule),
            from_state=self.audit_state(old) if target is not None else "",
            to_state=self.audit_state(target) if target is not None else "",
            summary=summary(obj) if callable(summary) else summary,
        )
        # Docked systems and work-group robots hear of the step (outbox rows in this transaction).
        events.transition_performed(self.app, self.object_name, name, obj, stamp=event.pk)
        return obj

    # --- words --------------------------------------------------------------------------------

    def audit_action(self, rule: Transition) -> str:
        return rule.audit or f"{self.audit_prefix}{rule.name}"

    def labels(self) -> dict[str, Any]:
        """Audit action codes → words, for the timelines."""
        return {self.audit_action(rule): rule.label for rule in self.transitions.values()}


def required(value: str | None, label: Any, field: str | None = None) -> str:
    """The stripped text, or a refusal naming the missing input."""
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写%(label)s。") % {"label": label}, ActionRefused.INVALID, field=field)
    return value


def require_role(actor: User, roles: Iterable[str], what: Any) -> None:
    """Refuse an actor who holds none of the roles (for steps that are not transitions)."""
    if not actor.has_role(*roles):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": what}, ActionRefused.PERMISSION)


def users_with_roles(organization_ids: Iterable[int] | int, *roles: str) -> list[User]:
    """Active users of these organizations holding one of the roles (any role when none is named)."""
    ids = [organization_ids] if isinstance(organization_ids, int) else list(organization_ids)
    rows = User.objects.filter(organization_id__in=ids, is_active=True)
    rows = rows.filter(role_assignments__role__in=roles) if roles else rows.filter(role_assignments__isnull=False)
    return list(rows.distinct())
