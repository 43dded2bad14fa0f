"""A cache of parsed law files, so a command does not parse YAML on every start.

Parsing and validating one law file takes tens of milliseconds; unpickling the result takes
well under one. :func:`load` keys each parsed file by a hash of its bytes, its place in the
tree, its path (as given: the parsed nodes keep it; not resolved, which costs a start ~1 ms),
the parser's own source and the Python version, so any change to any of them is a miss and
the file is parsed again. Entries are written under a temporary name and renamed, so a
reader never sees half an entry; a cache that cannot be read or written (read-only home,
full disk, a damaged entry) is passed over silently and the file is parsed as usual.
``KEICAR_CACHE_DIR`` moves the cache (default: ``$XDG_CACHE_HOME/keicar`` or
``~/.cache/keicar``); ``KEICAR_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

try:  # CPython's own SHA-256, as the random module takes its SHA-512: hashlib would load
    from _sha256 import sha256  # OpenSSL, ~6 ms of every start of keicar
except ImportError:  # pragma: no cover - another interpreter, or Python 3.12+ (_sha2)
    from hashlib import sha256

#: Bumped when what is stored changes shape.
FORMAT = b"keicar-law-cache-1"


def cache_dir() -> Path | None:
    """Where entries go, or None when the cache is off."""
    raw = os.environ.get("KEICAR_CACHE_DIR")
    if raw is not None:
        return None if raw.strip().lower() in ("", "off", "0", "no") else Path(raw)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "keicar"


@lru_cache(maxsize=4)
def _code_hash(parser_source: str) -> bytes:
    """The parser's source (the module ``parse`` is defined in) and the Python version: a new
    parser or interpreter never reads entries an older one wrote."""
    h = sha256(FORMAT)
    h.update(sys.version.encode())
    h.update(Path(parser_source).read_bytes())
    return h.digest()


def key(file: Path, prefix: str, data: bytes, parser_source: str) -> str:
    h = sha256(_code_hash(parser_source))
    h.update(prefix.encode() + b"\0" + str(file).encode() + b"\0")
    h.update(data)
    return h.hexdigest()[:32]


def load(file: Path, prefix: str, parse: Callable[[Path, str], Any]) -> Any:
    """``parse(file, prefix)``, from the cache when an entry for these exact bytes exists."""
    where = cache_dir()
    if where is None:
        return parse(file, prefix)
    try:
        source = sys.modules[parse.__module__].__file__
        entry = where / f"{key(file, prefix, file.read_bytes(), source)}.pickle"
    except OSError:
        return parse(file, prefix)
    try:
        with open(entry, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - no entry, or one that cannot be read: parse
        pass
    node = parse(file, prefix)  # a LawError propagates; nothing is stored
    _store(where, entry, node)
    return node


def _store(where: Path, entry: Path, node: Any) -> None:
    import tempfile  # only on a miss: it is slow to import

    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(node, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        tmp = None
    except Exception:  # noqa: BLE001 - an unwritable cache only costs speed
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
