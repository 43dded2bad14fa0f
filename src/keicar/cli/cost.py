"""``keicar cost`` (landed cost) and ``keicar papers`` (import checklist)."""

from typing import Optional

import typer

from .app import app
from .render import add_row, esc
from .render import console as make_console


@app.command()
def cost(
    body: Optional[str] = typer.Option(None, help="passenger | truck | van"),
    built: Optional[str] = typer.Option(None, help="Build date: YYYY-MM-DD or YYYY-MM."),
    price_usd: Optional[str] = typer.Option(None, "--price-usd", help="Price paid for the vehicle, USD."),
    price_jpy: Optional[str] = typer.Option(None, "--price-jpy", help="Price paid for the vehicle, yen (needs --fx-jpy-per-usd)."),
    fx_jpy_per_usd: Optional[str] = typer.Option(None, "--fx-jpy-per-usd", help="Yen per US dollar (your rate; no network)."),
    freight_usd: Optional[str] = typer.Option(None, "--freight-usd", help="International freight, USD."),
    insurance_usd: Optional[str] = typer.Option(None, "--insurance-usd", help="Marine insurance, USD."),
    entry_date: Optional[str] = typer.Option(None, "--entry-date", help="Date of entry, YYYY-MM-DD (default today)."),
    ocean: bool = typer.Option(True, "--ocean/--air", help="Ocean (default, HMF due) or air shipment."),
    broker_usd: Optional[str] = typer.Option(None, "--broker-usd", help="Customs broker fee, USD."),
    port_usd: Optional[str] = typer.Option(None, "--port-usd", help="Port and terminal charges, USD."),
    state_fees_usd: Optional[str] = typer.Option(None, "--state-fees-usd", help="State title, registration and tax, USD."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON contract."),
) -> None:
    """US landed cost: customs value, duty by HTS heading and entry date, MPF, HMF, your fees."""
    from keicar.answers.cost import landed_cost

    r = landed_cost(body=body, built=built, price_usd=price_usd, price_jpy=price_jpy,
                    fx_jpy_per_usd=fx_jpy_per_usd, freight_usd=freight_usd, insurance_usd=insurance_usd,
                    entry_date=entry_date, mode="ocean" if ocean else "air", broker_usd=broker_usd,
                    port_usd=port_usd, state_fees_usd=state_fees_usd)
    if as_json:
        from .render import print_json

        print_json(r)
        return
    from rich.table import Table

    d = r["duty"]
    t = Table(title=esc(f"US landed cost, entry {r['entry_date']} (HTS {d['hts']}, duty {d['rate_percent']:g}%)"),
              title_justify="left")
    for col in ("item", "USD", "in force since", "citation"):
        t.add_column(col, justify="right" if col == "USD" else "left")
    cv = r["customs_value"]
    add_row(t, "Vehicle price (customs value)", f"{cv['amount_usd']:,.2f}", cv["effective"] or "", cv["citation"] or "")
    add_row(t, "Freight + insurance (not dutiable)",
            f"{r['transport']['freight_usd'] + r['transport']['insurance_usd']:,.2f}", "", "")
    for line in d["lines"] + r["fees"]:
        rate = f" {line['rate_percent']:g}%" if line.get("rate_percent") is not None else ""
        add_row(t, line["label"] + rate, f"{line['amount_usd']:,.2f}", line.get("effective") or "",
                (line.get("citation") or "your figure") + (f" [{line['confidence']} confidence]"
                                                         if line.get("confidence") in ("low", "medium") else ""))
    t.add_row("[bold]Total landed[/bold]", f"[bold]{r['total_usd']:,.2f}[/bold]", "", "")
    console = make_console()
    console.print(t)
    for u in r["unclear"]:
        console.print(f"[yellow]? {esc(u['text'])} ({esc(u['citation'])})[/yellow]")
    for n in r["notes"]:
        console.print(f"[dim]• {esc(n)}[/dim]")


@app.command()
def papers(
    body: Optional[str] = typer.Option(None, help="passenger | truck | van"),
    built: Optional[str] = typer.Option(None, help="Build date: YYYY-MM-DD or YYYY-MM."),
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default today)."),
    ocean: bool = typer.Option(True, "--ocean/--air", help="Ocean (default) or air shipment."),
    month_reading: Optional[str] = typer.Option(None, "--month-reading", help="end (default) or start."),
    state: Optional[str] = typer.Option(None, "--state", help="US state or DC (code or name): its title steps "
                                        "follow its rule (none where it refuses a title)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The import paperwork for the vehicle's path (25-year or off-road), in order, cited."""
    from ..api import resolve_on, resolve_reading
    from ..engine.parameters import default_law
    from keicar.answers.papers import for_vehicle
    from keicar.inputs.vehicle import make_vehicle

    vehicle = make_vehicle(built=built, body=body, require_specs=False)
    on_d = resolve_on(on, default_law())
    r = for_vehicle(vehicle, on_d, "ocean" if ocean else "air", resolve_reading(month_reading), state=state)
    if as_json:
        from .render import print_json

        print_json(r)
        return
    typer.echo(f"Path on {r['on']}: {r['us_path']}" + (f" — {r['path_description']}" if r["path_description"] else ""))
    if r["note"]:
        typer.echo(r["note"])
    if r.get("state"):
        st = r["state"]
        typer.echo(f"State steps for {st['name']} ({st['code']}), status {st['status']} on {r['on']}"
                   + (f"; {st['citations'][0]}" if st["citations"] else ""))
    for i, item in enumerate(r["items"], 1):
        form = f" [{item['form']}]" if item["form"] else ""
        conf = f" [{item['confidence']} confidence]" if item["confidence"] in ("low", "medium") else ""
        typer.echo(f"{i:2}. {item['item']}{form} — {item['agency']} ({item['stage']}); {item['citation']}{conf}")
