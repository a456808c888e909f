"""JSON request bodies with bounds: a size cap and a nesting limit, refused with a 400 and a message."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ..limits import JSON_MAX_DEPTH


def nesting_depth(value: Any) -> int:
    """How deep lists and objects nest in a parsed JSON value (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > JSON_MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies over JSON_MAX_BYTES and nesting over JSON_MAX_DEPTH."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        limit = settings.JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("请求内容过大：JSON 最多 %(size)s 字节。") % {"size": limit})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_("JSON 嵌套过深：最多 %(depth)s 层。") % {"depth": JSON_MAX_DEPTH}) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON 格式有误：%(error)s") % {"error": error}) from None
        if nesting_depth(data) > JSON_MAX_DEPTH:
            raise ParseError(_("JSON 嵌套过深：最多 %(depth)s 层。") % {"depth": JSON_MAX_DEPTH})
        return data


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")
