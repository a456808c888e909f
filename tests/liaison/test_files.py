"""Uploads are recognised by their bytes: a renamed executable is refused whatever its name."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from liaison.files import ALLOWED_KINDS, FileKind, detect_file_kind, format_size, sha256_of, validate_upload

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


# --- samples, built for real --------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **(extra or {}),
        }
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "案号"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ole2_bytes(stream_names: list[str], *, sector_shift: int = 9, padding: int = 0) -> bytes:
    """A minimal Compound File: sector 0 holds the FAT, then the directory chain, then padding.

    The directory sectors are chained in reverse order on disk, so a reader must follow the FAT.
    """
    sector_size = 1 << sector_shift
    entries = ["Root Entry", *stream_names]
    per_sector = sector_size // 128
    directory_sectors = -(-len(entries) // per_sector)
    chain = list(range(directory_sectors, 0, -1))  # e.g. 2 → 1
    fat = [0xFFFFFFFF] * (sector_size // 4)
    fat[0] = 0xFFFFFFFD  # FATSECT
    for current, following in zip(chain, chain[1:] + [0xFFFFFFFE]):
        fat[current] = following

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3 if sector_shift == 9 else 4, 0xFFFE, sector_shift, 6)
    struct.pack_into("<III", header, 0x2C, 1, chain[0], 0)  # FAT sectors, first directory sector
    struct.pack_into("<IIIII", header, 0x38, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    header = bytes(header).ljust(sector_size, b"\0")

    directory = bytearray(directory_sectors * sector_size)
    for index, name in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\0\0"
        # Entry `index` lives in chain position index // per_sector.
        sector = chain[index // per_sector]
        start = (sector - 1) * sector_size + (index % per_sector) * 128
        directory[start : start + len(encoded)] = encoded
        struct.pack_into("<HB", directory, start + 0x40, len(encoded), 5 if index == 0 else 2)
    fat_sector = struct.pack(f"<{sector_size // 4}I", *fat)
    return header + fat_sector + bytes(directory) + b"\0" * padding


def doc_bytes() -> bytes:
    return ole2_bytes(["\x01CompObj", "WordDocument", "1Table", "\x05SummaryInformation"])


def xls_bytes() -> bytes:
    return ole2_bytes(["Workbook", "\x05SummaryInformation"])


class CountingReader(io.BytesIO):
    """A BytesIO that counts the bytes handed out, to prove detection reads little."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer) -> int:  # zipfile may use it
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


# --- detection ----------------------------------------------------------------------------------

ACCEPTED_SAMPLES = [
    pytest.param(pdf_bytes, FileKind.PDF, id="pdf"),
    pytest.param(lambda: image_bytes("PNG"), FileKind.PNG, id="png"),
    pytest.param(lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 8, FileKind.PNG, id="png-header-only"),
    pytest.param(lambda: image_bytes("JPEG"), FileKind.JPEG, id="jpeg"),
    pytest.param(lambda: image_bytes("GIF"), FileKind.GIF, id="gif"),
    pytest.param(lambda: b"GIF87a" + b"\0" * 10, FileKind.GIF, id="gif87a"),
    pytest.param(lambda: image_bytes("WEBP"), FileKind.WEBP, id="webp"),
    pytest.param(doc_bytes, FileKind.DOC, id="doc"),
    pytest.param(xls_bytes, FileKind.XLS, id="xls"),
    pytest.param(lambda: ole2_bytes(["Book"]), FileKind.XLS, id="xls-excel5-book"),
    pytest.param(
        lambda: ole2_bytes(["a", "b", "c", "d", "e", "WordDocument"]), FileKind.DOC, id="doc-second-directory-sector"
    ),
    pytest.param(lambda: ole2_bytes(["WordDocument"], sector_shift=12), FileKind.DOC, id="doc-4096-byte-sectors"),
    pytest.param(docx_bytes, FileKind.DOCX, id="docx"),
    pytest.param(xlsx_bytes, FileKind.XLSX, id="xlsx-openpyxl"),
    pytest.param(
        lambda: zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}),
        FileKind.XLSX,
        id="xlsx-minimal",
    ),
]

