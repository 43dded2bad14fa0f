"""Entry point of the ``keicar`` command. Each command lives in its own module here and
registers itself on ``app``; this module only turns errors into one-line messages."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys

import typer

from ..engine.parameters import LawError
from keicar.inputs.vehicle import InputError

#: The module (``keicar.cli.<module>``) that registers each command on ``app``, in the order
#: ``keicar --help`` lists them. A command imports its own module only: building every
#: command's options from its signature costs tens of milliseconds on each start.
COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check",),
    "data": ("data", "states"),  # states.py adds `data audit`
    "lookup": ("catalog",), "when": ("catalog",), "calendar": ("catalog",),
    "changes": ("changes",),
    "variables": ("variables",),
    "cost": ("cost",), "papers": ("cost",),
    "fmvss": ("fmvss",),
    "jp-cost": ("jpcost",),
    "policy": ("policy",),
    "screen": ("screen",), "sample": ("screen",),
    "serve": ("serve",),
    "states": ("states",), "state": ("states",), "map": ("states",),
}
#: every command module, in the order their commands are listed
MODULES = ("check", "data", "catalog", "changes", "variables", "cost", "fmvss", "jpcost", "policy",
           "screen", "serve", "states")


def command_app(argv: list[str] | None = None):
    """The Typer app with the command ``argv`` names registered (with its examples), or every
    command when it names none that ``COMMANDS`` knows (``keicar --help``, a typo)."""
    import importlib

    from .app import app as typer_app
    from .examples import attach

    name = next((a for a in argv or [] if not a.startswith("-")), None)
    for module in COMMANDS.get(name, MODULES):
        importlib.import_module(f"{__package__}.{module}")
    # commands registered in an earlier call of the same process keep the order of `--help`
    rank = {f"{__package__}.{m}": i for i, m in enumerate(MODULES)}
    typer_app.registered_commands.sort(key=lambda info: rank.get(info.callback.__module__, len(rank)))
    order = list(COMMANDS)
    typer_app.registered_groups.sort(key=lambda info: order.index(info.name) if info.name in order else len(order))
    attach(typer_app)
    return typer_app


def __getattr__(name: str):
    """``keicar.cli.main.app``: the app with every command (for tests and embedding)."""
    if name == "app":
        return command_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command(argv: list[str]):
    """The click command ``argv`` invokes (the group itself when none is named)."""
    import click

    cmd = typer.main.get_command(command_app(argv))
    for token in argv:
        if isinstance(cmd, click.Group) and token in cmd.commands:
            cmd = cmd.commands[token]
        elif not token.startswith("-"):
            break
    return cmd


def option_name(field: str, argv: list[str] | None = None) -> str:
    """How the user names ``field`` on the command line of ``argv``: its option (``--class``
    for ``cls``) or its argument (``IN``, ``CODE``); ``--field-name`` otherwise."""
    import click

    for param in getattr(_command(argv or []), "params", []):
        if isinstance(param, click.Option) and param.name == field:
            return next((o for o in param.opts if o.startswith("--")), param.opts[0])
        if isinstance(param, click.Argument) and field in (param.name, param.human_readable_name.lower()):
            return param.human_readable_name
    return "--" + field.replace("_", "-")


def _output_closed() -> None:
    """stdout is gone (a closed descriptor, or a reader that quit like ``head``): keep
    Python from failing again when it flushes stdout at exit."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError):
        pass


class _ClosedStdout(io.TextIOBase):
    """Stands in for a stdout that was closed before keicar started (``>&-``): writing to it
    fails like writing to a pipe nobody reads."""

    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "standard output is closed")

    def fileno(self) -> int:  # rich points the closed descriptor at /dev/null on a broken pipe
        return 1


def _flush() -> None:
    """Write out what is buffered now, so that a reader that has gone is noticed here."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _output_closed()
        sys.exit(1)
    except OSError as exc:
        _output_failed(exc)


#: errors of writing the output (not of a path the user named): exit 1, as for a broken pipe
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EPIPE}


def _output_failed(exc: OSError) -> None:
    """stdout refused what keicar wrote (a full disk, ``> /dev/full``): one line, exit 1."""
    _output_closed()
    _error(f"cannot write the output: {exc.strerror or exc}")
    sys.exit(1)


@contextlib.contextmanager
def _buffered_stdout():
    """With ``PYTHONUNBUFFERED`` (or ``python -u``) stdout writes straight to its descriptor, and
    Python drops what a short write left over when the reader quits mid-write (``| head``):
    no BrokenPipeError, exit 0. A buffered writer retries short writes and so sees the pipe
    closed. Inside, stdout is such a writer on the same descriptor."""
    out = sys.stdout
    if not isinstance(getattr(out, "buffer", None), io.RawIOBase):
        yield
        return
    raw = io.FileIO(out.fileno(), "w", closefd=False)
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=out.encoding, errors=out.errors,
                                  line_buffering=True)
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
        except OSError:
            pass
        sys.stdout = out


#: the longest value an error message echoes whole; a longer one is cut, with an ellipsis
ECHO_MAX = 80
_QUOTED = re.compile(r"'[^'\n]{%d,}'|\"[^\"\n]{%d,}\"" % (ECHO_MAX + 1, ECHO_MAX + 1))


def shorten(text: str) -> str:
    """``text`` with each quoted value over ``ECHO_MAX`` characters cut to that length with an
    ellipsis (a 100 kB ``--chassis`` need not come back whole)."""
    return _QUOTED.sub(lambda m: m.group()[0] + cut(m.group()[1:-1]) + m.group()[-1], text)


def cut(value: str) -> str:
    """``value``, or its first ``ECHO_MAX`` characters and an ellipsis."""
    return value if len(value) <= ECHO_MAX else value[:ECHO_MAX] + "…"


def _one_line(message: object) -> str:
    """``message`` as one line of printable text (a value may hold a line break or ESC)."""
    from .render import printable

    return printable(" ".join(str(message).replace("\r", "\n").split("\n")))


def _error(message: str) -> None:
    """One line on stderr, whatever the message quotes, long values cut (``shorten``)."""
    print(f"keicar: error: {shorten(_one_line(message))}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """The ``keicar`` command. ``argv``: the arguments (default ``sys.argv[1:]``)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    with _buffered_stdout():
        _run(argv)


def _run(argv: list[str]) -> None:
    try:
        code = command_app(argv)(args=argv, prog_name="keicar", standalone_mode=False)
        _flush()
        if isinstance(code, int) and code:
            sys.exit(code)
    except InputError as exc:
        _error(f"{option_name(exc.field, argv)}: {exc.message}")
        sys.exit(2)
    except LawError as exc:
        print(f"keicar: law data error: {_one_line(exc)}", file=sys.stderr)
        sys.exit(3)
    except typer.Exit as exc:
        _flush()
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("keicar: aborted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        _output_closed()
        sys.exit(1)
    except OSError as exc:  # a path the user gave that the system refuses (too long, a folder, ...)
        if exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
            _output_failed(exc)
        where = f"{cut(str(exc.filename))}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        sys.exit(2)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # help was printed
            sys.exit(0)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # click/typer usage errors
            _error(exc.format_message())
            sys.exit(exc.exit_code or 2)
        if os.environ.get("KEICAR_DEBUG"):
            raise
        print(f"keicar: internal error: {type(exc).__name__}: {shorten(_one_line(exc))} (set KEICAR_DEBUG=1 for "
              "details)",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
