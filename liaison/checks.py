"""System checks: the portal's own deployment settings (`manage.py check --deploy`), and what the
printed documents lack on this machine (the fonts in use are listed on the administration's index
page)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage, Error, Tags, register

from .pdf import font_dir, missing_requirements

# Keys published with the project: the demo's, the `.env.example` placeholder, the image build's.
PUBLIC_KEYS = frozenset(
    {
        "insecure-development-key-only-for-the-embedded-demo",
        "change-me-to-a-long-random-string-of-at-least-fifty-characters-0123456789",
        "collectstatic-only-not-a-real-key",
    }
)
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
        return [
            Error(
                "SECRET_KEY is a published placeholder or demo key.",
                hint='Generate a key: python -c "import secrets; print(secrets.token_urlsafe(64))"',
                id="liaison.E001",
            )
        ]
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return [
            Error(
                f"SECRET_KEY is too short or too uniform (at least {MIN_KEY_LENGTH} characters, "
                f"{MIN_UNIQUE_CHARACTERS} different).",
                hint='Generate a key: python -c "import secrets; print(secrets.token_urlsafe(64))"',
                id="liaison.E002",
            )
        ]
    return []


@checks.register("liaison")
def pdf_fonts_check(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """A warning when PDFs cannot be printed here, or the font folder is not one."""
    folder = font_dir()
    messages: list[checks.CheckMessage] = []
    if folder is not None and not folder.is_dir():
        messages.append(checks.Warning(f"PDF_FONT_DIR={folder} 不是文件夹，公文使用 Noto 字体。", id="liaison.W101"))
    messages += [checks.Warning(f"打印 PDF 缺少 {m}", id="liaison.W102") for m in missing_requirements()]
    return messages
