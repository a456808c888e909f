"""The authorization matrix: every URL pattern of the project, each with its visibility rule.

`RULES` names, for every URL pattern (by its name), what it serves:
- PUBLIC: reachable without logging in;
- SIGNED_IN: anyone logged in, nothing of a particular object (lists, forms, figures: scoped inside);
- ADMIN: the Django admin site;
- TOKEN: a personal calendar feed, reached by its secret token; the intake API of docked systems (their key);
- an object kind: the page, file, PDF, Excel or API endpoint of one object.

For object URLs, per role around one mechanism and its mirror: an outsider (another mechanism)
gets 404 on GET and POST and causes no write; a member of a party without any role causes no
write; the reader named in `READERS` sees the object. A URL pattern with no entry fails.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison import attachments
from liaison.models import AuditEvent, Deadline, ExternalSystem, Notification, OutboxMessage, User
from meetings import services as meetings_services
from meetings.models import ActionItem
from reports import monthly
from reports import services as report_services
from reports.choices import ReportKind

from ..conftest import login
from ..factories import OrganizationFactory, UserFactory

PUBLIC, SIGNED_IN, ADMIN, TOKEN = "public", "signed_in", "admin", "token"

RULES: dict[str, str] = {
    # core
    "home": SIGNED_IN,
    "health": PUBLIC,
    "login": PUBLIC,
    "logout": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "set_language": PUBLIC,
    "mechanism_list": SIGNED_IN,
    "mechanism_detail": "mechanism",
    "deadline_list": SIGNED_IN,
    "deadline_detail": "deadline",
    "calendar": SIGNED_IN,
    "notification_list": SIGNED_IN,
    "notification_mark_read": SIGNED_IN,
    "notification_preferences": SIGNED_IN,
    "audit_log": SIGNED_IN,
    "system_list": SIGNED_IN,
    "system_deliveries": "system",
    "system_key_rotate": "system",
    "delivery_redeliver": "delivery",
    "attachment_download": "attachment",
    "admin": ADMIN,
    # complaints, enterprises, transfers, dashboard, ledgers
    "dashboard": SIGNED_IN,
    "overdue_ledger": SIGNED_IN,
    "overdue_ledger_export": SIGNED_IN,
    "evaluation": SIGNED_IN,
    "evaluation_export": SIGNED_IN,
    "department_evaluation": SIGNED_IN,
    "department_evaluation_export": SIGNED_IN,
    "public_page": PUBLIC,
    "public_feed": PUBLIC,
    "public_settings": SIGNED_IN,
    "public_page_toggle": "mechanism",
    "report_public": "report",
    "complaint_list": SIGNED_IN,
    "complaint_export": SIGNED_IN,
    "complaint_count": SIGNED_IN,
    "complaint_create": SIGNED_IN,
    "complaint_detail": "complaint",
    "complaint_edit": "complaint",
    "complaint_act": "complaint",
    "complaint_message": "complaint",
    "enterprise_list": SIGNED_IN,
    "enterprise_create": SIGNED_IN,
    "enterprise_detail": "enterprise",
    "enterprise_edit": "enterprise",
    "enterprise_public": "enterprise",
    "enterprise_invite": "enterprise",
    "complaint_enterprise_message": "complaint",
    "complaint_followup": "complaint",
    "satisfaction_act": "satisfaction",
    # the enterprise portal
    "enterprise_home": SIGNED_IN,
    "enterprise_register": PUBLIC,
    "enterprise_register_verify": PUBLIC,
    "enterprise_register_resend": PUBLIC,
    "invitation_accept": PUBLIC,
    "matter_create": SIGNED_IN,
    "matter_detail": "matter",
    "matter_edit": "matter",
    "matter_acknowledgement": "matter",
    "matter_supply": "matter",
    "matter_withdraw": "matter",
    "matter_message": "matter",
    "matter_rate": "matter",
    "matter_file": "matter",
    "membership_list": SIGNED_IN,
    "membership_detail": "membership",
    "membership_act": "membership",
    "transfer_list": SIGNED_IN,
    "transfer_batch": SIGNED_IN,
    "transfer_detail": "transfer",
    "transfer_pdf": "transfer",
    # shared reports and the monthly report
    "list": SIGNED_IN,
    "create": SIGNED_IN,
    "monthly_list": SIGNED_IN,
    "monthly_export": "monthly",
    "monthly_regenerate": "monthly",
    "detail": "report",
    "edit": "report",
    "pdf": "report",
    "publish": "report",
    "withdraw": "report",
    "reopen": "report",
    "opinion_create": "report",
    # meetings
    "meeting_list": SIGNED_IN,
    "meeting_create": SIGNED_IN,
    "meeting_detail": "meeting",
    "meeting_edit": "meeting",
    "meeting_act": "meeting",
    "meeting_rsvp": "meeting",
    "meeting_attendance": "meeting",
    "sign_in_sheet": "meeting",
    "meeting_ics": "meeting",
    "agenda_add": "meeting",
    "minutes_create": "meeting",
    "agenda_remove": "agenda",
    "agenda_trim": "agenda",
    "agenda_transfer": "agenda",
    "minutes_list": SIGNED_IN,
    "minutes_detail": "minutes",
    "minutes_edit": "minutes",
    "minutes_act": "minutes",
    "minutes_pdf": "minutes",
    "minutes_print": "minutes",
    "cadence_index": SIGNED_IN,
    "cadence": "mechanism",
    "supervision": SIGNED_IN,
    "supervision_export": SIGNED_IN,
    "supervision_pdf": SIGNED_IN,
    "item_detail": "item",
    "item_progress": "item",
    "item_close": "item",
    "item_act": "item",
    "dual_list_act": "dual_list",
    "search": SIGNED_IN,
    "enterprise_lookup": SIGNED_IN,
    "ready": PUBLIC,
    "metrics": PUBLIC,
    "dual_list_list": SIGNED_IN,
    "dual_list_create": SIGNED_IN,
    "dual_list_template": SIGNED_IN,
    "dual_list_detail": "dual_list",
    "dual_list_import": "dual_list",
    # activities
    "activity_list": SIGNED_IN,
    "activity_create": SIGNED_IN,
    "activity_detail": "activity",
    "activity_edit": "activity",
    "activity_act": "activity",
    "activity_register": "activity",
    "activity_withdraw": "activity",
    "activity_sign_in": "activity",
    "activity_report": "activity",
    "activity_ics": "activity",
    "activity_sign_in_sheet": "activity",
    "activity_attendance": "activity",
    # the research programme
    "research_list": SIGNED_IN,
    "research_create": SIGNED_IN,
    "research_export": SIGNED_IN,
    "research_programme_pdf": SIGNED_IN,
    "research_detail": "topic",
    "research_act": "topic",
    "research_milestone_done": "milestone",
    "activity_share": "activity",
    # activities open to enterprises, on the enterprise portal
    "enterprise_activity_list": SIGNED_IN,
    **{f"enterprise_activity_{a}": "enterprise_activity" for a in ("detail", "register", "withdraw", "ics")},
    "dual_list_approve": "dual_list",
    "dual_list_export": "dual_list",
    "calendar_feed": SIGNED_IN,
    # mediation
    "roster": SIGNED_IN,
    "roster_export": SIGNED_IN,
    "roster_pdf": SIGNED_IN,
    "mediator_create": SIGNED_IN,
    "mediator_detail": "mediator",
    "mediator_edit": "mediator",
    "mediator_act": "mediator",
    "organisation_list": SIGNED_IN,
    "organisation_create": SIGNED_IN,
    "organisation_detail": "organisation",
    "organisation_admit": "organisation",
    "case_list": SIGNED_IN,
    "case_export": SIGNED_IN,
    "case_create": SIGNED_IN,
    "case_detail": "mediation_case",
    "case_act": "mediation_case",
    "figures": SIGNED_IN,
    "figures_export": SIGNED_IN,
    "recommendation_list": SIGNED_IN,
    "checkup_list": SIGNED_IN,
    "checkup_create": SIGNED_IN,
    "checkup_export": SIGNED_IN,
    "checkup_detail": "checkup",
    "checkup_act": "checkup",
    "checkup_pdf": "checkup",
    "pairing_detail": "pairing",
    "pairing_create": SIGNED_IN,
    "pairing_act": "pairing",
    "firm_detail": "firm",
    "lawyer_deactivate": "firm",
    "suggestion_list": SIGNED_IN,
    "suggestion_export": SIGNED_IN,
    "suggestion_detail": "suggestion",
    "suggestion_act": "suggestion",
    "recommendation_export": SIGNED_IN,
    "recommendation_pdf": SIGNED_IN,
    "recommendation_create": SIGNED_IN,
    "recommendation_detail": "recommendation",
    "recommendation_act": "recommendation",
    # API
    "api_me": SIGNED_IN,
    "api-root": SIGNED_IN,
    "schema": SIGNED_IN,
    "api_docs": SIGNED_IN,
    "organization-list": SIGNED_IN,
    "organization-detail": "organization",
    "mechanism-list": SIGNED_IN,
    "mechanism-detail": "mechanism",
    "notification-list": SIGNED_IN,
    "notification-mark-read": SIGNED_IN,
    "notification-detail": "notification",
    "complaint-figures": SIGNED_IN,
    "mechanism-comparison": SIGNED_IN,
    "overdue-ledger": SIGNED_IN,
    "evaluation-table": SIGNED_IN,
    "meeting-figures": SIGNED_IN,
    "mediation-figures": SIGNED_IN,
    "enterprise-list": SIGNED_IN,
    "portal-matter-list": SIGNED_IN,
    "portal-registration-list": SIGNED_IN,
    "portal-registration-detail": "membership",
    **{f"portal-matter-{a}": "matter" for a in ("detail", "rating", "material", "messages", "submit")},
    "enterprise-detail": "enterprise",
    "complaint-list": SIGNED_IN,
    "complaint-count": SIGNED_IN,
    # Docked systems only, with their own key (tests/cases/test_intake_api.py): a session gets 401/403.
    "intake-complaint-list": TOKEN,
    "intake-complaint-detail": TOKEN,
    "transfer-list": SIGNED_IN,
    "transfer-batch": SIGNED_IN,
    "transfer-detail": "transfer",
    "transfer-pdf": "transfer",
    "report-list": SIGNED_IN,
    "monthly-report-list": SIGNED_IN,
    "monthly-report-generate": SIGNED_IN,
    "monthly-report-detail": "monthly_api",
    "meetings_calendar_feed": TOKEN,
    "meeting-list": SIGNED_IN,
    "minutes-list": SIGNED_IN,
    "action-item-list": SIGNED_IN,
    "task-list": SIGNED_IN,
    "dual-list-list": SIGNED_IN,
    "mediation-organisation-list": SIGNED_IN,
    "mediator-list": SIGNED_IN,
    "mediation-case-list": SIGNED_IN,
    "recommendation-list": SIGNED_IN,
    "suggestion-list": SIGNED_IN,
    "checkup-list": SIGNED_IN,
    "pairing-list": SIGNED_IN,
    "firm-lawyers": "firm",
    "checkup-figures": SIGNED_IN,
    **{f"checkup-{a}": "checkup" for a in ("detail", "assign", "report", "confirm", "cancel")},
    **{f"pairing-{a}": "pairing" for a in ("detail", "renew", "end")},
    **{f"suggestion-{a}": "suggestion_api" for a in ("detail", "comment", "consult", "issue", "reply")},
    **{f"recommendation-{a}": "recommendation" for a in ("detail", "appoint", "decline", "recall", "withdraw")},
    **{
        f"complaint-{a}": "complaint"
        for a in (
            "detail",
            "answer",
            "assign",
            "case-review",
            "close",
            "court-return",
            "decide-extension",
            "decline",
            "files",
            "messages",
            "queue",
            "register",
            "reopen",
            "request-extension",
            "request-material",
            "reroute",
            "start-review",
            "submit",
            "supply-material",
            "transfer-now",
            "withdraw",
        )
    },
    **{f"report-{a}": "report" for a in ("detail", "opinions", "pdf", "publish", "reopen", "withdraw")},
    "activity-list": SIGNED_IN,
    "activity-figures": SIGNED_IN,
    "research-topic-list": SIGNED_IN,
    **{
        f"research-topic-{a}": "topic"
        for a in ("detail", "agree-at-meeting", "approve", "drop", "finish", "record-use")
    },
    "research-topic-milestone-done": "topic",
    **{
        f"activity-{a}": "activity"
        for a in ("detail", "cancel", "close-registration", "hold", "publish", "register", "sign-in", "withdraw")
    },
    **{
        f"meeting-{a}": "meeting"
        for a in (
            "detail",
            "attendance",
            "cancel",
            "hold",
            "ics",
            "postpone",
            "rsvp",
            "send-notice",
            "sign-in-sheet",
            "transfer",
        )
    },
    **{f"minutes-{a}": "minutes" for a in ("detail", "correct", "decide", "issue", "pdf", "submit")},
    **{f"action-item-{a}": "item" for a in ("detail", "close", "progress", "indicator")},
    **{f"task-{a}": "task" for a in ("detail", "close", "progress", "indicator")},
    **{f"dual-list-{a}": "dual_list" for a in ("detail", "approve", "export", "import-tasks")},
    **{f"mediation-organisation-{a}": "organisation" for a in ("detail", "admit")},
    **{f"mediator-{a}": "mediator" for a in ("detail", "links", "reinstate", "remove", "renew", "suspend")},
    **{
        f"mediation-case-{a}": "mediation_case"
        for a in (
            "detail",
            "accept",
            "agree",
            "assign",
            "candidates",
            "decide-confirmation",
            "decline",
            "extend",
            "fail",
            "request-confirmation",
            "sessions",
            "withdraw",
        )
    },
}

# The slug of URLs that take an action name as well as an id.
ACTIONS = {
    "complaint_act": "submit",
    "meeting_act": "cancel",
    "minutes_act": "submit",
    "mediator_act": "suspend",
    "case_act": "accept",
    "recommendation_act": "decline",
    "suggestion_act": "reply",
    "checkup_act": "assign",
    "pairing_act": "end",
    "item_act": "close",
    "dual_list_act": "approve",
    "activity_act": "close_registration",
    "research_act": "approve",
    "membership_act": "confirm_membership",
    "satisfaction_act": "explain",
}
# URLs that name an object inside the one of their kind: the keyword, which is also the inner object's kind.
INNER = {"research-topic-milestone-done": "milestone"}
# Who in the mechanism must see each kind of object (GET answers anything but 404).
READERS = {
    "complaint": "alice",
    "enterprise": "alice",
    "transfer": "alice",
    "report": "alice",
    "monthly": "alice",
    "monthly_api": "alice",
    "meeting": "alice",
    "agenda": "alice",
    "minutes": "alice",
    "item": "bob",
    "task": "alice",
    "dual_list": "alice",
    "mediator": "bob",
    "organisation": "bob",
    "mediation_case": "bob",
    "recommendation": "alice",
    "suggestion": "alice",
    "suggestion_api": "alice",
    "checkup": "alice",
    "pairing": "alice",
    "firm": "alice",
    "mechanism": "alice",
    "deadline": "alice",
    "attachment": "alice",
    "organization": "alice",
    "notification": "alice",
    "system": "alice",
    "delivery": "alice",
    "activity": "alice",
    "topic": "alice",
    "milestone": "alice",
    "matter": "ent",
    "enterprise_activity": "ent",
    "membership": "alice",
    "satisfaction": "alice",
}


def url_patterns() -> list[tuple[str, str]]:
    """(name, route) of every pattern in the URLconf; the admin site counts as one."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    found.append(("admin", "admin/"))
                    continue
                inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append((pattern.name or "", prefix + str(pattern.pattern)))
                if pattern.name:
                    QUALIFIED[pattern.name] = f"{namespace}:{pattern.name}" if namespace else pattern.name

    walk(get_resolver().url_patterns, "", "")
    return found


