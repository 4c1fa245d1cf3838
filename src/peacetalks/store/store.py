"""The run store: every recorded run (analyze, dynamics, sweep, simulate, ...) in one SQLite file.

A run is one row of ``runs`` (what was run, on which scenario, with which parameters and seed,
and a JSON summary) plus any number of rows of ``samples`` (one JSON object each). The file
lives at ``$PEACETALKS_STORE``, else ``$XDG_DATA_HOME/peacetalks/runs.sqlite``, else
``~/.local/share/peacetalks/runs.sqlite``.

Safety: the database runs in WAL mode with a busy timeout, so concurrent writers wait for each
other instead of failing; every write is one ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction, so a
writer killed mid-write leaves the store readable and loses only its own unfinished run. Samples
are encoded before the write lock is taken, so a slow producer never blocks other writers.
A file that is not a peacetalks run store is never written to.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import datetime as dt
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from peacetalks.errors import UsageError
from peacetalks.results import Result
from peacetalks.store.codec import (
    _encode_mapping,
    _encode_samples,
    _json,
    _mapping,
    _seed,
    _text,
)
from peacetalks.store.export import (
    _arrow_table,
    _check_target,
    _format,
    _pyarrow,
    _write_atomic,
    _write_csv,
)

SCHEMA_VERSION = 1
"""The layout of the database this version reads and writes."""
APPLICATION = "peacetalks-runs"
APPLICATION_ID = 0x50545253  # "PTRS" in the SQLite header: marks the file as a run store
TIMEOUT = 30.0
"""Seconds a writer waits for another writer before giving up."""
_MAGIC = b"SQLite format 3\x00"
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY, created_utc TEXT NOT NULL, kind TEXT NOT NULL,
        scenario_id TEXT NOT NULL, scenario_hash TEXT NOT NULL, version TEXT NOT NULL,
        parameters TEXT NOT NULL, seed INTEGER, summary TEXT NOT NULL,
        sample_count INTEGER NOT NULL DEFAULT 0, preview TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS runs_created ON runs (created_utc)",
    "CREATE INDEX IF NOT EXISTS runs_kind ON runs (kind, created_utc)",
    "CREATE INDEX IF NOT EXISTS runs_scenario ON runs (scenario_id, created_utc)",
    """CREATE TABLE IF NOT EXISTS samples (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        "row" INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (run_id, "row"))""",
)
_COLUMNS = "id, created_utc, kind, scenario_id, seed, sample_count, preview"


@dataclasses.dataclass(frozen=True)
class RunInfo(Result):
    """One line of the run list: what ran, when, on what, and a preview of its summary."""

    id: str
    created: str
    """When the run was recorded: ISO 8601 in UTC, e.g. ``2025-06-01T12:00:00.000000Z``."""
    kind: str
    scenario_id: str
    seed: int | None
    sample_count: int
    preview: str
    """The summary's top-level entries in one short line."""

    def to_dict(self) -> dict[str, Any]:
        """The run as plain data; numbers exactly as stored (not rounded)."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Run(Result):
    """A recorded run with its parameters and summary; samples via `RunStore.samples`."""

    id: str
    created: str
    kind: str
    scenario_id: str
    scenario_hash: str
    version: str
    """The peacetalks version that recorded the run."""
    seed: int | None
    parameters: dict[str, Any]
    summary: dict[str, Any]
    sample_count: int

    @property
    def created_at(self) -> dt.datetime:
        """`created` as a timezone-aware datetime."""
        return _parse_time(self.created)

    def to_dict(self) -> dict[str, Any]:
        """The run as plain data; numbers exactly as stored (not rounded)."""
        return dataclasses.asdict(self)


def store_path(path: str | Path | None = None) -> Path:
    """The store file: `path` if given, else ``$PEACETALKS_STORE``, else the XDG data folder."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    if os.environ.get("PEACETALKS_STORE"):
        return Path(os.environ["PEACETALKS_STORE"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "peacetalks" / "runs.sqlite"


class RunStore:
    """The run history in one SQLite file, safe for several processes writing at once.

    Args:
        path: the database file (default: see `store_path`); folders are created as needed.
        create: create the store when the file does not exist (else a UsageError).
        timeout: seconds a writer waits for another one before giving up.
    """

    def __init__(
        self, path: str | Path | None = None, *, create: bool = True, timeout: float = TIMEOUT
    ) -> None:
        self.path = store_path(path)
        self.timeout = float(timeout)
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._abandoned: builtins.list[sqlite3.Connection] = []
        _check_file(self.path, create)
        with self._errors():
            self._con = self._open()
            try:
                self._prepare_patiently(self._con)
            except BaseException:
                self._con.close()
                raise

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "timeout": self.timeout}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], timeout=state["timeout"])  # type: ignore[misc]

    def close(self) -> None:
        """Close the connection (the store reopens it when used again)."""
        with self._lock:
            self._con.close()

    # -- writing ------------------------------------------------------------------------------

    def record(
        self,
        kind: str,
        scenario_id: str,
        scenario_hash: str,
        parameters: Mapping[str, Any] | Result,
        summary: Mapping[str, Any] | Result,
        seed: int | None = None,
        samples: Iterable[Mapping[str, Any]] | None = None,
    ) -> str:
        """Record one run and its samples in a single transaction; return the new run's id.

        Floats must be finite: NaN and infinity are stored as null. numpy values and arrays,
        tuples, dates and result objects are turned into plain JSON data.
        """
        from peacetalks import __version__

        data = _mapping(summary, "summary")
        fields = (
            _text("kind", kind),
            _text("scenario_id", scenario_id),
            _text("scenario_hash", scenario_hash, empty=True),
            __version__,
            _encode_mapping(parameters, "parameters"),
            _seed(seed),
            _json(data, "summary"),
        )
        rows = [] if samples is None else _encode_samples(samples)
        with self._write() as con:
            run_id = _new_id(con)
            con.execute(
                "INSERT INTO runs (id, created_utc, kind, scenario_id, scenario_hash, version,"
                " parameters, seed, summary, sample_count, preview)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, _next_time(con), *fields, len(rows), preview(data)),
            )
            self._insert_samples(con, run_id, rows)
        return run_id

    def _insert_samples(self, con: sqlite3.Connection, run_id: str, rows: list[str]) -> None:
        con.executemany(
            'INSERT INTO samples (run_id, "row", data) VALUES (?, ?, ?)',
            ((run_id, index, data) for index, data in enumerate(rows)),
        )

    def delete(self, run_id: str) -> str:
        """Delete a run and its samples (a unique id prefix will do); return its full id."""
        full = self.resolve(run_id)
        with self._write() as con:
            con.execute("DELETE FROM samples WHERE run_id = ?", (full,))
            if con.execute("DELETE FROM runs WHERE id = ?", (full,)).rowcount == 0:
                raise UsageError(f"no run with id {full!r} in {self.path}")
        return full

    # -- reading ------------------------------------------------------------------------------

    def list(
        self, kind: str | None = None, scenario: str | None = None, limit: int | None = 50
    ) -> builtins.list[RunInfo]:
        """The recorded runs, newest first, optionally of one kind and/or one scenario."""
        if limit is not None and limit < 1:
            raise UsageError(f"limit must be at least 1, got {limit}")
        where, args = _filters(kind, scenario)
        sql = f"SELECT {_COLUMNS} FROM runs{where} ORDER BY created_utc DESC, id DESC LIMIT ?"
        rows = self._query(sql, (*args, -1 if limit is None else limit))
        return [_info(row) for row in rows]

    def count(self, kind: str | None = None, scenario: str | None = None) -> int:
        """How many runs are recorded (of one kind and/or scenario)."""
        where, args = _filters(kind, scenario)
        return int(self._query(f"SELECT COUNT(*) FROM runs{where}", args)[0][0])

    def get(self, run_id: str) -> Run:
        """The run with this id or unique id prefix."""
        full = self.resolve(run_id)
        rows = self._query(
            "SELECT id, created_utc, kind, scenario_id, scenario_hash, version, seed,"
            " parameters, summary, sample_count FROM runs WHERE id = ?",
            (full,),
        )
        if not rows:
            raise UsageError(f"no run with id {full!r} in {self.path}")
        (id_, created, kind, scenario, digest, version, seed, params, summary, count) = rows[0]
        return Run(
            id=id_,
            created=created,
            kind=kind,
            scenario_id=scenario,
            scenario_hash=digest,
            version=version,
            seed=seed,
            parameters=json.loads(params),
            summary=json.loads(summary),
            sample_count=count,
        )

    def samples(self, run_id: str, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The run's samples in recorded order, read lazily (a unique id prefix will do)."""
        full = self.resolve(run_id)
        sql = 'SELECT data FROM samples WHERE run_id = ? ORDER BY "row" LIMIT ?'
        return self._stream(sql, (full, -1 if limit is None else limit))

    def resolve(self, prefix: str) -> str:
        """The full id of the one run whose id starts with `prefix`."""
        text = prefix.strip().lower() if isinstance(prefix, str) else ""
        if not text:
            raise UsageError(f"give a run id (or the start of one), got {prefix!r}")
        rows = self._query(
            f"SELECT {_COLUMNS} FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 11",
            (text, text + "\U0010ffff"),
        )
        if len(rows) == 1:
            return str(rows[0][0])
        if not rows:
            raise UsageError(
                f"no run with id {prefix!r} in {self.path} (see `peacetalks runs list`)"
            )
        shown = "; ".join(_describe(_info(row)) for row in rows[:10])
        more = ", ..." if len(rows) > 10 else ""
        raise UsageError(
            f"run id {prefix!r} is ambiguous: it starts {len(rows)}{'+' if more else ''} run"
            f" ids ({shown}{more}); give more characters"
        )

    def export(self, run_id: str, path: str | Path, format: str = "csv") -> Path:
        """Write the run's samples to a CSV or Parquet file; return the file's path.

        One row per sample; the columns are the union of the samples' keys in first-seen
        order. In CSV, text is written as is, numbers, booleans, lists and dicts as JSON, and
        None or a missing key as an empty cell. In Parquet, a column of plain values gets its
        natural type, lists, dicts and mixed columns hold JSON text, missing values are null,
        and the run (id, kind, parameters, summary, ...) is in the file's metadata.
        """
        kind = _format(format)
        arrow = _pyarrow() if kind == "parquet" else None
        full = self.resolve(run_id)
        target = Path(path).expanduser()
        _check_target(target, self.path)
        run = self.get(full)
        sql = 'SELECT data FROM samples WHERE run_id = ? ORDER BY "row"'
        with self._errors(), contextlib.closing(self._open()) as con:
            con.execute("BEGIN")  # one snapshot for both passes over the samples

            def rows() -> Iterator[dict[str, Any]]:
                return (json.loads(data) for (data,) in con.execute(sql, (full,)))

            columns = list(dict.fromkeys(key for row in rows() for key in row))
            if arrow is None:
                _write_atomic(target, lambda file: _write_csv(file, columns, rows()))
            else:
                table = _arrow_table(arrow[0], run, columns, rows())
                _write_atomic(target, lambda file: arrow[1].write_table(table, file))
            con.execute("COMMIT")
        return target

    # -- connections --------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        con.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        return con

    def _connection(self) -> sqlite3.Connection:
        if os.getpid() != self._pid:  # a forked child never uses its parent's connection
            self._abandoned.append(self._con)
            self._pid = os.getpid()
            self._con = self._open()
        else:
            try:
                self._con.total_changes  # noqa: B018 - raises when closed
            except sqlite3.ProgrammingError:
                self._con = self._open()
        return self._con

    def _prepare_patiently(self, con: sqlite3.Connection) -> None:
        """`_prepare`, retried while another process holds a lock it needs: switching to WAL
        fails at once (without waiting) when another connection is reading the new file."""
        deadline = time.monotonic() + self.timeout
        pause = 0.001
        while True:
            try:
                return self._prepare(con)
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def _prepare(self, con: sqlite3.Connection) -> None:
        """Check the file is ours (or empty), switch to WAL, create or check the schema."""
        state = _identify(con)
        if state == "foreign":
            raise UsageError(
                f"{self.path}: not a peacetalks run store (an SQLite database of something "
                "else); it was left untouched - give another path"
            )
        if state == "ours":
            self._check_version(con)  # before changing anything in a newer store
        if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            con.execute("PRAGMA journal_mode = WAL")
        if state == "empty":
            con.execute("BEGIN IMMEDIATE")
            try:
                if _identify(con) == "empty":  # nobody else created it meanwhile
                    for statement in _SCHEMA:
                        con.execute(statement)
                    con.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [("application", APPLICATION), ("schema_version", str(SCHEMA_VERSION))],
                    )
                    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        self._check_version(con)

    def _check_version(self, con: sqlite3.Connection) -> None:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            version = int(row[0])
        except (TypeError, ValueError):
            message = f"{self.path}: not a peacetalks run store (no schema version)"
            raise UsageError(message) from None
        if version > SCHEMA_VERSION:
            raise UsageError(
                f"{self.path}: the run store has schema version {version}, newer than this "
                f"peacetalks understands ({SCHEMA_VERSION}); upgrade peacetalks to read it"
            )

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn database failures (locked, unreadable, corrupt, disk full) into UsageErrors."""
        try:
            yield
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
            if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                raise
            text = str(error)
            if "locked" in text or "busy" in text:
                text += f" (another process held it for more than {self.timeout:g} s)"
            raise UsageError(f"run store {self.path}: {text}") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed or none of it."""
        with self._lock, self._errors():
            con = self._connection()
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise

    def _query(self, sql: str, args: tuple[Any, ...]) -> builtins.list[tuple[Any, ...]]:
        with self._lock, self._errors():
            return self._connection().execute(sql, args).fetchall()

    def _stream(self, sql: str, args: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
        with self._errors():
            con = self._open()
        with contextlib.closing(con), self._errors():
            cursor = con.execute(sql, args)
            while batch := cursor.fetchmany(1000):
                for (data,) in batch:
                    yield json.loads(data)


def _check_file(path: Path, create: bool) -> None:
    """Refuse folders and files that are not SQLite databases, before SQLite touches them."""
    if path.is_dir():
        raise UsageError(
            f"{path}: is a folder, not a peacetalks run store (give a file, e.g. "
            f"{path / 'runs.sqlite'})"
        )
    if not path.exists():
        if not create:
            raise UsageError(f"no run store at {path}: nothing has been recorded there yet")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"{path}: cannot create its folder: {error.strerror}") from None
        return
    if not path.is_file():
        raise UsageError(f"{path}: not a peacetalks run store (not a regular file)")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_MAGIC))
    except OSError as error:
        raise UsageError(f"{path}: cannot read the run store: {error.strerror}") from None
    if head and head != _MAGIC:
        raise UsageError(
            f"{path}: not a peacetalks run store (not an SQLite database); it was left "
            "untouched - give another path"
        )


