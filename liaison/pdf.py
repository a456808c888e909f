"""HTML → PDF with WeasyPrint, in the style of a Chinese official document.

Fonts: official documents set the body in 仿宋 and titles in 小标宋 (headings 黑体, sub-headings
楷体). Those fonts are licensed, so the deployer drops the files into `PDF_FONT_DIR`; each file is
recognised by its name and declared as one of four families ("Liaison Body", "Liaison Title",
"Liaison Heading", "Liaison Kai") that the print templates name first, for both weights (one file,
one embedded face). Without a file for a role, the templates fall back to Noto Serif CJK SC
(Debian's fonts-noto-cjk) in one face, the regular: the print CSS sets no bold, because WeasyPrint
embeds every face it uses (about 70 KB each however few characters, as subsets keep their glyph
numbers) and does not synthesise bold. Fonts are subset by WeasyPrint.

Speed: the stylesheets the print templates link (`<link rel="stylesheet" href="static/…">`, paths
under BASE_DIR) and the font rules are parsed once per process and thread, with one WeasyPrint font
configuration that keeps Pango's loaded fonts (and the licensed files it copies) between documents.
An edited stylesheet, or a font file added to or removed from the folder, is read at the next
document; a font file replaced under the same name, at the next start of the process.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
FALLBACK_FONT = "Noto Serif CJK SC"


@dataclass(frozen=True)
class FontRole:
    family: str  # the name the print CSS uses
    label: object  # what the administrator reads
    keywords: tuple[str, ...]  # a font file whose name contains one of these fills the role


# Order matters: "xiaobiaosong" must be claimed before anything looks for "song".
FONT_ROLES = (
    FontRole("Liaison Title", _("标题（小标宋）"), ("小标宋", "xiaobiaosong", "xbs")),
    FontRole("Liaison Kai", _("小标题（楷体）"), ("楷体", "kaiti", "simkai", "kai_gb2312")),
    FontRole("Liaison Heading", _("一级标题（黑体）"), ("黑体", "simhei", "heiti")),
    FontRole("Liaison Body", _("正文（仿宋）"), ("仿宋", "fangsong", "simfang", "fs_gb2312")),
)


def font_dir() -> Path | None:
    folder = getattr(settings, "PDF_FONT_DIR", "")
    return Path(folder) if folder else None


def licensed_fonts() -> dict[str, Path]:
    """The font file for each role found in PDF_FONT_DIR, by family name (roles without one are absent)."""
    folder = font_dir()
    if folder is None or not folder.is_dir():
        return {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
    found: dict[str, Path] = {}
    for role in FONT_ROLES:
        for path in files:
            name = path.stem.lower()
            if path not in found.values() and any(k in name for k in role.keywords):
                found[role.family] = path
                break
    return found


def fonts_in_use() -> list[dict[str, str | bool]]:
    """For the administrator: each role, and the file or the fallback font that prints it."""
    found = licensed_fonts()
    return [
        {
            "role": str(role.label),
            "font": found[role.family].name if role.family in found else FALLBACK_FONT,
            "licensed": role.family in found,
        }
        for role in FONT_ROLES
    ]


def font_face_css() -> str:
    """@font-face rules for the licensed files (declared for both weights: one file serves both)."""
    rules = []
    for family, path in licensed_fonts().items():
        for weight in ("normal", "bold"):
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                f'src: url("{path.resolve().as_uri()}"); }}'
            )
    return "\n".join(rules)


# Which elements print in which role; the templates set sizes and weights, never families.
_ROLE_SELECTORS = {
    "Liaison Body": "html, body",
    "Liaison Title": ".red-header, h1.doc-title, table.joint-header, p.single-header, .kind-line",
    "Liaison Heading": "h2, h2.section",
    "Liaison Kai": "h3, h3.subsection",
}


def font_css() -> str:
    """The families of the printed documents: a licensed file's family first when there is one."""
    found = licensed_fonts()
    rules = [font_face_css()]
    for family, selector in _ROLE_SELECTORS.items():
        stack = (f'"{family}", ' if family in found else "") + f'"{FALLBACK_FONT}", serif'
        rules.append(f"{selector} {{ font-family: {stack}; }}")
    body = ('"Liaison Body", ' if "Liaison Body" in found else "") + f'"{FALLBACK_FONT}", serif'
    rules.append(f"@page {{ @bottom-center {{ font-family: {body}; }} }}")
    return "\n".join(rule for rule in rules if rule)


# A stylesheet the print templates link by a path under BASE_DIR, exactly as written in the templates.
_LINK = re.compile(r'<link rel="stylesheet" href="([\w./-]+\.css)">')


@dataclass
class _Styles:
    """Parsed stylesheets bound to one font configuration (the @font-face rules live in it)."""

    font_config: Any
    fonts: Any
    sheets: dict[Path, tuple[int, Any]] = field(default_factory=dict)

    def sheet(self, path: Path) -> Any:
        from weasyprint import CSS

        mtime = path.stat().st_mtime_ns
        cached = self.sheets.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, CSS(filename=str(path), font_config=self.font_config))
            self.sheets[path] = cached
        return cached[1]


_local = threading.local()  # Pango's font map is not shared between threads


def _styles() -> _Styles:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    rules = font_css()
    cache: dict[str, _Styles] = getattr(_local, "styles", {})
    if rules not in cache:
        font_config = FontConfiguration()
        cache = {rules: _Styles(font_config, CSS(string=rules, font_config=font_config))}
        _local.styles = cache
    return cache[rules]


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time at startup

    html: str = render_to_string(template, context)
    styles = _styles()
    root = Path(settings.BASE_DIR).resolve()
    linked = []

    def parsed(match: re.Match) -> str:
        path = (root / match.group(1)).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return match.group(0)  # left to WeasyPrint
        linked.append(styles.sheet(path))
        return ""

    html = _LINK.sub(parsed, html)
    # Linked sheets in their order, then the font families (which the templates never set). WeasyPrint
    # takes them as user stylesheets: a template's own <style> block, which follows its links, wins
    # over them whatever the selectors' specificity.
    return HTML(string=html, base_url=str(root)).write_pdf(
        stylesheets=[*linked, styles.fonts], font_config=styles.font_config
    )


@functools.cache
def missing_requirements() -> list[str]:
    """What this machine lacks to print PDFs (Pango, a CJK font), in words for the person running it."""
    missing = []
    try:
        import weasyprint  # noqa: F401
    except OSError:
        missing.append(str(_("Pango（Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0）")))
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        missing.append(str(_("fontconfig（Debian: apt-get install fontconfig）")))
    else:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
        if FALLBACK_FONT not in out and len(licensed_fonts()) < len(FONT_ROLES):
            missing.append(str(_("中文字体 Noto Serif CJK SC（Debian: apt-get install fonts-noto-cjk）")))
    return missing
