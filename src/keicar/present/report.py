"""``keicar screen --report report.html``: a screen's summary as one self-contained page.

Everything is inside the file: the style sheet inline, the charts as inline SVG, no script, no
font, image or style sheet loaded from anywhere, so the page opens the same offline, from an
e-mail or an archive. The markup is well-formed XML (XHTML syntax in an HTML5 document), so any
parser reads it. Every value that comes from the input (state values, reasons quoting a
cell) is escaped.
"""

from __future__ import annotations

import datetime as dt
import os
from html import escape
from pathlib import Path
from typing import Any

from .outlook import colour, label, meaning

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1000px;margin:0 auto;padding:16px 20px 40px;background:#fff}
h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid #d0d7de}
.meta{color:#57606a;margin:0 0 1em}
.totals{display:flex;flex-wrap:wrap;gap:12px;margin:1em 0}
.totals div{flex:1 1 150px;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px}
.totals b{display:block;font-size:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:6px;vertical-align:middle}
.reason{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;word-break:break-word}
svg{max-width:100%;height:auto}
.note{color:#57606a;font-size:.9em}
@media print{body{background:#fff}main{padding:0}}
"""


def write_report(path: Path, summary: dict[str, Any], about: dict[str, Any]) -> None:
    """Write the page to ``path`` (the caller renames it into place when the run succeeds)."""
    text = render(summary, about)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def render(summary: dict[str, Any], about: dict[str, Any]) -> str:
    """The page, as text. ``summary``: ``keicar.batch.summary.summarize``; ``about``: the
    input's and outputs' names, the date asked, the state given (``input``, ``out``,
    ``rejects``, ``on``, ``state``)."""
    from .. import __version__
    from ..engine.parameters import default_law

    e = _e
    title = f"keicar screen: {about.get('input', '')}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body><main>",
        f"<h1>Screen of {e(about.get('input', ''))}</h1>",
        f'<p class="meta">Date asked: {e(about.get("on", ""))}'
        + (f"; state: {e(about['state'])}" if about.get("state") else "")
        + f". Screened rows: {e(about.get('out', ''))}; rejected rows: {e(about.get('rejects', ''))}."
        + f" keicar {e(__version__)}, law data {e(default_law().version)},"
        + f" written {e(dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))}.</p>",
        _totals(summary),
    ]
    parts += _verdicts(summary)
    parts += _states(summary)
    parts += _rejects(summary)
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "–"


def _totals(s: dict[str, Any]) -> str:
    cells = [("Rows read", s["read"]), ("Written (screened)", s["written"]), ("Rejected", s["rejected"])]
    inner = "".join(f"<div>{_e(name)}<b>{_n(n)}</b></div>" for name, n in cells)
    ok = "=" if s["read"] == s["written"] + s["rejected"] else "≠"
    return (f'<div class="totals">{inner}</div>'
            f'<p>read {_n(s["read"])} {ok} written {_n(s["written"])} + rejected {_n(s["rejected"])}'
            f" (each counted from its own file).</p>")


def _verdicts(s: dict[str, Any]) -> list[str]:
    by = s.get("by_verdict")
    out = ["<h2>Screened rows by verdict</h2>"]
    if by is None:
        out.append('<p class="note">The verdict column (us_import_outlook) was not among the --columns '
                   "asked, so the rows are not counted by verdict.</p>")
        return out
    total = sum(by.values())
    out.append(_bar_chart([(label(v), n, colour(v)) for v, n in by.items()], total))
    rows = "".join(
        f'<tr><td><span class="sw" style="background:{colour(v)}"></span>{_e(label(v))}</td>'
        f'<td class="n">{_n(n)}</td><td class="n">{_share(n, total)}</td><td>{_e(meaning(v))}</td></tr>'
        for v, n in by.items())
    out.append('<table><thead><tr><th>Verdict</th><th class="n">Rows</th><th class="n">Share</th>'
               f"<th>Meaning</th></tr></thead><tbody>{rows}</tbody>"
               f'<tfoot><tr><th>Total</th><th class="n">{_n(total)}</th><th class="n">{_share(total, total)}</th>'
               "<th></th></tr></tfoot></table>")
    return out


def _bar_chart(bars: list[tuple[str, int, str]], total: int) -> str:
    """Horizontal bars, one per verdict, labelled with the count."""
    width, label_w, bar_h, gap = 720, 230, 22, 8
    height = len(bars) * (bar_h + gap) + gap
    most = max((n for _, n, _ in bars), default=0) or 1
    room = width - label_w - 120
    items = []
    for i, (name, n, fill) in enumerate(bars):
        y = gap + i * (bar_h + gap)
        w = round(room * n / most, 1)
        items.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">{_e(name)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{fill}" rx="2"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}">{_n(n)} ({_share(n, total)})</text>')
    return (f'<svg role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="system-ui,sans-serif" font-size="13">'
            f"<title>Screened rows by verdict</title>{''.join(items)}</svg>")


def _states(s: dict[str, Any]) -> list[str]:
    by_state = s.get("by_state")
    if not by_state:
        return []
    verdicts = list(next(iter(by_state.values())))
    out = ["<h2>By state</h2>",
           '<p class="note">Each bar is one state\'s screened rows (100%), split by verdict in the colours '
           "above; the number is the state's rows.</p>", _state_chart(by_state, verdicts)]
    head = "".join(f'<th class="n"><span class="sw" style="background:{colour(v)}"></span>{_e(label(v))}</th>'
                   for v in verdicts)
    rows = []
    for code, counts in by_state.items():
        cells = "".join(f'<td class="n">{_n(counts.get(v, 0))}</td>' for v in verdicts)
        rows.append(f'<tr><td>{_e(code)}</td>{cells}<td class="n">{_n(sum(counts.values()))}</td></tr>')
    out.append(f'<table><thead><tr><th>State</th>{head}<th class="n">Total</th></tr></thead>'
               f"<tbody>{''.join(rows)}</tbody></table>")
    return out


def _state_chart(by_state: dict[str, dict[str, int]], verdicts: list[str]) -> str:
    """One stacked bar per state: its rows by verdict, as shares of the state's rows."""
    width, label_w, bar_h, gap = 720, 70, 16, 4
    height = len(by_state) * (bar_h + gap) + gap
    room = width - label_w - 70
    items = []
    for i, (code, counts) in enumerate(by_state.items()):
        y = gap + i * (bar_h + gap)
        total = sum(counts.values())
        x = float(label_w)
        items.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.75:.1f}" text-anchor="end">{_e(code)}</text>')
        for v in verdicts:
            n = counts.get(v, 0)
            if not n:
                continue
            w = room * n / total
            items.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour(v)}">'
                         f"<title>{_e(code)}: {_e(label(v))} {_n(n)}</title></rect>")
            x += w
        items.append(f'<text x="{label_w + room + 6}" y="{y + bar_h * 0.75:.1f}">{_n(total)}</text>')
    return (f'<svg role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="system-ui,sans-serif" font-size="12">'
            f"<title>Rows by state and verdict</title>{''.join(items)}</svg>")


def _rejects(s: dict[str, Any]) -> list[str]:
    out = ["<h2>Rejected rows</h2>"]
    if not s["rejected"]:
        out.append("<p>None: every row read was screened.</p>")
        return out
    fields = "".join(f'<tr><td>{_e(f)}</td><td class="n">{_n(n)}</td><td class="n">{_share(n, s["rejected"])}</td>'
                     "</tr>" for f, n in s["rejects_by_field"].items())
    out.append('<table><thead><tr><th>Field at fault</th><th class="n">Rows</th><th class="n">Share</th></tr>'
               f"</thead><tbody>{fields}</tbody></table>")
    out.append("<h2>Reject reasons</h2>")
    out.append('<p class="note">Reasons are grouped with the values they quote left out (…); '
               "each row's own reason is in the rejects file.</p>")
    rows = "".join(
        f'<tr><td>{_e(r["field"])}</td><td class="reason">{_e(r["reason"])}</td><td class="n">{_n(r["rows"])}</td>'
        f'<td class="n">{_n(r["first_row"])}</td><td class="reason">{_e(r["example"])}</td></tr>'
        for r in s["reject_reasons"])
    out.append('<table><thead><tr><th>Field</th><th>Reason</th><th class="n">Rows</th><th class="n">First row</th>'
               f"<th>Example</th></tr></thead><tbody>{rows}</tbody></table>")
    if s.get("other_reject_rows"):
        out.append(f'<p class="note">{_n(s["other_reject_rows"])} more rejected rows with other reasons.</p>')
    return out