# Each URL name with its namespace, as the URLconf declares it (filled by url_patterns()).
QUALIFIED: dict[str, str] = {}


def test_every_url_pattern_has_a_visibility_rule():
    missing = sorted({f"{name or '(unnamed)'}: {route}" for name, route in url_patterns() if name not in RULES})
    assert not missing, "URL patterns without an entry in RULES:\n" + "\n".join(missing)
    stale = sorted(set(RULES) - {name for name, _route in url_patterns()})
    assert not stale, f"RULES names URL patterns that no longer exist: {stale}"


@dataclass
class Objects:
    ids: dict[str, int]
    users: dict[str, User]
    # Second ids of URLs that take two (a matter's file), by URL keyword.
    extra: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def objects(cast, roster, time_machine) -> Objects:
    """One object of every kind in the mechanism, built through the services."""
    from tests.meetings.conftest import Cast as MeetingsCast

    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    world = cast.world
    secretary = UserFactory(
        username="secretary", organization=world.court, department=cast.department, roles=["meeting_secretary"]
    )
    fed_leader = UserFactory(username="fed_boss", organization=world.federation, roles=["leader"])
    meetings = MeetingsCast(
        world=world,
        secretary=secretary,
        court_leader=world.leader,
        fed_leader=fed_leader,
        reviewer=cast.reviewer,
        department=cast.department,
    )
    complaint = cast.transferred()
    attachment = attachments.attachment_add(
        target=complaint,
        actor=cast.clerk,
        upload=__import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "证据.pdf", b"%PDF-1.4\n%test\n"
        ),
    )
    minutes = meetings.issued()
    agenda_meeting = meetings.meeting(
        title="第二季度联席会议",
        starts_at=timezone.now() + dt.timedelta(days=30),
        ends_at=timezone.now() + dt.timedelta(days=30, hours=2),
    )
    agenda = meetings_services.agenda_item_add(actor=secretary, meeting=agenda_meeting, title="通报工作")
    dual_list = meetings_services.dual_list_create(actor=secretary, mechanism=world.mechanism, year=2026)
    task = meetings_services.dual_list_replace_tasks(
        actor=secretary,
        dual_list=dual_list,
        rows=[
            meetings_services.TaskRow(
                row=2,
                data=meetings_services.ItemData(
                    title="建立涉企案件台账", owner_organization=world.federation, due_date=dt.date(2026, 12, 31)
                ),
            )
        ],
    )[0]
    report = report_services.report_publish(
        report=report_services.report_create(
            actor=cast.clerk,
            mechanism=world.mechanism,
            kind=ReportKind.TYPICAL_CASE,
            title="典型案例",
            summary="摘要",
            body="正文",
            tags=[],
            case_numbers="",
        ),
        actor=cast.clerk,
    )
    from meetings.services import activities as activity_services

    activity = activity_services.activity_publish(
        actor=secretary,
        activity=activity_services.activity_create(
            actor=secretary,
            mechanism=world.mechanism,
            data=activity_services.ActivityData(
                kind="open_day",
                title="法院开放日",
                starts_at=timezone.now() + dt.timedelta(days=5),
                ends_at=timezone.now() + dt.timedelta(days=5, hours=2),
                capacity=10,
                place="市法院",
            ),
        ),
    )
    activity_services.registration_create(actor=world.alice, activity=activity)
    enterprise_activity = activity_services.activity_publish(
        actor=secretary,
        activity=activity_services.activity_create(
            actor=secretary,
            mechanism=world.mechanism,
            data=activity_services.ActivityData(
                kind="enterprise_visit",
                title="企业法律讲座",
                starts_at=timezone.now() + dt.timedelta(days=6),
                ends_at=timezone.now() + dt.timedelta(days=6, hours=2),
                capacity=10,
                place="工商联会议室",
                for_enterprises=True,
            ),
        ),
    )
    from reports import research

    topic = research.topic_propose(
        actor=secretary,
        mechanism=world.mechanism,
        data=research.TopicData(
            year=2026,
            title="民营企业产权保护调研",
            lead_organization=world.court,
            due_date=dt.date(2026, 11, 30),
            participants=[secretary, world.alice],
            milestones=[research.MilestoneData("形成调研提纲", dt.date(2026, 4, 30))],
        ),
    )
    made = monthly.generate_monthly_report(mechanism=world.mechanism, year=2026, month=2, actor=world.leader)
    case = roster.refer()
    ent, other_ent, matter, matter_file, membership = enterprise_side(cast)
    from mediation import services as mediation_services

    recommendation = mediation_services.recommendation_file(
        actor=world.alice,
        mechanism=world.mechanism,
        data=mediation_services.CandidateData(
            kind="assessor",
            receiver=world.court,
            name="陈立新",
            phone="13903791234",
            employer="某机械有限公司",
            specialties="企业管理",
            reasons="熟悉民营企业经营。",
        ),
    )
    from reports import suggestions as report_suggestions

    suggestion = report_suggestions.suggestion_issue(
        actor=world.bob,
        suggestion=report_suggestions.suggestion_for(
            report_services.report_create(
                actor=world.bob,
                mechanism=world.mechanism,
                kind=ReportKind.JUDICIAL_SUGGESTION,
                title="关于规范用工的司法建议",
                body="正文",
            )
        ),
        recipient=world.federation,
        recipient_name="",
        reply_working_days=10,
    )
    from liaison.models import MechanismParty
    from mediation.models import Checkup, Lawyer, Pairing

    law_firm = OrganizationFactory(name="甲市律师事务所", kind="law_firm")
    firm_place = MechanismParty.objects.create(mechanism=world.mechanism, organization=law_firm, side="member")
    lawyer = Lawyer.objects.create(firm=law_firm, name="王律师", phone="13902200002")
    pairing = Pairing.objects.create(
        mechanism=world.mechanism,
        firm=law_firm,
        chamber=world.federation,
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2027, 12, 31),
        firm_contact="王律师",
        firm_phone="13902200002",
        chamber_contact="赵秘书长",
        chamber_phone="13902200003",
        services="法治体检",
    )
    checkup = mediation_services.checkup_file(
        actor=world.alice,
        mechanism=world.mechanism,
        data=mediation_services.CheckupData(
            enterprise_name="甲公司", contact_person="李经理", contact_phone="13902200001", subject="合同体检"
        ),
    )
    assert isinstance(checkup, Checkup)
    ids = {
        "complaint": complaint.pk,
        "enterprise": cast.enterprise.pk,
        "transfer": complaint.transfer_id,
        "report": report.pk,
        "monthly": made.report_id,
        "monthly_api": made.pk,
        "meeting": minutes.meeting_id,
        "agenda": agenda.pk,
        "minutes": minutes.pk,
        "item": ActionItem.objects.get(minutes=minutes).pk,
        "task": task.pk,
        "dual_list": dual_list.pk,
        "mediator": roster.mediators["王调解"].pk,
        "organisation": roster.organisation.pk,
        "mediation_case": case.pk,
        "recommendation": recommendation.pk,
        "suggestion": suggestion.report_id,
        "suggestion_api": suggestion.pk,
        "checkup": checkup.pk,
        "pairing": pairing.pk,
        "firm": firm_place.pk,
        "mechanism": world.mechanism.pk,
        "deadline": Deadline.objects.filter(object_id=str(complaint.pk), kind="complaint.registration").get().pk,
        "attachment": attachment.pk,
        "organization": world.court.pk,
        "notification": Notification.objects.filter(recipient=world.alice).first().pk,
        "activity": activity.pk,
        "enterprise_activity": enterprise_activity.pk,
        "topic": topic.pk,
        "milestone": topic.milestones.get().pk,
        "matter": matter.pk,
        "membership": membership.pk,
        "satisfaction": followed_up(cast).pk,
    }
    assert all(ids.values()), ids
    system = ExternalSystem.objects.create(name="网上工商联", organization=world.federation, webhook_url="http://x/")
    system.mechanisms.add(world.mechanism)
    ids["system"] = system.pk
    ids["delivery"] = OutboxMessage.objects.create(
        kind="complaint.submitted",
        channel="webhook",
        recipient="http://x/",
        system=system,
        status="failed",
        next_attempt_at=timezone.now(),
    ).pk
    nobody = UserFactory(username="nobody", organization=world.court, roles=[])
    return Objects(
        ids=ids,
        users={
            "alice": world.alice,
            "bob": world.bob,
            "charlie": world.charlie,
            "nobody": nobody,
            "ent": ent,
            "other_ent": other_ent,
        },
        extra={"file_pk": matter_file.pk, "lawyer": lawyer.pk},
    )