REFUSED_SAMPLES = [
    pytest.param(lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200, id="windows-exe"),
    pytest.param(lambda: b"\x7fELF\x02\x01\x01" + b"\0" * 100, id="elf"),
    pytest.param(lambda: b"#!/bin/sh\nrm -rf /\n", id="shell-script"),
    pytest.param(lambda: "这是一个纯文本文件，不是 PDF。\n".encode(), id="plain-text"),
    pytest.param(lambda: b"<html><body>%PDF-1.4</body></html>", id="html-mentioning-pdf"),
    pytest.param(lambda: b"", id="empty"),
    pytest.param(lambda: b"%PD", id="truncated-magic"),
    pytest.param(lambda: zip_bytes({"a.txt": b"hello", "b/c.bin": os.urandom(64)}), id="zip-random-entries"),
    pytest.param(lambda: zip_bytes({"word/document.xml": b"<w:document/>"}), id="zip-without-content-types"),
    pytest.param(lambda: zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"}), id="pptx"),
    pytest.param(lambda: b"PK\x03\x04" + b"\0" * 60, id="broken-zip"),
    pytest.param(lambda: ole2_bytes(["PowerPoint Document", "Current User"]), id="ole2-powerpoint"),
    pytest.param(lambda: ole2_bytes([]), id="ole2-without-streams"),
    pytest.param(lambda: doc_bytes()[:600], id="ole2-truncated"),
    pytest.param(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, id="ole2-header-only"),
    pytest.param(lambda: b"RIFF\x10\x00\x00\x00WAVEfmt ", id="riff-wave"),
]


@pytest.mark.parametrize(("make", "kind"), ACCEPTED_SAMPLES)
def test_it_detects_each_kind_by_content(make, kind):
    assert detect_file_kind(io.BytesIO(make())) is kind


@pytest.mark.parametrize("make", REFUSED_SAMPLES)
def test_it_detects_nothing_in_other_content(make):
    assert detect_file_kind(io.BytesIO(make())) is None


@pytest.mark.parametrize("make", [*(p.values[0] for p in ACCEPTED_SAMPLES), *(p.values[0] for p in REFUSED_SAMPLES)])
def test_detection_restores_the_position(make):
    data = make()
    file = io.BytesIO(data)
    file.seek(min(5, len(data)))
    detect_file_kind(file)
    assert file.tell() == min(5, len(data))


def test_detection_reads_from_the_start_whatever_the_position():
    file = io.BytesIO(pdf_bytes())
    file.read()  # at the end, as after Django has written the upload to disk
    assert detect_file_kind(file) is FileKind.PDF


@pytest.mark.parametrize(
    ("data", "limit"),
    [
        pytest.param(pdf_bytes() + b"\0" * (4 * MB), 64, id="pdf"),
        pytest.param(b"MZ" + b"\0" * (4 * MB), 64, id="exe"),
        pytest.param(docx_bytes({"word/media/big.bin": os.urandom(2 * MB)}), 64 * 1024, id="docx"),
        pytest.param(ole2_bytes(["WordDocument"], padding=4 * MB), 4 * 1024, id="doc"),
    ],
)
def test_detection_reads_only_what_it_needs(data, limit):
    file = CountingReader(data)
    detect_file_kind(file)
    assert file.bytes_read <= limit


def test_a_real_file_on_disk_is_detected(tmp_path):
    path = tmp_path / "报告.xlsx"
    path.write_bytes(xlsx_bytes())
    with path.open("rb") as file:
        assert detect_file_kind(file) is FileKind.XLSX


@pytest.mark.parametrize(
    ("kind", "value", "label", "mime_type", "extension"),
    [
        (FileKind.PDF, "pdf", "PDF 文档", "application/pdf", "pdf"),
        (FileKind.PNG, "png", "PNG 图片", "image/png", "png"),
        (FileKind.JPEG, "jpeg", "JPEG 图片", "image/jpeg", "jpg"),
        (FileKind.GIF, "gif", "GIF 图片", "image/gif", "gif"),
        (FileKind.WEBP, "webp", "WebP 图片", "image/webp", "webp"),
        (FileKind.DOC, "doc", "Word 文档（.doc）", "application/msword", "doc"),
        (FileKind.XLS, "xls", "Excel 表格（.xls）", "application/vnd.ms-excel", "xls"),
        (
            FileKind.DOCX,
            "docx",
            "Word 文档（.docx）",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            FileKind.XLSX,
            "xlsx",
            "Excel 表格（.xlsx）",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    ],
)
def test_every_kind_has_a_label_mime_type_and_extension(kind, value, label, mime_type, extension):
    assert kind.value == value == str(kind) and FileKind(value) is kind and kind == value
    assert str(kind.label) == label
    assert kind.mime_type == mime_type
    assert kind.extension == extension
    assert kind in ALLOWED_KINDS


def test_all_kinds_are_allowed_and_images_are_flagged():
    assert ALLOWED_KINDS == set(FileKind)
    assert {k for k in FileKind if k.is_image} == {FileKind.PNG, FileKind.JPEG, FileKind.GIF, FileKind.WEBP}


# --- validate_upload ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("起诉状.pdf", pdf_bytes, FileKind.PDF),
        ("photo.png", lambda: image_bytes("PNG"), FileKind.PNG),
        ("photo.JPG", lambda: image_bytes("JPEG"), FileKind.JPEG),
        ("anim.gif", lambda: image_bytes("GIF"), FileKind.GIF),
        ("pic.webp", lambda: image_bytes("WEBP"), FileKind.WEBP),
        ("old.doc", doc_bytes, FileKind.DOC),
        ("old.xls", xls_bytes, FileKind.XLS),
        ("函.docx", docx_bytes, FileKind.DOCX),
        ("台账.xlsx", xlsx_bytes, FileKind.XLSX),
        ("scan.pdf", lambda: image_bytes("PNG"), FileKind.PNG),  # the content decides, not the name
        ("no-extension", pdf_bytes, FileKind.PDF),
    ],
)
def test_it_accepts_allowed_uploads(name, make, kind):
    upload = SimpleUploadedFile(name, make(), content_type="application/octet-stream")
    assert validate_upload(upload, max_bytes=20 * MB) is kind
    assert upload.tell() == 0


