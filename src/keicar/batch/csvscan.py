"""A second reading of a CSV file, independent of Polars' CSV reader: its records and the
number of fields in each, for the row accounting (read = written + rejected) and for rows
that have more or fewer fields than the header (Polars' reader drops extra fields).

It splits records the way RFC 4180 and Polars do: a line break or a comma inside double
quotes belongs to the value. It works on whole blocks of bytes with C-level operations
(``bytes.split``, ``bytes.count``, ``map``): no Python code runs per row, so that a second
pass over a large file costs about as much as reading it.

A file it cannot read unambiguously is refused with a one-line ``InputError``: binary data,
a carriage return that does not end a line (old Mac files, which Polars reads as one line),
a quoted value that is never closed.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import polars as pl

from keicar.inputs.vehicle import InputError

CHUNK = 1 << 24
_QUOTED = b"\x00"  # stands for a quoted value in the unquoted text (NUL bytes are refused)
_OTHER = bytes(c for c in range(256) if c not in b',"\n')
_MAGIC = {b"PAR1": "Parquet data; name the file .parquet", b"PK\x03\x04": "a ZIP archive (an Excel .xlsx "
          "file?); save it as CSV (UTF-8)", b"\x1f\x8b": "gzip-compressed data; decompress it first",
          codecs.BOM_UTF16_LE: "UTF-16 text; save it as CSV (UTF-8)",
          codecs.BOM_UTF16_BE: "UTF-16 text; save it as CSV (UTF-8)"}


@dataclass
class Records:
    """The data records of a CSV file (the header excluded)."""
    header_fields: int
    rows: int
    ragged_rows: list[int] = field(default_factory=list)    # 1-based data row numbers
    ragged_fields: list[int] = field(default_factory=list)  # their number of fields (0: empty line)


def sniff(path: Path, fmt: str, option: str = "in") -> None:
    """Refuse a file whose content is not what its name says, before any reader sees it."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if fmt == "csv":
        for magic, what in _MAGIC.items():
            if head.startswith(magic):
                raise InputError(option, f"cannot read {path.name!r}: it holds {what}")
        if b"\x00" in head:
            raise _binary(option, path.name)
        first = head.lstrip(b"\r\n").split(b"\n", 1)[0]
        if b"\r" in first[:-1]:  # the header line holds a line break: CR-only line breaks
            raise _old_mac(option, path.name)
    elif not head.startswith(b"PAR1"):
        raise InputError(option, f"cannot read {path.name!r}: not a Parquet file (it does not start with PAR1)")


def header_names(path: Path, option: str = "in") -> list[str]:
    """The column names as written in the header (Polars renames a repeated name ``x`` to
    ``x_duplicated_0``; this is how the file has it)."""
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        try:
            for record in csv.reader(text):
                if record:  # Polars skips blank lines before the header
                    return record
        except csv.Error as exc:
            raise InputError(option, f"cannot read the header of {path.name!r}: {exc}") from None
    return []


def count_records(path: Path, option: str = "in", chunk: int = CHUNK) -> Records:
    """The records of the CSV file at ``path`` and the rows whose field count differs from
    the header's. Works block by block, each block ending at a line break outside quotes."""
    name = path.name
    header: int | None = None
    rows = 0
    ragged_rows: list[int] = []
    ragged_fields: list[int] = []
    for block in _blocks(path, option, chunk):
        if b"\x00" in block:
            raise _binary(option, name)
        if b"\r" in block and _bare_cr(block) and _bare_cr(_unquoted(block)):
            raise _old_mac(option, name)
        if header is not None:
            commas = block.translate(None, _OTHER)  # the commas, quotes and line breaks, in order
            if b'"' in commas:
                commas = b"".join(commas.split(b'"')[0::2])
            lines = commas.count(b"\n")
            if commas == (b"," * (header - 1) + b"\n") * lines:  # no ragged row: the usual case
                rows += lines
                continue
        lines = _unquoted(block).split(b"\n")[:-1]
        if header is None:
            lines, header = _take_header(lines)
            if header is None:
                continue
        rows = _tally(lines, header, rows, ragged_rows, ragged_fields)
    return Records(header or 0, rows, ragged_rows, ragged_fields)


def _blocks(path: Path, option: str, chunk: int):
    """The file in blocks of whole records, each ending in ``\\n`` (added to a last line
    that has none). The first block is small: it holds the header."""
    carry = b""
    size = min(chunk, 1 << 16)
    with open(path, "rb") as f:
        data = f.read(size)
        if data.startswith(codecs.BOM_UTF8[:len(data)]):
            data += f.read(len(codecs.BOM_UTF8))
            data = data.removeprefix(codecs.BOM_UTF8)
        while data:
            data = carry + data
            # the last line break outside quotes: quotes before it come in pairs
            end = data.rfind(b"\n")
            inside = data.count(b'"', 0, end) & 1 if end >= 0 else 1
            while end >= 0 and inside:
                prev = data.rfind(b"\n", 0, end)
                inside ^= data.count(b'"', prev + 1, end) & 1 if prev >= 0 else 0
                end = prev
            carry = data[end + 1:]
            if end >= 0:
                yield data[:end + 1]
            data = f.read(chunk)
    if carry:
        if carry.count(b'"') & 1:
            raise InputError(option, f"{path.name!r} ends inside a quoted value: a '\"' is never closed")
        yield carry + b"\n"


def _binary(option: str, name: str) -> InputError:
    return InputError(option, f"cannot read {name!r}: it holds binary data (NUL bytes), not CSV text")


def _old_mac(option: str, name: str) -> InputError:
    return InputError(option, f"cannot read {name!r}: its line breaks are a carriage return alone (\\r, as "
                              f"in old Mac files); save it with LF or CRLF line breaks")


def _bare_cr(text: bytes) -> bool:
    """A carriage return that does not end a line."""
    return text.count(b"\r") != text.count(b"\r\n")


def _unquoted(block: bytes) -> bytes:
    """``block`` with each quoted value replaced by one NUL byte."""
    return _QUOTED.join(block.split(b'"')[0::2]) if b'"' in block else block


def _take_header(lines: list[bytes]) -> tuple[list[bytes], int | None]:
    """Skip the blank lines before the header (as Polars does); the header's field count."""
    for i, line in enumerate(lines):
        if line not in (b"", b"\r"):
            return lines[i + 1:], line.count(b",") + 1
    return [], None


def _tally(lines: list[bytes], header: int, rows: int, ragged_rows: list[int],
           ragged_fields: list[int]) -> int:
    commas = list(map(bytes.count, lines, repeat(b",")))
    if commas.count(header - 1) != len(commas):  # some row is ragged
        fields = pl.Series(commas, dtype=pl.Int64) + 1
        empty = pl.Series(list(map(len, map(bytes.rstrip, lines, repeat(b"\r"))))) == 0
        fields = pl.select(pl.when(empty).then(0).otherwise(fields)).to_series()
        bad = (fields != header).arg_true()
        ragged_rows.extend((bad + (rows + 1)).to_list())
        ragged_fields.extend(fields.gather(bad).to_list())
    return rows + len(lines)
