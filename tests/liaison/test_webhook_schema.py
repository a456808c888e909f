"""The OpenAPI document describes what docked systems receive (its webhooks section)."""

import json

from drf_spectacular.generators import SchemaGenerator

from liaison.channels.events import EVENT_TYPES


def test_the_schema_has_a_webhooks_section_with_every_event_type(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["openapi"].startswith("3.1")
    hook = schema["webhooks"]["LiaisonEvent"]["post"]
    assert "X-Liaison-Signature" in hook["description"]
    ref = hook["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][ref]
    assert {"id", "type", "version", "mechanism", "data"} <= set(body["properties"])
    components = json.dumps(schema["components"]["schemas"])
    assert all(f'"{code}"' in components for code in EVENT_TYPES)
