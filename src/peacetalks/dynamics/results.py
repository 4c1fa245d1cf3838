"""The result objects of :func:`peacetalks.dynamics.dynamics`."""

from __future__ import annotations

from dataclasses import dataclass

from peacetalks.results import Result


@dataclass(frozen=True)
class PartyPath(Result):
    """One party over time (one entry per reported period)."""

    party: str
    reservation: tuple[float, ...]
    """Value of fighting on, under the party's own beliefs."""
    reservation_baseline: tuple[float, ...]
    """Value of fighting on if the party held the analyst's baseline."""
    best_deal: tuple[float | None, ...]
    """The party's best effective utility among packages every other signatory accepts, in
    the own-beliefs world (None: no such package)."""
    waiting_better: tuple[bool, ...]
    """Whether fighting on is worth more to the party than that best deal."""
    value_of_waiting: tuple[float | None, ...]
    """reservation - best_deal (positive: waiting is worth more)."""
    cost: tuple[float, ...]
    """Per-period cost of fighting on, sanctions included (own beliefs)."""


@dataclass(frozen=True)
class ZopaPath(Result):
    """The ZOPA in each reported period, in one world."""

    world: str
    exists: tuple[bool, ...]
    largest_shortfall: tuple[float, ...]
    """The closest package's largest shortfall below a reservation value (0 or less: a ZOPA)."""
    first: int | None
    """Index of the first reported period with a ZOPA."""
    windows: tuple[tuple[int, int], ...]
    """Runs of consecutive periods with a ZOPA, as (first, last) indices."""


@dataclass(frozen=True)
class RipenessPath(Result):
    """Zartman's ripeness, per reported period (see :func:`peacetalks.theory.ripeness`)."""

    sides: tuple[str, str]
    expected_gain: dict[str, tuple[float, ...]]
    """Each side's discounted expected gain from the movement of the front if it fights on,
    under its own beliefs (above 0: it expects to gain, so no stalemate for it)."""
    hurting: dict[str, tuple[bool, ...]]
    stalemate: dict[str, tuple[bool, ...]]
    mutually_hurting: tuple[bool, ...]
    way_out: tuple[bool, ...]
    ripe: tuple[bool, ...]
    first_ripe: int | None


@dataclass(frozen=True)
class LeverResult(Result):
    """What moving one parameter does to the first ZOPA and the first ripe period (in the
    own-beliefs world; periods are reported-period indices)."""

    parameter: str
    label: str
    baseline: float
    values: tuple[float, ...]
    """The grid of values tried, evenly spread over the lever's range."""
    first_zopa: tuple[int | None, ...]
    first_ripe: tuple[int | None, ...]
    baseline_first_zopa: int | None
    baseline_first_ripe: int | None
    opens_zopa_at: float | None
    """The value nearest the baseline that opens a ZOPA within the horizon (the baseline
    itself when it already does), found by bisection between grid points; None when no value
    in the range does."""
    earliest_zopa: int | None
    earliest_zopa_at: float | None
    earliest_ripe: int | None
    earliest_ripe_at: float | None
    brings_zopa_forward_by: int | None
    """Periods gained over the baseline's first ZOPA (counting a baseline that never opens
    one as opening it one period after the horizon)."""
    brings_ripeness_forward_by: int | None


@dataclass(frozen=True)
class Assumption(Result):
    """One parameter of the war model as the conclusions use it: the baseline, its range, who
    believes otherwise, and where it comes from."""

    parameter: str
    baseline: float
    low: float | None
    high: float | None
    beliefs: dict[str, float]
    """Party -> the value it believes, where it differs from the baseline."""
    sources: tuple[str, ...]
    rationale: str | None


@dataclass(frozen=True)
class Dynamics(Result):
    """Everything `peacetalks dynamics` reports."""

    scenario: str
    period: str
    step: str
    every: int
    """Model periods per reported step."""
    dates: tuple[str, ...]
    """The date of each reported period (period 0 is the scenario's as_of)."""
    sides: tuple[str, str]
    control: dict[str, tuple[float, ...]]
    """The first side's share of the contested territory: under the baseline and under each
    party's own beliefs."""
    win_probability: dict[str, tuple[float, ...]]
    parties: tuple[PartyPath, ...]
    zopa: dict[str, ZopaPath]
    ripeness: RipenessPath
    levers: tuple[LeverResult, ...]
    sources: tuple[str, ...]
    """Sources cited by the war model."""
    assumptions: tuple[Assumption, ...] = ()
    """Every parameter of the war model behind these conclusions."""
    verdict: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        """A compact HTML summary (Jupyter)."""
        from peacetalks.report.html import dynamics_html

        return dynamics_html(self)
