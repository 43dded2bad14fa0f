"""The ``keicar`` command line (typer + rich). It parses input and renders output only."""
