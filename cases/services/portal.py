"""Who acts for an enterprise: one-time codes, invitations, self-registration and the federation's
confirmation of the link between a person and an enterprise.

Codes and invitation tokens are stored as keyed digests only. A code expires, is used once, dies
after a few wrong tries, and is rate-limited per mobile number, per email address and per client
address. Refusals never say whether a credit code, a number or an address is known.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from liaison import audit
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.models import MechanismParty, RoleAssignment, User
from liaison.notifications import notify
from liaison.workflow import required, users_with_roles

from ..choices import MembershipSource, MembershipState
from ..delivery import deliver_code, deliver_invitation
from ..models import Enterprise, EnterpriseInvitation, EnterpriseMembership, OneTimeCode
from ..permissions import may_register_enterprises
from ..regions import division_of, regions_of
from ..validators import normalize_credit_code, normalize_mobile, validate_credit_code, validate_mobile
from ..workflow import MEMBERSHIP
from ._common import require_party

CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_RESEND_INTERVAL = dt.timedelta(seconds=60)
CODE_WINDOW = dt.timedelta(hours=1)
CODES_PER_WINDOW = 5  # per mobile number, and per email address
CODES_PER_WINDOW_PER_CLIENT = 20
CODE_ATTEMPTS = 5
INVITATION_LIFETIME = dt.timedelta(days=7)

REGISTER = "register"
MEMBERSHIPS_URL = "/portal/federation/registrations/"
PORTAL_URL = "/portal/"


class CodeRefused(ActionRefused):
    """A wrong, expired, used or unknown code: one message for all of them."""


class TooManyCodes(ActionRefused):
    """A code was asked for too often; the same words whichever limit was reached."""


def wrong_code() -> CodeRefused:
    return CodeRefused(_("验证码不正确或已失效，请重新获取验证码。"), ActionRefused.INVALID, field="code")


def _digest(kind: str, value: str) -> str:
    return salted_hmac(f"cases.portal.{kind}", value, algorithm="sha256").hexdigest()


def _code_digest(purpose: str, mobile: str, email: str, code: str) -> str:
    return _digest("code", f"{purpose}\n{mobile}\n{email.lower()}\n{code}")


def _clean_contact(mobile: str, email: str) -> tuple[str, str]:
    mobile = normalize_mobile(mobile)
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise ActionRefused(error.messages[0], ActionRefused.INVALID, field="mobile") from None
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ActionRefused(_("请填写有效的电子邮箱地址。"), ActionRefused.INVALID, field="email") from None
    return mobile, email.lower()


# --- one-time codes ------------------------------------------------------------------------------


def code_request(*, purpose: str, mobile: str, email: str, client_ip: str | None) -> None:
    """Send a new code to the person, unless a rate limit is reached.

    The answer is the same whether or not the number or address belongs to anybody.
    """
    mobile, email = _clean_contact(mobile, email)
    now = timezone.now()
    since = now - CODE_WINDOW
    with transaction.atomic():
        # Serialise requests for one number so that two parallel requests cannot both pass the limit.
        recent = OneTimeCode.objects.filter(created_at__gte=since)
        by_mobile = list(recent.select_for_update().filter(mobile=mobile).values_list("created_at", flat=True))
        by_email = list(recent.filter(email=email).values_list("created_at", flat=True))
        by_client = recent.filter(client_ip=client_ip).count() if client_ip else 0
        too_soon = any(at > now - CODE_RESEND_INTERVAL for at in by_mobile + by_email)
        if (
            too_soon
            or len(by_mobile) >= CODES_PER_WINDOW
            or len(by_email) >= CODES_PER_WINDOW
            or by_client >= CODES_PER_WINDOW_PER_CLIENT
        ):
            raise TooManyCodes(_("获取验证码过于频繁，请稍后再试。"), ActionRefused.STATE)
        code = f"{secrets.randbelow(10**6):06d}"
        OneTimeCode.objects.create(
            purpose=purpose,
            mobile=mobile,
            email=email,
            client_ip=client_ip,
            code_digest=_code_digest(purpose, mobile, email, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        deliver_code(mobile=mobile, email=email, code=code, minutes=int(CODE_LIFETIME.total_seconds() // 60))


def code_consume(*, purpose: str, mobile: str, email: str, code: str) -> None:
    """Use the newest live code for this number and address, or refuse in the same words whatever failed.

    A wrong code counts against the live one and is committed at once (also when the caller's
    work goes no further), so that guessing stops after `CODE_ATTEMPTS` tries.
    """
    try:
        mobile, email = _clean_contact(mobile, email)
    except ActionRefused:
        raise wrong_code() from None
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        live = (
            OneTimeCode.objects.select_for_update()
            .filter(
                purpose=purpose,
                mobile=mobile,
                email=email,
                used_at__isnull=True,
                expires_at__gt=now,
                failed_attempts__lt=CODE_ATTEMPTS,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if live is None:
            raise wrong_code()
        if not constant_time_compare(live.code_digest, _code_digest(purpose, mobile, email, code)):
            OneTimeCode.objects.filter(pk=live.pk).update(failed_attempts=F("failed_attempts") + 1)
            ok = False
        else:
            ok = OneTimeCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now) == 1
    if not ok:
        raise wrong_code()


# --- accounts -------------------------------------------------------------------------------------


@dataclass
class Account:
    username: str
    password: str


def _check_account(account: Account, full_name: str, email: str) -> None:
    account.username = required(account.username, _("用户名"), "username")
    if User.objects.filter(username__iexact=account.username).exists():
        raise ActionRefused(_("该用户名已被使用，请换一个。"), ActionRefused.INVALID, field="username")
    try:
        validate_password(account.password, User(username=account.username, full_name=full_name, email=email))
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID, field="password") from None


def _create_enterprise_user(*, account: Account, full_name: str, mobile: str, email: str) -> User:
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=account.username, email=email, password=account.password, full_name=full_name, phone=mobile
            )
    except IntegrityError:
        raise ActionRefused(_("该用户名已被使用，请换一个。"), ActionRefused.INVALID, field="username") from None
    RoleAssignment.objects.create(user=user, role=Role.ENTERPRISE)
    return user


def _ask_for_confirmation(membership: EnterpriseMembership, federation_id: int) -> None:
    audit.record(
        actor=membership.user,
        target=membership,
        action="membership_create",
        to_state=f"membership_{MembershipState.PENDING}",
        summary=membership.claimed_name,
    )
    notify(
        users_with_roles(federation_id, Role.FEDERATION_REVIEWER),
        kind=NotificationKind.WORK,
        title=_("企业用户待确认：%(name)s") % {"name": membership.claimed_name},
        url=f"{MEMBERSHIPS_URL}{membership.pk}/",
    )


def collecting_parties():  # noqa: ANN201 - a queryset of MechanismParty
    """Where an enterprise may register: a collecting party (federation) of an active mechanism, by region."""
    return (
        MechanismParty.objects.filter(mechanism__is_active=True, side__in=("collector", "both"))
        .select_related("organization", "mechanism")
        .order_by("organization__region", "organization__name", "mechanism__name")
    )


def party_for_credit_code(credit_code: str) -> MechanismParty | None:
    """The collecting party that serves the enterprise's region, read from the code's division digits.

    The most specific region a federation is written for wins (district, then city, then
    province); failing that, the mechanism whose enterprises carry the same division. None when
    nothing matches, or when two mechanisms match equally: then the person chooses.
    """
    division = division_of(normalize_credit_code(credit_code))
    if not division:
        return None
    parties = list(collecting_parties().filter(organization__kind="federation"))
    for region in regions_of(division):
        matching = [p for p in parties if p.organization.region.replace(" ", "") == region]
        if matching:
            return matching[0] if len({p.mechanism_id for p in matching}) == 1 else None
    mechanisms = set(
        Enterprise.objects.annotate(division=Substr("credit_code", 3, 6))
        .filter(division=division, mechanism_id__in=[p.mechanism_id for p in parties])
        .values_list("mechanism_id", flat=True)
    )
    if len(mechanisms) == 1:
        matching = [p for p in parties if p.mechanism_id in mechanisms]
        return matching[0] if len(matching) == 1 else None
    return None


@dataclass
class SelfRegistration:
    # The federation that serves the enterprise's region, in its mechanism: derived from the credit
    # code when a federation matches; the person's choice only when none does.
    party: MechanismParty | None
    credit_code: str
    enterprise_name: str
    size: str
    industry: str
    full_name: str
    mobile: str
    email: str


def check_self_registration(data: SelfRegistration) -> SelfRegistration:
    """Normalise and check what the person typed (before any code is sent)."""
    data.credit_code = normalize_credit_code(data.credit_code)
    try:
        validate_credit_code(data.credit_code)
    except ValidationError as error:
        raise ActionRefused(error.messages[0], ActionRefused.INVALID, field="credit_code") from None
    data.enterprise_name = required(data.enterprise_name, _("企业名称"), "enterprise_name")
    data.full_name = required(data.full_name, _("姓名"), "full_name")
    data.mobile, data.email = _clean_contact(data.mobile, data.email)
    derived = party_for_credit_code(data.credit_code)
    if derived is not None:
        data.party = derived
    elif data.party is None or not collecting_parties().filter(pk=data.party.pk).exists():
        raise ActionRefused(_("请选择企业所在地区。"), ActionRefused.INVALID, field="party")
    return data


def enterprise_self_register(*, data: SelfRegistration, code: str, account: Account) -> User:
    """A person registers for an enterprise with a one-time code; the federation confirms later.

    An enterprise the federation does not know yet is recorded with what the person typed; a known
    one is linked as it is. Neither case is told apart in the answer.
    """
    data = check_self_registration(data)
    _check_account(account, data.full_name, data.email)
    code_consume(purpose=REGISTER, mobile=data.mobile, email=data.email, code=code)
    party = data.party
    assert party is not None  # checked above
    mechanism = party.mechanism
    with transaction.atomic():
        user = _create_enterprise_user(account=account, full_name=data.full_name, mobile=data.mobile, email=data.email)
        enterprise = Enterprise.objects.filter(mechanism=mechanism, credit_code=data.credit_code).first()
        if enterprise is None:
            enterprise = Enterprise(
                mechanism=mechanism,
                registered_by=party.organization,
                name=data.enterprise_name,
                credit_code=data.credit_code,
                size=data.size,
                industry=data.industry,
                contact_person=data.full_name,
                contact_phone=data.mobile,
            )
            enterprise.full_clean(exclude=["mechanism", "registered_by"], validate_unique=False)
            enterprise.save()
            audit.record(actor=user, target=enterprise, action="enterprise_register", summary=enterprise.name)
        membership = EnterpriseMembership.objects.create(
            user=user,
            enterprise=enterprise,
            source=MembershipSource.REGISTERED,
            claimed_name=data.enterprise_name,
            mobile=data.mobile,
        )
        _ask_for_confirmation(membership, party.organization_id)
    return user


# --- invitations ----------------------------------------------------------------------------------


def enterprise_invite(
    *, actor: User, enterprise: Enterprise, full_name: str, mobile: str, email: str, link_for: Callable[[str], str]
) -> EnterpriseInvitation:
    """The federation sends a contact person a one-time link to register for the enterprise."""
    require_party(actor, enterprise.mechanism)
    if (
        actor.organization_id is None
        or not may_register_enterprises(actor)
        or not MechanismParty.objects.filter(
            mechanism_id=enterprise.mechanism_id, organization_id=actor.organization_id, side__in=("collector", "both")
        ).exists()
    ):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("邀请企业联系人")}, ActionRefused.PERMISSION)
    full_name = required(full_name, _("联系人姓名"), "full_name")
    mobile, email = _clean_contact(mobile, email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = EnterpriseInvitation.objects.create(
            enterprise=enterprise,
            full_name=full_name,
            mobile=mobile,
            email=email,
            token_digest=_digest("invitation", token),
            created_by=actor,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        audit.record(actor=actor, target=enterprise, action="invitation_create", summary=full_name)
        deliver_invitation(
            email=email,
            full_name=full_name,
            enterprise_name=enterprise.name,
            link=link_for(token),
            days=INVITATION_LIFETIME.days,
        )
    return invitation


def invitation_refused() -> ActionRefused:
    return ActionRefused(_("邀请链接无效、已使用或已过期，请联系工商联重新邀请。"), ActionRefused.STATE)


def invitation_for(token: str) -> EnterpriseInvitation:
    """The live invitation of this token, or the one refusal for unknown, used and expired links."""
    invitation = (
        EnterpriseInvitation.objects.filter(
            token_digest=_digest("invitation", token or ""), used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("enterprise")
        .first()
    )
    if invitation is None:
        raise invitation_refused()
    return invitation


def invitation_accept(*, token: str, account: Account) -> User:
    """Register through an invitation link (once); the federation still confirms the link."""
    invitation = invitation_for(token)
    _check_account(account, invitation.full_name, invitation.email)
    with transaction.atomic():
        claimed = EnterpriseInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now())
        if claimed != 1:
            raise invitation_refused()
        user = _create_enterprise_user(
            account=account, full_name=invitation.full_name, mobile=invitation.mobile, email=invitation.email
        )
        EnterpriseInvitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        membership = EnterpriseMembership.objects.create(
            user=user,
            enterprise=invitation.enterprise,
            source=MembershipSource.INVITED,
            claimed_name=invitation.enterprise.name,
            mobile=invitation.mobile,
        )
        _ask_for_confirmation(membership, invitation.enterprise.registered_by_id)
    return user


# --- the federation's confirmation ---------------------------------------------------------------


def membership_confirm(*, actor: User, membership: EnterpriseMembership) -> EnterpriseMembership:
    with transaction.atomic():
        MEMBERSHIP.perform(
            actor, membership, "confirm_membership", decided_by=actor, decided_at=timezone.now(), summary=""
        )
        notify(
            [membership.user],
            kind=NotificationKind.SYSTEM,
            title=_("工商联已确认您为“%(name)s”的企业用户，现在可以在线提交诉求。")
            % {"name": membership.enterprise.name},
            url=PORTAL_URL,
        )
    return membership


def membership_refuse(*, actor: User, membership: EnterpriseMembership, reason: str) -> EnterpriseMembership:
    reason = required(reason, _("不予确认的理由"), "reason")[:300]
    with transaction.atomic():
        MEMBERSHIP.perform(
            actor,
            membership,
            "refuse_membership",
            decided_by=actor,
            decided_at=timezone.now(),
            refusal_reason=reason,
            summary=reason,
        )
        notify(
            [membership.user],
            kind=NotificationKind.SYSTEM,
            title=_("工商联未确认您的企业用户申请"),
            body=reason,
            url=PORTAL_URL,
        )
    return membership
