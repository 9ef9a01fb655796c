"""Bad input, as users give it: a clear one-line error naming the file or store, the documented exit code,
no traceback, and nothing that is not ours written or touched.

Exit codes (zhize/errors.py): 0 done, 1 some inputs failed (the rest done), 2 usage error or nothing usable.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhize.cli import app

NOTICE = """云南省人民政府办公厅关于加强反拐工作的通知
云政办发〔2021〕50号
一、加强反拐宣传教育。（省公安厅、省教育厅负责，有关部门配合）
云南省人民政府办公厅
2021年10月20日
"""

runner = CliRunner()


def run(*args: str, env: dict | None = None):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", "NEO4J_URI": "", **(env or {})})
    # whatever went wrong, the user sees a sentence, not a Python traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    p = tmp_path / "notice.txt"
    p.write_text(NOTICE, encoding="utf-8")
    return p


def one_line(result) -> str:
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("zhize: ")
    return line


# --- --db that is not a zhize store -----------------------------------------------------------

def test_a_text_file_as_db_is_refused_and_left_as_it_was(notice, tmp_path):
    db = tmp_path / "notes.sqlite"
    db.write_text("my notes, not a database\n", encoding="utf-8")
    for args in (["ingest", str(notice)], ["info"], ["query", "owners", "反拐"], ["remove", str(notice)]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 2, (args, result.output)
        assert "is not a zhize store (not an SQLite database)" in one_line(result)
    assert db.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_another_programs_sqlite_database_is_never_written_into(notice, tmp_path):
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.execute("INSERT INTO users VALUES ('王五')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    for args in (["ingest", str(notice), "--fresh"], ["info"]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 2
        assert "an SQLite database of another program (tables: users)" in one_line(result)
    assert db.read_bytes() == before
    assert not Path(str(db) + "-wal").exists()


def test_a_damaged_store_is_named_with_what_to_do(notice, tmp_path):
    db = tmp_path / "graph.sqlite"
    assert run("ingest", str(notice), "--db", str(db)).exit_code == 0
    data = bytearray(db.read_bytes())
    data[100:] = b"\xde\xad" * ((len(data) - 100) // 2) + b"\x00" * (len(data) % 2)
    db.write_bytes(bytes(data))
    for args in (["info"], ["query", "owners", "反拐"], ["ingest", str(notice)]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 2, (args, result.output)
        line = one_line(result)
        assert str(db) in line or "SQLite store" in line
        assert "restore a copy" in line


def test_a_folder_as_db_is_a_usage_error(notice, tmp_path):
    result = run("ingest", str(notice), "--db", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder, not a graph store file" in one_line(result)


def test_an_empty_file_as_db_becomes_a_store_for_ingest_and_is_empty_for_info(notice, tmp_path):
    db = tmp_path / "new.sqlite"
    db.write_bytes(b"")
    assert "run `zhize ingest` first" in one_line(run("info", "--db", str(db)))
    assert run("ingest", str(notice), "--db", str(db)).exit_code == 0


# --- store options that name something else ----------------------------------------------------

def test_neo4j_without_a_scheme_is_a_usage_error_not_an_sqlite_file(notice, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("ingest", str(notice), "--neo4j", "localhost:7687")
    assert result.exit_code == 2
    assert "did you mean --neo4j bolt://localhost:7687" in one_line(result)
    assert not (tmp_path / "localhost:7687").exists()
    env = run("info", env={"NEO4J_URI": "127.0.0.1:7687"})
    assert env.exit_code == 2 and "did you mean NEO4J_URI=bolt://127.0.0.1:7687" in one_line(env)


def test_db_given_a_server_is_a_usage_error(notice, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for location in ("bolt://127.0.0.1:7687", "localhost:7687"):
        result = run("ingest", str(notice), "--db", location)
        assert result.exit_code == 2 and "--db takes an SQLite file path" in one_line(result)
    assert [p.name for p in tmp_path.iterdir()] == ["notice.txt"]           # no file named after the server


def test_an_unknown_role_is_a_usage_error(notice, tmp_path):
    db = tmp_path / "g.sqlite"
    run("ingest", str(notice), "--db", str(db))
    for args in (["query", "unit", "省公安厅", "--role", "boss"], ["query", "network", "--role", "牵头"]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 2, (args, result.output)
        assert "--role" in result.stderr and "lead" in result.stderr


# --- outputs that would destroy an input ---------------------------------------------------------

def test_jsonl_never_overwrites_an_input_file(notice, tmp_path):
    result = run("extract", str(notice), "--jsonl", str(notice))
    assert result.exit_code == 2 and "is also an input file" in one_line(result)
    assert notice.read_text(encoding="utf-8") == NOTICE
    # a folder of .txt files, and an earlier output named .txt inside it
    facts = tmp_path / "facts.txt"
    facts.write_text("{}\n", encoding="utf-8")
    result = run("extract", str(tmp_path), "--jsonl", str(facts))
    assert result.exit_code == 2 and facts.read_text(encoding="utf-8") == "{}\n"
    assert run("export", str(notice), "--format", "ttl", "--from", str(notice)).exit_code == 2
    assert notice.read_text(encoding="utf-8") == NOTICE


def test_a_folder_as_jsonl_is_a_usage_error(notice, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run("extract", str(notice), "--jsonl", str(out))
    assert result.exit_code == 2 and "names a folder" in one_line(result)


# --- exit codes are the same for every command -------------------------------------------------

def test_every_command_exits_1_when_some_inputs_failed_and_2_when_none_was_usable(notice, tmp_path):
    missing = str(tmp_path / "missing.txt")
    db = str(tmp_path / "g.sqlite")
    commands = [
        ["extract", "--jsonl", str(tmp_path / "f.jsonl")],
        ["ingest", "--db", db],
        ["entities", "--json"],
        ["export", str(tmp_path / "g.ttl"), "--from"],
    ]
    for cmd in commands:
        some = run(*cmd, str(notice), missing)
        none = run(*cmd, missing)
        assert (cmd[0], some.exit_code, none.exit_code) == (cmd[0], 1, 2), (some.output, none.output)
        assert "missing.txt" in some.stderr


# --- secrets -----------------------------------------------------------------------------------------

def test_a_password_inside_neo4j_uri_is_never_printed():
    for env in ({"NEO4J_URI": "bolt://neo4j:s3cr3t-pw@127.0.0.1:1"},
                {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cr3t-pw"}):
        for args in (["info"], ["query", "owners", "反拐"], ["info", "--neo4j", env["NEO4J_URI"]]):
            result = run(*args, env=env)
            assert result.exit_code == 2
            assert "s3cr3t" not in result.output and "cannot use Neo4j at bolt://" in result.stderr


def test_the_redaction_keeps_what_helps_and_hides_what_does_not(monkeypatch):
    from zhize.graph.stores import redact, split_credentials

    monkeypatch.setenv("NEO4J_PASSWORD", "hunter22")
    assert redact("cannot use neo4j+s://alice:pa%40ss@db.example:7687 (auth)") == \
        "cannot use neo4j+s://***@db.example:7687 (auth)"
    assert redact("AuthError: hunter22 refused") == "AuthError: *** refused"
    assert split_credentials("bolt://alice:pa%40ss@db.example:7687") == ("bolt://db.example:7687", "alice", "pa@ss")
    assert split_credentials("bolt://127.0.0.1:7687") == ("bolt://127.0.0.1:7687", None, None)


# --- the installed program ---------------------------------------------------------------------

def test_the_zhize_program_prints_one_line_and_no_traceback(tmp_path):
    zhize = Path(sys.executable).with_name("zhize")
    db = tmp_path / "notes.sqlite"
    db.write_text("not a database", encoding="utf-8")
    result = subprocess.run([str(zhize), "info", "--db", str(db)], capture_output=True, text=True,
                            env={"PATH": str(zhize.parent), "HOME": str(tmp_path)}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("zhize: ") and "Traceback" not in result.stderr
    missing = subprocess.run([str(zhize), "info", "--db", str(tmp_path / "x.sqlite")], capture_output=True,
                             text=True, timeout=60)
    assert missing.returncode == 2 and "run `zhize ingest` first" in missing.stderr


def test_an_extract_that_fails_half_way_leaves_the_previous_output_whole(notice, tmp_path):
    from zhize.pipeline import JsonlWriter, Pipeline, Writer

    out = tmp_path / "facts.jsonl"
    out.write_text('{"kind": "document", "earlier": true}\n', encoding="utf-8")

    class Breaks(Writer):
        def add(self, result, ids):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        Pipeline().run([notice], [JsonlWriter(out), Breaks()])
    assert out.read_text(encoding="utf-8") == '{"kind": "document", "earlier": true}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []     # no temporary file left
    Pipeline().run([notice], [JsonlWriter(out)])
    assert '"earlier"' not in out.read_text(encoding="utf-8")
