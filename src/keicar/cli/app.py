"""The ``keicar`` Typer application: every command module registers itself on ``app``;
``keicar.cli.main`` imports them all and runs it."""

import typer

app = typer.Typer(
    name="keicar",
    help="The law around Japanese kei vehicles, as dated, cited, testable code.\n\n"
         "Exit codes: 0 answered; 1 not found (lookup) or the output could not be written (closed or "
         "broken pipe); 2 bad input (one line on stderr naming the option); 3 bad law data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def show_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"keicar {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=show_version,
                                 help="Print keicar's version and exit."),
) -> None:
    """Options of ``keicar`` itself (before the command)."""


