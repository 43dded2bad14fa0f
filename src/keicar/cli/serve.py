"""``keicar serve``: the web page and the JSON API on a local port."""

import errno

import typer

from keicar.inputs.vehicle import InputError
from .app import app


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
    _check_address(host, int(port))
    typer.echo(f"keicar: serving on http://{host}:{port}/ (API docs at /docs; Ctrl-C to stop)")
    uvicorn.run(create_app(), host=host, port=int(port), workers=1, log_level="warning")


def _check_address(host: str, port: int) -> None:
    """Bind ``host:port`` once before starting, so that a bad address or a port in use is one
    line naming the option (uvicorn would log it after "serving on" and exit 3)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise InputError("host", f"{host!r} is not an address of this machine ({_reason(exc)}); "
                                 "give an IP address or a host name, e.g. 127.0.0.1") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError("port", f"{port} is in use on {host}; give another port") from None
            if exc.errno == errno.EACCES:
                raise InputError("port", f"{port} needs more privileges on {host}; give a port above 1023") from None
            raise InputError("host", f"cannot listen on {host!r}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "strerror", None) or exc or type(exc).__name__)
