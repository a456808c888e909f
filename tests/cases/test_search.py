"""Search: the complaint list's `q` over the complaint's text, enterprise, case numbers and the
messages the user may see, and the one search page across the apps, scoped like everything else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Complaint
from meetings.models import Meeting
from reports.models import Report

from ..conftest import login


def found(client, term: str) -> set[str]:
    response = client.get("/api/v1/complaints/", {"q": term})
    assert response.status_code == 200
    return {row["serial"] for row in response.json()["results"]}


@pytest.fixture
def answered(cast) -> Complaint:
    complaint = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已组织双方调解达成分期履行方案")
    services.message_post(actor=cast.clerk, complaint=complaint, body="请补充企业营业执照复印件", internal=False)
    services.message_post(actor=cast.clerk, complaint=complaint, body="承办庭内部意见：拟加快执行进度", internal=True)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def outsider_complaint(world) -> Complaint:
    """A complaint of the other mechanism that uses the same words."""
    enterprise = services.enterprise_register(
        actor=world.charlie,
        mechanism=world.other_mechanism,
        data=services.EnterpriseData(
            name="洛阳某机械制造有限公司",
            credit_code="914403001922038216",
            size="small",
            industry="C",
            contact_person="李经理",
            contact_phone="13812345679",
        ),
    )
    data = services.ComplaintData(
        enterprise=enterprise,
        court=world.other_court,
        kind="case_handling",
        title="合同纠纷案件久拖未结",
        facts="2021年起诉至今未审结。",
        demands="请求依法及时审理。",
        case_numbers=[],
    )
    return services.complaint_create(actor=world.charlie, mechanism=world.other_mechanism, data=data)


@pytest.mark.parametrize(
    "term",
    ["某机械制造", "机械", "起诉至今", "及时审理", "分期履行", "豫03民初123", "营业执照复印件", "91350100M000100Y43"],
)
def test_it_finds_a_complaint_by_each_of_its_texts(client, cast, answered, outsider_complaint, term):
    assert found(login(client, cast.staff), term) == {answered.serial}


def test_it_never_finds_another_organizations_internal_note(client, cast, answered):
    assert found(login(client, cast.staff), "拟加快执行进度") == set()
    assert found(login(client, cast.clerk), "拟加快执行进度") == {answered.serial}


def test_it_never_finds_a_complaint_out_of_scope(client, world, cast, answered, outsider_complaint):
    assert found(login(client, world.charlie), "营业执照复印件") == set()
    assert found(login(client, world.charlie), "机械") == {outsider_complaint.serial}


def test_the_html_list_searches_the_same_way(client, cast, answered, outsider_complaint):
    response = login(client, cast.staff).get("/cases/complaints/", {"q": "分期履行"})
    assert response.status_code == 200 and answered.serial.encode() in response.content
    assert outsider_complaint.serial.encode() not in response.content


@pytest.fixture
def elsewhere(world, cast):
    """A meeting and a published report of each mechanism, all naming the same enterprise."""
    start = timezone.now() + dt.timedelta(days=3)
    rows = {}
    for key, mechanism, organization, author in (
        ("own", world.mechanism, world.court, world.bob),
        ("other", world.other_mechanism, world.other_court, world.charlie),
    ):
        rows[f"meeting_{key}"] = Meeting.objects.create(
            mechanism=mechanism,
            kind="joint",
            title=f"{key}专题协调会：某机械制造公司欠款",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="会议室",
            convenor=organization,
            created_by=author,
        )
        rows[f"report_{key}"] = Report.objects.create(
            mechanism=mechanism,
            author_organization=organization,
            kind="typical_case",
            title=f"{key}典型案例：某机械制造公司",
            body="正文",
            state="published",
            published_at=timezone.now(),
        )
    rows["report_draft"] = Report.objects.create(
        mechanism=world.mechanism,
        author_organization=world.court,
        kind="typical_case",
        title="草稿：某机械制造公司",
        body="正文",
        state="draft",
    )
    return rows


def test_the_search_page_shows_each_app_in_scope_only(client, world, cast, answered, outsider_complaint, elsewhere):
    response = login(client, cast.staff).get("/search/", {"q": "某机械制造"})
    assert response.status_code == 200
    page = response.content.decode()
    assert answered.serial in page and outsider_complaint.serial not in page
    assert elsewhere["meeting_own"].title in page and elsewhere["meeting_other"].title not in page
    assert elsewhere["report_own"].title in page and elsewhere["report_other"].title not in page
    assert elsewhere["report_draft"].title not in page  # the court's draft is not shared yet
    note_search = login(client, cast.staff).get("/search/", {"q": "拟加快执行进度"}).content.decode()
    assert answered.serial not in note_search


def test_the_search_page_runs_a_fixed_number_of_queries(
    client, cast, answered, elsewhere, django_assert_max_num_queries
):
    login(client, cast.staff)
    for _ in range(12):
        cast.file(title="某机械制造公司再次投诉")
    with django_assert_max_num_queries(20) as few:  # session, user, scope ids; two per source at most
        client.get("/search/", {"q": "某机械制造"})
    for _ in range(12):
        cast.file(title="某机械制造公司又一次投诉")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/search/", {"q": "某机械制造"})
    assert response.status_code == 200 and "共 25 条" in response.content.decode()


# --- one- and two-character terms (most Chinese words): the gram index on PostgreSQL -------------


@pytest.fixture(params=["ids", "bitmap", "scan", "planner", "subqueries", "scan-subqueries"])
def search_path(request, monkeypatch) -> str:
    """Each way a term is searched on PostgreSQL: its few matches' ids read first, or (past
    `INLINE_MATCHES`) one condition on the complaint table, read through the gram indexes or, for
    a term in most complaints, by a scan (as the planner chooses); the enterprise, case numbers and
    messages enter that condition as the ids the first read found there, or (a source with more
    than `FIRST_READ`) as subqueries. SQLite has one way."""
    if request.param != "ids":
        if connection.vendor != "postgresql":
            pytest.skip("the inline search is PostgreSQL's")
        monkeypatch.setattr("cases.search.INLINE_MATCHES", 0)
        if request.param.endswith("subqueries"):
            monkeypatch.setattr("cases.search.FIRST_READ", 1)  # every source that finds one has more
        if request.param != "planner":
            monkeypatch.setattr("cases.search.scans_for_grams", lambda term: request.param.startswith("scan"))
    return request.param


@pytest.fixture
def short_words(cast, search_path) -> Complaint:
    """A complaint whose title, facts and messages hold words of one and two characters that no
    other text of the fixtures uses; the court's internal note uses its own."""
    complaint = cast.transferred(title="鑫源建材催收问题（型号Xq）", facts="企业反映淼泉公司拖欠鑫X源款项。")
    services.message_post(actor=cast.clerk, complaint=complaint, body="请补充瓷砖供货单据", internal=False)
    services.message_post(actor=cast.staff, complaint=complaint, body="工商联内部：琥珀线索待核", internal=True)
    services.message_post(actor=cast.clerk, complaint=complaint, body="承办庭内部：翡翠案另行处理", internal=True)
    return complaint


