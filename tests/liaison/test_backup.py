"""Backup → restore into a second database and storage → the audit chain verifies → every file downloads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from liaison import attachments
from liaison.models import Attachment, AuditEvent

from ..cases.conftest import cast  # noqa: F401 - the complaint fixture
from ..cases.test_pages import PDF_BYTES, pdf_upload
from .s3 import new_bucket, s3_endpoint  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[2]

# Runs in the restored portal: every attachment downloads, as its uploader, with its checksum.
DOWNLOAD_ALL = """
import hashlib, json, django
django.setup()
from django.test import Client
from liaison.models import Attachment
results = []
for attachment in Attachment.objects.select_related("uploaded_by"):
    client = Client()
    client.force_login(attachment.uploaded_by)
    response = client.get(f"/attachments/{attachment.pk}/")
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    results.append([attachment.pk, response.status_code, hashlib.sha256(body).hexdigest() == attachment.sha256])
print(json.dumps(results))
"""


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def second_database(postgres):
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    yield f"postgres://{config['USER'] or 'postgres'}{password}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_it_backs_up_and_restores_database_files_and_audit_into_a_second_portal(
    backend, cast, second_database, s3_endpoint, settings, tmp_path
):  # noqa: F811
    env = {key: value for key, value in os.environ.items() if not key.startswith(("S3_", "STORAGE_", "DATABASE_"))}
    if backend == "s3":
        source, target = new_bucket(s3_endpoint), new_bucket(s3_endpoint)
        settings.STORAGES = source.storages()
        env.update(target.env())
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
        env["MEDIA_ROOT"] = str(tmp_path / "restored-media")
    env.update(DATABASE_URL=second_database, LIAISON_VAR_DIR=str(tmp_path / "var"))

    complaint = cast.file()
    for name in ("起诉状.pdf", "证据一.pdf", "证据二.pdf"):
        attachments.attachment_add(target=complaint, upload=pdf_upload(name), actor=cast.staff)
    events = AuditEvent.objects.count()
    assert events > 3

    call_command("backup", output_dir=str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("liaison-backup-*.tar")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = set(tar.getnames())
    stored = sorted(Attachment.objects.values_list("file", flat=True))
    assert [entry["name"] for entry in manifest["objects"]] == stored
    assert {"database.dump", *(f"objects/{name}" for name in stored)} <= members
    if "audit_checkpoint" in get_commands():
        assert "audit-checkpoint.json" in members
    else:
        assert manifest["notes"] and "audit_checkpoint" in manifest["notes"][0]

    restored = manage(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "3 个文件" in restored.stdout

    verified = manage(env, "verify_audit_chain")
    assert verified.returncode == 0, verified.stderr[-3000:]
    assert f"共校验 {events} 条记录" in verified.stdout

    downloads = subprocess.run(
        [sys.executable, "-c", DOWNLOAD_ALL], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert downloads.returncode == 0, downloads.stderr[-3000:]
    results = json.loads(downloads.stdout.strip().splitlines()[-1])
    assert sorted(pk for pk, _, _ in results) == sorted(Attachment.objects.values_list("pk", flat=True))
    assert all(status == 200 and matches for _, status, matches in results), results
    if backend == "s3":
        assert target.keys() == stored
        body = target.client().get_object(Bucket=target.bucket, Key=stored[0])["Body"].read()
        assert body == PDF_BYTES

    # The target now holds a portal: a second restore is refused unless forced.
    again = manage(env, "restore", str(archive))
    assert again.returncode != 0 and "not empty" in again.stderr
    forced = manage(env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr[-3000:]
