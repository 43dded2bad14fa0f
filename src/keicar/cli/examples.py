"""The Examples section of each command's ``--help``, in one place (``main`` attaches them).
Each line is a command a user can paste; tests run every one of them."""

from __future__ import annotations

EXAMPLES: dict[str, list[str]] = {
    "check": [
        "keicar check --example",
        "keicar check --built 1999-05 --body truck --length-mm 3395 --width-mm 1475 --height-mm 1765 --cc 658 --on 2026-11-24",
        "keicar check --chassis DA63T --built 2001-03 --height-mm 1765 --cc 658 --json",
        "keicar check --chassis DA52T --built 1999 --on 2026-11-30",
        "keicar check --built 1998-12..1999-03 --body truck --length-mm 3395 --width-mm 1475 --height-mm 1755-1800 --cc 657,658",
        "keicar check --built H11/2 --body 'kei truck' --length-mm '3,395 mm' --width-mm 1475 --height-mm 1765 --cc 0.66L",
        "keicar check --example --state RI --registered 2024-05-31 --on 2026-11-24",
    ],
    "lookup": ["keicar lookup EBD-DA63T-123456", "keicar lookup L40 --make Suzuki", 'keicar lookup "Honda Acty 2003"'],
    "when": ["keicar when HA4", "keicar when DA63T --month-reading start"],
    "calendar": ["keicar calendar --month 2027-10", "keicar calendar --month 2027-10 --json"],
    "cost": [
        "keicar cost --body truck --built 1999-05 --price-jpy 600000 --fx-jpy-per-usd 150 --freight-usd 1500 --entry-date 2026-11-24",
        "keicar cost --body passenger --built 2000-01 --price-usd 4000 --air --json",
    ],
    "papers": ["keicar papers --body truck --built 1999-05",
               "keicar papers --body truck --built 1999-05 --state GA"],
    "fmvss": ["keicar fmvss --class truck", "keicar fmvss --class kei-for-america --on 2030-01-01",
              "keicar fmvss --class kei-for-america --baseline truck", "keicar fmvss --class lsv --baseline passenger"],
    "jp-cost": ["keicar jp-cost --years 10", "keicar jp-cost --years 5 --cc 1500 --weight-kg 1200 --json"],
    "screen": [
        "keicar screen listings.csv --out screened.parquet --on 2026-11-24",
        "keicar screen listings.csv --out screened.csv --map 'Year Built=built' --units dimensions=cm",
        "keicar screen dealer.csv --out screened.csv --map 'Chassis No.=chassis' --map 'Make=make' --map 'Model=model'",
        "keicar screen listings.csv --out screened.parquet --report report.html",
        "keicar screen listings.csv --out screened.parquet --json",
    ],
    "sample": ["keicar sample --rows 100000 --out listings.parquet"],
    "serve": ["keicar serve", "keicar serve --port 8080"],
    "states": ["keicar states --on 2026-11-24", "keicar states --status restricted --json"],
    "state": ["keicar state CO --on 2027-07-01", "keicar state TX --json"],
    "map": ["keicar map --on 2026-11-24 --out states.svg"],
    "data validate": ["keicar data validate"],
    "data audit": ["keicar data audit --older-than 180", "keicar data audit --json"],
    "policy list": ["keicar policy list"],
    "policy show": ["keicar policy show kei-for-america"],
    "policy run": ["keicar policy run kei-for-america", "keicar policy run lsv-35mph --chart lsv.png"],
    "policy compare": ["keicar policy compare --chart", "keicar policy compare kei-for-america lsv-35mph --on 2027-01-01",
                       "keicar policy compare us-lsv-today --listings listings.csv --json"],
    "changes": ["keicar changes --since 2025-01-01", "keicar changes --state CO --json"],
    "variables": ["keicar variables", "keicar variables --json"],
}


def epilog(lines: list[str]) -> str:
    """Rich help text: one example a paragraph (rich joins lines of a paragraph); a ``[`` is
    escaped by hand, as importing rich.markup here would slow every command's start."""
    return "[bold]Examples[/bold]\n\n" + "\n\n".join("  " + line.replace("[", "\\[") for line in lines)


def attach(app) -> None:
    """Set the epilog of every command of ``app`` (and of its sub-apps) from ``EXAMPLES``."""
    def walk(typer_app, prefix: str) -> None:
        for info in typer_app.registered_commands:
            name = prefix + (info.name or info.callback.__name__.replace("_", "-"))
            if name in EXAMPLES:
                info.epilog = epilog(EXAMPLES[name])
        for group in typer_app.registered_groups:
            walk(group.typer_instance, f"{prefix}{group.name} ")

    walk(app, "")
