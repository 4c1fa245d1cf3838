"""Where the blocks of a sweep or a tournament run: here, in local processes, or on Dask.

Every backend applies the same function to the same items and returns the results in the order
of the items, so a sweep gives *identical* numbers whichever backend runs it:

- ``"inprocess"`` (the default): one item after another in this process;
- ``"processes"``: a :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` processes,
  started with the ``spawn`` method (HiGHS and other native libraries keep threads that a
  forked child must not inherit);
- ``"dask"``: a Dask distributed cluster: by default a :class:`distributed.LocalCluster` of
  ``workers`` single-threaded worker processes started for the call, or an existing cluster
  given by its scheduler's address (``scheduler="tcp://10.0.0.5:8786"``), which is left
  running. Needs ``pip install 'peacetalks[dask]'``.

>>> run_blocks(abs, [-2, 1, -3])
[2, 1, 3]

**Determinism.** The executor never draws a random number. Reproducibility comes from the items:
each carries its own seed, derived from the caller's seed *before* the work is split, e.g.
``seeds = numpy.random.SeedSequence(seed).spawn(len(blocks))``, and the function draws only from
``numpy.random.default_rng(item_seed)``. Then a result depends on its item alone, not on the
backend, the number of workers or the order in which items complete. (Never seed from the
worker's identity, the time, or a generator shared between items.)

>>> import numpy as np
>>> def first_draw(seed):
...     return float(np.random.default_rng(seed).random())
>>> seeds = np.random.SeedSequence(7).spawn(3)
>>> run_blocks(first_draw, seeds) == [first_draw(s) for s in seeds]
True

**Interruption and errors.** Results reach ``on_result(index, result)`` in the caller's process
as they complete. If the function raises (in a worker or here), if ``on_result`` raises, or if
KeyboardInterrupt arrives, the pending items are cancelled, the pool or the cluster this module
started is shut down (its processes terminated and joined; an existing cluster keeps running,
only this call's work is cancelled on it), and the exception is re-raised as itself. Whatever
``on_result`` has received stays with the caller::

    done = {}
    try:
        run_blocks(evaluate, blocks, backend="processes", on_result=done.__setitem__)
    except KeyboardInterrupt:
        ...  # `done` holds every block finished before Ctrl-C

Functions and items must be picklable, and the function a top-level function of an importable
module (worker processes import it by name). When worker processes cannot be used here (for
example the function lives in a main program read from standard input, or this process may not
have children), the ``"processes"`` backend computes in this process instead and says so with a
:class:`BackendFallbackWarning`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import resource_tracker
from multiprocessing.reduction import ForkingPickler
from types import TracebackType
from typing import Any, Generic, TypeVar

from peacetalks.errors import UsageError, did_you_mean

__all__ = ["BACKENDS", "BackendFallbackWarning", "Executor", "run_blocks"]

BACKENDS: tuple[str, ...] = ("inprocess", "processes", "dask")
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for an existing Dask scheduler to answer."""
_JOIN_TIMEOUT = 5.0

T = TypeVar("T")
R = TypeVar("R")
OnResult = Callable[[int, R], object]


class BackendFallbackWarning(RuntimeWarning):
    """The requested backend could not be used here; the work ran in this process instead."""


