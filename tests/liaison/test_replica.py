"""The read replica: opted-in views read it; writes, transactions and a user's own recent writes use the primary.

A second PostgreSQL database stands in for the replica. It is "replicated" by copying the primary
with pg_dump at chosen moments, so the test controls the lag and can see which database answered.
"""

from __future__ import annotations

import copy
import io
import subprocess
import uuid

import openpyxl
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from cases.models import Complaint
from liaison.backup import postgres_command
from liaison.replica import PIN_COOKIE, ReplicaRouter, pinned_to_primary, read_alias, use_replica

from ..cases.conftest import cast  # noqa: F401 - the complaint fixture
from ..conftest import login


def test_without_a_replica_everything_reads_the_primary():
    assert "replica" not in settings.DATABASES
    with use_replica():
        assert read_alias() == DEFAULT_DB_ALIAS
    assert ReplicaRouter().allow_migrate("replica", "cases") is False


class Replica:
    """The stand-in replica database and the means to bring it up to date with the primary."""

    def __init__(self, name: str) -> None:
        self.name = name
        primary = connection.settings_dict
        self.args, self.env = postgres_command(primary)
        self.primary_name = primary["NAME"]

    def replicate(self) -> None:
        connections["replica"].close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{self.name}"')
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", *self.args, self.primary_name],
            env=self.env,
            capture_output=True,
            check=True,
        )
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", *self.args, "-d", self.name],
            input=dump.stdout,
            env=self.env,
            capture_output=True,
            check=True,
        )
        # Connect here: the test case only lets already open connections to an alias it did not
        # declare be used (the alias is added by the fixture, after the test case was set up).
        connections["replica"].connect()

    def count(self) -> int:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_complaint")
            return cursor.fetchone()[0]


@pytest.fixture
def replica(postgres):
    name = f"{connection.settings_dict['NAME']}_replica_{uuid.uuid4().hex[:6]}"
    config = copy.deepcopy(connection.settings_dict)
    config["NAME"] = name
    settings.DATABASES["replica"] = config  # the same dict the connection handler reads
    stand_in = Replica(name)
    try:
        yield stand_in
    finally:
        connections["replica"].close()
        del settings.DATABASES["replica"]
        try:
            delattr(connections._connections, "replica")
        except AttributeError:
            pass
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def exported_titles(client) -> list[str]:
    response = client.get("/cases/complaints/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return sorted(
        cell
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str) and cell.startswith("复制测试")
    )


def test_an_opted_in_view_reads_the_replica_and_my_own_change_shows_at_once(replica, cast, client):  # noqa: F811
    cast.file(title="复制测试一")
    replica.replicate()
    cast.file(title="复制测试二")  # written on the primary after the copy: the replica lags
    login(client, cast.staff)

    assert exported_titles(client) == ["复制测试一"]  # the export reads the replica
    assert "复制测试二" in client.get("/cases/complaints/").content.decode()  # the list page: primary

    # The user's own write pins their reads to the primary: the change shows at once.
    response = client.post("/notifications/read/", {})
    assert response.status_code == 302 and PIN_COOKIE in response.cookies
    assert exported_titles(client) == ["复制测试一", "复制测试二"]

    # Once the pin has expired, the replica answers again (and has caught up).
    client.cookies[PIN_COOKIE] = "0"
    assert exported_titles(client) == ["复制测试一"]
    replica.replicate()
    assert exported_titles(client) == ["复制测试一", "复制测试二"]


def test_the_dashboard_figures_api_reads_the_replica(replica, cast, client):  # noqa: F811
    replica.replicate()
    cast.to_review(title="复制测试三")
    login(client, cast.court_leader)
    with pytest.MonkeyPatch.context() as patch:
        seen = []
        original = connections["replica"].cursor

        def spy(*args, **kwargs):
            seen.append(True)
            return original(*args, **kwargs)

        patch.setattr(connections["replica"], "cursor", spy)
        assert client.get("/api/v1/figures/complaints/").status_code == 200
        assert client.get("/cases/dashboard/").status_code == 200
    assert seen, "the figures were not read from the replica"


def test_reads_in_a_transaction_and_all_writes_go_to_the_primary(replica, cast):  # noqa: F811
    cast.file(title="复制测试四")
    replica.replicate()
    with use_replica():
        created = cast.file(title="复制测试五")  # a write inside use_replica()
        assert Complaint.objects.count() == 1  # outside a transaction: the replica
        with transaction.atomic():
            assert Complaint.objects.count() == 2  # inside one: the primary
        with pinned_to_primary():
            assert Complaint.objects.filter(pk=created.pk).exists()
    assert replica.count() == 1
    assert Complaint.objects.count() == 2  # no use_replica(): the primary
