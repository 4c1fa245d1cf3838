"""Load actor tables from CSV (long or wide form) and YAML, with located, helpful errors.

**CSV, long form** (one row per actor and issue; recognised by an ``issue`` or ``dimension``
column)::

    actor,issue,position,salience,power
    USA,finance,40,0.65,1.0

``power`` or ``capability`` is the actor's capability; it must be the same on all of an actor's
rows. An actor missing from an issue gets salience 0 there (it casts no vote) and the middle of
the scale as position.

**CSV, wide form** (one row per actor)::

    actor,position,capability,salience                 # one dimension, named "issue"
    actor,capability,position:territory,salience:territory,position:nato,salience:nato

Optional columns: ``source`` and ``rationale`` (kept as the actor's notes).

**YAML**::

    dimensions:
      - {id: territory, low: 0, high: 100, low_means: ..., high_means: ...}
    actors:
      - name: Russia
        capability: 0.3
        source: ...            # a source or a rationale is required for every actor
        positions: {territory: 100}
        saliences: {territory: 1.0}

**Scales.** The CSV scale of each dimension is the span of its positions (as in Scholz et al.,
``R = x_max - x_min``) unless `scale` is given; YAML states ``low``/``high`` per dimension.

**Saliences given as 0-100 are detected**, not rejected: if every salience of a file lies in
``[0, 100]`` and one exceeds 1, all are read as percentages and divided by 100 (pass
``salience_scale="unit"`` to reject such files instead, or ``"percent"`` to force the
conversion, e.g. for a percent file whose values happen all to be 0 or 1). Negative saliences,
and saliences above 100, are errors.

The modules: :mod:`~peacetalks.forecast.tables.loading` (a file, a shipped dataset, or what a
user typed), :mod:`~peacetalks.forecast.tables.csv` and :mod:`~peacetalks.forecast.tables.yaml`
(the two formats), :mod:`~peacetalks.forecast.tables._common` (saliences and the table they
build) and :mod:`~peacetalks.forecast.tables._errors` (numbers with their location, and the
problems found).
"""

from peacetalks.forecast.tables._common import SALIENCE_SCALES as SALIENCE_SCALES
from peacetalks.forecast.tables.csv import parse_csv
from peacetalks.forecast.tables.loading import (
    dataset_names,
    load_dataset,
    load_table,
    resolve_table,
)
from peacetalks.forecast.tables.yaml import parse_yaml

__all__ = [
    "dataset_names",
    "load_dataset",
    "load_table",
    "parse_csv",
    "parse_yaml",
    "resolve_table",
]