def _identify(con: sqlite3.Connection) -> str:
    """'ours', 'empty' (a new file) or 'foreign' (some other application's database)."""
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    if app_id not in (0, APPLICATION_ID):
        return "foreign"
    if not tables:
        return "empty"
    if "meta" not in tables or "runs" not in tables:
        return "foreign"
    row = con.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
    return "ours" if row is not None and row[0] == APPLICATION else "foreign"


def _new_id(con: sqlite3.Connection) -> str:
    while True:
        run_id = secrets.token_hex(6)
        if con.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
            return run_id


def _parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _TIME).replace(tzinfo=dt.UTC)


def _next_time(con: sqlite3.Connection) -> str:
    """Now, or just after the newest run: creation times are unique and in commit order."""
    now = dt.datetime.now(dt.UTC)
    last = con.execute("SELECT MAX(created_utc) FROM runs").fetchone()[0]
    if last is not None and now <= (previous := _parse_time(last)):
        now = previous + dt.timedelta(microseconds=1)
    return now.strftime(_TIME)


def _filters(kind: str | None, scenario: str | None) -> tuple[str, tuple[str, ...]]:
    used = {name: value for name, value in (("kind", kind), ("scenario_id", scenario)) if value}
    if not used:
        return "", ()
    return " WHERE " + " AND ".join(f"{name} = ?" for name in used), tuple(used.values())


def _info(row: tuple[Any, ...]) -> RunInfo:
    return RunInfo(*row)


def _describe(info: RunInfo) -> str:
    return f"{info.id} {info.kind} {info.scenario_id} {info.created[:19].replace('T', ' ')}"


def preview(summary: Mapping[str, Any], width: int = 80) -> str:
    """The summary's top-level entries in one line of at most `width` characters."""
    parts = []
    for key, value in summary.items():
        if isinstance(value, dict):
            shown = "{...}"
        elif isinstance(value, list):
            shown = f"[{len(value)} items]"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}={shown}")
    text = ", ".join(parts).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= width else text[: width - 3] + "..."
