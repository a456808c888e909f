"""Deployment checks of the portal's own settings (`manage.py check --deploy`)."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Keys published with the project: the demo's, the `.env.example` placeholder, the image build's.
PUBLIC_KEYS = frozenset({
    "insecure-development-key-only-for-the-embedded-demo",
    "change-me-to-a-long-random-string-of-at-least-fifty-characters-0123456789",
    "collectstatic-only-not-a-real-key",
})
PLACEHOLDER_MARKERS = ("change-me", "changeme", "insecure", "not-a-real-key", "placeholder", "example")
MIN_KEY_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """A production key must be secret: not one printed in this repository, not a placeholder,
    and long enough not to be guessed."""
    key = str(getattr(settings, "SECRET_KEY", ""))
    lowered = key.lower()
    if key in PUBLIC_KEYS or any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        return [Error(
            "SECRET_KEY is a published placeholder or demo key.",
            hint='Generate a key: python -c "import secrets; print(secrets.token_urlsafe(64))"',
            id="liaison.E001",
        )]
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return [Error(
            f"SECRET_KEY is too short or too uniform (at least {MIN_KEY_LENGTH} characters, "
            f"{MIN_UNIQUE_CHARACTERS} different).",
            hint='Generate a key: python -c "import secrets; print(secrets.token_urlsafe(64))"',
            id="liaison.E002",
        )]
    return []