def run_blocks(
    function: Callable[[T], R],
    items: Iterable[T],
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
    on_result: OnResult[R] | None = None,
    *,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> list[R]:
    """Apply `function` to every item and return the results in the order of `items`.

    Parameters
    ----------
    function
        A picklable top-level function of one argument.
    items
        The work; each item should carry its own seed (see the module notes on determinism).
    backend
        One of :data:`BACKENDS`.
    workers
        Worker processes (``"processes"``) or Dask workers of the local cluster (``"dask"``);
        default ``os.cpu_count()``, never more than there are items. Ignored in-process.
    scheduler
        ``"dask"`` only: the address of an existing scheduler. None starts a local cluster
        for this call and closes it afterwards.
    on_result
        Called as ``on_result(index, result)`` in this process as each item completes.
    connect_timeout
        Seconds to wait for the scheduler at `scheduler`.

    Raises
    ------
    UsageError
        An unknown backend, a scheduler with a backend other than ``"dask"``, Dask not
        installed, or a scheduler that cannot be reached.
    """
    work = list(items)
    _check_arguments(backend, workers, scheduler, connect_timeout)
    if scheduler is None and work:  # no idle workers to start
        workers = min(workers or os.cpu_count() or 1, len(work))
    executor = Executor(backend, workers, scheduler, connect_timeout=connect_timeout)
    if not work:
        return []
    with executor:
        return executor.run(function, work, on_result)


class Executor:
    """A backend kept ready across several :meth:`run` calls (start-up is paid once).

    >>> with Executor("inprocess") as executor:
    ...     executor.run(abs, [-1, 2]), executor.run(abs, [-3])
    ([1, 2], [3])

    The pool or local cluster starts on entering the ``with`` block (or on the first run) and
    stops on leaving it. A run that fails or is interrupted shuts it down (see the module
    notes); a later run starts it again. Not for use by several threads at once.
    """

    def __init__(
        self,
        backend: str = "inprocess",
        workers: int | None = None,
        scheduler: str | None = None,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        _check_arguments(backend, workers, scheduler, connect_timeout)
        self.backend = backend
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.scheduler = scheduler
        self.connect_timeout = float(connect_timeout)
        self._pool: ProcessPoolExecutor | None = None
        self._no_processes: str | None = None  # why worker processes cannot run here
        self._client: Any = None
        self._cluster: Any = None
        self._distributed: Any = _import_distributed() if backend == "dask" else None

    def __repr__(self) -> str:
        where = f", scheduler={self.scheduler!r}" if self.scheduler else ""
        count = "" if self.backend == "inprocess" or self.scheduler else f", {self.workers}"
        return f"Executor({self.backend!r}{count}{where})"

    def __enter__(self) -> Executor:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(force=error is not None)

    def start(self) -> None:
        """Start the pool or connect to (or start) the cluster, if not already done."""
        try:
            if self.backend == "processes" and self._no_processes is None:
                self._start_pool()
            elif self.backend == "dask" and self._client is None:
                self._start_dask()
        except BaseException:
            self.close(force=True)
            raise

    def close(self, force: bool = False) -> None:
        """Stop what :meth:`start` started; `force` terminates work still running."""
        with _holding_ctrl_c():
            self._stop_pool(force)
            self._stop_dask()

    def run(
        self,
        function: Callable[[T], R],
        items: Iterable[T],
        on_result: OnResult[R] | None = None,
    ) -> list[R]:
        """Apply `function` to every item; the results in the order of `items`.

        See :func:`run_blocks` for the meaning of the arguments.
        """
        work = list(items)
        if not work:
            return []
        if self.backend == "processes":
            return self._run_processes(function, work, on_result)
        if self.backend == "dask":
            return self._run_dask(function, work, on_result)
        return _run_here(function, work, on_result)

    # processes

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_ctrl_c,
            )
        return self._pool

    def _stop_pool(self, force: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            _stop_process_pool(pool, force)

    def _run_processes(
        self, function: Callable[[T], R], work: list[T], on_result: OnResult[R] | None
    ) -> list[R]:
        pool = self._usable_pool(function, work[0])
        if pool is None:
            return _run_here(function, work, on_result)
        futures: dict[Future[R], int] = {}
        try:
            with _holding_ctrl_c():  # workers start here
                for index, item in enumerate(work):
                    futures[pool.submit(function, item)] = index
            completed = ((futures[future], future.result()) for future in as_completed(futures))
            return _collect(completed, len(work), on_result)
        except BaseException:
            for future in futures:
                future.cancel()
            self.close(force=True)
            raise

    def _usable_pool(self, function: Callable[[T], R], sample: T) -> ProcessPoolExecutor | None:
        """The pool, once a worker has shown it can load `function` and an item; None (with
        a warning) when worker processes cannot be used here."""
        name = _name(function)
        if self._no_processes is None:
            self._no_processes = _main_unimportable()
        if self._no_processes is not None:
            _warn(f"{self._no_processes}; running {name} in this process instead")
            return None
        try:
            payload = bytes(ForkingPickler.dumps((function, sample)))
        except Exception as error:  # lambdas, local functions, open files, locks, ...
            _warn(
                f"{name} or its items cannot be sent to worker processes "
                f"({type(error).__name__}: {error}); running it in this process instead "
                "(use a top-level function of an importable module)"
            )
            return None
        try:
            pool = self._start_pool()
            with _holding_ctrl_c():  # the first worker starts here
                probe = pool.submit(_try_loading, payload)
            problem = probe.result()
        except (BrokenProcessPool, OSError, NotImplementedError, AssertionError) as error:
            # AssertionError: this is a daemonic process (e.g. a Dask worker) and may not fork
            self._no_processes = (
                f"worker processes cannot start here ({type(error).__name__}: {error}; in a "
                "script, run the work under `if __name__ == '__main__':`)"
            )
            self.close(force=True)
            _warn(f"{self._no_processes}; running {name} in this process instead")
            return None
        except BaseException:
            self.close(force=True)
            raise
        if problem is not None:
            _warn(
                f"worker processes cannot load {name} or its items ({problem}); running it "
                "in this process instead (define the function in an importable module, not "
                "in a main program read from standard input or a notebook)"
            )
            return None
        return pool

    # dask

    def _start_dask(self) -> None:
        if self.scheduler is None:
            self._start_local_cluster()
            return
        try:
            self._client = self._distributed.Client(
                self.scheduler, timeout=self.connect_timeout, set_as_default=False
            )
        except OSError as error:
            raise UsageError(
                f"cannot reach the Dask scheduler at {self.scheduler!r} within "
                f"{self.connect_timeout:g} s ({error}); check the address and that the "
                "scheduler is running"
            ) from error

    def _start_local_cluster(self) -> None:
        problem = _main_unimportable()
        if problem is not None:
            raise UsageError(
                f"a local Dask cluster cannot start its workers here: {problem}; run the "
                "program from a file, or give the address of a running scheduler"
            )
        distributed = self._distributed
        with _holding_ctrl_c():  # the workers start here
            cluster = distributed.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # any free port, never a fixed one
                silence_logs=logging.CRITICAL,
            )
            self._cluster = cluster  # before a held Ctrl-C can arrive
            self._client = distributed.Client(cluster, set_as_default=False)

    def _stop_dask(self) -> None:
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        try:
            if client is not None:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()

    def _run_dask(
        self, function: Callable[[T], R], work: list[T], on_result: OnResult[R] | None
    ) -> list[R]:
        self.start()
        client = self._client
        futures: list[Any] = []
        try:
            # items travel boxed so that no Dask version reads a tuple in them as a task
            keys = [f"{_name(function)}-{uuid.uuid4().hex}-{i}" for i in range(len(work))]
            boxes = [_Box(item) for item in work]
            futures = client.map(_apply, [function] * len(work), boxes, key=keys, pure=False)
            index_of = {future.key: index for index, future in enumerate(futures)}
            completed = (
                (index_of[future.key], future.result())
                for future in self._distributed.as_completed(futures, loop=client.loop)
            )
            return _collect(completed, len(work), on_result)
        except BaseException:
            with _holding_ctrl_c(), contextlib.suppress(Exception):
                if futures:
                    client.cancel(futures)
            self.close(force=True)
            raise


@dataclass(frozen=True, slots=True)
class _Box(Generic[T]):
    value: T


def _apply(function: Callable[[T], R], box: _Box[T]) -> R:
    return function(box.value)


def _run_here(function: Callable[[T], R], work: list[T], on_result: OnResult[R] | None) -> list[R]:
    return _collect(((i, function(item)) for i, item in enumerate(work)), len(work), on_result)


def _collect(
    completed: Iterator[tuple[int, R]], count: int, on_result: OnResult[R] | None
) -> list[R]:
    """Results in the order of the items, from (index, result) pairs in completion order."""
    results: dict[int, R] = {}
    for index, result in completed:
        results[index] = result
        if on_result is not None:
            on_result(index, result)
    return [results[index] for index in range(count)]


def _stop_process_pool(pool: ProcessPoolExecutor, force: bool) -> None:
    """Shut `pool` down; with `force`, cancel what is queued and terminate busy workers."""
    if not force:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_JOIN_TIMEOUT)
        if process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            process.kill()
            process.join()
    if manager is not None:
        manager.join(_JOIN_TIMEOUT)


