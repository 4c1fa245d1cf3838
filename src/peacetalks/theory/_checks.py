"""Argument validation shared by the formal models, and the error for numerical failures.

Every check names the argument and says what was expected, and raises
:class:`peacetalks.errors.UsageError`. Numbers are returned as plain Python floats or as
float64 arrays, so the models never see bools, strings or NaNs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from peacetalks.errors import PeacetalksError, UsageError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Density = Callable[[FloatArray], npt.ArrayLike]
"""A vectorised function of a float array, e.g. a CDF or a PDF."""

TOLERANCE = 1e-12
"""Comparisons of a margin with zero treat |margin| <= TOLERANCE as a tie (peace, not war)."""


class ConvergenceError(PeacetalksError):
    """A numerical method failed (no bracket, no convergence); no number is returned."""


def real(name: str, value: Any) -> float:
    """A finite real number (bools and strings are refused)."""
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    return number


def probability(name: str, value: Any) -> float:
    """A number in [0, 1]."""
    number = real(name, value)
    if not 0.0 <= number <= 1.0:
        raise UsageError(f"{name} must be a probability in [0, 1], got {number!r}")
    return number


def nonnegative(name: str, value: Any) -> float:
    """A number >= 0."""
    number = real(name, value)
    if number < 0.0:
        raise UsageError(f"{name} must be >= 0, got {number!r}")
    return number


def positive(name: str, value: Any) -> float:
    """A number > 0."""
    number = real(name, value)
    if number <= 0.0:
        raise UsageError(f"{name} must be > 0, got {number!r}")
    return number


def discount(name: str, value: Any) -> float:
    """A discount factor in the open interval (0, 1)."""
    number = real(name, value)
    if not 0.0 < number < 1.0:
        raise UsageError(f"{name} must be a discount factor in (0, 1), got {number!r}")
    return number


def count(name: str, value: Any, minimum: int = 1) -> int:
    """An integer >= minimum."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise UsageError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if int(value) < minimum:
        raise UsageError(f"{name} must be an integer >= {minimum}, got {int(value)}")
    return int(value)


def not_both_zero(name_a: str, a: float, name_b: str, b: float, why: str) -> None:
    """Refuse a = b = 0 where that leaves the model undefined."""
    if a == 0.0 and b == 0.0:
        raise UsageError(f"{name_a} and {name_b} cannot both be zero: {why}")


def array(name: str, value: Any, ndim: int) -> FloatArray:
    """A finite float array with exactly `ndim` dimensions, none of them empty."""
    try:
        values = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"{name} must be a {ndim}-D array of numbers, got {value!r}") from None
    if np.asarray(value).dtype == np.bool_:
        raise UsageError(f"{name} must be an array of numbers, not of booleans")
    if values.ndim != ndim:
        raise UsageError(f"{name} must be a {ndim}-D array, got shape {values.shape}")
    if values.size == 0:
        raise UsageError(f"{name} must not be empty, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise UsageError(f"{name} must contain only finite numbers")
    return values


def probabilities(name: str, value: Any, ndim: int = 1) -> FloatArray:
    """A finite array of numbers in [0, 1]."""
    values = array(name, value, ndim)
    if np.any(values < 0.0) or np.any(values > 1.0):
        raise UsageError(f"{name} must contain probabilities in [0, 1]")
    return values


def flags(name: str, value: Any, ndim: int = 1) -> BoolArray:
    """A boolean array (0/1 numbers are accepted)."""
    raw = np.asarray(value)
    if raw.dtype == np.bool_:
        values = raw
    else:
        numbers = array(name, value, ndim)
        if not np.all((numbers == 0.0) | (numbers == 1.0)):
            raise UsageError(f"{name} must contain booleans (or 0/1)")
        values = numbers.astype(np.bool_)
    if values.ndim != ndim:
        raise UsageError(f"{name} must be a {ndim}-D array, got shape {values.shape}")
    if values.size == 0:
        raise UsageError(f"{name} must not be empty, got shape {values.shape}")
    return values


def evaluate(name: str, function: Density, points: FloatArray) -> FloatArray:
    """Call a user's vectorised function and check that it returns finite numbers."""
    if not callable(function):
        raise UsageError(f"{name} must be a function of a float array, got {function!r}")
    try:
        values = np.asarray(function(points), dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise UsageError(f"{name} failed on a float array: {error}") from None
    try:
        values = np.broadcast_to(values, points.shape).astype(np.float64)
    except ValueError:
        raise UsageError(
            f"{name} must return one value per point, got shape {values.shape}"
        ) from None
    if not np.all(np.isfinite(values)):
        raise UsageError(f"{name} returned a non-finite value on its support")
    return values


def cdf_values(name: str, function: Density, points: FloatArray) -> FloatArray:
    """A CDF's values: in [0, 1] and non-decreasing on sorted points."""
    values = evaluate(name, function, points)
    slack = 1e-12
    if np.any(values < -slack) or np.any(values > 1.0 + slack):
        raise UsageError(f"{name} must return values in [0, 1]")
    if points.ndim == 1 and np.any(np.diff(values) < -1e-12):
        raise UsageError(f"{name} must be non-decreasing")
    return np.clip(values, 0.0, 1.0)
