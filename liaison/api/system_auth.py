"""API access for docked systems: `Authorization: Bearer lk_…`, a key hashed at rest.

The request acts as the system's service account (a user of the system's organization, named
after the system), so the services' checks of organization, role and mechanism apply unchanged;
`request.auth` is the `ExternalSystem`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from ..channels.systems import system_account, system_for_key
from ..models import ExternalSystem, IdempotentRequest


class SystemKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("接口密钥格式不正确：Authorization: Bearer <密钥>")
        system = system_for_key(header[1])
        if system is None:
            raise exceptions.AuthenticationFailed("接口密钥无效、已作废或对接系统已停用。")
        return system_account(system), system

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IsDockedSystem(permissions.BasePermission):
    message = "此接口仅供登记的对接系统使用。"

    def has_permission(self, request: Request, view: object) -> bool:
        return isinstance(request.auth, ExternalSystem)


class SystemKeyScheme(OpenApiAuthenticationExtension):
    target_class = SystemKeyAuthentication
    name = "systemKey"

    def get_security_definition(self, auto_schema: object) -> dict:
        return {"type": "http", "scheme": "bearer", "description": "对接系统的接口密钥（lk_…），由系统管理员签发"}


def _canonical(value: Any) -> Any:
    if hasattr(value, "chunks"):  # an uploaded file: its name and the digest of its content
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return ["file", value.name, digest.hexdigest()]
    return value


def request_fingerprint(request: Request) -> str:
    """SHA-256 of the request's method, path and body.

    The body is taken as parsed and written in a canonical form (keys sorted, files by the digest
    of their content), so a multipart retry with another boundary or field order is the same
    request, while any changed value or file makes another one.
    """
    data = request.data
    if hasattr(data, "lists"):  # form and multipart bodies: every value of every field
        body: Any = sorted([key, [_canonical(value) for value in values]] for key, values in data.lists())
    else:
        body = data
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, cls=JSONEncoder, default=str)
    return hashlib.sha256(f"{request.method}\n{request.path}\n{text}".encode()).hexdigest()


def idempotent(request: Request, produce: Callable[[], Response]) -> Response:
    """Answer a retried POST with the first answer (same `Idempotency-Key` from the same system).

    The key's row and the work are one transaction: a concurrent retry waits on the key's unique
    index until the first commits, then reads its answer. A request that fails leaves no row, so
    it may be retried for real. The key reused for a different request (another fingerprint)
    answers 422, as the IETF Idempotency-Key draft recommends, and nothing is done.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return produce()
    if len(key) > 200:
        raise exceptions.ValidationError({"Idempotency-Key": ["Idempotency-Key 不能超过 200 个字符。"]})
    fingerprint = request_fingerprint(request)
    with transaction.atomic():
        system: ExternalSystem = request.auth  # type: ignore[assignment] # IsDockedSystem admitted only systems
        row, created = IdempotentRequest.objects.get_or_create(
            system=system, key=key, defaults={"fingerprint": fingerprint}
        )
        if not created and row.fingerprint and row.fingerprint != fingerprint:
            return Response(
                {"detail": _("该 Idempotency-Key 已用于另一内容不同的请求；新的请求请使用新的键。")},
                status=422,
            )
        if not created:
            return Response(row.response, status=row.status_code, headers={"Idempotent-Replayed": "true"})
        response = produce()
        row.status_code = response.status_code
        row.response = json.loads(json.dumps(response.data, cls=JSONEncoder))
        row.save(update_fields=["status_code", "response"])
    return response
