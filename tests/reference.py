"""A slow, loop-based reading of the scenario format's definitions, used as a test oracle.

It works on the plain data of a scenario file, not on the compiled arrays, so it checks the
compile step as well as the vectorised maths.
"""

from __future__ import annotations

import itertools
from typing import Any


def number(x: Any) -> float:
    return float(x["value"]) if isinstance(x, dict) else float(x)


def holds(condition: dict[str, Any], package: dict[str, str]) -> bool:
    for issue, chosen in condition.items():
        names = [chosen] if isinstance(chosen, str) else list(chosen)
        if package[issue] not in names:
            return False
    return True


def utility(data: dict[str, Any], party: str, package: dict[str, str]) -> float:
    prefs = data["preferences"][party]
    total = sum(number(w) for w in prefs["weights"].values())
    u = 0.0
    for issue, weight in prefs["weights"].items():
        if number(weight) > 0:
            u += number(weight) / total * number(prefs["values"][issue][package[issue]])
    for interaction in prefs.get("interactions", []):
        if holds(interaction["when"], package):
            u += number(interaction["bonus"])
    return u


def effective(data: dict[str, Any], party: str, package: dict[str, str]) -> float:
    prefs = data["preferences"][party]
    u = utility(data, party, package)
    for other, alpha in prefs.get("relative_gains", {}).items():
        gain = utility(data, other, package) - number(data["preferences"][other]["reservation"])
        u -= number(alpha) * gain
    return u


def crosses(data: dict[str, Any], party: str, package: dict[str, str]) -> list[str]:
    out = []
    for line in data.get("red_lines", []):
        if line["party"] != party:
            continue
        if "never" in line:
            bad = holds(line["never"], package)
        else:
            bad = holds(line["if"], package) and not holds(line["then"], package)
        if bad:
            out.append(line["id"])
    return out


def accepts(data: dict[str, Any], party: str, package: dict[str, str]) -> bool:
    reservation = number(data["preferences"][party]["reservation"])
    margin = effective(data, party, package) - reservation
    return margin >= -1e-9 and not crosses(data, party, package)


def all_packages(data: dict[str, Any]) -> list[dict[str, str]]:
    ids = [issue["id"] for issue in data["issues"]]
    choices = [[o["id"] for o in issue["options"]] for issue in data["issues"]]
    return [dict(zip(ids, combo, strict=True)) for combo in itertools.product(*choices)]
