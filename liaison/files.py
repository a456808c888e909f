"""Recognise uploaded files by their content, never by their name or the browser's MIME type.

A file called ``evil.pdf`` that starts with ``MZ`` is an executable, not a PDF. Every function
here reads from the start of the file and puts the position back where it found it, so callers
can go on to save the same file object.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
from enum import Enum
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ALLOWED_KINDS",
    "FileKind",
    "detect_file_kind",
    "format_size",
    "sha256_of",
    "validate_upload",
]


class FileKind(str, Enum):
    """The kinds of file the portal accepts; ``label``, ``mime_type`` and ``extension`` describe each."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    WEBP = "webp"
    DOC = "doc"
    XLS = "xls"
    DOCX = "docx"
    XLSX = "xlsx"

    @property
    def label(self) -> Promise:
        """Chinese name for users, e.g. “Word 文档”."""
        return _KIND_INFO[self][0]

    @property
    def mime_type(self) -> str:
        """Canonical MIME type to store and to send as Content-Type."""
        return _KIND_INFO[self][1]

    @property
    def extension(self) -> str:
        """Canonical file extension without the dot (``jpg`` for JPEG), for naming stored files."""
        return _KIND_INFO[self][2]

    @property
    def is_image(self) -> bool:
        return self in (FileKind.PNG, FileKind.JPEG, FileKind.GIF, FileKind.WEBP)

    def __str__(self) -> str:
        return self.value


