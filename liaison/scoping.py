"""The one scoping rule: who may see and who may act on what.

A user sees an object when their organization is party to the object's mechanism; staff of a
higher-level organization also see the mechanisms of their subordinate units, read-only.
Everything outside scope is answered with 404. Views never filter by organization themselves:
they call `visible()` / `get_visible_or_404()` with the path from their model to its mechanism.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, router
from django.db.models import BooleanField, Case, CharField, F, Model, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from . import compiled, scope_token
from .models import Mechanism, Organization, RoleAssignment, User

_M = TypeVar("_M", bound=Model)

# Province → city → district → street: deeper trees do not occur.
MAX_ORGANIZATION_DEPTH = 4


def _descendants_q(organization_id: int, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}pk": organization_id})
    path = "parent"
    for _ in range(MAX_ORGANIZATION_DEPTH):
        condition |= Q(**{f"{prefix}{path}": organization_id})
        path += "__parent"
    return condition


def own_unit_ids(user: User) -> list[int]:
    """The user's organization and its subordinate units, computed once per user object (once per
    request), so that predicates compare ids instead of joining the organization tree."""
    cached = user.__dict__.get("_own_unit_ids")
    if cached is None:
        if _primable(user):
            _prime(user)
            return user.__dict__["_own_unit_ids"]
        cached = (
            list(
                Organization.objects.filter(_descendants_q(user.organization_id))
                .order_by()
                .values_list("pk", flat=True)
            )
            if user.organization_id is not None
            else []
        )
        user.__dict__["_own_unit_ids"] = cached
    return cached


def _primable(user: User) -> bool:
    return bool(user.is_authenticated and not user.is_superuser and user.organization_id is not None)


# Where `backends.UserWithScopeTokenBackend` leaves the token it read with the user.
LOADED_TOKEN = "_scope_token_loaded"

# An organization's columns as `_prime` (and other hot queries reading organizations with their
# rows) read them, its key first, for `Organization.from_db`.
ORGANIZATION_COLUMNS = ["id", *(f.attname for f in Organization._meta.concrete_fields if not f.primary_key)]


class _Primed(NamedTuple):
    """What `_prime` reads, as kept between requests (immutable)."""

    units: tuple[int, ...]
    visible_ids: tuple[int, ...]
    actionable: frozenset[int]
    roles: frozenset[str]
    organization: tuple | None  # the user's own organization's columns (ORGANIZATION_COLUMNS)


def token_of(user: User, alias: str) -> int | None:
    """The scope token (`liaison.scope_token`) on `alias`, read once per user object (once per
    request, as the rest of the user's scope): what this request reads under it agrees. The user of
    a session comes with it (`liaison.backends`); otherwise it is read here."""
    held = user.__dict__.get("_scope_token")
    if held is None or held[0] != alias:
        loaded = getattr(user, LOADED_TOKEN, None)  # through a request's lazy user to the user
        held = loaded if loaded is not None and loaded[0] == alias else (alias, scope_token.read_token(alias))
        user.__dict__["_scope_token"] = held
    return held[1]


def _prime(user: User) -> None:
    """Read the user's units, the mechanisms they are party to, whether each party is current and
    the user's roles in one query, and keep what `own_unit_ids`, `visible_mechanism_ids`, `can_act`
    and `User.role_codes` answer from it (each asked once per request by most pages: one query
    instead of four). The user's own organization, read on the way, is kept as `user.organization`
    (the page header names it)."""
    from .membership import current_q

    own = user.organization_id
    assert own is not None  # _primable

    def build() -> QuerySet[Organization]:
        return (
            Organization.objects.filter(_descendants_q(own))
            .annotate(
                _acts=Case(
                    When(Q(pk=own) & current_q(prefix="mechanism_parties__"), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
                _mechanism=F("mechanism_parties__mechanism_id"),
                _role=Value(None, output_field=CharField()),
            )
            .order_by()
            .values_list(*ORGANIZATION_COLUMNS, "_acts", "_mechanism", "_role")
        )

    # Asked on almost every request: its SQL is compiled once per organization and day; the roles
    # follow as rows of their own, with no unit. What it reads is kept while the scope tables do not
    # change (`liaison.scope_token`).
    alias = router.db_for_read(Organization)
    day = timezone.localdate()

    def read() -> _Primed:
        quote = connections[alias].ops.quote_name
        blanks = ", ".join(["NULL"] * (len(ORGANIZATION_COLUMNS) + 2))
        roles = (
            f" UNION ALL SELECT {blanks}, {quote('role')} FROM {quote(RoleAssignment._meta.db_table)}"
            f" WHERE {quote('user_id')} = %s",
            [user.pk],
        )
        units: dict[int, None] = {}
        visible_ids: dict[int, None] = {}
        actionable: set[int] = set()
        role_codes: set[str] = set()
        organization: tuple | None = None
        width = len(ORGANIZATION_COLUMNS)
        for row in compiled.rows_of(("prime", own), build, alias, day=day, tail=roles):
            unit, acts, mechanism_id, role = row[0], row[width], row[width + 1], row[width + 2]
            if unit is None:
                role_codes.add(role)
                continue
            units[unit] = None
            if unit == own:
                organization = tuple(row[:width])
            if mechanism_id is not None:
                visible_ids[mechanism_id] = None
                if acts:
                    actionable.add(mechanism_id)
        return _Primed(tuple(units), tuple(visible_ids), frozenset(actionable), frozenset(role_codes), organization)

    primed = scope_token.kept(token_of(user, alias), ("prime", alias, user.pk, own, day), read)
    organization_field = User._meta.get_field("organization")
    if primed.organization is not None and not organization_field.is_cached(user):  # type: ignore[union-attr]
        organization_field.set_cached_value(  # type: ignore[union-attr]
            user, Organization.from_db(alias, ORGANIZATION_COLUMNS, primed.organization)
        )
    units, visible_ids, actionable, role_codes = primed.units, primed.visible_ids, primed.actionable, primed.roles
    user.__dict__.setdefault("_own_unit_ids", list(units))
    user.__dict__.setdefault("_visible_mechanism_ids", list(visible_ids))
    user.__dict__.setdefault("_actionable_mechanism_ids", set(actionable))
    if getattr(user, "_role_codes", None) is None:
        user._role_codes = frozenset(role_codes)  # type: ignore[attr-defined] # as `User.role_codes` keeps them


def within_organization(user: User, path: str) -> Q:
    """Objects whose organization at `path` is the user's own or one of its subordinate units."""
    if user.organization_id is None:
        return Q(pk__in=[])
    return Q(**{f"{path}__in": own_unit_ids(user)})


def visible_mechanisms(user: User) -> QuerySet[Mechanism]:
    """Mechanisms the user may read: their organization's, and their subordinate units'."""
    if not user.is_authenticated:
        return Mechanism.objects.none()
    if user.is_superuser:
        return Mechanism.objects.all()
    if user.organization_id is None:
        return Mechanism.objects.none()
    organizations = Organization.objects.filter(_descendants_q(user.organization_id))
    return Mechanism.objects.filter(parties__organization__in=organizations).distinct()


def visible_mechanism_ids(user: User) -> list[int]:
    """The ids of `visible_mechanisms`, computed once per user object (so once per request: each
    request loads its own user) and then used as a plain list, so that list pages and their
    COUNT(*) filter on `mechanism_id IN (…)` instead of joining the organization tree every time."""
    cached = user.__dict__.get("_visible_mechanism_ids")
    if cached is None:
        if _primable(user):
            _prime(user)
            return user.__dict__["_visible_mechanism_ids"]
        cached = list(visible_mechanisms(user).order_by().values_list("pk", flat=True))
        user.__dict__["_visible_mechanism_ids"] = cached
    return cached


def forget_visible_mechanisms(user: User) -> None:
    """Drop the ids `visible_mechanism_ids` and `can_act` keep on the user (after a change of parties
    or units)."""
    user.__dict__.pop("_visible_mechanism_ids", None)
    user.__dict__.pop("_actionable_mechanism_ids", None)
    user.__dict__.pop("_own_unit_ids", None)
    user.__dict__.pop("_scope_token", None)
    user.__dict__.get("_wrapped", user).__dict__.pop(LOADED_TOKEN, None)
    user.__dict__.get("_wrapped", user).__dict__.pop("_routing_sides", None)


def actionable_mechanisms(user: User) -> QuerySet[Mechanism]:
    """Mechanisms the user may act in: only those their own organization is party to now (a party
    that left keeps reading its history but acts no more)."""
    from .membership import current_q

    if not user.is_authenticated or user.organization_id is None:
        return Mechanism.objects.none()
    return Mechanism.objects.filter(current_q(prefix="parties__"), parties__organization_id=user.organization_id)


def visible(
    queryset: QuerySet,
    user: User,
    mechanism_path: str = "mechanism",
    *,
    narrower: Q | None = None,
    readers_path: str | None = None,
) -> QuerySet:
    """Restrict any queryset to the user's scope; `mechanism_path` leads from the model to its mechanism.

    `narrower` restricts further within the mechanism (e.g. a court does not see the federation's
    drafts); `readers_path` names organizations that keep read access outside the mechanism
    (e.g. a court that returned a transfer).
    """
    if user.is_authenticated and user.is_superuser:
        return queryset
    ids = visible_mechanism_ids(user)
    lookup = f"{mechanism_path}__in" if mechanism_path else "pk__in"
    condition = Q(**{lookup: ids})
    if narrower is not None:
        condition &= narrower
    if readers_path and user.organization_id:
        # A semi-join, not a join: no duplicate rows, so lists need no DISTINCT.
        readers = queryset.model._default_manager.filter(**{readers_path: user.organization_id}).values("pk")
        condition |= Q(pk__in=readers)
    return queryset.filter(condition)


def chosen_mechanism(raw: str | None, mechanisms: list[Mechanism]) -> Mechanism | None:
    """The mechanism a filter asks for among those the user sees; 404 for any other id (outsiders
    learn nothing), None when none is asked for."""
    if not raw:
        return None
    for mechanism in mechanisms:
        if str(mechanism.pk) == raw.strip():
            return mechanism
    raise Http404


def get_or_404(queryset: QuerySet[_M], **lookup: Any) -> _M:
    """Fetch from an already scoped queryset; 404 when absent or out of scope."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_visible_or_404(queryset: QuerySet[_M], user: User, mechanism_path: str = "mechanism", **lookup: Any) -> _M:
    """The object if in scope, else 404 (never 403: outsiders learn nothing)."""
    try:
        return visible(queryset, user, mechanism_path).distinct().get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_act(user: User, mechanism: Mechanism | int) -> bool:
    """Whether the user's organization is a party (higher-level readers may not act)."""
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    # Asked several times per request (the service, then each action offered): one query per user object.
    cached = user.__dict__.get("_actionable_mechanism_ids")
    if cached is None:
        if _primable(user):
            _prime(user)
            return mechanism_id in user.__dict__["_actionable_mechanism_ids"]
        cached = set(actionable_mechanisms(user).values_list("pk", flat=True))
        user.__dict__["_actionable_mechanism_ids"] = cached
    return mechanism_id in cached


def handling_organizations(mechanisms: QuerySet[Mechanism]) -> QuerySet[Organization]:
    """Organizations that handle matters (courts, bureaus, governments) in these mechanisms, where
    their place lets them route matters."""
    from .choices import HANDLING_SIDES
    from .membership import routing_parties
    from .models import MechanismParty

    handlers = routing_parties(
        MechanismParty.objects.filter(mechanism__in=mechanisms.values("pk"), side__in=HANDLING_SIDES)
    )
    return Organization.objects.filter(pk__in=handlers.values("organization_id"))


def visible_organizations(user: User) -> QuerySet[Organization]:
    """Organizations the user may read: their own and every party of a visible mechanism."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.all()
    mechanisms = visible_mechanisms(user).values("pk")
    return Organization.objects.filter(
        Q(mechanism_parties__mechanism__in=mechanisms) | Q(pk=user.organization_id)
    ).distinct()


# --- Objects reached through a generic relation (deadlines, attachments) -----------------------

VisibleObjects = Callable[[User], QuerySet]
_OBJECT_SCOPES: dict[type[Model], VisibleObjects] = {}


def register_object_scope(model: type[Model], visible_objects: VisibleObjects) -> None:
    """Declare the objects of `model` a user may see; what hangs on them (deadlines, attachments)
    is visible exactly when they are. A model nobody registered keeps its dependants hidden."""
    _OBJECT_SCOPES[model] = visible_objects


def object_scope(model: type[Model] | None) -> VisibleObjects | None:
    return _OBJECT_SCOPES.get(model) if model is not None else None


def visible_targets(user: User, *, content_type_field: str = "content_type", object_id_field: str = "object_id") -> Q:
    """Rows whose generic target (content type + text object id) is an object the user may see.

    One semi-join per registered model, so a list stays at a fixed number of queries.
    """
    if user.is_authenticated and user.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for model, visible_objects in _OBJECT_SCOPES.items():
        ids = visible_objects(user).order_by().annotate(_target_id=Cast("pk", CharField())).values("_target_id")
        condition |= Q(**{content_type_field: ContentType.objects.get_for_model(model), f"{object_id_field}__in": ids})
    return condition
