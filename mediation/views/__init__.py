"""HTML pages of the mediation app: thin, they parse input, call one selector or service, and render."""

from .cases import case_act, case_create, case_detail, case_export, case_list
from .figures import figures_export, figures_page
from .firms import firm_detail, lawyer_deactivate
from .legal import (
    checkup_act,
    checkup_create,
    checkup_detail,
    checkup_export,
    checkup_list,
    checkup_pdf,
    pairing_act,
    pairing_create,
    pairing_detail,
)
from .organisations import organisation_admit, organisation_create, organisation_detail, organisation_list
from .recommendations import (
    recommendation_act,
    recommendation_create,
    recommendation_detail,
    recommendation_export,
    recommendation_list,
    recommendation_pdf,
)
from .roster import mediator_act, mediator_create, mediator_detail, mediator_edit, roster, roster_export, roster_pdf

__all__ = [
    "firm_detail",
    "lawyer_deactivate",
    "checkup_act",
    "checkup_create",
    "checkup_detail",
    "checkup_export",
    "checkup_list",
    "checkup_pdf",
    "pairing_act",
    "pairing_create",
    "pairing_detail",
    "case_act",
    "case_create",
    "case_detail",
    "case_export",
    "case_list",
    "figures_export",
    "figures_page",
    "mediator_act",
    "mediator_create",
    "mediator_detail",
    "mediator_edit",
    "organisation_admit",
    "organisation_create",
    "organisation_detail",
    "organisation_list",
    "recommendation_act",
    "recommendation_create",
    "recommendation_detail",
    "recommendation_export",
    "recommendation_list",
    "recommendation_pdf",
    "roster",
    "roster_export",
    "roster_pdf",
]
