"""Extraction on a Dask cluster (a LocalCluster of two worker processes) writes the facts a local run writes.

The cluster is started once for the module; each run maps extraction over
the files, the workers write the facts as JSONL or Parquet partitions, and
the client reads them back in input order: the JSONL must be byte for byte
the one a local run writes.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from layouts import SAMPLE
from test_pipeline import _corpus_and_samples
from zhize.cli import app

distributed = pytest.importorskip("distributed", reason="Dask distributed is a test dependency (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as c:
        yield c


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "facts.jsonl"
    result = CliRunner().invoke(app, ["extract", *_corpus_and_samples(), "--jsonl", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_dask_run_writes_the_facts_of_a_local_run(cluster, local_run, tmp_path, fmt):
    out, parts = tmp_path / "facts.jsonl", tmp_path / "parts"
    result = CliRunner().invoke(app, ["extract", *_corpus_and_samples(), "--jsonl", str(out),
                                      "--scheduler", cluster.scheduler_address, "--partitions", str(parts),
                                      "--partition-format", fmt])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == local_run
    written = sorted(p.name for p in parts.iterdir())
    assert written[0] == f"part-000000.{fmt}" and len(written) == len(_corpus_and_samples()) - 1 + 4
    assert (tmp_path / "facts.texts" / "sample_notice.pdf.txt").is_file()


def test_a_dask_ingest_loads_what_a_local_ingest_loads(cluster, tmp_path):
    """Extraction on the cluster, then one batched load from the client."""
    def ingest(*extra):
        db = tmp_path / f"graph{len(extra)}.sqlite"
        result = CliRunner().invoke(app, ["ingest", str(SAMPLE.parent), "--db", str(db), "--json", *extra],
                                    env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["stored"]

    assert ingest("--scheduler", cluster.scheduler_address, "--partitions", str(tmp_path / "parts")) == ingest()


def test_a_file_that_fails_on_the_cluster_is_named_and_the_others_load(cluster, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "facts.jsonl"
    result = CliRunner().invoke(app, ["extract", str(bad), str(SAMPLE), "--jsonl", str(out),
                                      "--scheduler", cluster.scheduler_address, "--partitions", str(tmp_path / "p")])
    assert result.exit_code == 1                  # some inputs failed, the others were done
    assert "empty.txt: is empty" in result.output
    assert sum(1 for _ in out.open(encoding="utf-8")) > 60


def test_a_scheduler_that_does_not_answer_is_one_clear_error(tmp_path):
    import socket

    import dask

    with socket.socket() as s:                      # a port on this machine that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = CliRunner().invoke(app, ["extract", str(SAMPLE), "--jsonl", str(tmp_path / "f.jsonl"), "--scheduler",
                                          f"tcp://127.0.0.1:{port}", "--partitions", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output