@pytest.mark.parametrize(
    "term",
    [
        "鑫",  # title, one character
        "鑫源",  # title, two characters
        "xQ",  # title, two Latin letters in another case
        "淼",  # facts, one character
        "淼泉",  # facts, two characters
        "瓷",  # a shared message, one character
        "瓷砖",  # a shared message, two characters
        "琥",  # the user's own organization's internal note, one character
        "琥珀",  # the same, two characters
    ],
)
def test_it_finds_one_and_two_character_terms(client, cast, short_words, answered, outsider_complaint, term):
    assert found(login(client, cast.staff), term) == {short_words.serial}


@pytest.mark.parametrize("term", ["翡", "翡翠"])
def test_a_short_term_never_finds_another_organizations_internal_note(client, cast, short_words, term):
    assert found(login(client, cast.staff), term) == set()
    assert found(login(client, cast.clerk), term) == {short_words.serial}


def test_a_two_character_term_needs_its_characters_side_by_side(client, cast, short_words):
    """The facts hold 鑫, X and 源 ("鑫X源") and the title 鑫源: only the title's pair counts."""
    staff = login(client, cast.staff)
    assert found(staff, "X源") == {short_words.serial}
    assert found(staff, "淼鑫") == set()  # both characters are there, never next to each other
    assert found(staff, "源泉") == set()


