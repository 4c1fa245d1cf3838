"""The maths: every analysis reads a CompiledScenario (plain arrays) and returns result objects.

- ``evaluate``: each party's verdict on one package, and why.
- ``analyze``: the main job (ZOPA, closest packages, what it takes, frontier, solutions).
- ``zopa``, ``what_it_takes``, ``frontier``, ``solutions``: the questions, one module each.
- ``program``: mixed-integer programs over packages (HiGHS); ``groups`` and ``enumerated``: the
  exact enumeration path; ``space``: counting and sampling; ``explain``: the verdict in words.
"""
