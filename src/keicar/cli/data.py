"""``keicar data``: look after the law data (validate; more to come)."""

import typer

from .app import app

data_app = typer.Typer(help="Look after the law data.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("validate")
def validate() -> None:
    """Parse and validate every file under law/; exit 3 on the first error."""
    from ..engine.parameters import default_law

    law = default_law()
    nodes = law.validate()
    count = sum(1 for n in nodes for _ in n.walk())
    typer.echo(f"law: {len(nodes)} files, {count} parameters, all valid (law version {law.version})")
