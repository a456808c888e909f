"""Internationalisation: Chinese by default, English on request, and a complete English catalog.

Source strings (msgids) are Simplified Chinese, so the only catalog is
locale/en/LC_MESSAGES/django.po, compiled to django.mo (committed, so machines without gettext
still get English).
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from ..conftest import login

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")  # %(name)s, and {name} of format_html
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


# --- the .po file, parsed by hand (polib is not a dependency) -----------------------------------


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def _unquote(token: str) -> str:
    return ast.literal_eval(token)  # a PO string literal is a valid Python string literal


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None  # which field a continuation line extends

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr or entry.msgctxt is not None):
            entries.append(entry)
        entry, target = None, None

    def append(name: str, index: int | None, text: str) -> None:
        if name == "msgstr":
            entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif line.startswith("#"):
            if entry is not None and target is not None:  # a comment after msgstr starts a new entry
                finish()
            entry = entry or Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if entry is None or (target and target[0] == "msgstr" and line.startswith(("msgid ", "msgctxt "))):
            finish()
            entry = Entry(line=number)
        entry.obsolete = entry.obsolete or obsolete
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if match:
            name, index = match.group(1), match.group(2)
            target = (name, int(index) if index is not None else None)
            if name == "msgstr":
                entry.msgstr.setdefault(target[1] or 0, "")
            elif name in ("msgctxt", "msgid_plural"):
                setattr(entry, name, "")
            append(name, target[1], _unquote(match.group(3)))
        elif line.startswith('"') and target is not None:
            append(target[0], target[1], _unquote(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_FILE.exists(), "run makemessages -l en and translate"
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    """The real messages: no header, no obsolete (#~) entries."""
    return [e for e in po_entries if e.msgid and not e.obsolete]


# --- pages --------------------------------------------------------------------------------------


def _switch_language(client, code: str, next_url: str = "/accounts/login/"):
    response = client.post("/i18n/setlang/", {"language": code, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    return response


@pytest.mark.django_db
def test_the_login_page_is_chinese_by_default(client):
    text = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-CN">' in text
    assert "登录" in text and "沟通联系机制平台" in text and "用户名" in text
    assert "Log in" not in text and "Liaison Mechanism Platform" not in text


@pytest.mark.django_db
def test_switching_to_english_translates_the_login_page(client):
    _switch_language(client, "en")
    text = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in text
    for english in (
        "Log in to the Liaison Mechanism Platform",
        "Liaison Mechanism Platform",
        "Username",
        "Password",
        "Log in",
    ):
        assert english in text, english
    for chinese in ("沟通联系机制平台", "登录", "用户名", "密码"):
        assert chinese not in text, chinese


def test_switching_to_english_translates_the_home_page(world, client):
    _switch_language(client, "en", next_url="/")
    response = login(client, world.alice).get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="en">' in text
    for english in (
        "Workbench",
        "Liaison Mechanism Platform",
        "Liaison mechanisms",
        "Deadlines",
        "Working-day calendar",
        "My deadlines",
        "Latest notifications",
        "My liaison mechanisms",
        "Hello, ",
        "Log out",
        "Federation staff",
    ):
        assert english in text, english
    for chinese in ("工作台", "沟通联系机制平台", "我的待办时限", "最新通知", "退出登录", "您好"):
        assert chinese not in text, chinese
    # Data is not translated: the mechanism keeps its real name.
    assert world.mechanism.name in text


def test_switching_back_restores_chinese(world, client):
    _switch_language(client, "en", next_url="/")
    _switch_language(client, "zh-hans", next_url="/")
    text = login(client, world.alice).get("/").content.decode()
    assert '<html lang="zh-CN">' in text
    assert "工作台" in text and "沟通联系机制平台" in text
    assert "Workbench" not in text


# --- the catalog --------------------------------------------------------------------------------


def test_the_catalog_has_messages(messages):
    assert len(messages) >= 150


def test_no_entry_is_fuzzy(po_entries):
    fuzzy = [e.msgid or "(header)" for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries are ignored when compiling: {fuzzy}"


def test_every_message_is_translated(messages):
    untranslated = []
    for e in messages:
        forms = e.msgstr.values() if e.msgid_plural is None else [e.msgstr.get(i, "") for i in range(2)]
        if not all(text.strip() for text in forms) or not e.msgstr:
            untranslated.append(f"line {e.line}: {e.msgid}")
    assert not untranslated, "\n".join(untranslated)


def test_translations_keep_the_placeholders(messages):
    wrong = []
    for e in messages:
        for index, text in e.msgstr.items():
            source = e.msgid if (e.msgid_plural is None or index == 0) else e.msgid_plural
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(f"line {e.line}: {e.msgid!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_english_is_not_chinese(messages):
    """Chinese in a translation is allowed only as quoted data copied from the source (e.g. a sample
    case number such as （2021）豫03民初123号); anything else is a string left untranslated."""
    leftover = []
    for e in messages:
        for text in e.msgstr.values():
            stray = [run for run in CJK_RUN.findall(text) if run not in e.msgid]
            if stray:
                leftover.append(f"line {e.line}: {e.msgid!r} -> {text!r} ({stray})")
    assert not leftover, "\n".join(leftover)


def test_the_compiled_catalog_matches_the_po_file(messages):
    assert MO_FILE.exists(), "run compilemessages"
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            if catalog.get(e.key) != e.msgstr[0]:
                stale.append(e.msgid)
        elif any(catalog.get((e.key, i)) != text for i, text in e.msgstr.items()):
            stale.append(e.msgid)
    assert not stale, f"django.mo is out of date with django.po (run compilemessages): {stale}"


def test_every_source_string_is_in_the_catalog(tmp_path, settings, monkeypatch):
    """makemessages over the source, into a copy of the catalog, adds nothing: a new or changed msgid
    would come out empty or fuzzy (both print as Chinese in the English interface). It runs in a
    folder of links to the source, so the real catalog is never written."""
    import shutil

    from django.core.management import call_command

    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (Debian: apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    for child in base.iterdir():
        if child.name not in {"locale", "tests", "bench", "var", ".venv", ".git"} and not child.name.startswith("."):
            (tmp_path / child.name).symlink_to(child)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO_FILE, copy / "django.po")
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_obsolete=True, symlinks=True, verbosity=0)
    regenerated = parse_po(copy / "django.po")
    assert len(regenerated) >= 0.9 * len(parse_po(PO_FILE))  # the source was read
    missing = [
        e.msgid
        for e in regenerated
        if e.msgid and ("fuzzy" in e.flags or not any(s.strip() for s in e.msgstr.values()))
    ]
    assert not missing, "source strings without an English entry:\n" + "\n".join(missing)
