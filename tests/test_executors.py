"""The executors: the same results, in the order of the items, on every backend.

The functions below are top-level functions of an importable module (``tests.test_executors``),
so that spawned worker processes and Dask workers can load them.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.sweep import BACKENDS, Executor, run_blocks
from peacetalks.sweep.executors import BackendFallbackWarning

distributed = pytest.importorskip("distributed")

SEEDS = np.random.SeedSequence(20241128).spawn(6)
NO_FALLBACK = pytest.mark.filterwarnings("error::peacetalks.sweep.executors.BackendFallbackWarning")


def draw(seed: np.random.SeedSequence) -> np.ndarray:
    """A seeded workload: the numbers depend on the item's seed alone."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(64) @ rng.standard_normal((64, 3))


def square(x: int) -> int:
    return x * x


def worker_pid(_: object) -> int:
    return os.getpid()


def fail_on_three(x: int) -> int:
    time.sleep(0.02)
    if x == 3:
        raise ValueError(f"bad item {x}")
    return x


def finish_late(item: tuple[int, str, int]) -> int:
    """Item 0 finishes only after the last item has (or after 5 s)."""
    index, marker, last = item
    if index == 0:
        deadline = time.monotonic() + 5
        while not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.01)
    elif index == last:
        Path(marker).touch()
    return index


def interrupt_at_three(x: int) -> int:
    if x == 3:
        raise KeyboardInterrupt
    return x


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a running cluster, as a user would give it (`scheduler=...`)."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.CRITICAL,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def pool() -> Iterator[Executor]:
    with Executor("processes", workers=2) as executor:
        yield executor


def _children() -> set[int] | None:
    """Our live child processes (without multiprocessing's resource tracker); None without
    psutil."""
    try:
        import psutil  # type: ignore[import-untyped, unused-ignore]
    except ImportError:  # pragma: no cover - psutil is optional
        return None
    return {
        child.pid
        for child in psutil.Process().children(recursive=True)
        if child.is_running()
        and child.status() != psutil.STATUS_ZOMBIE
        and "resource_tracker" not in " ".join(child.cmdline())
    }


def _assert_no_new_children(before: set[int] | None, timeout: float = 10.0) -> None:
    if before is None:  # pragma: no cover - psutil is optional
        return
    deadline = time.monotonic() + timeout
    left = (_children() or set()) - before
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = (_children() or set()) - before
    assert not left, f"worker processes left running: {sorted(left)}"


# the same numbers everywhere


@NO_FALLBACK
@pytest.mark.parametrize(
    ("backend", "workers"),
    [("processes", 1), ("processes", 2), ("dask", 1), ("dask", 2)],
)
def test_same_seeded_results_on_every_backend(backend: str, workers: int) -> None:
    expected = [draw(seed) for seed in SEEDS]
    calls: list[tuple[int, np.ndarray]] = []
    results = run_blocks(
        draw, SEEDS, backend=backend, workers=workers, on_result=lambda i, r: calls.append((i, r))
    )
    assert len(results) == len(SEEDS)
    for got, want in zip(results, expected, strict=True):
        np.testing.assert_array_equal(got, want)  # identical, not merely close
    assert sorted(index for index, _ in calls) == list(range(len(SEEDS)))  # once each
    for index, result in calls:
        assert result is results[index] or np.array_equal(result, results[index])
    assert not np.array_equal(results[0], results[1])  # the seeds do differ


@NO_FALLBACK
def test_same_seeded_results_on_an_existing_cluster(scheduler: str) -> None:
    results = run_blocks(draw, SEEDS, backend="dask", scheduler=scheduler)
    for got, seed in zip(results, SEEDS, strict=True):
        np.testing.assert_array_equal(got, draw(seed))


def test_in_process_is_the_default() -> None:
    calls: list[int] = []
    results = run_blocks(draw, SEEDS, on_result=lambda i, _: calls.append(i))
    assert calls == list(range(len(SEEDS)))
    for got, seed in zip(results, SEEDS, strict=True):
        np.testing.assert_array_equal(got, draw(seed))
    assert BACKENDS == ("inprocess", "processes", "dask")


@NO_FALLBACK
@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_work_runs_in_other_processes(backend: str, scheduler: str) -> None:
    where = {"scheduler": scheduler} if backend == "dask" else {"workers": 2}
    pids = run_blocks(worker_pid, range(4), backend=backend, **where)
    assert os.getpid() not in pids


# order


@NO_FALLBACK
@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_results_in_item_order_whatever_the_completion_order(
    backend: str, scheduler: str, tmp_path: Path
) -> None:
    count = 6
    items = [(index, str(tmp_path / "last-done"), count - 1) for index in range(count)]
    completed: list[int] = []
    where = {"scheduler": scheduler} if backend == "dask" else {"workers": 2}
    results = run_blocks(
        finish_late,
        items,
        backend=backend,
        on_result=lambda index, _: completed.append(index),
        **where,
    )
    assert results == list(range(count))
    assert sorted(completed) == list(range(count))
    assert completed[0] != 0  # the slow first item completed later


