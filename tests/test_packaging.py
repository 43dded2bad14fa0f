"""`pip install keicar` without extras: every command that needs no extra runs with only the
declared core dependencies importable, and the commands that need an extra say which one.

One subprocess hides every third-party module that the core dependencies (pyproject.toml's
`dependencies`, with their own requirements) do not provide, then runs the commands through
the real `main()`: a module used but not declared (numpy in `keicar sample`, once) fails here.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: argv -> expected exit code. Extras' commands must fail with one line naming the extra.
COMMANDS = [
    (["check", "--example", "--on", "2026-11-24"], 0),
    (["check", "--example", "--state", "RI", "--on", "2026-11-24", "--json"], 0),
    (["check", "--example", "--country", "CA", "--on", "2026-11-24"], 0),
    (["lookup", "DA63T"], 0),
    (["when", "HA4"], 0),
    (["calendar", "--month", "2026-05"], 0),
    (["cost", "--body", "truck", "--built", "1999-05", "--price-jpy", "600000", "--fx-jpy-per-usd", "150",
      "--freight-usd", "1500", "--entry-date", "2026-11-24"], 0),
    (["papers", "--body", "truck", "--built", "1999-05"], 0),
    (["fmvss", "--class", "lsv"], 0),
    (["jp-cost", "--years", "10", "--cc", "1300", "--weight-kg", "1000"], 0),
    (["sample", "--rows", "200", "--out", "{tmp}/s.parquet", "--seed", "1"], 0),
    (["sample", "--rows", "200", "--out", "{tmp}/s.csv", "--seed", "1"], 0),
    (["screen", "{tmp}/s.parquet", "--out", "{tmp}/o.parquet", "--on", "2026-11-24"], 0),
    (["screen", "{tmp}/s.csv", "--out", "{tmp}/o.csv", "--on", "2026-11-24"], 0),
    (["states", "--on", "2026-11-24"], 0),
    (["state", "CO", "--on", "2027-07-01", "--json"], 0),
    (["map", "--on", "2026-11-24", "--out", "{tmp}/m.svg"], 0),
    (["data", "audit", "--json"], 0),
    (["policy", "list"], 0),
    (["policy", "show", "kei-for-america"], 0),
    (["policy", "run", "kei-for-america", "--json"], 0),
    (["map", "--on", "2026-11-24", "--out", "{tmp}/m.png"], 2),           # [map]: matplotlib
    (["policy", "run", "kei-for-america", "--chart", "{tmp}/c.png"], 2),  # [plot]: matplotlib
    (["serve", "--port", "65535"], 2),                                     # [web]: fastapi, uvicorn
    (["screen", "{tmp}/s.parquet", "--out", "{tmp}/sp", "--engine", "spark"], 2),  # [spark]
]

SCRIPT = textwrap.dedent('''
    import importlib.abc, importlib.metadata as md, io, json, re, sys, tomllib
    from contextlib import redirect_stderr, redirect_stdout

    def closure(reqs):
        """Distributions the requirements pull in (without extras), recursively."""
        seen, todo = set(), list(reqs)
        while todo:
            req = todo.pop()
            if "extra ==" in req.replace('"', "").replace("'", ""):
                continue
            name = re.split(r"[\\s\\[<>=!~;(]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")
            if name in seen:
                continue
            seen.add(name)
            try:
                todo += md.requires(name) or []
            except md.PackageNotFoundError:  # a marker excluded it on this platform
                pass
        return seen

    core = closure(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"])
    allowed = {top for top, dists in md.packages_distributions().items()
               if any(d.lower().replace("_", "-") in core for d in dists)}
    allowed |= set(sys.stdlib_module_names) | {"keicar", "_distutils_hack", "_yaml"}

    class CoreOnly(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            top = name.partition(".")[0]
            if top not in allowed and not top.startswith("_"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    for mod in [m for m in sys.modules if m.partition(".")[0] not in allowed and not m.startswith("_")]:
        del sys.modules[mod]
    sys.meta_path.insert(0, CoreOnly())

    from keicar.cli.main import main
    results = []
    for argv in json.loads(sys.argv[2]):
        sys.argv = ["keicar", *argv]
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            with redirect_stdout(out), redirect_stderr(err):
                main()
        except SystemExit as exc:
            code = exc.code or 0
        results.append({"argv": argv, "code": code, "err": err.getvalue()})
    print(json.dumps({"results": results}))
''')


@pytest.fixture(scope="module")
def core_only_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("core")
    argvs = [[a.replace("{tmp}", str(tmp)) for a in argv] for argv, _ in COMMANDS]
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "pyproject.toml"), json.dumps(argvs)],
                       capture_output=True, text=True, timeout=300, cwd=tmp)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.splitlines()[-1])


@pytest.mark.parametrize("i", range(len(COMMANDS)), ids=[f"{i}-{a[0]}" for i, (a, _) in enumerate(COMMANDS)])
def test_command_runs_with_only_the_core_dependencies(core_only_run, i):
    res = core_only_run["results"][i]
    expected = COMMANDS[i][1]
    assert res["code"] == expected, res
    if expected:  # an extra is missing: one line that names the extra to install
        assert res["err"].count("\n") == 1 and "internal error" not in res["err"], res
        assert "keicar[" in res["err"] or "pip install" in res["err"], res

