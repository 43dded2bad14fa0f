"""What `keicar check` loads on its way to an answer (issue #11: start-up time): only its own
command module, no table or web library, and no YAML parser once the law cache is warm."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from keicar.cli.main import COMMANDS, MODULES, app

SRC = Path(__file__).resolve().parent.parent / "src"

#: Runs `keicar <args>` in this process and prints the top-level packages it imported.
PROBE = """
import json, sys
from keicar.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | {m for m in sys.modules if m.startswith('keicar.cli.')})),
      file=sys.stderr)
"""


def imported(tmp_path: Path, *args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "KEICAR_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


def test_every_command_is_found_in_the_module_the_table_names():
    """A command missing from COMMANDS still runs (every module is imported), but a wrong
    module would make `keicar <command>` an unknown command."""
    found = {info.name or info.callback.__name__: info.callback.__module__ for info in app.registered_commands}
    found.update({info.name: info.typer_instance.registered_commands[0].callback.__module__
                  for info in app.registered_groups})
    assert set(found) == set(COMMANDS)
    for name, module in found.items():
        assert module.rsplit(".", 1)[1] == COMMANDS[name][0], name
    assert set(MODULES) == {m for ms in COMMANDS.values() for m in ms}


def test_check_imports_only_what_it_needs(tmp_path):
    first = imported(tmp_path, "check", "--example", "--on", "2026-11-30")
    assert {"polars", "numpy", "pydantic", "fastapi", "pyarrow"} & first == set()
    assert {m for m in first if m.startswith("keicar.cli.")} <= {
        "keicar.cli.main", "keicar.cli.app", "keicar.cli.check", "keicar.cli.render", "keicar.cli.examples"}
    # the first run parsed the law files it read and cached them; the second reads the cache only
    assert "yaml" in first
    assert "yaml" not in imported(tmp_path, "check", "--example", "--on", "2026-11-30")


def test_text_is_shown_as_it_is_not_as_emoji(capsys):
    """The console loads no emoji table: a code such as ``:100:`` (in a model name, a
    citation) is printed as written, never as 💯."""
    from keicar.cli.render import console, esc

    console().print(esc("Carry :100: (49 CFR 571:truck:)"))
    assert "Carry :100: (49 CFR 571:truck:)" in capsys.readouterr().out