def followed_up(cast):  # noqa: ANN001, ANN201
    """A follow-up call recorded on an answered paper complaint."""
    from cases import services as case_services

    complaint = cast.assigned()
    case_services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已审结")
    complaint.refresh_from_db()
    return case_services.followup_record(
        actor=cast.staff,
        complaint=complaint,
        called_on=dt.date(2026, 3, 20),
        person_reached="王经理",
        rating="satisfied",
    )


def enterprise_side(cast):  # noqa: ANN001, ANN201
    """A confirmed enterprise user with a matter filed online (and a file), and a user of another enterprise."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases import services as case_services
    from cases.models import EnterpriseMembership
    from cases.validators import parse_case_numbers

    from ..cases.conftest import VALID_CODES

    ent = UserFactory(username="ent", organization=None, roles=["enterprise"])
    membership = EnterpriseMembership.objects.create(
        user=ent, enterprise=cast.enterprise, source="invited", claimed_name=cast.enterprise.name, mobile="13912345678"
    )
    case_services.membership_confirm(actor=cast.reviewer, membership=membership)
    other = case_services.enterprise_register(
        actor=cast.staff,
        mechanism=cast.world.mechanism,
        data=case_services.EnterpriseData(name="另一家企业", credit_code=VALID_CODES[1], size="micro", industry="F"),
    )
    other_ent = UserFactory(username="other_ent", organization=None, roles=["enterprise"])
    other_membership = EnterpriseMembership.objects.create(
        user=other_ent, enterprise=other, source="registered", claimed_name=other.name, mobile="13912345679"
    )
    case_services.membership_confirm(actor=cast.reviewer, membership=other_membership)
    matter = case_services.matter_save_draft(
        actor=ent,
        data=case_services.MatterData(
            kind="case_handling",
            facts="执行款迟迟未到账。",
            demands="请求督促执行。",
            case_numbers=parse_case_numbers("（2022）豫03执45号"),
        ),
        files=[(SimpleUploadedFile("现场.png", _PNG), __import__("liaison.files", fromlist=["x"]).FileKind.PNG)],
    )
    case_services.complaint_submit(actor=ent, complaint=matter)
    matter_file = attachments.attachments_of(matter).get()
    return ent, other_ent, matter, matter_file, membership


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def object_urls(objects: Objects) -> list[tuple[str, str, str]]:
    """(name, kind, url) of every object URL pattern, filled with the object's id."""
    urls = []
    for name, route in url_patterns():
        kind = RULES.get(name)
        if kind in (PUBLIC, SIGNED_IN, ADMIN, TOKEN, None):
            continue
        kwargs = {"pk": objects.ids[kind]}
        if name in ACTIONS:
            kwargs["action"] = ACTIONS[name]
        if name in INNER:
            kwargs[INNER[name]] = objects.ids[INNER[name]]
        if name == "matter_file":
            kwargs["file_pk"] = objects.extra["file_pk"]
        if name == "lawyer_deactivate":
            kwargs["lawyer"] = objects.extra["lawyer"]
        url = reverse(name if ":" in name else _namespaced(name, route), kwargs=kwargs)
        if (name, url) not in {(n, u) for n, _k, u in urls}:
            urls.append((name, kind, url))
    return urls


