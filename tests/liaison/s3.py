"""A local S3-compatible server (moto's server mode) for the object-storage tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from liaison.settings import s3_storage_options

ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "us-east-1"


@dataclass
class S3:
    endpoint: str
    bucket: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def env(self) -> dict[str, str]:
        """The variables that select this bucket in a subprocess (as in .env.example)."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": self.bucket,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }

    def storages(self) -> dict:
        options = s3_storage_options(self.bucket)
        options.update(endpoint_url=self.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region_name=REGION)
        return {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint: str) -> S3:
    s3 = S3(endpoint=endpoint, bucket=f"liaison-{uuid.uuid4().hex[:12]}")
    s3.client().create_bucket(Bucket=s3.bucket)
    return s3


@pytest.fixture
def s3(s3_endpoint, settings) -> S3:
    """A fresh private bucket, made the portal's default storage for this test."""
    bucket = new_bucket(s3_endpoint)
    settings.STORAGES = bucket.storages()
    return bucket
