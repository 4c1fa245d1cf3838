"""Interactive charts of results, as plain plotly figure dicts (JSON-ready, no numpy).

Each function is a pure function of a scenario and/or result objects and returns
``{"data": [...], "layout": {...}}``: what ``plotly.graph_objects.Figure(...).to_plotly_json()``
gives, built directly so that it needs no plotly import. Render it with plotly.js
(``Plotly.newPlot(element, figure.data, figure.layout)``), in the HTML report, the web app or
a notebook (``plotly.io.show(figure)``).

The modules: :mod:`~peacetalks.report.figures.utility_space` (the packages in the utility space
of two parties), with :mod:`~peacetalks.report.figures.packages` (which packages are drawn) and
:mod:`~peacetalks.report.figures.overlays` (the frontier, proposals and solutions drawn over
them); :mod:`~peacetalks.report.figures.timelines` (dynamics, sweeps and simulations);
:mod:`~peacetalks.report.figures.static` (the utility space drawn by matplotlib); and
:mod:`~peacetalks.report.figures._common` (layout, colours and hover text they share).

>>> import peacetalks
>>> from peacetalks.report.figures import utility_space_figure
>>> scenario = peacetalks.load("camp-david-1978")
>>> figure = utility_space_figure(scenario, scenario.analyze())
>>> sorted(figure)
['data', 'layout']
"""

from peacetalks.report.figures._common import FONT, GRID, PALETTE, Figure
from peacetalks.report.figures.overlays import SOLUTION_NAMES
from peacetalks.report.figures.packages import (
    LISTING_LIMIT,
    PLOT_LIMIT,
    REJECTION_DRAWS,
    SEED,
    respecting_packages,
)
from peacetalks.report.figures.static import MARKERS, draw_utility_space
from peacetalks.report.figures.timelines import dynamics_figure, simulation_figure, sweep_figure
from peacetalks.report.figures.utility_space import default_axes, utility_space_figure

__all__ = [
    "FONT",
    "GRID",
    "LISTING_LIMIT",
    "MARKERS",
    "PALETTE",
    "PLOT_LIMIT",
    "REJECTION_DRAWS",
    "SEED",
    "SOLUTION_NAMES",
    "Figure",
    "default_axes",
    "draw_utility_space",
    "dynamics_figure",
    "respecting_packages",
    "simulation_figure",
    "sweep_figure",
    "utility_space_figure",
]