def _namespaced(name: str, route: str) -> str:
    if not QUALIFIED:
        url_patterns()
    return QUALIFIED.get(name, name)


def _writes() -> tuple[int, int]:
    return AuditEvent.objects.count(), Notification.objects.count()


def test_the_matrix_covers_every_kind_of_object(objects):
    urls = object_urls(objects)
    assert {kind for _name, kind, _url in urls} == set(READERS) == set(objects.ids)
    assert len(urls) > 120


def test_an_outsider_gets_404_everywhere_and_writes_nothing(objects, client):
    login(client, objects.users["charlie"])
    before = _writes()
    wrong = []
    for name, kind, url in object_urls(objects):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (404, 405):
                wrong.append(f"{method.upper()} {url} ({name}, {kind}): {status}")
    assert not wrong, "outside scope but not 404:\n" + "\n".join(wrong)
    assert _writes() == before


def test_a_party_member_without_a_role_writes_nothing(objects, client):
    login(client, objects.users["nobody"])
    wrote, failed = [], []
    for name, kind, url in object_urls(objects):
        before = _writes()
        status = client.post(url).status_code
        if status >= 500:
            failed.append(f"POST {url} ({name}): {status}")
        if _writes() != before:
            wrote.append(f"POST {url} ({name}, {kind}): {status}")
    assert not failed and not wrote, "\n".join(failed + wrote)


