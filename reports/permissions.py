"""Who may write shared reports, generate monthly reports and open the figures, as predicates.

The steps on one report are the permissions `reports.<step>` registered from `workflow.REPORT`;
these are the ones that are not a step of a report: the "new" button, the generate form, and
which reporting pages a role opens (the menu shows an entry exactly when its page opens).
"""

from __future__ import annotations

import rules

from liaison import scoping
from liaison.choices import Role
from liaison.models import User
from liaison.permissions import belongs_to_organization, has_role, is_administrator, is_authenticated, is_leader

from .workflow import GENERATORS, WRITER_ROLES

is_writer = has_role(*WRITER_ROLES)
is_generator = has_role(*GENERATORS)


@rules.predicate
def is_party_somewhere(user: User) -> bool:
    """The user's organization is party to some mechanism (it may act, not only read)."""
    return bool(user and user.is_authenticated and scoping.actionable_mechanisms(user).exists())


# Write a report in some mechanism of the user's organization.
may_write = is_writer & belongs_to_organization & is_party_somewhere
# Generate a month's report on demand (the beat task generates without anyone).
may_generate_monthly = is_generator & is_party_somewhere
# The dashboard and the mechanism comparison are for leaders and administrators.
may_see_dashboard = is_leader | is_administrator
# The overdue ledger and the evaluation are of complaints, meeting items and tasks: every role but
# the mediator's reads them (a mediator's work is on their cases). The selectors narrow the rows.
may_see_ledgers = is_writer | has_role(Role.MEDIATION_MANAGER)
may_see_evaluation = may_see_ledgers
# Everyone with an account reads the published reports and monthly reports of their scope.
may_read_reports = is_authenticated

PERMS = {
    "add_report": may_write,
    "generate_monthly": may_generate_monthly,
    "view_dashboard": may_see_dashboard,
    "view_overdue_ledger": may_see_ledgers,
    "view_evaluation": may_see_evaluation,
    "view_report": may_read_reports,
}