@pytest.mark.parametrize("url", ["/api/v1/complaints/", "/cases/complaints/"])
def test_a_short_term_keeps_the_list_to_a_fixed_number_of_queries(
    cast, client, django_assert_max_num_queries, search_path, url
):
    login(client, cast.staff)
    for _ in range(2):
        cast.file(title="货款纠纷久拖未决")
    client.get(url, {"q": "货款"})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"q": "货款"}).status_code == 200
    for _ in range(12):
        cast.file(title="货款纠纷久拖未决")
    for term in ("货款", "货"):
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url, {"q": term})
        assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.json()["count"] == 14


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_list_runs_the_same_queries_for_few_matches_and_many(cast, client, monkeypatch):
    login(client, cast.staff)
    for _ in range(3):
        cast.file(title="货款纠纷久拖未决")
    client.get("/api/v1/complaints/", {"q": "货款"})
    counts = []
    for inline_past in (1_000, 0):  # the ids of the three read first / one condition on the table
        monkeypatch.setattr("cases.search.INLINE_MATCHES", inline_past)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/complaints/", {"q": "货款"}).json()["count"] == 3
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("search_path", ["ids"], indirect=True)  # the ids' query, whatever the way
@pytest.mark.parametrize("term", ["鑫", "鑫源", "鑫源建材"])
def test_postgresql_answers_a_term_from_the_gram_indexes(cast, short_words, term):
    """The search's condition is the expression the indexes of migration 0011 were built on: with
    sequential scans ruled out, the plan reads them (a trigram index cannot serve a short term, and
    the trigram indexes are not offered for a longer one)."""
    from cases.search import matching_complaint_ids

    query = matching_complaint_ids(cast.staff, term)
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("complaint_title_grams", "complaint_facts_grams", "complaint_message_body_grams"):
        assert index in plan
    assert "_trgm" not in plan
    assert list(query) == [short_words.pk]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("search_path", ["bitmap", "subqueries"], indirect=True)
def test_the_inline_condition_lists_what_the_first_read_found_complete(cast, short_words, search_path):
    """With many matches, a source the first read found complete enters the condition as its ids;
    one it found more of (`FIRST_READ`) as its subquery. Both find the same complaints."""
    from cases.search import complaint_search
    from cases.selectors import complaint_scope

    rows = complaint_search(complaint_scope(cast.staff), cast.staff, "瓷砖")  # in a shared message only
    sql = str(rows.query)
    assert ("cases_complaintmessage" in sql) is (search_path == "subqueries")
    assert list(rows.values_list("pk", flat=True)) == [short_words.pk]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("url", ["/api/v1/complaints/", "/cases/complaints/"])
def test_a_search_sets_its_planner_settings_within_its_own_transaction(cast, client, url):
    """The searched list is counted and read in one transaction whose first statement sets no
    parallel workers for the capped count and (the API's page) the written join order; the
    connection keeps its own settings afterwards, and a list without a term sets nothing."""
    login(client, cast.staff)
    cast.file(title="货款纠纷久拖未决")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('join_collapse_limit'), current_setting('max_parallel_workers_per_gather')"
        )
        before, workers = cursor.fetchone()
    with CaptureQueriesContext(connection) as searched:
        assert client.get(url, {"q": "货款"}).status_code == 200
    statements = [query["sql"] for query in searched.captured_queries]
    settings = [sql for sql in statements if "set_config" in sql]
    api = url.startswith("/api/")  # the HTML page, ids first, keeps the planner's join order
    assert ("set_config('join_collapse_limit', '1', true)" in settings[0]) is api
    assert "set_config('max_parallel_workers_per_gather', '0', true)" in settings[0]
    # A test runs in a transaction of its own: the settings are put back before it goes on.
    restored = [f"set_config('max_parallel_workers_per_gather', '{workers}', true)"]
    if api:
        restored.insert(0, f"set_config('join_collapse_limit', '{before}', true)")
    assert settings[1:] == ["SELECT " + ", ".join(restored)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone()[0] == before
    with CaptureQueriesContext(connection) as plain:
        assert client.get(url).status_code == 200
    assert not [query for query in plain.captured_queries if "set_config" in query["sql"]]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_an_exact_count_of_a_search_keeps_its_parallel_workers(cast, client):
    login(client, cast.staff)
    cast.file(title="货款纠纷久拖未决")
    with CaptureQueriesContext(connection) as searched:
        assert client.get("/api/v1/complaints/", {"q": "货款", "count": "exact"}).json()["count"] == 1
    settings = [query["sql"] for query in searched.captured_queries if "set_config" in query["sql"]]
    assert "join_collapse_limit" in settings[0] and "max_parallel_workers_per_gather" not in settings[0]