def test_the_reader_in_the_mechanism_sees_each_object(objects, client):
    hidden = []
    for name, kind, url in object_urls(objects):
        login(client, objects.users[READERS[kind]])
        status = client.get(url).status_code
        if status == 404 or status >= 500:
            hidden.append(f"GET {url} ({name}, {kind}) as {READERS[kind]}: {status}")
    assert not hidden, "\n".join(hidden)


@pytest.mark.parametrize("name", sorted(n for n, rule in RULES.items() if rule == SIGNED_IN))
def test_signed_in_pages_refuse_anonymous_visitors(db, client, name):
    route = dict(url_patterns())[name]
    url = reverse(_namespaced(name, route))
    status = client.get(url).status_code
    assert status in (302, 401, 403, 405), (url, status)


def test_a_calendar_feed_with_an_unknown_token_is_404(db, client):
    assert client.get(reverse("meetings_calendar_feed", kwargs={"token": "x" * 40})).status_code == 404


def test_an_enterprise_user_reads_only_its_own_matter(objects, client):
    """Every object URL but its own matter's answers 404 to an enterprise user, and another
    enterprise's user gets 404 on that matter too; neither writes anything by trying."""
    for who in ("ent", "other_ent"):
        login(client, objects.users[who])
        before = _writes()
        wrong = []
        for name, kind, url in object_urls(objects):
            if (who == "ent" and kind == "matter") or kind == "enterprise_activity":
                continue
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in (404, 405):
                    wrong.append(f"{who} {method.upper()} {url} ({name}, {kind}): {status}")
        assert not wrong, "an enterprise user reached:\n" + "\n".join(wrong)
        assert _writes() == before


