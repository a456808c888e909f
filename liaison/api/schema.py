"""The answers every operation can give, declared in the OpenAPI schema once for all.

Views declare their own responses; this hook adds what the framework answers on its own: 400 for
a bad query or body, 404 for an id out of scope or a page past the last, 403/409 for a refused
write.
"""

from __future__ import annotations

from typing import Any

GENERIC = {
    "400": {"description": "输入有误：字段错误（{字段: [说明]}）、查询参数无效或请求体格式有误（detail）"},
    "403": {"description": "单位或角色无权办理"},
    "404": {"description": "不存在或不在可见范围"},
    "409": {"description": "当前状态不允许该操作（或已被他人办理）"},
}


def declare_generic_answers(result: dict[str, Any], generator: object, request: object, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the generic 400/403/404/409 answers where they apply."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = []
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append("400")
            query = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
            # A page past the last, or a mechanism outside the user's scope, is "not found".
            if "{" in path or query & {"page", "mechanism"}:
                codes.append("404")
            if method != "get":
                codes += ["400", "403", "409"]
            for code in codes:
                responses.setdefault(code, dict(GENERIC[code]))
    return result