def _main_unimportable() -> str | None:
    """Why spawned processes cannot import this program's main module, if they cannot."""
    main = sys.modules.get("__main__")
    if main is None or getattr(getattr(main, "__spec__", None), "name", None) is not None:
        return None  # run as `python -m module`: imported by name
    path = getattr(main, "__file__", None)
    if path is None:  # interactive, `python -c`, a notebook: spawned processes skip it
        return None
    start = getattr(multiprocessing.process, "ORIGINAL_DIR", None) or os.getcwd()
    if os.path.isfile(os.path.join(start, path)):
        return None
    return f"the main program {path!r} is not a file that worker processes can import"


def _try_loading(payload: bytes) -> str | None:
    """In a worker: None if the function and item in `payload` load here, else why not."""
    try:
        ForkingPickler.loads(payload)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def _ignore_ctrl_c() -> None:
    """In a worker: leave Ctrl-C to the caller, which cancels and terminates the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _holding_ctrl_c() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block ends, then deliver it.

    Worker processes started meanwhile inherit a blocked SIGINT, so a Ctrl-C in the terminal
    reaches only this process, which then stops them; and a Ctrl-C cannot cut a start-up or
    shutdown short and leave workers behind.
    """
    held: list[int] = []
    handler = None
    if threading.current_thread() is threading.main_thread():
        handler = signal.getsignal(signal.SIGINT)
        if callable(handler):  # a Python handler (KeyboardInterrupt): record instead
            signal.signal(signal.SIGINT, lambda signum, _: held.append(signum))
    mask = None
    if hasattr(signal, "pthread_sigmask"):  # for the children: not on Windows
        # starting multiprocessing's resource tracker unblocks SIGINT in the thread that
        # starts it (CPython 3.11-3.13), so start it first
        resource_tracker.ensure_running()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if callable(handler):
            signal.signal(signal.SIGINT, handler)
            if held:
                handler(signal.SIGINT, None)


