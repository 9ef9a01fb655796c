"""``zhize ingest`` / ``info`` / ``query``: the whole path from a text file to an answer with its source."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhize.graph.build import build_graph
from zhize.graph.sqlite_store import SQLiteStore
from graph_fixture import DIVISION, GROUP, SAFETY, documents, facts, resolution
from zhize.cli import app

NOTICE = """云南省人民政府办公厅关于加强反拐工作的通知
云政办发〔2021〕50号
各州、市人民政府，省直各委、办、厅、局：
为做好反对拐卖人口工作，现就有关事项通知如下：
一、打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。（省公安厅牵头，省法院、省检察院配合）
二、加强反拐宣传教育。（省公安厅、省教育厅负责，有关部门配合）
三、做好被解救妇女儿童安置工作。（省民政厅负责，省公安厅、省妇联配合）
云南省人民政府办公厅
2021年10月20日
"""

AUDIT_NOTICE = """红河州人民政府办公室关于开展财政资金审计的通知
红政办发〔2022〕8号
各县市人民政府，州直各部门：
一、开展财政资金专项审计。（州审计局牵头，州财政局配合）
红河州人民政府办公室
2022年4月1日
"""

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "audit.txt").write_text(AUDIT_NOTICE, encoding="utf-8")
    return folder


@pytest.fixture
def loaded(tmp_path: Path) -> str:
    """A store holding the contract fixture, for the query commands."""
    db = tmp_path / "fixture.sqlite"
    store = SQLiteStore(db)
    store.load(build_graph(facts(), documents(), resolution()))
    store.close()
    return str(db)


def test_ingest_twice_gives_identical_counts(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    first = run("ingest", str(corpus / "notice.txt"), "--db", db, "--json")
    assert first.exit_code == 0, first.stderr
    second = run("ingest", str(corpus / "notice.txt"), "--db", db, "--json")
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["stored"] == two["stored"]
    assert one["files"] == 1 and one["failed"] == 0
    assert one["stored"]["Task"] == 3 and one["stored"]["Document"] == 1
    assert one["stored"]["LEADS"] + one["stored"]["RESPONSIBLE_FOR"] + one["stored"]["SUPPORTS"] == one["facts"]["duty"]


def test_a_directory_stands_for_its_text_files(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    result = run("ingest", str(corpus), "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == 2
    info = json.loads(run("info", "--db", db, "--json").stdout)
    assert info["store"] == "sqlite" and info["location"] == db and info["documents"] == 2


def test_a_bad_file_is_reported_and_the_rest_still_loads(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    assert run("ingest", str(corpus / "notice.txt"), "--db", db).exit_code == 0
    (corpus / "broken.txt").write_bytes(b"\x00\xff\xfe\x00" * 64)
    result = run("ingest", str(corpus / "broken.txt"), str(tmp_path / "missing.txt"),
                 str(corpus / "audit.txt"), "--db", db, "--json")
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr and "missing.txt: " in result.stderr
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["failed"]) == (1, 2)
    docs = json.loads(run("info", "--db", db, "--json").stdout)["documents"]
    assert docs == 2                                            # the earlier load is still there


def test_fresh_replaces_what_was_stored(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    run("ingest", str(corpus / "notice.txt"), "--db", db)
    result = run("ingest", str(corpus / "audit.txt"), "--db", db, "--fresh", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stored"]["Document"] == 1
    assert json.loads(run("query", "owners", "反拐", "--db", db, "--json").stdout) == []


def test_owners_json_shape(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    run("ingest", str(corpus), "--db", db)
    answer = json.loads(run("query", "owners", "专项审计", "--db", db, "--json").stdout)
    assert len(answer) == 1
    (task,) = answer
    assert set(task) == {"task_id", "task", "doc", "doc_title", "date", "lead", "responsible", "support", "evidence",
                         "score", "found"}
    assert task["found"] == ["专项", "审计"] and task["score"] > 0
    assert task["doc"] == "红政办发〔2022〕8号" and task["date"] == "2022-04-01"
    assert [u["mention"] for u in task["lead"]] == ["州审计局"]
    assert [u["mention"] for u in task["support"]] == ["州财政局"]
    assert set(task["lead"][0]) == {"id", "name", "mention", "generic"}
    assert set(task["evidence"]) == {"doc", "quote", "file", "start", "end"}


def test_owners_answer_points_at_its_quote_in_the_source_file(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    run("ingest", str(corpus), "--db", db)
    answer = json.loads(run("query", "owners", "反拐宣传", "--db", db, "--json").stdout)
    assert [t["task"] for t in answer] == ["二、加强反拐宣传教育。"]
    ev = answer[0]["evidence"]
    assert ev["doc"] == "云政办发〔2021〕50号" and ev["file"] == "notice.txt"
    assert ev["quote"] == "（省公安厅、省教育厅负责，有关部门配合）"
    source = (corpus / ev["file"]).read_text(encoding="utf-8")
    assert source[ev["start"]:ev["end"]] == ev["quote"]
    assert [u["mention"] for u in answer[0]["responsible"]] == ["省公安厅", "省教育厅"]


def test_owners_table_names_the_units(corpus, tmp_path):
    db = str(tmp_path / "g.sqlite")
    run("ingest", str(corpus), "--db", db)
    out = run("query", "owners", "妇女儿童", "--db", db).stdout
    assert "2 task(s)" in out and "省公安厅" in out and "省妇联" in out


def test_query_unit_json(loaded):
    answer = json.loads(run("query", "unit", "省卫生健康委", "--db", loaded, "--json").stdout)
    assert answer["unit"]["name"] == "云南省卫生健康委员会"
    assert [(t["task"], t["inherited_from"]) for t in answer["tasks"]] == [
        ("做好被解救妇女儿童安置工作。", None), ("推进健康扶贫工程。", "inst:云南省:省卫生计生委")]
    lead = json.loads(run("query", "unit", "省公安厅", "--role", "lead", "--db", loaded, "--json").stdout)
    assert [t["role"] for t in lead["tasks"]] == ["lead"]


def test_query_unit_shows_a_page_and_says_of_how_many(loaded):
    second = json.loads(run("query", "unit", "省卫生健康委", "--limit", "1", "--offset", "1", "--db", loaded,
                            "--json").stdout)
    assert (second["total"], second["offset"]) == (2, 1)
    assert [t["task"] for t in second["tasks"]] == ["推进健康扶贫工程。"]
    table = run("query", "unit", "省卫生健康委", "--limit", "1", "--db", loaded).stdout
    assert "1-1 of 2 task(s)" in table and "做好被解救妇女儿童安置工作" in table and "推进健康扶贫工程" not in table


def test_query_groups_json(loaded):
    answer = json.loads(run("query", "groups", "省公安厅", "--db", loaded, "--json").stdout)
    assert [(g["group"], g["relation"]) for g in answer["groups"]] == [(GROUP, "member_unit"), (GROUP, "office_host")]


def test_query_person_json(loaded):
    answer = json.loads(run("query", "person", "王五", "--db", loaded, "--json").stdout)
    assert answer["person"]["name"] == "王五"
    assert answer["posts"] == [{"position": "常务副州长", "action": "portfolio", "doc": DIVISION, "date": "2022-03-01"}]
    assert [p["object"] for p in answer["portfolio"]] == ["审计", "财政", "州审计局", "州财政局", "州税务局", "钱七"]


def test_query_roster_json_and_table(loaded):
    answer = json.loads(run("query", "roster", "联席会议", "--db", loaded, "--json").stdout)
    assert answer["group"] == {"id": f"group:云南省:{GROUP}", "name": GROUP, "doc": SAFETY}
    assert [(e["role"], e["person"], e["position"]) for e in answer["entries"]] == [
        ("head", None, "省人民政府分管副省长"), ("deputy", "李四", "省公安厅厅长"),
        ("member", None, "省民政厅厅长"), ("office_head", "周九", "省公安厅副厅长")]
    table = run("query", "roster", "联席会议", "--db", loaded).stdout
    assert "总召集人" in table and "office at: 云南省公安厅" in table and "member units (3)" in table


def test_query_network_json(loaded):
    answer = json.loads(run("query", "network", "--jurisdiction", "红河州", "--db", loaded, "--json").stdout)
    assert answer == [{"a": "inst:红河州:州审计局", "b": "inst:红河州:州财政局", "weight": 1, "lead_to_support": 1,
                       "support_to_lead": 0,
                       "a_name": "红河州审计局", "b_name": "红河州财政局"}]
    top = json.loads(run("query", "network", "-n", "1", "--db", loaded, "--json").stdout)
    assert [(e["a_name"], e["b_name"], e["weight"]) for e in top] == [("云南省公安厅", "云南省民政厅", 2)]


def test_queries_say_so_when_nothing_matches(loaded, tmp_path):
    result = run("query", "unit", "不存在的单位", "--db", loaded)
    assert result.exit_code == 1 and "no institution matches" in result.stderr
    missing = run("query", "owners", "反拐", "--db", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 2 and "zhize ingest" in missing.stderr


def test_a_neo4j_that_does_not_answer_is_one_line_saying_how_to_start_one():
    for args, env in ((["info", "--neo4j", "bolt://127.0.0.1:1"], {}),
                      (["query", "owners", "反拐"], {"NEO4J_URI": "bolt://127.0.0.1:1"})):
        result = runner.invoke(app, args, env={"COLUMNS": "80", **env})
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("zhize: cannot use Neo4j at bolt://127.0.0.1:1 (")
        assert "`zhize neo4j start`" in line and "NEO4J_URI" in line
        assert "Traceback" not in result.output


def test_a_documents_division_table_as_csv_is_one_row_per_task_in_print_order(loaded):
    import csv
    import io

    out = run("query", "document", SAFETY, "--db", loaded, "--format", "csv").stdout_bytes
    assert out.startswith("\ufeff".encode())                       # Excel reads the Chinese
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert [(r["序号"], r["任务"], r["牵头单位"], r["负责单位"]) for r in rows] == [
        ("1", "打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。", "云南省公安厅", ""),
        ("2", "加强反拐宣传教育。", "", "中共云南省委宣传部、云南省教育厅"),
        ("3", "做好被解救妇女儿童安置工作。", "", "云南省民政厅"),
        ("4", "建立反拐工作信息通报制度。", "", "云南省公安厅")]
    assert rows[2]["配合单位"] == "云南省公安厅、云南省卫生健康委员会、云南省妇女联合会"
    assert rows[0]["原文"] == "（省公安厅牵头，省法院、省检察院配合）" and rows[0]["文件"] == SAFETY
    by_title = run("query", "document", "加强反拐工作", "--db", loaded, "--format", "csv").stdout_bytes
    assert by_title == out


def test_every_query_writes_json_csv_and_excel(loaded, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "owners.xlsx"
    done = run("query", "owners", "安置", "--db", loaded, "--format", "xlsx", "--output", str(target))
    assert done.exit_code == 0, done.output
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["序号", "任务", "牵头单位", "负责单位", "配合单位"]
    assert values[1][1] == "做好被解救妇女儿童安置工作。" and len(values) == 2
    for args in (["unit", "省公安厅"], ["groups", "省公安厅"], ["person", "王五"], ["roster", "联席会议"],
                 ["network"], ["document", SAFETY], ["owners", "反拐"]):
        as_json = run("query", *args, "--db", loaded, "--format", "json")
        assert as_json.exit_code == 0 and json.loads(as_json.stdout), args
        as_csv = run("query", *args, "--db", loaded, "--format", "csv")
        assert as_csv.exit_code == 0 and len(as_csv.stdout_bytes.decode("utf-8-sig").splitlines()) > 1, args


def test_several_matches_are_listed_and_one_is_chosen_with_pick(loaded):
    several = run("query", "unit", "省", "--db", loaded)
    assert several.exit_code == 2
    assert "institutions match '省'; choose one with --pick N" in several.stderr and "云南省公安厅" in several.stderr
    second = json.loads(run("query", "unit", "省", "--pick", "2", "--db", loaded, "--json").stdout)
    listed = [line for line in several.stderr.splitlines() if line.strip().startswith("│      2 │")]
    assert listed and second["unit"]["name"] in listed[0]
    # one exact match among several is no question: 省公安厅 is an alias of 云南省公安厅 alone
    assert json.loads(run("query", "unit", "省公安厅", "--db", loaded, "--json").stdout)["unit"]["name"] == "云南省公安厅"
    assert run("query", "unit", "省", "--pick", "99", "--db", loaded).exit_code == 2


def test_the_owners_table_shows_the_document_and_the_quote(loaded):
    out = run("query", "owners", "安置工作", "--db", loaded).stdout
    assert SAFETY in out and "（省民政厅负责，省公安厅、省卫生健康委、省妇联配合）" in out.replace("\n", "").replace("│", "").replace(" ", "")
