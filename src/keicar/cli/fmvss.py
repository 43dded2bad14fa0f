"""``keicar fmvss``: the FMVSS a vehicle class must meet, or what a policy keeps and waives."""

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
    baseline: Optional[str] = typer.Option(None, help="passenger | truck | lsv: the class to compare with (default for a policy: its declared class, and the truck class too when its category admits trucks)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Federal Motor Vehicle Safety Standards (49 CFR 571) for a class or a policy category."""
    from ..engine.parameters import default_law
    from keicar.rules.us import fmvss as rules
    from keicar.inputs.vehicle import InputError

    law = default_law()
    key = cls.strip().lower()
    chosen = None
    if baseline is not None:
        chosen = rules.CLASSES.get(baseline.strip().lower())
        if chosen is None:
            raise InputError("baseline", f"{baseline!r} is not a class; accepted: {', '.join(rules.CLASSES)}")
    if key in rules.CLASSES:
        klass = rules.CLASSES[key]
        result = {"class": klass, "standards": rules.for_class(law, klass)}
        if chosen:
            result["comparisons"] = [rules.compare_classes(law, klass, chosen)]
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
        plaw = policy.law(law)
        classes = [chosen] if chosen else rules.baselines(plaw, policy.category, policy.fmvss_baseline_class, on_d)
        # The first comparison at the top level (the JSON as before), every one under comparisons.
        comparisons = [{"baseline_class": c, **rules.for_policy(plaw, policy.category, c, on_d)} for c in classes]
        result = {"policy": policy.id, "hypothetical": policy.hypothetical, "on": on_d.isoformat(),
                  **comparisons[0], "comparisons": comparisons}
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
        for c in result.get("comparisons", []):
            console.print(f"[bold]Against {esc(c['baseline_class'])}[/bold]: "
                          f"{len(c['kept'])} in both, {len(c['waived'])} only for {esc(c['baseline_class'])}, "
                          f"{len(c['added'])} only for {esc(result['class'])}")
            _tables(console, c, "Only for the baseline", "Only for the class")
        console.print("[dim]Applicability 'medium': compiled from NHTSA's quick reference guide and "
                      "secondary lists, not each standard's application clause.[/dim]")
        return
    label = " (HYPOTHETICAL)" if result["hypothetical"] else ""
    for c in result["comparisons"]:
        console.print(f"[bold]{esc(result['policy'])}{label}[/bold] against {esc(c['baseline_class'])}, on {result['on']}")
        if not c["required_known"]:
            console.print(esc(f"The policy sets no {c['parameter']}: every standard of the class is kept."))
        _tables(console, c, "Waived", "Required, outside the class")
        for n in c.get("named_only", []):
            console.print(esc(n["sentence"]))
    first = result["comparisons"][0]
    if first.get("citation"):
        console.print("[dim]" + esc(f"List: {first['parameter']} from {first['effective']} ({first['citation']})")
                      + "[/dim]")


def _tables(console, c: dict, waived: str, added: str) -> None:
    console.print(_table(f"Kept ({len(c['kept'])})", c["kept"]))
    console.print(_table(f"{waived} ({len(c['waived'])})", c["waived"]))
    if c["added"]:
        console.print(_table(added, c["added"]))