def _check_arguments(
    backend: str, workers: int | None, scheduler: str | None, connect_timeout: float
) -> None:
    if backend not in BACKENDS:
        hint = did_you_mean(str(backend), BACKENDS)
        close = f" ({hint})" if hint and hint.startswith("did you mean") else ""
        raise UsageError(
            f"unknown backend {backend!r}{close}; the backends are: {', '.join(BACKENDS)}"
        )
    if workers is not None and (
        not isinstance(workers, int) or isinstance(workers, bool) or workers < 1
    ):
        raise UsageError(f"workers must be a whole number of at least 1, not {workers!r}")
    if not connect_timeout > 0:
        raise UsageError(
            f"connect_timeout must be a positive number of seconds, not {connect_timeout!r}"
        )
    if scheduler is None:
        return
    if backend != "dask":
        raise UsageError(
            f"a scheduler address ({scheduler!r}) needs the 'dask' backend, not {backend!r}"
        )
    if workers is not None:
        raise UsageError(
            f"workers={workers} cannot be combined with a scheduler address: the cluster at "
            f"{scheduler!r} has its own workers"
        )
    distributed = _import_distributed()
    try:
        distributed.comm.get_address_host_port(scheduler)
    except (ValueError, TypeError) as error:
        raise UsageError(
            f"{scheduler!r} is not a Dask scheduler address ({error}); expected for example "
            "'tcp://10.0.0.5:8786'"
        ) from None


def _import_distributed() -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise UsageError(
            "the 'dask' backend needs Dask distributed, which is not installed: "
            "pip install 'peacetalks[dask]'"
        ) from None


def _name(function: Callable[..., object]) -> str:
    return getattr(function, "__qualname__", None) or type(function).__name__


def _warn(message: str) -> None:
    """Warn, attributed to the first caller outside this module."""
    frame = sys._getframe(0)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
        level += 1
    warnings.warn(message, BackendFallbackWarning, stacklevel=level)
