"""The authentication backend of the portal: Django's model backend, whose user of a session
comes with the scope token (`liaison.scope_token`) in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import router
from django.db.models.expressions import RawSQL

from . import scope_token, scoping
from .models import User


class UserWithScopeTokenBackend(ModelBackend):
    """As `ModelBackend`; `get_user` (each request of a session) also reads the scope's token, so
    that the request reads no statement of its own for it."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override] # the portal's User
        alias = router.db_for_read(User)
        users = User._default_manager.db_manager(alias)
        token_sql = scope_token.token_sql(alias)
        if token_sql is not None:
            users = users.annotate(_scope_token_read=RawSQL(token_sql, ()))  # type: ignore[assignment]
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        if token_sql is not None:
            user.__dict__[scoping.LOADED_TOKEN] = (alias, user.__dict__.pop("_scope_token_read"))
        return user
