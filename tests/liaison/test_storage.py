"""Attachments in an S3-compatible bucket: stored there, downloaded only through the scoping rule."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.storage import default_storage

from liaison import attachments

from ..cases.conftest import cast  # noqa: F401 - the complaint fixture
from ..cases.test_pages import PDF_BYTES, pdf_upload
from ..conftest import login
from .s3 import s3, s3_endpoint  # noqa: F401 - fixtures


@pytest.fixture
def stored(cast, s3):  # noqa: F811
    complaint = cast.file()
    attachment = attachments.attachment_add(target=complaint, upload=pdf_upload("起诉状.pdf"), actor=cast.staff)
    return attachment


def test_it_stores_the_upload_in_the_bucket_under_a_random_name(stored, s3):  # noqa: F811
    assert s3.keys() == [stored.file.name]
    assert stored.file.name.startswith("attachments/") and stored.file.name.endswith(".pdf")
    assert "起诉状" not in stored.file.name
    body = s3.client().get_object(Bucket=s3.bucket, Key=stored.file.name)["Body"].read()
    assert body == PDF_BYTES


def test_it_streams_the_object_to_a_user_in_scope_and_hides_it_from_others(stored, cast, client, world):
    response = login(client, cast.staff).get(f"/attachments/{stored.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"

    client.logout()
    assert login(client, world.charlie).get(f"/attachments/{stored.pk}/").status_code == 404


def test_a_missing_object_answers_410_with_a_message(stored, cast, client, s3):  # noqa: F811
    s3.client().delete_object(Bucket=s3.bucket, Key=stored.file.name)
    response = login(client, cast.staff).get(f"/attachments/{stored.pk}/")
    assert response.status_code == 410
    text = response.content.decode()
    assert "文件“起诉状.pdf”已不在存储中" in text and "从备份恢复" in text


def test_a_missing_local_file_answers_410_too(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachment = attachments.attachment_add(target=cast.file(), upload=pdf_upload("证据.pdf"), actor=cast.staff)
    default_storage.delete(attachment.file.name)
    assert login(client, cast.staff).get(f"/attachments/{attachment.pk}/").status_code == 410


def test_it_redirects_to_a_short_lived_signed_url_when_so_configured(stored, cast, client, world, settings, s3):  # noqa: F811
    settings.STORAGE_DOWNLOADS = "redirect"
    settings.S3_SIGNED_URL_SECONDS = 45
    response = login(client, cast.staff).get(f"/attachments/{stored.pk}/")
    assert response.status_code == 302
    url = response["Location"]
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["45"] and "X-Amz-Signature" in query
    assert query["response-content-type"] == ["application/pdf"]
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF_BYTES

    # The bucket is not public: the same object without a signature is refused.
    unsigned = f"{s3.endpoint}/{s3.bucket}/{stored.file.name}"
    assert requests.get(unsigned, timeout=10).status_code == 403

    client.logout()
    assert login(client, world.charlie).get(f"/attachments/{stored.pk}/").status_code == 404


def test_the_redirect_mode_also_answers_410_for_a_missing_object(stored, cast, client, settings, s3):  # noqa: F811
    settings.STORAGE_DOWNLOADS = "redirect"
    s3.client().delete_object(Bucket=s3.bucket, Key=stored.file.name)
    assert login(client, cast.staff).get(f"/attachments/{stored.pk}/").status_code == 410
