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
