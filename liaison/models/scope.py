"""The token of the tables a user's scope is read from (see `liaison.scoping`, "Kept scopes")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The tables whose rows decide what a user sees and where a filing may go: the organization tree,
# the parties of the mechanisms, their place rules and the users' roles. Every write to them
# (insert, update, delete, truncate; by the ORM, in bulk or in raw SQL) draws a new token in the
# same transaction, by a trigger (migration 0016).
SCOPE_TABLES = (
    "liaison_organization",
    "liaison_mechanismparty",
    "liaison_mechanismplacerule",
    "liaison_roleassignment",
)


class ScopeGeneration(models.Model):
    """One row: a random token that a database trigger draws anew whenever one of `SCOPE_TABLES`
    is written. What was read from those tables under one token holds as long as the token does."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField(_("令牌"))

    class Meta:
        verbose_name = _("可见范围版本")
        verbose_name_plural = verbose_name
        constraints = [models.CheckConstraint(condition=Q(id=1), name="scope_generation_one_row")]

    def __str__(self) -> str:
        return str(self.token)
