"""Users' files are sacred: checks on the paths a run writes, and the run folder.

- An output is never the input or the other output: files are compared as files (device
  and inode, ``os.path.samefile``), so a hard link or a symbolic link to the input is caught.
- A run writes into a run folder (``.keicar-run-XXXXXXXX``) inside the output's own folder and
  renames its outputs into place only when it succeeded; on failure it removes the folder.
  A killed run leaves only that folder, which holds nothing that looks finished.
- The folder carries a marker naming the process that made it (host, boot, pid, process start
  time). A later run removes a run folder only when its marker proves that the process is
  gone, and only files of the kinds a run writes.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from keicar.inputs.vehicle import InputError

PREFIX = ".keicar-run-"
MARKER = "keicar-run.json"
_OURS = re.compile(r"[^/\\]+\.(csv|parquet|pq|html|htm)$", re.IGNORECASE)  # outputs (and the report)
_PART = re.compile(r"\d{12}\.parquet$")                  # rejected rows of one batch
_SPARK = re.compile(r"\.?(part-.*|_SUCCESS)(\.crc)?$")    # Spark's output folder (--engine spark)
PARTS = "parts"


def check_targets(src: Path, outputs: dict[str, Path], spark: bool = False) -> None:
    """``outputs``: option name -> path. Each must be a file name in an existing folder that
    is neither the input nor another output. ``spark``: the outputs are folders of part files;
    one may replace only such a folder, and never one that holds the input."""
    for option, path in outputs.items():
        if spark and path.exists() and option != "report":  # the report is a file on any engine
            if not is_spark_output(path) or any(same_file(src, q) for q in path.iterdir()):
                raise InputError(option, f"{str(path)!r} exists and is not an output folder of Spark; give "
                                         f"another name")
        elif path.is_dir():
            kinds = ".html" if option == "report" else ".csv or .parquet"
            raise InputError(option, f"{str(path)!r} is a folder; give a file name ending in {kinds}")
        elif path.exists() and not path.is_file():
            raise InputError(option, f"{str(path)!r} exists and is not a regular file; give another file name")
        if not path.parent.is_dir():
            raise InputError(option, f"no folder {str(path.parent)!r}")
        if same_file(path, src):
            raise InputError(option, f"{str(path)!r} is the input file {str(src)!r} (the same file under "
                                     f"another name?); give another file name")
    items = list(outputs.items())
    for i, (option, path) in enumerate(items):
        for other, path2 in items[i + 1:]:
            if same_file(path, path2):
                raise InputError(other, f"--{option} and --{other} are the same file {str(path)!r}; "
                                        f"give two different file names")


def is_spark_output(path: Path) -> bool:
    """A folder of Spark's output layout (part files, _SUCCESS), which a Spark run may replace."""
    return path.is_dir() and not path.is_symlink() and all(
        q.is_file() and _SPARK.fullmatch(q.name) for q in path.iterdir())


def same_file(a: Path, b: Path) -> bool:
    """The same file, by device and inode when both exist; otherwise by resolved path, case
    ignored (a case-insensitive file system would take Out.csv for out.csv)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(str(a.resolve())).casefold() == os.path.normcase(str(b.resolve())).casefold()


def _process_start(pid: int) -> str | None:
    """The start time of a process (Linux: clock ticks after boot), to tell a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def _me() -> dict:
    pid = os.getpid()
    return {"keicar": "run", "host": socket.gethostname(), "boot": _boot_id(), "pid": pid,
            "start": _process_start(pid)}


def _gone(mark: dict) -> bool:
    """Whether the process that wrote ``mark`` has provably ended."""
    if mark.get("host") != socket.gethostname():
        return False  # another machine's run on a shared folder: cannot tell
    if mark.get("boot") and _boot_id() and mark["boot"] != _boot_id():
        return True   # the machine restarted since
    pid = mark.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return False
    if mark.get("start") is not None and _boot_id() is not None:
        return _process_start(pid) != mark["start"]  # no such process, or a new one with that pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def clean_stale(folder: Path, keep: tuple[Path, ...] = ()) -> None:
    """Remove the run folders in ``folder`` left by runs that were killed. A folder is removed
    only when its marker proves its process is gone and it holds nothing but what a run
    writes, and never when it holds one of ``keep`` (the input)."""
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return
    for run in candidates:
        try:
            if run.is_symlink() or not run.is_dir():
                continue
            mark = json.loads((run / MARKER).read_text())
            if not isinstance(mark, dict) or mark.get("keicar") != "run" or not _gone(mark):
                continue
            files = _our_files(run)
            if files is None or any(same_file(f, k) for f in files for k in keep):
                continue
            for f in files:
                f.unlink()
            for sub in [*(p for p in run.iterdir() if p.is_dir()), run]:
                sub.rmdir()
        except (OSError, ValueError):
            continue


def _our_files(run: Path) -> list[Path] | None:
    """The files of a run folder if all are of the kinds a run writes, else None."""
    files = []
    for p in run.iterdir():
        if p.is_symlink():
            return None
        if p.is_dir() and (p.name == PARTS or _OURS.fullmatch(p.name)):
            pattern = _PART if p.name == PARTS else _SPARK
            for q in p.iterdir():
                if q.is_symlink() or not q.is_file() or not pattern.fullmatch(q.name):
                    return None
                files.append(q)
        elif p.is_file() and (p.name == MARKER or _OURS.fullmatch(p.name)):
            files.append(p)
        else:
            return None
    return files


class RunFolder:
    """A run folder in ``folder``, for outputs to be renamed into ``folder`` on success."""

    def __init__(self, folder: Path, option: str):
        try:
            self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=folder))
        except OSError as exc:
            raise InputError(option, f"cannot write in the folder {str(folder)!r}: "
                                     f"{exc.strerror or exc}") from None
        try:
            (self.path / MARKER).write_text(json.dumps(_me()))
        except OSError as exc:
            self.remove()
            raise InputError(option, f"cannot write in the folder {str(folder)!r}: {exc.strerror or exc}") from None

    def temp(self, final: Path) -> Path:
        """Where the output that will be ``final`` is written meanwhile."""
        return self.path / final.name

    def parts(self) -> Path:
        p = self.path / PARTS
        p.mkdir(exist_ok=True)
        return p

    def publish(self, final: Path) -> None:
        temp = self.temp(final)
        if temp.is_dir() and final.is_dir():  # Spark's output folder from an earlier run
            shutil.rmtree(final)
        os.replace(temp, final)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def run_folders(src: Path, targets: dict[str, Path]) -> Iterator[dict[str, RunFolder]]:
    """option -> the run folder beside that output (one per folder), after removing the stale
    ones there; removed on exit, with whatever was not published."""
    runs: dict[str, RunFolder] = {}
    try:
        for option, path in targets.items():
            shared = next((r for r in runs.values() if same_file(r.path.parent, path.parent)), None)
            if shared is None:
                clean_stale(path.parent, keep=(src,))
            runs[option] = shared or RunFolder(path.parent, option)
        yield runs
    finally:
        for run in runs.values():
            run.remove()


def publish(runs: dict[str, RunFolder], targets: dict[str, Path]) -> None:
    """Rename the outputs into place: the rejects first, so that an output is never without them."""
    for option in sorted(targets, key=lambda o: o != "rejects"):
        try:
            runs[option].publish(targets[option])
        except OSError as exc:
            raise write_error(option, targets[option], exc) from None


def write_error(option: str, path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc).splitlines()[0]
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    return InputError(option, f"cannot write {str(path)!r}: {reason}")