def test_it_accepts_a_file_of_exactly_the_maximum_size():
    data = pdf_bytes()
    assert validate_upload(SimpleUploadedFile("a.pdf", data), max_bytes=len(data)) is FileKind.PDF


TYPE_MESSAGE = "仅支持 PDF、图片（PNG/JPEG/GIF/WEBP）、Word 和 Excel 文件；“{}”的内容不是这些类型之一"


@pytest.mark.parametrize(
    ("name", "make", "message", "code"),
    [
        ("evil.pdf", lambda: b"MZ\x90\x00" + b"\0" * 500, TYPE_MESSAGE.format("evil.pdf"), "file_type"),
        (
            "x.docx",
            lambda: zip_bytes({"a.txt": b"a", "random/entry.bin": os.urandom(32)}),
            TYPE_MESSAGE.format("x.docx"),
            "file_type",
        ),
        ("a.pdf", lambda: b"just some text, no PDF here\n", TYPE_MESSAGE.format("a.pdf"), "file_type"),
        ("run.png", lambda: b"\x7fELF" + b"\0" * 60, TYPE_MESSAGE.format("run.png"), "file_type"),
        ("slides.doc", lambda: ole2_bytes(["PowerPoint Document"]), TYPE_MESSAGE.format("slides.doc"), "file_type"),
        ("empty.pdf", lambda: b"", "文件“empty.pdf”是空文件", "file_empty"),
        (
            "big.pdf",
            lambda: pdf_bytes() + b"\0" * (2 * MB),
            "“big.pdf”文件过大：最大 1 MB，该文件 2 MB",
            "file_too_large",
        ),
        ("big.exe", lambda: b"MZ" + b"\0" * (2 * MB), "“big.exe”文件过大：最大 1 MB，该文件 2 MB", "file_too_large"),
    ],
)
def test_it_refuses_bad_uploads_naming_the_file(name, make, message, code):
    upload = SimpleUploadedFile(name, make())
    with pytest.raises(ValidationError) as raised:
        validate_upload(upload, max_bytes=1 * MB)
    assert raised.value.messages == [message]
    assert raised.value.code == code


