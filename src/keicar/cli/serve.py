"""``keicar serve``: the web page and the JSON API on a local port."""

from __future__ import annotations

import typer

from ..vehicle import InputError
from .main import app


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (default: this machine only)."),
    port: str = typer.Option("8000", help="TCP port, 1-65535."),
) -> None:
    """The web page (form, US map, calendar) and the JSON API (docs at /docs)."""
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InputError("port", f"{port!r} is not a TCP port; use a number from 1 to 65535")
    try:
        import uvicorn

        from ..web.app import create_app
    except ImportError as exc:
        typer.echo(f"keicar: error: serve needs the web extra ({exc.name} is missing): "
                   "pip install 'keicar[web]'", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"keicar: serving on http://{host}:{port}/ (API docs at /docs; Ctrl-C to stop)")
    uvicorn.run(create_app(), host=host, port=int(port), workers=1, log_level="warning")
