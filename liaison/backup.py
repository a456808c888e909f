"""One dated archive holds everything needed to bring the portal back: database, files, audit anchor.

``liaison-backup-YYYYmmdd-HHMMSS.tar`` contains

* ``manifest.json``: when, from which database engine, every stored file with its size and SHA-256;
* ``database.dump`` (``pg_dump`` custom format) or ``database.sqlite3`` (SQLite's online backup);
* ``objects/<name>``: every file of the storage (local folder or bucket) under its stored name;
* ``audit-checkpoint.json``: the signed audit-chain checkpoint, when the ``audit_checkpoint``
  command is installed, so a restored database can be checked against a head it cannot rewrite.

A restore goes into an empty database and an empty storage only (``force`` to overwrite), so a
mistyped target never mixes two portals' data.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command, get_commands
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from .storage import iter_names

if TYPE_CHECKING:
    from _typeshed import SupportsRead

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKPOINT = "audit-checkpoint.json"
OBJECTS = "objects/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, for the operator."""


@dataclass
class RestoreResult:
    database: str
    objects: int
    checkpoint: Path | None = None
    notes: list[str] = field(default_factory=list)


def postgres_command(config: dict) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore / psql from a Django database config."""
    args = ["-h", config.get("HOST") or "127.0.0.1", "-p", str(config.get("PORT") or 5432)]
    if config.get("USER"):
        args += ["-U", config["USER"]]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    sslmode = (config.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(alias: str, folder: Path) -> str:
    config = connections[alias].settings_dict
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        target = folder / "database.dump"
        args, env = postgres_command(config)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "--file",
                str(target),
                config["NAME"],
            ],
            env,
        )
        return target.name
    if vendor == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(config["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # a consistent copy even while the portal writes
        finally:
            copy.close()
            source.close()
        return target.name
    raise BackupError(f"no backup method for the {vendor} database engine")


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    """A file of the archive (every member the backup writes is a regular file, never None)."""
    return cast(IO[bytes], tar.extractfile(name))


def _sha256(handle: SupportsRead[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def create_backup(
    output_dir: Path, *, alias: str = DEFAULT_DB_ALIAS, storage: Storage = default_storage
) -> tuple[Path, list[str]]:
    """Write the dated archive into ``output_dir``; returns its path and notes for the operator."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"liaison-backup-{stamp}.tar"
    notes: list[str] = []
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        folder = Path(work)
        database_file = _dump_database(alias, folder)
        checkpoint = None
        if "audit_checkpoint" in get_commands():
            call_command("audit_checkpoint", "--output", str(folder / CHECKPOINT))
            checkpoint = CHECKPOINT
        else:
            notes.append("audit_checkpoint command not installed: the archive has no audit checkpoint")
        partial = folder / "archive.tar"
        objects = []
        with tarfile.open(partial, "w") as tar:
            tar.add(folder / database_file, arcname=database_file)
            if checkpoint:
                tar.add(folder / checkpoint, arcname=checkpoint)
            for name in sorted(iter_names(storage)):
                with storage.open(name, "rb") as handle:
                    sha256, size = _sha256(handle)
                    handle.seek(0)
                    info = tarfile.TarInfo(OBJECTS + name)
                    info.size = size
                    tar.addfile(info, handle)
                objects.append({"name": name, "size": size, "sha256": sha256})
            manifest = json.dumps(
                {
                    "format": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database": {"vendor": connections[alias].vendor, "file": database_file},
                    "objects": objects,
                    "audit_checkpoint": checkpoint,
                    "notes": notes,
                },
                ensure_ascii=False,
                indent=1,
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            tar.addfile(info, io.BytesIO(manifest))
        os.replace(partial, archive)  # the archive appears whole or not at all
    return archive, notes


def database_is_empty(alias: str = DEFAULT_DB_ALIAS) -> bool:
    with connections[alias].cursor() as cursor:
        return not connections[alias].introspection.table_names(cursor)


def storage_is_empty(storage: Storage = default_storage) -> bool:
    return next(iter_names(storage), None) is None


def _restore_database(tar: tarfile.TarFile, manifest: dict, alias: str, folder: Path, force: bool) -> None:
    vendor = manifest["database"]["vendor"]
    connection = connections[alias]
    if vendor != connection.vendor:
        raise BackupError(f"the archive holds a {vendor} database; the target is {connection.vendor}")
    tar.extract(manifest["database"]["file"], folder, filter="data")
    dump = folder / manifest["database"]["file"]
    config = connection.settings_dict
    connection.close()
    if vendor == "postgresql":
        args, env = postgres_command(config)
        clean = ["--clean", "--if-exists"] if force else []
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *clean,
                *args,
                "-d",
                config["NAME"],
                str(dump),
            ],
            env,
        )
    else:
        shutil.copyfile(dump, config["NAME"])


def restore_backup(
    archive: Path,
    *,
    force: bool = False,
    alias: str = DEFAULT_DB_ALIAS,
    storage: Storage = default_storage,
    checkpoint_dir: Path | None = None,
) -> RestoreResult:
    """Restore an archive of ``create_backup`` into the configured database and storage."""
    if not archive.is_file():
        raise BackupError(f"no such archive: {archive}")
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory(prefix="liaison-restore-") as work:
        try:
            manifest = json.load(_member(tar, MANIFEST))
        except KeyError as error:
            raise BackupError(f"{archive} is not a Liaison backup (no {MANIFEST})") from error
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        if not force:
            if not database_is_empty(alias):
                raise BackupError(
                    "the target database is not empty: restore into a new, empty database, "
                    "or pass --force to overwrite it"
                )
            if not storage_is_empty(storage):
                raise BackupError(
                    "the target file storage is not empty: restore into an empty folder or "
                    "bucket, or pass --force to overwrite it"
                )
        _restore_database(tar, manifest, alias, Path(work), force)
        for entry in manifest["objects"]:
            name = entry["name"]
            handle = _member(tar, OBJECTS + name)
            if _sha256(handle)[0] != entry["sha256"]:
                raise BackupError(f"{name}: the archived file does not match its checksum")
            handle.seek(0)
            if force and storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}")
        result = RestoreResult(
            database=manifest["database"]["file"],
            objects=len(manifest["objects"]),
            notes=list(manifest.get("notes", [])),
        )
        if manifest.get("audit_checkpoint"):
            target = checkpoint_dir or archive.parent
            tar.extract(manifest["audit_checkpoint"], target, filter="data")
            result.checkpoint = target / manifest["audit_checkpoint"]
    return result