def test_an_enterprise_user_reaches_only_the_activities_open_to_enterprises(objects, client):
    """Both enterprises of the mechanism read the activity open to enterprises on the portal; the
    activity for the parties' staff answers 404 there; nobody else reaches the portal's activities."""
    staff_only = objects.ids["activity"]
    for who in ("ent", "other_ent"):
        login(client, objects.users[who])
        assert client.get(reverse("portal_activities:enterprise_activity_list")).status_code == 200
        before = _writes()
        for name in ("detail", "register", "withdraw", "ics"):
            url = reverse(f"portal_activities:enterprise_activity_{name}", kwargs={"pk": staff_only})
            assert getattr(client, "get" if name in ("detail", "ics") else "post")(url).status_code == 404, url
        assert _writes() == before
    for who in ("alice", "charlie", "nobody"):
        login(client, objects.users[who])
        assert client.get(reverse("portal_activities:enterprise_activity_list")).status_code == 404
        url = reverse("portal_activities:enterprise_activity_detail", kwargs={"pk": objects.ids["enterprise_activity"]})
        assert client.get(url).status_code == 404


def test_an_enterprise_user_finds_nothing_in_the_lists_exports_and_api(objects, client):
    login(client, objects.users["ent"])
    matter = objects.ids["matter"]
    complaint = objects.ids["complaint"]
    for name in ("cases:complaint_list", "cases:enterprise_list", "cases:transfer_list", "deadline_list", "search"):
        body = client.get(reverse(name), {"q": "企业"}).content.decode()
        assert f"/cases/complaints/{complaint}/" not in body and f"/cases/complaints/{matter}/" not in body, name
    export = client.get(reverse("cases:complaint_export"))
    content = b"".join(export.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert not any(str(objects.ids["matter"]) in " ".join(map(str, r)) for r in rows[1:] if r and any(r))
    assert len([r for r in rows[1:] if r and any(r)]) <= 1  # headings only (or a note): no complaint rows
    for url in ("/api/v1/complaints/", "/api/v1/complaints/count/", "/api/v1/enterprises/", "/api/v1/transfers/"):
        data = client.get(url).json()
        assert data.get("count", len(data.get("results", []))) == 0, url
