"""``zhize ingest`` / ``zhize remove`` as a user runs them: files change, repeat, move, go, run twice at once.

Each case is one the issue saw lose or corrupt data; the store must always hold exactly what the
files given say, and a command that cannot do its work must leave the store as it was.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhize.cli import app
from test_cli_store import AUDIT_NOTICE as AUDIT, NOTICE     # the notices the CLI tests ingest
from test_cli_store import corpus as files  # noqa: F401 - the fixture: both notices in a folder

# one clause changed (民政厅 -> 司法厅), one task reworded, one deleted
EDITED = (NOTICE.replace("（省民政厅负责，", "（省司法厅负责，")
          .replace("加强反拐宣传教育。", "深入开展反拐宣传教育。")
          .replace("一、打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。（省公安厅牵头，省法院、省检察院配合）\n", ""))

runner = CliRunner()


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200", **(env or {})})


def ingest(db: Path, *paths, code: int = 0) -> dict:
    result = run("ingest", *map(str, paths), "--db", str(db), "--json")
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


def owners(db: Path, words: str) -> list[tuple[str, list[str], list[str], list[str]]]:
    answer = json.loads(run("query", "owners", words, "--db", str(db), "--json").stdout)
    return [(t["task"], [u["mention"] for u in t["lead"]], [u["mention"] for u in t["responsible"]],
             [u["mention"] for u in t["support"]]) for t in answer]


def info(db: Path) -> dict:
    return json.loads(run("info", "--db", str(db), "--json", "--sources").stdout)


def dump(db: Path) -> tuple[list, list]:
    from zhize.graph.sqlite_store import SQLiteStore

    s = SQLiteStore(db, read_only=True)
    try:
        return (s.conn.execute("SELECT id, label, props FROM nodes ORDER BY id").fetchall(),
                s.conn.execute('SELECT start, type, "end", key, props FROM rels ORDER BY 1, 2, 3, 4').fetchall())
    finally:
        s.close()


def test_an_unchanged_file_is_not_extracted_again_and_nothing_is_written(files, tmp_path):
    db = tmp_path / "g.sqlite"
    first = ingest(db, files)
    before = dump(db)
    again = ingest(db, files)
    assert (first["files"], first["unchanged"], first["written"]) == (2, 0, True)
    assert (again["files"], again["unchanged"], again["written"]) == (0, 2, False)
    assert dump(db) == before


def test_a_changed_file_replaces_its_own_facts_and_only_those(files, tmp_path):
    db = tmp_path / "g.sqlite"
    ingest(db, files)
    audit_before = owners(db, "审计")
    (files / "notice.txt").write_text(EDITED, encoding="utf-8")
    summary = ingest(db, files)
    assert (summary["files"], summary["unchanged"]) == (1, 1)
    (replaced,) = summary["replaced"]
    assert replaced["stored"] == str((files / "notice.txt").resolve())
    assert replaced["sha256"] == hashlib.sha256(NOTICE.encode("utf-8")).hexdigest()
    assert owners(db, "安置") == [("三、做好被解救妇女儿童安置工作。", [], ["省司法厅"], ["省公安厅", "省妇联"])]
    assert [t for t, *_ in owners(db, "宣传")] == ["二、深入开展反拐宣传教育。"]     # the reworded task, once
    assert owners(db, "打击") == []                                                  # the deleted clause
    assert owners(db, "审计") == audit_before
    # exactly what ingesting the edited files into an empty store gives
    fresh = tmp_path / "fresh.sqlite"
    ingest(fresh, files)
    assert dump(db) == dump(fresh)


def test_the_same_notice_under_two_names_is_counted_once(files, tmp_path):
    db = tmp_path / "g.sqlite"
    one = ingest(db, files / "notice.txt")["stored"]
    network_once = json.loads(run("query", "network", "--db", str(db), "--json").stdout)
    shutil.copy(files / "notice.txt", files / "notice-copy.txt")           # the same bytes: the same source
    (files / "repost.txt").write_text("转载自云南省人民政府网站\n" + NOTICE, encoding="utf-8")  # other bytes
    summary = ingest(db, files / "notice-copy.txt", files / "repost.txt")
    assert (summary["files"], summary["unchanged"]) == (1, 1)
    stored = summary["stored"]
    assert (stored["Document"], stored["Task"]) == (one["Document"], one["Task"])
    assert stored["Source"] == 2
    network = json.loads(run("query", "network", "--db", str(db), "--json").stdout)
    assert network == network_once                                        # no weight doubled
    assert [len(lead) for _, lead, _, _ in owners(db, "打击")] == [1]
    (doc,) = [d for d in info(db)["source_files"] if d["file"] == "repost.txt"]
    assert doc["documents"] == ["云政办发〔2021〕50号"]


def test_two_files_of_one_name_in_two_folders_are_two_documents(tmp_path):
    for folder, text in (("2021", NOTICE), ("2022", AUDIT)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "通知.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "g.sqlite"
    ingest(db, tmp_path / "2021", tmp_path / "2022")
    assert info(db)["documents"] == 2
    assert {s["path"] for s in info(db)["source_files"]} == {str((tmp_path / f / "通知.txt").resolve())
                                                             for f in ("2021", "2022")}


def test_fresh_with_nothing_usable_leaves_the_store_as_it_was(files, tmp_path):
    db = tmp_path / "g.sqlite"
    ingest(db, files)
    before = dump(db)
    (tmp_path / "empty.txt").write_bytes(b"")
    for bad in ([tmp_path / "empty.txt"], [tmp_path / "typo.txt"], [tmp_path / "empty.txt", tmp_path / "typo.txt"]):
        result = run("ingest", *map(str, bad), "--db", str(db), "--fresh")
        assert result.exit_code == 2, result.stderr
        assert "did not empty the store" in result.stderr and "Traceback" not in result.output
        assert dump(db) == before


def test_fresh_keeps_what_loaded_and_names_what_did_not(files, tmp_path):
    db = tmp_path / "g.sqlite"
    ingest(db, files)
    result = run("ingest", str(files / "audit.txt"), str(tmp_path / "typo.txt"), "--db", str(db), "--fresh", "--json")
    assert result.exit_code == 1
    assert "typo.txt: no such file" in result.stderr
    assert [s["file"] for s in info(db)["source_files"]] == ["audit.txt"]
    assert owners(db, "反拐") == []


def test_mention_counts_are_not_reset_by_the_next_ingest(files, tmp_path):
    db = tmp_path / "g.sqlite"

    def police() -> int:
        answer = json.loads(run("query", "unit", "省公安厅", "--db", str(db), "--json").stdout)
        return answer["unit"]["mentions"]

    ingest(db, files / "notice.txt")
    assert police() == 3
    (files / "relics.txt").write_text(AUDIT.replace("（州审计局牵头，州财政局配合）", "（省文化和旅游厅牵头，省公安厅配合）")
                                      .replace("8号", "9号"), encoding="utf-8")
    ingest(db, files / "relics.txt")                         # one more file naming 省公安厅 once: 3 + 1, not 1
    assert police() == 4
    assert run("remove", str(files / "relics.txt"), "--db", str(db)).exit_code == 0
    assert police() == 3


def test_remove_deletes_one_files_facts_by_path_name_hash_or_document(files, tmp_path):
    db = tmp_path / "g.sqlite"
    ingest(db, files)
    audit_only = tmp_path / "audit-only.sqlite"
    ingest(audit_only, files / "audit.txt")
    result = run("remove", str(files / "notice.txt"), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "removed" in result.stdout and "云政办发〔2021〕50号" in result.stdout
    assert dump(db) == dump(audit_only)
    ingest(db, files)                                        # back, and gone again by its document number
    assert run("remove", "云政办发〔2021〕50号", "--db", str(db)).exit_code == 0
    assert dump(db) == dump(audit_only)
    ingest(db, files)
    sha = next(s["sha256"] for s in info(db)["source_files"] if s["file"] == "notice.txt")
    dry = run("remove", sha[:12], "--db", str(db), "--dry-run")
    assert dry.exit_code == 0 and "would remove" in dry.stdout
    assert info(db)["sources"] == 2
    assert run("remove", sha[:12], "notice.txt", "--db", str(db)).exit_code == 0
    assert dump(db) == dump(audit_only)


def test_remove_names_what_it_cannot_find_and_refuses_an_ambiguous_name(files, tmp_path):
    db = tmp_path / "g.sqlite"
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "audit.txt").write_text(AUDIT.replace("8号", "9号"), encoding="utf-8")
    ingest(db, files, other)
    before = dump(db)
    missing = run("remove", "nothing-like-this", "--db", str(db))
    assert missing.exit_code == 2 and "nothing-like-this: no stored file" in missing.stderr
    ambiguous = run("remove", "audit.txt", "--db", str(db))                 # two stored files of that name
    assert ambiguous.exit_code == 2 and "names 2 stored files" in ambiguous.stderr
    assert dump(db) == before
    partly = run("remove", str(other / "audit.txt"), "nothing-like-this", "--db", str(db))
    assert partly.exit_code == 1
    assert info(db)["sources"] == 2


def test_two_ingests_at_once_both_load(files, tmp_path):
    from zhize.graph.sqlite_store import SQLiteStore
    from zhize.pipeline import Pipeline, StoreWriter

    db = tmp_path / "g.sqlite"
    SQLiteStore(db).close()
    reports, errors = {}, []

    def one(name: str) -> None:
        store = SQLiteStore(db)
        try:
            reports[name] = Pipeline().run([files / name], [StoreWriter(store)])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in ("notice.txt", "audit.txt")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert info(db)["sources"] == 2 and info(db)["documents"] == 2


def test_a_busy_store_waits_then_says_which_process_holds_it(files, tmp_path):
    import subprocess
    import sys

    db = tmp_path / "g.sqlite"
    ingest(db, files / "audit.txt")
    before = dump(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from zhize.graph.sqlite_store import SQLiteStore\n"
         "s = SQLiteStore(sys.argv[1])\n"
         "with s._writing():\n"
         "    print('held', flush=True)\n"
         "    time.sleep(60)\n", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("ingest", str(files / "notice.txt"), "--db", str(db), env={"ZHIZE_DB_TIMEOUT": "1"})
        assert result.exit_code == 2
        (line,) = result.stderr.strip().splitlines()
        assert f"is being written by pid {holder.pid}" in line and "waited 1 s" in line
        assert dump(db) == before
    finally:
        holder.kill()                                  # kill -9: the lock goes with the process
        holder.wait()
    assert ingest(db, files / "notice.txt")["files"] == 1


def test_a_store_locked_by_another_program_is_named_after_the_wait(files, tmp_path):
    import sqlite3

    db = tmp_path / "g.sqlite"
    ingest(db, files / "audit.txt")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")                   # e.g. an sqlite3 shell in the middle of a write
    try:
        result = run("ingest", str(files / "notice.txt"), "--db", str(db), env={"ZHIZE_DB_TIMEOUT": "1"})
        assert result.exit_code == 2
        assert "locked by another program" in result.stderr and "Traceback" not in result.output
    finally:
        other.execute("ROLLBACK")
        other.close()
