"""The README's two commands set themselves up: scripts/install.sh does nothing when .venv
already holds this pyproject.toml's install, and reinstalls when pyproject.toml changed.

Run on a copy of the scripts with stand-ins on the PATH for pip, apt-get, chromium, java, so
the test needs no network: each stand-in records that it was called."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def stand_in(folder: Path, name: str, body: str = "") -> None:
    f = folder / name
    f.write_text(f"#!/bin/sh\necho \"{name} $*\" >> \"$CALLS\"\n{body}\n", encoding="utf-8")
    f.chmod(0o755)


@pytest.fixture()
def project(tmp_path):
    """A copy of the set-up files, a .venv whose python is this one (keicar importable), and a
    PATH of stand-ins; returns (folder, run) where run(*args) runs install.sh there."""
    (tmp_path / "scripts").mkdir()
    for name in ("install.sh", "demo.sh", "test.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n", encoding="utf-8")
    (venv / "python").chmod(0o755)
    stand_in(venv, "pip")
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("apt-get", "sudo", "chromium", "chromedriver", "java"):
        stand_in(tools, name)
    (tools / "python3").symlink_to(sys.executable)
    for name in ("sha256sum", "cut", "cat", "grep", "rm", "id", "dirname"):
        (tools / name).symlink_to(shutil.which(name))
    calls = tmp_path / "calls.txt"
    env = {"PATH": str(tools), "PYTHONPATH": str(SRC), "CALLS": str(calls), "HOME": str(tmp_path)}

    def run(*args):
        calls.write_text("", encoding="utf-8")
        r = subprocess.run(["/bin/bash", "scripts/install.sh", *args], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return calls.read_text(encoding="utf-8").splitlines()

    return tmp_path, run


def test_install_runs_pip_once_then_nothing_until_pyproject_changes(project):
    folder, run = project
    first = run()
    assert any(c.startswith("pip install") and ".[test,spark]" in c for c in first), first
    assert not any(c.startswith("apt-get") for c in first)       # chromium, driver, java present
    assert (folder / ".venv" / ".keicar-install").read_text().startswith("full ")
    assert run() == [] and run("core") == []                     # full covers core
    with (folder / "pyproject.toml").open("a") as fh:
        fh.write("\n# a change\n")
    assert any(c.startswith("pip install") for c in run("core")), "a changed pyproject.toml reinstalls"
    assert run("core") == []
    assert any(".[test,spark]" in c for c in run()), "core does not stand in for full"


def test_an_interrupted_install_is_redone(project):
    folder, run = project
    run()
    stamp = folder / ".venv" / ".keicar-install"
    stamp.unlink()                                               # pip died before the stamp
    assert any(c.startswith("pip install") for c in run())
    assert stamp.is_file()


def test_full_installs_what_the_browser_test_and_spark_need_when_missing(project):
    folder, run = project
    for name in ("chromium", "java"):
        (folder / "tools" / name).unlink()
    calls = run()
    assert any("apt-get install" in c and "chromium chromium-driver" in c for c in calls), calls
    assert any("apt-get install" in c and "default-jre-headless" in c for c in calls), calls
    assert sum(c.startswith("apt-get update") for c in calls) == 1


def test_unknown_profile_is_refused(project):
    folder, _ = project
    r = subprocess.run(["/bin/bash", "scripts/install.sh", "everything"], cwd=folder, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.strip() == "usage: bash scripts/install.sh [core|full]"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci and "bash scripts/test.sh" in ci
    top = readme.split("\n## ")[0]
    assert "make demo" in top and "make test" in top
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in make and "bash scripts/test.sh" in make
    assert os.access(ROOT / "scripts" / "install.sh", os.X_OK)
