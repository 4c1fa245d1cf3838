"""Import GENIUS negotiation domains (the XML format of the ANAC competitions) as scenarios.

A GENIUS domain folder holds one *domain* file (a ``utility_space`` whose ``objective`` lists the
``issue`` elements) and two or more *profiles* (utility spaces over the same issues, one per
party). Files are told apart by content, not by name: a profile carries weights, evaluations,
evaluators, hyper-rectangles, a reservation value or a discount factor; a domain carries none.

The utility of each profile is reproduced as GENIUS computes it:

* **Additive profiles** (``AdditiveUtilitySpace``): ``U(x) = min(1, sum_i w_i e_i(x_i))`` with the
  weights exactly as written (GENIUS does not normalise them when it reads a file). A discrete
  evaluation is divided by the largest evaluation of its issue (0 for all options if that largest
  value is below 1e-5); an integer issue's linear evaluator gives
  ``offset + slope * (x - lowerbound)`` clipped to [0, 1].
* **Nonlinear ANAC 2014 profiles** (``NonlinearUtilitySpace``): ``U(x) = min(1, sum of the
  utility of every hyperRectangle whose INCLUDES bounds contain x / maxutility)``. Each rectangle
  becomes an interaction of the party; the cap at 1 is assumed not to bind (``maxutility`` is the
  published maximum).

A scenario normalises weights to sum to 1, so a profile whose weights do not sum to 1 is encoded
so that the utility still equals GENIUS's: below 1 the option values are scaled by the weight sum;
above 1 one interaction per option adds back the excess weight, and (for outcome spaces of up to
a million packages) one interaction per package above 1 brings it down to GENIUS's cap.

The modules, in the order the import runs: :mod:`~peacetalks.io.genius.safe_xml` (safe XML
reading, error locations), :mod:`~peacetalks.io.genius.folder` (finding the domain and profiles),
:mod:`~peacetalks.io.genius.issues`, :mod:`~peacetalks.io.genius.profile` (with
:mod:`~peacetalks.io.genius.additive` and :mod:`~peacetalks.io.genius.nonlinear` for the two kinds
of :mod:`~peacetalks.io.genius.utility`), :mod:`~peacetalks.io.genius.scenario` (the scenario
data, validation and YAML) and :mod:`~peacetalks.io.genius.pareto` (published frontiers).

>>> from peacetalks.io.genius import slugify
>>> slugify("$100 Billion", prefix="o-")
'o-100-billion'
"""

from peacetalks.io.genius.ids import slugify
from peacetalks.io.genius.pareto import read_published_pareto
from peacetalks.io.genius.safe_xml import MAX_XML_BYTES
from peacetalks.io.genius.scenario import genius_data, genius_to_yaml, load_genius

__all__ = [
    "MAX_XML_BYTES",
    "genius_data",
    "genius_to_yaml",
    "load_genius",
    "read_published_pareto",
    "slugify",
]
