"""Installing zhize claims no generic import names and ships its data.

A wheel is built from the repository's sources (no network: the venv's own
setuptools) and installed without dependencies into a fresh virtual
environment; there ``extract`` and ``graph`` are no top-level modules, while
``zhize.extract``, ``zhize.graph`` and ``zhize.explorer`` (the app) are, with
the rule data and the RDF vocabulary beside them.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("zhize", "extract", "graph", "explorer"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (found,) = out.glob("zhize-*.whl")
    return found


def test_the_wheel_has_no_top_level_extract_or_graph_and_ships_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"zhize"}
    data = {Path(n).name for n in names if n.startswith("zhize/extract/data/")}
    assert {p.name for p in (ROOT / "extract" / "data").glob("*.yaml")} <= data and data
    assert "zhize/graph/vocab.ttl" in names
    assert {"zhize/extract/readers/pdf.py", "zhize/extract/readers/docx.py", "zhize/extract/readers/html.py",
            "zhize/pipeline.py", "zhize/distributed.py"} <= set(names)
    assert {"zhize/explorer/app.py", "zhize/explorer/views.py", "zhize/explorer/run.py"} <= set(names)


def test_installed_in_a_fresh_venv_only_the_zhize_names_import(wheel, tmp_path):
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)          # this pip installs into it: no network, no bootstrap
    python = env / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                           "--no-index", str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    probe = ("import importlib.util as u, importlib.resources as r; "
             "print(u.find_spec('extract'), u.find_spec('graph'), u.find_spec('zhize.extract') is not None, "
             "(r.files('zhize.graph') / 'vocab.ttl').is_file(), "
             "(r.files('zhize.extract') / 'data' / 'institutions.yaml').is_file())")
    seen = subprocess.run([str(python), "-I", "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.split() == ["None", "None", "True", "True", "True"]