_KIND_INFO: dict[FileKind, tuple[Promise, str, str]] = {
    FileKind.PDF: (_("PDF 文档"), "application/pdf", "pdf"),
    FileKind.PNG: (_("PNG 图片"), "image/png", "png"),
    FileKind.JPEG: (_("JPEG 图片"), "image/jpeg", "jpg"),
    FileKind.GIF: (_("GIF 图片"), "image/gif", "gif"),
    FileKind.WEBP: (_("WebP 图片"), "image/webp", "webp"),
    FileKind.DOC: (_("Word 文档（.doc）"), "application/msword", "doc"),
    FileKind.XLS: (_("Excel 表格（.xls）"), "application/vnd.ms-excel", "xls"),
    FileKind.DOCX: (
        _("Word 文档（.docx）"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    FileKind.XLSX: (
        _("Excel 表格（.xlsx）"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}

ALLOWED_KINDS: frozenset[FileKind] = frozenset(FileKind)

_HEADER_BYTES = 16
_CHUNK_BYTES = 64 * 1024
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


# --- detection ----------------------------------------------------------------------------------


def detect_file_kind(file: IO[bytes]) -> FileKind | None:
    """The kind of ``file`` judged by its content from byte 0, or None if it is none of FileKind.

    The file must be seekable (Django's uploads are); its position is restored.
    """
    position = file.tell()
    try:
        file.seek(0)
        header = file.read(_HEADER_BYTES)
        if header.startswith(b"%PDF-"):
            return FileKind.PDF
        if header.startswith(b"\x89PNG\r\n\x1a\n"):
            return FileKind.PNG
        if header.startswith(b"\xff\xd8\xff"):
            return FileKind.JPEG
        if header.startswith((b"GIF87a", b"GIF89a")):
            return FileKind.GIF
        if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
            return FileKind.WEBP
        if header.startswith(_OLE2_MAGIC):
            return _detect_ole2(file)
        if header.startswith(_ZIP_MAGIC):
            return _detect_ooxml(file)
        return None
    finally:
        file.seek(position)


def _detect_ooxml(file: IO[bytes]) -> FileKind | None:
    """A docx or xlsx by the package parts it must contain; any other zip is None."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:  # reads only the central directory
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return FileKind.DOCX
    if "xl/workbook.xml" in names:
        return FileKind.XLSX
    return None


# OLE2 (Compound File Binary) constants: the header is 512 bytes; the directory is a chain of
# sectors found through the FAT; each directory entry is 128 bytes with a UTF-16LE name.
_OLE_END_OF_CHAIN = 0xFFFFFFFE
_OLE_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_OLE_MAX_DIRECTORY_SECTORS = 256  # a real .doc/.xls has a handful; stops loops in forged files
_OLE_HEADER_DIFAT_ENTRIES = 109


def _detect_ole2(file: IO[bytes]) -> FileKind | None:
    """A legacy .doc (a “WordDocument” stream) or .xls (“Workbook” or “Book”); other OLE2 is None."""
    try:
        names = _ole2_stream_names(file)
    except (struct.error, ValueError, OSError):
        return None
    if "worddocument" in names:
        return FileKind.DOC
    if "workbook" in names or "book" in names:
        return FileKind.XLS
    return None


def _ole2_stream_names(file: IO[bytes]) -> set[str]:
    """Lower-cased names in the directory, read by following the FAT chain from the header."""
    file.seek(0)
    header = file.read(512)
    if len(header) < 512:
        raise ValueError("short OLE2 header")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("unexpected OLE2 sector size")
    sector_size = 1 << sector_shift
    first_directory_sector = struct.unpack_from("<I", header, 0x30)[0]
    difat = struct.unpack_from(f"<{_OLE_HEADER_DIFAT_ENTRIES}I", header, 0x4C)
    fat_sectors = [s for s in difat if s <= _OLE_MAX_REGULAR_SECTOR]
    entries_per_sector = sector_size // 4
    fat_cache: dict[int, tuple[int, ...]] = {}

    def read_sector(sector: int) -> bytes:
        file.seek((sector + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated OLE2 sector")
        return data

    def next_sector(sector: int) -> int:
        index, offset = divmod(sector, entries_per_sector)
        if index >= len(fat_sectors):  # beyond the header's DIFAT: give up (heuristic)
            raise ValueError("FAT sector not in the header DIFAT")
        if index not in fat_cache:
            fat_cache[index] = struct.unpack(f"<{entries_per_sector}I", read_sector(fat_sectors[index]))
        return fat_cache[index][offset]

    names: set[str] = set()
    sector = first_directory_sector
    for _step in range(_OLE_MAX_DIRECTORY_SECTORS):
        if sector > _OLE_MAX_REGULAR_SECTOR:
            break
        data = read_sector(sector)
        for start in range(0, sector_size, 128):
            name_bytes = struct.unpack_from("<H", data, start + 0x40)[0]
            if 2 <= name_bytes <= 64:
                names.add(data[start : start + name_bytes - 2].decode("utf-16-le", "replace").lower())
        sector = next_sector(sector)
    return names


# --- validation ---------------------------------------------------------------------------------


def _size_of(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)  # Django's UploadedFile knows it without seeking
    if isinstance(size, int):
        return size
    position = file.tell()
    try:
        return file.seek(0, os.SEEK_END)
    finally:
        file.seek(position)


def format_size(size: int, *, decimals: int = 1) -> str:
    """Bytes for people: 512 B, 3.5 KB, 20 MB, 31.2 MB (binary units, trailing .0 dropped)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            text = f"{size / scale:.{decimals}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{size} B"


def _display_name(file: IO[bytes]) -> str:
    name = getattr(file, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else gettext("未命名文件")


def validate_upload(file: IO[bytes], *, max_bytes: int) -> FileKind:
    """The kind of an upload that is non-empty, at most ``max_bytes`` and of an allowed kind.

    Store the file under ``kind.extension`` / ``kind.mime_type``: the user's name may lie.
    """
    name = _display_name(file)
    size = _size_of(file)
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件"), code="file_empty", params={"name": name})
    if size > max_bytes:
        limit_text, size_text = format_size(max_bytes), format_size(size)
        if limit_text == size_text:  # 20.04 MB over a 20 MB limit must not read "20 MB, 20 MB"
            limit_text, size_text = format_size(max_bytes, decimals=3), format_size(size, decimals=3)
        if limit_text == size_text:  # a few bytes over: only the exact counts tell them apart
            limit_text, size_text = f"{max_bytes} B", f"{size} B"
        raise ValidationError(
            _("“%(name)s”文件过大：最大 %(limit)s，该文件 %(size)s"),
            code="file_too_large",
            params={"name": name, "limit": limit_text, "size": size_text},
        )
    kind = detect_file_kind(file)
    if kind is None or kind not in ALLOWED_KINDS:
        raise ValidationError(
            _("仅支持 PDF、图片（PNG/JPEG/GIF/WEBP）、Word 和 Excel 文件；“%(name)s”的内容不是这些类型之一"),
            code="file_type",
            params={"name": name},
        )
    return kind


def sha256_of(file: IO[bytes]) -> str:
    """Hex SHA-256 of the whole file, read in chunks from byte 0; the position is restored."""
    position = file.tell()
    digest = hashlib.sha256()
    try:
        file.seek(0)
        while chunk := file.read(_CHUNK_BYTES):
            digest.update(chunk)
    finally:
        file.seek(position)
    return digest.hexdigest()
