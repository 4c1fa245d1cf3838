"""Charts of results, written as PNG, SVG or a self-contained HTML page (matplotlib, an
optional dependency: ``pip install peacetalks[plot]``)."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peacetalks.errors import UsageError

if TYPE_CHECKING:
    from peacetalks.dynamics import Dynamics

FORMATS = (".png", ".svg", ".html")


def write_dynamics_plot(result: Dynamics, path: Path) -> Path:
    """Draw the dynamics paths (control of the contested territory, each party's value of
    fighting on, and the ZOPA gap) into `path`; its suffix picks the format."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot draw into {path.name!r}; expected a file ending in " + ", ".join(FORMATS)
        )
    figure = _dynamics_figure(result)
    if suffix == ".html":
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight")
        path.write_text(_page(result, buffer.getvalue()), encoding="utf-8")
    else:
        figure.savefig(path, format=suffix[1:], dpi=150, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    return path


def _dynamics_figure(result: Dynamics) -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise UsageError("plots need matplotlib: pip install 'peacetalks[plot]'") from error
    steps = list(range(len(result.dates)))
    figure, (top, middle, bottom) = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    for label, values in result.control.items():
        top.plot(steps, values, label=label)
    top.set_ylabel(f"{result.sides[0]} control")
    top.set_title(f"{result.scenario}: the war as the outside option")
    top.legend(fontsize="small")
    for k, party in enumerate(result.parties):
        colour = f"C{k}"
        middle.plot(steps, party.reservation, color=colour, label=f"{party.party} (own beliefs)")
        middle.plot(
            steps, party.reservation_baseline, color=colour, linestyle="--", label="_nolegend_"
        )
    middle.set_ylabel("value of fighting on\n(dashed: baseline)")
    middle.legend(fontsize="small", ncol=2)
    for world, zopa in result.zopa.items():
        bottom.plot(steps, zopa.largest_shortfall, label=world)
    bottom.axhline(0.0, color="grey", linewidth=0.8)
    ripe = [t for t, flag in enumerate(result.ripeness.ripe) if flag]
    if ripe:
        bottom.scatter(ripe, [0.0] * len(ripe), marker="v", color="green", label="ripe")
    bottom.set_ylabel("closest package's shortfall\n(ZOPA at or below 0)")
    bottom.set_xlabel(f"{result.step}s from {result.dates[0]}")
    bottom.legend(fontsize="small")
    figure.tight_layout()
    return figure


def _page(result: Dynamics, svg: str) -> str:
    """A self-contained page: title, the verdict, the chart (inline SVG, no scripts)."""
    items = "\n".join(f"<li>{html.escape(sentence)}</li>" for sentence in result.verdict)
    start = svg.find("<svg")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(result.scenario)}: dynamics</title></head>\n<body>\n"
        f"<h1>{html.escape(result.scenario)}: the war as the outside option</h1>\n"
        f"<ul>\n{items}\n</ul>\n{svg[start:]}\n</body></html>\n"
    )
