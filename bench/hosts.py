"""What running on several hosts costs: a /metrics scrape, a backup and a restore, with their sizes.

    .venv/bin/python bench/hosts.py [--database-url postgres://…/liaison_bench_hosts] [--files 300]
        [--notifications 20000] [--s3]

Fills its own PostgreSQL database with the demo data, `--files` attachments of 200 KB and
`--notifications` pending notifications, then prints the median time of a /metrics scrape (and its
queries), the time and size of `backup`, and the time of `restore` into a second, empty database
and storage. `--s3` keeps the files in a bucket of a local S3 server (moto) instead of a folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench_hosts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_HOSTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--notifications", type=int, default=20000)
    parser.add_argument("--s3", action="store_true")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="liaison-bench-hosts-"))
    storage_env: dict[str, str] = {}
    target_storage_env: dict[str, str] = {}
    if options.s3:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        base = {
            "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT_URL": f"http://{host}:{port}",
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "bench",
            "S3_SECRET_ACCESS_KEY": "bench",
        }
        storage_env = {**base, "S3_BUCKET": "bench-source"}
        target_storage_env = {**base, "S3_BUCKET": "bench-target"}
    else:
        storage_env = {"MEDIA_ROOT": str(work / "media")}
        target_storage_env = {"MEDIA_ROOT": str(work / "restored-media")}
    os.environ.update(storage_env)
    os.environ["METRICS_TOKEN"] = "bench-token"
    harness.setup(options.database_url)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the S3 server's access log

    import boto3
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from liaison.choices import EmailState
    from liaison.models import Attachment, Notification

    if options.s3:
        client = boto3.client(
            "s3",
            endpoint_url=storage_env["S3_ENDPOINT_URL"],
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            region_name="us-east-1",
        )
        for bucket in ("bench-source", "bench-target"):
            client.create_bucket(Bucket=bucket)

    world = harness.demo_world()
    user = world.users["fed_staff"]
    Attachment.objects.all().delete()
    Notification.objects.filter(title="基准提醒").delete()
    content_type = ContentType.objects.get_for_model(world.mechanism)
    payload = b"%PDF-1.4\n" + os.urandom(200 * 1024)
    started = time.perf_counter()
    for number in range(options.files):
        name = default_storage.save(f"attachments/bench/{number:05d}.pdf", ContentFile(payload))
        Attachment.objects.create(
            content_type=content_type,
            object_id=str(world.mechanism.pk),
            file=name,
            original_name=f"基准{number}.pdf",
            kind="pdf",
            size=len(payload),
            sha256="0" * 64,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )
    print(f"stored {options.files} files of 200 KB in {time.perf_counter() - started:.1f} s", flush=True)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind="due_soon", title="基准提醒", body="基准提醒", email_state=EmailState.PENDING
            )
            for _ in range(options.notifications)
        ],
        batch_size=5000,
    )

    scraper = Client()
    harness.measure(
        f"/metrics, {options.notifications} pending notifications",
        lambda: scraper.get("/metrics", HTTP_AUTHORIZATION="Bearer bench-token"),
        5,
    )
    harness.measure("/health/ready/", lambda: scraper.get("/health/ready/"), 5)

    began = time.perf_counter()
    call_command("backup", output_dir=str(work / "backups"), verbosity=0)
    [archive] = (work / "backups").glob("liaison-backup-*.tar")
    print(
        f"backup: {time.perf_counter() - began:.1f} s, archive {archive.stat().st_size / 1024 / 1024:.1f} MB",
        flush=True,
    )

    target_name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    target_url = options.database_url.rsplit("/", 1)[0] + f"/{target_name}"
    env = {**os.environ, **target_storage_env, "DATABASE_URL": target_url}
    for key in storage_env:
        if key not in target_storage_env:
            env.pop(key, None)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=harness.ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    print(
        f"restore into an empty database and storage: {time.perf_counter() - began:.1f} s "
        f"(includes starting Django, about 2 s)",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