class Sized(io.BytesIO):
    """Django's UploadedFile reports .size; the validator must trust it and not read 31 MB."""

    def __init__(self, data: bytes, *, name: str, size: int) -> None:
        super().__init__(data)
        self.name, self.size = name, size


@pytest.mark.parametrize(
    ("size", "max_bytes", "message"),
    [
        (32_715_571, 20 * MB, "“big.pdf”文件过大：最大 20 MB，该文件 31.2 MB"),
        (20 * MB + 1, 20 * MB, "“big.pdf”文件过大：最大 20971520 B，该文件 20971521 B"),  # one byte over
        (21 * MB, 20 * MB, "“big.pdf”文件过大：最大 20 MB，该文件 21 MB"),
        (2048, 1000, "“big.pdf”文件过大：最大 1000 B，该文件 2 KB"),
        (3 * 1024**3, 2 * 1024**3, "“big.pdf”文件过大：最大 2 GB，该文件 3 GB"),
    ],
)
def test_the_size_message_shows_both_sizes(size, max_bytes, message):
    with pytest.raises(ValidationError) as raised:
        validate_upload(Sized(pdf_bytes(), name="big.pdf", size=size), max_bytes=max_bytes)
    assert raised.value.messages == [message]


def test_the_size_message_tells_near_sizes_apart():
    with pytest.raises(ValidationError) as raised:
        validate_upload(Sized(pdf_bytes(), name="big.pdf", size=int(20.04 * MB)), max_bytes=20 * MB)
    assert raised.value.messages == ["“big.pdf”文件过大：最大 20 MB，该文件 20.04 MB"]


def test_a_file_without_size_is_measured_and_named_by_its_basename(tmp_path):
    path = tmp_path / "evil.pdf"
    path.write_bytes(b"MZ" + b"\0" * 100)
    with path.open("rb") as file:
        file.seek(3)
        with pytest.raises(ValidationError) as raised:
            validate_upload(file, max_bytes=MB)
        assert file.tell() == 3
    assert raised.value.messages == [TYPE_MESSAGE.format("evil.pdf")]
    big = tmp_path / "big.pdf"
    big.write_bytes(pdf_bytes() + b"\0" * 2048)
    with big.open("rb") as file, pytest.raises(ValidationError) as raised:
        validate_upload(file, max_bytes=1024)
    assert raised.value.code == "file_too_large"


def test_a_nameless_file_is_called_unnamed():
    with pytest.raises(ValidationError) as raised:
        validate_upload(io.BytesIO(b"plain text"), max_bytes=MB)
    assert raised.value.messages == [TYPE_MESSAGE.format("未命名文件")]


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (1, "1 B"),
        (1023, "1023 B"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (MB, "1 MB"),
        (20 * MB, "20 MB"),
        (32_715_571, "31.2 MB"),
        (1024**3, "1 GB"),
    ],
)
def test_it_formats_sizes_for_people(size, text):
    assert format_size(size) == text


# --- sha256_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 300_000])
def test_it_hashes_the_whole_file_and_restores_the_position(size):
    data = os.urandom(size)
    file = io.BytesIO(data)
    file.seek(size // 2)
    assert sha256_of(file) == hashlib.sha256(data).hexdigest()
    assert file.tell() == size // 2


def test_it_hashes_an_upload_in_chunks():
    data = os.urandom(200_000)
    file = CountingReader(data)
    reads = []
    original = file.read
    file.read = lambda size=-1: reads.append(size) or original(size)  # type: ignore[method-assign]
    assert sha256_of(file) == hashlib.sha256(data).hexdigest()
    assert all(0 < size <= 64 * 1024 for size in reads)
    upload = SimpleUploadedFile("a.pdf", data)
    assert sha256_of(upload) == hashlib.sha256(data).hexdigest()
