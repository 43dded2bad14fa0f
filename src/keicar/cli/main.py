"""Entry point of the ``keicar`` command. Each command lives in its own module here and
registers itself on ``app``; this module only turns errors into one-line messages."""

from __future__ import annotations

import os
import sys

import typer

from ..engine.parameters import LawError
from ..vehicle import InputError

app = typer.Typer(
    name="keicar",
    help="The law around Japanese kei vehicles, as dated, cited, testable code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on `app` when imported.
from . import check as _check  # noqa: E402,F401
from . import data as _data  # noqa: E402,F401
from . import catalog as _catalog  # noqa: E402,F401
from . import changes as _changes  # noqa: E402,F401
from . import variables as _variables  # noqa: E402,F401
from . import cost as _cost  # noqa: E402,F401
from . import fmvss as _fmvss  # noqa: E402,F401
from . import jpcost as _jpcost  # noqa: E402,F401
from . import policy as _policy  # noqa: E402,F401
from . import screen as _screen  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import states as _states  # noqa: E402,F401


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def main() -> None:
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except InputError as exc:
        print(f"keicar: error: {option_name(exc.field)}: {exc.message}", file=sys.stderr)
        sys.exit(2)
    except LawError as exc:
        print(f"keicar: law data error: {exc}", file=sys.stderr)
        sys.exit(3)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("keicar: aborted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # help was printed
            sys.exit(0)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # click/typer usage errors
            print(f"keicar: error: {exc.format_message()}", file=sys.stderr)
            sys.exit(exc.exit_code or 2)
        if os.environ.get("KEICAR_DEBUG"):
            raise
        print(f"keicar: internal error: {type(exc).__name__}: {exc} (set KEICAR_DEBUG=1 for details)",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
