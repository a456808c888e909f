"""Enterprise identity: one-time codes, self-registration, invitations and the federation's confirmation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from cases import services
from cases.choices import MembershipState
from cases.models import Enterprise, EnterpriseMembership, OneTimeCode
from cases.services import portal
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification

from .conftest import VALID_CODES

EMAIL = "wang@example.test"
MOBILE = "13912345678"


def _code_from_mail() -> str:
    return re.search(r"\d{6}", mail.outbox[-1].body).group(0)


def _request(mobile=MOBILE, email=EMAIL, ip="10.0.0.1", capture=None):
    services.code_request(purpose=portal.REGISTER, mobile=mobile, email=email, client_ip=ip)


@pytest.fixture
def party(cast):
    return cast.world.mechanism.parties.get(organization=cast.world.federation)


def _registration(party, **overrides) -> services.SelfRegistration:
    data = dict(
        party=party,
        credit_code=VALID_CODES[1],
        enterprise_name="广州某科技有限公司",
        size="small",
        industry="I",
        full_name="王经理",
        mobile=MOBILE,
        email=EMAIL,
    )
    data.update(overrides)
    return services.SelfRegistration(**data)


def _send(django_capture_on_commit_callbacks, **kwargs) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        _request(**kwargs)
    return _code_from_mail()


def test_it_stores_only_a_digest_of_the_code(cast, django_capture_on_commit_callbacks):
    code = _send(django_capture_on_commit_callbacks)
    row = OneTimeCode.objects.get()
    assert code not in row.code_digest and len(row.code_digest) == 64
    assert mail.outbox[-1].to == [EMAIL]


def test_it_registers_with_a_valid_code_and_waits_for_confirmation(cast, party, django_capture_on_commit_callbacks):
    code = _send(django_capture_on_commit_callbacks)
    user = services.enterprise_self_register(
        data=_registration(party), code=code, account=services.Account("wang", "Qiye-2026-pass")
    )
    membership = EnterpriseMembership.objects.get(user=user)
    assert membership.state == MembershipState.PENDING
    assert user.has_role("enterprise") and user.organization_id is None
    assert Enterprise.objects.get(credit_code=VALID_CODES[1]).mechanism == cast.world.mechanism
    assert Notification.objects.filter(recipient=cast.reviewer, title__contains="企业用户待确认").exists()


def test_a_code_is_single_use(cast, party, django_capture_on_commit_callbacks):
    code = _send(django_capture_on_commit_callbacks)
    services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email=EMAIL, code=code)
    with pytest.raises(portal.CodeRefused):
        services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email=EMAIL, code=code)


def test_a_code_expires(cast, party, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    code = _send(django_capture_on_commit_callbacks)
    time_machine.move_to("2026-03-20 08:10:01 +08:00", tick=False)
    with pytest.raises(portal.CodeRefused) as refused:
        services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email=EMAIL, code=code)
    assert refused.value.message == "验证码不正确或已失效，请重新获取验证码。"


def test_a_code_dies_after_too_many_wrong_tries(cast, django_capture_on_commit_callbacks):
    code = _send(django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(portal.CODE_ATTEMPTS):
        with pytest.raises(portal.CodeRefused):
            services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email=EMAIL, code=wrong)
    with pytest.raises(portal.CodeRefused):
        services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email=EMAIL, code=code)


def test_a_code_belongs_to_its_number_and_address(cast, django_capture_on_commit_callbacks):
    code = _send(django_capture_on_commit_callbacks)
    with pytest.raises(portal.CodeRefused):
        services.code_consume(purpose=portal.REGISTER, mobile="13900000000", email=EMAIL, code=code)
    with pytest.raises(portal.CodeRefused):
        services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email="other@example.test", code=code)


def test_it_limits_codes_per_number(cast, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    _send(django_capture_on_commit_callbacks)
    with pytest.raises(portal.TooManyCodes):  # again within a minute
        _request(email="b@example.test")
    for minute in range(2, 2 + portal.CODES_PER_WINDOW - 1):
        time_machine.move_to(f"2026-03-20 08:{minute:02d} +08:00", tick=False)
        _request(email=f"x{minute}@example.test")
    time_machine.move_to("2026-03-20 08:30 +08:00", tick=False)
    with pytest.raises(portal.TooManyCodes) as refused:
        _request(email="late@example.test")
    assert refused.value.message == "获取验证码过于频繁，请稍后再试。"
    time_machine.move_to("2026-03-20 09:05 +08:00", tick=False)
    _request(email="later@example.test")  # the window has passed


def test_it_limits_codes_per_address(cast, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    for minute in range(portal.CODES_PER_WINDOW):
        time_machine.move_to(f"2026-03-20 08:{minute * 2:02d} +08:00", tick=False)
        _request(mobile=f"1391234560{minute}")
    time_machine.move_to("2026-03-20 08:30 +08:00", tick=False)
    with pytest.raises(portal.TooManyCodes):
        _request(mobile="13700000000")


def test_it_limits_codes_per_client(cast, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    for n in range(portal.CODES_PER_WINDOW_PER_CLIENT):
        _request(mobile=f"1380000{n:04d}", email=f"p{n}@example.test")
    with pytest.raises(portal.TooManyCodes):
        _request(mobile="13700000000", email="q@example.test")
    _request(mobile="13700000000", email="q@example.test", ip="10.0.0.2")


def test_a_wrong_code_never_tells_whether_the_enterprise_or_number_exists(
    cast, party, django_capture_on_commit_callbacks
):
    """A known credit code with a known number, and unknown ones, read the same refusal."""
    _send(django_capture_on_commit_callbacks)
    messages = set()
    for data in (
        _registration(party, credit_code=VALID_CODES[0]),  # registered by the federation
        _registration(party),  # unknown to it
        _registration(party, mobile="13700000001"),  # a number no code was sent to
    ):
        with pytest.raises(ActionRefused) as refused:
            services.enterprise_self_register(
                data=data, code="999999" if True else "", account=services.Account("li", "Qiye-2026-pass")
            )
        messages.add((refused.value.message, refused.value.field))
    assert messages == {("验证码不正确或已失效，请重新获取验证码。", "code")}


def test_an_invitation_link_works_once(cast, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    tokens = []
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_invite(
            actor=cast.staff,
            enterprise=cast.enterprise,
            full_name="张会计",
            mobile="13612345678",
            email="zhang@example.test",
            link_for=lambda token: tokens.append(token) or f"https://portal.test/portal/invitations/{token}/",
        )
    assert tokens[0] in mail.outbox[-1].body
    user = services.invitation_accept(token=tokens[0], account=services.Account("zhang", "Qiye-2026-pass"))
    assert user.enterprise_membership.enterprise == cast.enterprise
    with pytest.raises(ActionRefused) as refused:
        services.invitation_accept(token=tokens[0], account=services.Account("zhang2", "Qiye-2026-pass"))
    assert "无效、已使用或已过期" in refused.value.message


def test_an_invitation_link_expires(cast, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    tokens = []
    services.enterprise_invite(
        actor=cast.staff,
        enterprise=cast.enterprise,
        full_name="张会计",
        mobile="13612345678",
        email="zhang@example.test",
        link_for=lambda token: tokens.append(token) or token,
    )
    time_machine.move_to(dt.datetime(2026, 3, 28, 8, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    with pytest.raises(ActionRefused):
        services.invitation_accept(token=tokens[0], account=services.Account("zhang", "Qiye-2026-pass"))


def test_only_collecting_staff_invite(cast):
    with pytest.raises(ActionRefused):
        services.enterprise_invite(
            actor=cast.clerk,
            enterprise=cast.enterprise,
            full_name="张会计",
            mobile="13612345678",
            email="zhang@example.test",
            link_for=str,
        )


def _pending(cast, party, django_capture_on_commit_callbacks) -> EnterpriseMembership:
    code = _send(django_capture_on_commit_callbacks)
    user = services.enterprise_self_register(
        data=_registration(party), code=code, account=services.Account("wang", "Qiye-2026-pass")
    )
    return user.enterprise_membership


def test_the_reviewer_confirms_the_link_and_it_is_audited(cast, party, django_capture_on_commit_callbacks):
    membership = _pending(cast, party, django_capture_on_commit_callbacks)
    services.membership_confirm(actor=cast.reviewer, membership=membership)
    membership.refresh_from_db()
    assert membership.state == MembershipState.CONFIRMED and membership.decided_by == cast.reviewer
    event = AuditEvent.objects.filter(action="membership_confirm_membership").get()
    assert event.to_state == "membership_confirmed"
    with pytest.raises(ActionRefused):  # a second time: stale
        services.membership_confirm(actor=cast.reviewer, membership=membership)


def test_staff_and_outsiders_may_not_confirm(cast, party, django_capture_on_commit_callbacks):
    membership = _pending(cast, party, django_capture_on_commit_callbacks)
    for actor in (cast.staff, cast.clerk, cast.world.charlie, membership.user):
        with pytest.raises(ActionRefused):
            services.membership_confirm(actor=actor, membership=membership)
    membership.refresh_from_db()
    assert membership.state == MembershipState.PENDING


def test_a_refusal_needs_a_reason(cast, party, django_capture_on_commit_callbacks):
    membership = _pending(cast, party, django_capture_on_commit_callbacks)
    with pytest.raises(ActionRefused):
        services.membership_refuse(actor=cast.reviewer, membership=membership, reason=" ")
    services.membership_refuse(actor=cast.reviewer, membership=membership, reason="非该企业员工")
    membership.refresh_from_db()
    assert membership.state == MembershipState.REFUSED