@settings(max_examples=25)
@given(st.lists(st.integers(-1000, 1000), max_size=12))
def test_a_kept_pool_returns_every_list_in_order(pool: Executor, items: list[int]) -> None:
    assert pool.run(square, items) == [x * x for x in items]


def test_an_executor_keeps_its_workers_across_runs() -> None:
    with Executor("processes", workers=2) as executor:
        first = executor.run(worker_pid, range(4))
        second = executor.run(worker_pid, range(4))
        assert executor.run(square, [3, 1, 2]) == [9, 1, 4]
    assert len(set(first) | set(second)) <= 2  # no second pool


def test_no_items_start_nothing() -> None:
    started = time.perf_counter()
    assert run_blocks(square, [], backend="dask") == []
    assert run_blocks(square, iter([]), backend="processes") == []
    assert time.perf_counter() - started < 1.0


# errors


@pytest.mark.parametrize("backend", ["inprocess", "processes", "dask"])
def test_an_error_in_the_function_propagates_as_itself(backend: str) -> None:
    before = _children()
    with pytest.raises(ValueError, match="bad item 3"):
        run_blocks(fail_on_three, range(12), backend=backend, workers=2)
    _assert_no_new_children(before)
    assert run_blocks(square, [1, 2], backend=backend, workers=2) == [1, 4]  # usable again
    _assert_no_new_children(before)


def test_an_error_on_an_existing_cluster_leaves_it_running(scheduler: str) -> None:
    with pytest.raises(ValueError, match="bad item 3"):
        run_blocks(fail_on_three, range(12), backend="dask", scheduler=scheduler)
    assert run_blocks(square, [1, 2], backend="dask", scheduler=scheduler) == [1, 4]


@pytest.mark.parametrize("backend", ["inprocess", "processes", "dask"])
def test_an_interruption_keeps_the_results_delivered(backend: str, scheduler: str) -> None:
    before = _children()
    done: dict[int, int] = {}

    def keep(index: int, result: int) -> None:
        done[index] = result
        if len(done) == 3:
            raise KeyboardInterrupt

    where = {"scheduler": scheduler} if backend == "dask" else {"workers": 2}
    with pytest.raises(KeyboardInterrupt):
        run_blocks(square, range(40), backend=backend, on_result=keep, **where)
    assert len(done) == 3
    assert all(result == index * index for index, result in done.items())
    _assert_no_new_children(before)  # the pool is gone; an existing cluster is not ours


def test_an_interruption_in_process_keeps_the_earlier_items() -> None:
    done: dict[int, int] = {}
    with pytest.raises(KeyboardInterrupt):
        run_blocks(interrupt_at_three, range(10), on_result=done.__setitem__)
    assert done == {0: 0, 1: 1, 2: 2}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"backend": "dsak"}, r"unknown backend 'dsak' \(did you mean 'dask'\?\).*inprocess, "),
        ({"backend": "threads"}, r"the backends are: inprocess, processes, dask"),
        ({"backend": "processes", "scheduler": "tcp://10.0.0.5:8786"}, r"needs the 'dask'"),
        ({"backend": "inprocess", "scheduler": "tcp://10.0.0.5:8786"}, r"needs the 'dask'"),
        ({"backend": "processes", "workers": 0}, r"workers must be a whole number"),
        ({"backend": "dask", "scheduler": "nonsense"}, r"'nonsense' is not a Dask scheduler"),
        ({"backend": "dask", "scheduler": "tcp://10.0.0.5:8786", "workers": 2}, r"own workers"),
    ],
)
def test_bad_requests_are_usage_errors(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        run_blocks(square, [1, 2], **arguments)


def test_an_unreachable_scheduler_is_a_usage_error_naming_it() -> None:
    started = time.perf_counter()
    with pytest.raises(UsageError, match=r"cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        run_blocks(square, [1], backend="dask", scheduler="tcp://127.0.0.1:9", connect_timeout=1)
    assert time.perf_counter() - started < 10


def test_dask_not_installed_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    with pytest.raises(UsageError, match=r"pip install 'peacetalks\[dask\]'"):
        run_blocks(square, [1], backend="dask")
    assert run_blocks(square, [1, 2], backend="processes", workers=1) == [1, 4]


# falling back, never silently


def test_a_function_workers_cannot_receive_runs_here_with_a_warning(pool: Executor) -> None:
    with pytest.warns(BackendFallbackWarning, match="cannot be sent to worker processes"):
        assert pool.run(lambda x: x + 1, [1, 2]) == [2, 3]


def test_a_function_workers_cannot_import_runs_here_with_a_warning(pool: Executor) -> None:
    module = types.ModuleType("peacetalks_not_on_disk")
    exec("def triple(x):\n    return 3 * x\n", module.__dict__)
    sys.modules[module.__name__] = module
    try:
        with pytest.warns(BackendFallbackWarning, match="cannot load triple"):
            assert pool.run(module.triple, [1, 2]) == [3, 6]
    finally:
        del sys.modules[module.__name__]
    assert pool.run(square, [2]) == [4]  # the pool still works
