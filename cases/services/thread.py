"""The complaint's thread and files: messages to the other side, internal notes, attachments."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from liaison import attachments, audit
from liaison.acting import organization_of
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workflow import required, users_with_roles

from ..choices import MessageVisibility
from ..models import Complaint, ComplaintMessage
from ..permissions import may_post_message
from ..workflow import COMPLAINT, FILER
from ._common import Uploads, require_party, tell


def message_post(*, actor: User, complaint: Complaint, body: str, internal: bool) -> ComplaintMessage:
    """A message to the other side, or an internal note only the author's organization sees."""
    require_party(actor, complaint.mechanism)
    sides = COMPLAINT.sides(actor, complaint)
    if actor.organization_id not in (complaint.filing_organization_id, complaint.court_id):
        raise ActionRefused(_("只有受理单位和受移送法院可以留言。"), ActionRefused.PERMISSION)
    body = required(body, _("留言内容"))
    if not internal and complaint.transferred_at is None:
        raise ActionRefused(_("移送法院之前只能写本单位内部备注。"), ActionRefused.STATE)
    if not may_post_message(actor, complaint):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("留言")}, ActionRefused.PERMISSION)
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            author=actor,
            organization=organization_of(actor),
            body=body,
            visibility=MessageVisibility.INTERNAL if internal else MessageVisibility.SHARED,
        )
        # An internal note stays inside its organization: the shared audit trail only says one was written.
        audit.record(
            actor=actor,
            target=complaint,
            action="note" if internal else "message",
            summary="" if internal else body[:100],
        )
        if not internal:
            other = complaint.court_id if FILER in sides else complaint.filing_organization_id
            recipients = (
                [complaint.handler]
                if other == complaint.court_id and complaint.handler
                else users_with_roles(other, Role.COURT_CLERK, Role.FEDERATION_REVIEWER)
            )
            tell(recipients, complaint, _("新留言"))
    return message


def complaint_add_files(*, actor: User, complaint: Complaint, files: Uploads) -> None:
    """Add attachments: the filing side before transfer, the court while handling."""
    COMPLAINT.check(actor, complaint, "add_files")
    with transaction.atomic():
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor)


def visible_message_filter(user: User) -> Q:
    return Q(visibility=MessageVisibility.SHARED) | Q(organization_id=user.organization_id)
