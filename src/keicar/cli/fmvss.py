"""``keicar fmvss``: the FMVSS a vehicle class must meet, or what a policy keeps and waives."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .render import add_row, esc, fields_named
from .render import console as make_console


@app.command()
def fmvss(
    cls: str = typer.Option(..., "--class", help="passenger | truck | lsv, or a policy file (or a shipped policy's name)."),
    on: Optional[str] = typer.Option(None, help="For a policy: the date asked, YYYY-MM-DD (default: when the whole policy is in force)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Federal Motor Vehicle Safety Standards (49 CFR 571) for a class or a policy category."""
    from ..engine.parameters import default_law
    from keicar.rules.us import fmvss as rules
    from keicar.inputs.vehicle import InputError

    law = default_law()
    key = cls.strip().lower()
    if key in rules.CLASSES:
        klass = rules.CLASSES[key]
        result = {"class": klass, "standards": rules.for_class(law, klass)}
    else:
        from ..engine.policy import POLICY_ROOT, load_policy, shipped_policies
        from keicar.answers.policy import resolve_on

        if not (_is_file(cls) or _is_file(POLICY_ROOT / f"{key}.yaml")):
            names = ", ".join(p.stem for p in shipped_policies())
            raise InputError("cls", f"{cls!r} is not a class or a policy; accepted: "
                                    f"{', '.join(rules.CLASSES)}, a shipped policy ({names}) or a policy file")
        with fields_named(policy="cls"):
            policy = load_policy(cls, law)
        if not policy.category or not policy.fmvss_baseline_class:
            raise InputError("cls", f"{cls}: the policy names no category or fmvss_baseline_class")
        on_d = resolve_on(on, policy)
        result = {"policy": policy.id, "hypothetical": policy.hypothetical, "on": on_d.isoformat(),
                  "baseline_class": policy.fmvss_baseline_class,
                  **rules.for_policy(policy.law(law), policy.category, policy.fmvss_baseline_class, on_d)}
    from .render import emit

    emit(result, as_json, _show)


def _is_file(path) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):  # a name too long, or holding a NUL: not a file
        return False


def _table(title: str, rows: list[dict]):
    from rich.table import Table

    t = Table(title=esc(title), title_justify="left")
    for col in ("FMVSS", "name", "49 CFR", "applicability"):
        t.add_column(col)
    for s in rows:
        add_row(t, s["number"], s["name"], s["cfr"], s.get("applicability_confidence") or "—")
    return t


def _show(result: dict) -> None:
    console = make_console()
    if "class" in result:
        console.print(_table(f"FMVSS that apply to class {result['class']} ({len(result['standards'])})",
                             result["standards"]))
        console.print("[dim]Applicability 'medium': compiled from NHTSA's quick reference guide and "
                      "secondary lists, not each standard's application clause.[/dim]")
        return
    label = " (HYPOTHETICAL)" if result["hypothetical"] else ""
    console.print(f"[bold]{esc(result['policy'])}{label}[/bold] against {esc(result['baseline_class'])}, on {result['on']}")
    if not result["required_known"]:
        console.print(esc(f"The policy sets no {result['parameter']}: every standard of the class is kept."))
    console.print(_table(f"Kept ({len(result['kept'])})", result["kept"]))
    console.print(_table(f"Waived ({len(result['waived'])})", result["waived"]))
    if result["added"]:
        console.print(_table("Required, outside the class", result["added"]))
    if result.get("citation"):
        console.print("[dim]" + esc(f"List: {result['parameter']} from {result['effective']} ({result['citation']})")
                      + "[/dim]")
