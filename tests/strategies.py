"""Hypothesis generators of valid scenarios (as plain data) and of packages."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def scenario_data(draw: st.DrawFn, max_parties: int = 4, max_issues: int = 4) -> dict[str, Any]:
    """A valid scenario as the plain data a YAML file holds."""
    n_parties = draw(st.integers(2, max_parties))
    n_issues = draw(st.integers(1, max_issues))
    parties = [f"p{k}" for k in range(n_parties)]
    sizes = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = [
        {
            "id": f"i{i}",
            "name": f"Issue {i}",
            "options": [{"id": f"o{o}", "label": f"Option {o}"} for o in range(size)],
        }
        for i, size in enumerate(sizes)
    ]
    for issue in issues:
        if draw(st.booleans()):
            issue["default"] = draw(st.sampled_from([o["id"] for o in issue["options"]]))

    def condition() -> dict[str, list[str]]:
        chosen = draw(st.lists(st.integers(0, n_issues - 1), min_size=1, max_size=2, unique=True))
        out = {}
        for i in chosen:
            picks = draw(st.lists(st.integers(0, sizes[i] - 1), min_size=1, unique=True))
            out[f"i{i}"] = [f"o{o}" for o in picks]
        return out

    preferences: dict[str, Any] = {}
    signatory = [True] + [draw(st.booleans()) for _ in parties[1:]]
    with_prefs = [p for k, p in enumerate(parties) if signatory[k] or draw(st.booleans())]
    for p in with_prefs:
        weights = [draw(st.integers(0, 5)) for _ in range(n_issues)]
        weights[draw(st.integers(0, n_issues - 1))] += 1
        prefs: dict[str, Any] = {
            "weights": {f"i{i}": w for i, w in enumerate(weights)},
            "values": {
                f"i{i}": {f"o{o}": draw(unit) for o in range(sizes[i])} for i in range(n_issues)
            },
            "reservation": draw(st.floats(0.0, 0.8).map(lambda x: round(x, 3))),
        }
        others = [q for q in with_prefs if q != p]
        if others and draw(st.booleans()):
            q = draw(st.sampled_from(others))
            prefs["relative_gains"] = {q: draw(st.floats(-0.5, 1.0).map(lambda x: round(x, 2)))}
        if draw(st.booleans()):
            prefs["interactions"] = [
                {
                    "when": condition(),
                    "bonus": draw(st.floats(-0.3, 0.3).map(lambda x: round(x, 3))),
                }
            ]
        preferences[p] = prefs

    red_lines = []
    for k in range(draw(st.integers(0, 3))):
        owner = draw(st.sampled_from(with_prefs))
        if draw(st.booleans()) or n_issues < 2:
            red_lines.append({"id": f"r{k}", "party": owner, "never": condition(), "source": "s"})
        else:
            first, second = draw(st.permutations(range(n_issues)))[:2]
            red_lines.append(
                {
                    "id": f"r{k}",
                    "party": owner,
                    "if": {f"i{first}": [f"o{draw(st.integers(0, sizes[first] - 1))}"]},
                    "then": {f"i{second}": [f"o{draw(st.integers(0, sizes[second] - 1))}"]},
                    "source": "s",
                }
            )
    proposal = {f"i{i}": f"o{draw(st.integers(0, sizes[i] - 1))}" for i in range(n_issues)}
    return {
        "id": "generated",
        "title": "A generated scenario",
        "as_of": "2025-01-01",
        "sources": [{"id": "s", "title": "A source"}],
        "parties": [
            {"id": p, "name": p.upper(), "kind": "state", "signatory": signatory[k]}
            for k, p in enumerate(parties)
        ],
        "issues": issues,
        "preferences": preferences,
        "red_lines": red_lines,
        "proposals": [{"id": "prop", "name": "A proposal", "package": proposal, "source": "s"}],
    }


@st.composite
def scenario_with_package(
    draw: st.DrawFn, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """A scenario and a package of it (full, or with some issues left out when `partial`)."""
    data = draw(scenario_data())
    package = {}
    for issue in data["issues"]:
        if partial and draw(st.booleans()):
            continue
        package[issue["id"]] = draw(st.sampled_from([o["id"] for o in issue["options"]]))
    return data, package
