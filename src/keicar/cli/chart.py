"""Charts for ``keicar policy run`` (matplotlib, imported only here; extra ``plot``)."""

from __future__ import annotations

from keicar.inputs.vehicle import InputError


def policy_chart(result: dict, out: str) -> None:
    try:
        import matplotlib
    except ImportError:
        raise InputError("chart", "needs matplotlib: pip install 'keicar[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    kinds = ("qualify", "fail", "unknown")
    names = ("today's law", "with the policy")
    sums = (result["baseline"], result["policy_result"])
    width = 0.38
    for i, (name, s) in enumerate(zip(names, sums)):
        xs = [k + (i - 0.5) * width for k in range(len(kinds))]
        ax1.bar(xs, [s[k] for k in kinds], width, label=name)
    ax1.set_xticks(range(len(kinds)), kinds)
    ax1.set_ylabel(f"rows of {result['source']}")
    ax1.legend()
    ax1.set_title("Who qualifies")
    limits = sorted(set(result["baseline"]["excluded_by"]) | set(result["policy_result"]["excluded_by"]))
    for i, (name, s) in enumerate(zip(names, sums)):
        ys = [k + (i - 0.5) * width for k in range(len(limits))]
        ax2.barh(ys, [s["excluded_by"].get(n, 0) for n in limits], width, label=name)
    ax2.set_yticks(range(len(limits)), limits)
    ax2.set_title("Excluded by limit")
    tag = " (HYPOTHETICAL)" if result["hypothetical"] else ""
    fig.suptitle(f"{result['title']}{tag} — on {result['on']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def text_bars(console, bars: list[tuple[str, dict[str, int]]], width: int = 40) -> None:
    """A stacked bar per line in the terminal (rich): admitted, not admitted, unknown, each
    part's width in proportion to the rows (and its count after the bar)."""
    from rich.table import Table
    from rich.text import Text

    parts = (("admitted", "█", "green"), ("not_admitted", "█", "red"), ("unknown", "░", "bright_black"))
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column(no_wrap=True)
    t.add_column(no_wrap=True)
    t.add_column(no_wrap=True)
    for name, counts in bars:
        total = sum(counts.get(k, 0) for k, _, _ in parts) or 1
        bar, done = Text(), 0
        for i, (key, ch, style) in enumerate(parts):
            # the last part takes the rest, so that every bar is exactly `width` wide
            n = width - done if i == len(parts) - 1 else round(width * counts.get(key, 0) / total)
            bar.append(ch * n, style=style)
            done += n
        t.add_row(Text(name), bar, Text(" / ".join(str(counts.get(k, 0)) for k, _, _ in parts)))
    console.print(t)
    console.print(Text("█ admitted  ", style="green") + Text("█ not admitted  ", style="red")
                  + Text("░ unknown", style="bright_black"))
