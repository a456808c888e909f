"""System checks: what the printed documents lack on this machine (the fonts in use are listed on
the administration's index page)."""
from __future__ import annotations

from django.core import checks

from .pdf import font_dir, missing_requirements


@checks.register("liaison")
def pdf_fonts_check(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """A warning when PDFs cannot be printed here, or the font folder is not one."""
    folder = font_dir()
    messages: list[checks.CheckMessage] = []
    if folder is not None and not folder.is_dir():
        messages.append(checks.Warning(f"PDF_FONT_DIR={folder} 不是文件夹，公文使用 Noto 字体。", id="liaison.W101"))
    messages += [checks.Warning(f"打印 PDF 缺少 {m}", id="liaison.W102") for m in missing_requirements()]
    return messages
