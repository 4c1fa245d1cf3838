"""The run store: round trips, concurrent writers, killed writers, bad input, the CLI."""

from __future__ import annotations

import csv
import itertools
import json
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peacetalks import __version__
from peacetalks.errors import UsageError
from peacetalks.store import RunStore, store_path
from peacetalks.store import store as store_module
from peacetalks.store.commands import app

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


@pytest.fixture(autouse=True)
def _private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the user's real store."""
    monkeypatch.setenv("PEACETALKS_STORE", str(tmp_path / "default" / "runs.sqlite"))


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    return RunStore(tmp_path / "runs.sqlite")


def _record(store: RunStore, kind: str = "analyze", scenario: str = "flagship", **kw: Any) -> str:
    return store.record(
        kind,
        scenario,
        kw.pop("scenario_hash", "0" * 64),
        kw.pop("parameters", {"points": 10}),
        kw.pop("summary", {"zopa": False}),
        **kw,
    )


def _sample_rows(path: Path) -> dict[str, int]:
    """Sample rows actually in the file, per run id (read with plain sqlite3)."""
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT run_id, COUNT(*) FROM samples GROUP BY run_id").fetchall()
    return dict(rows)


def _assert_complete(store: RunStore) -> list[str]:
    """Every run's recorded sample count matches its sample rows; no orphan samples."""
    infos = store.list(limit=None)
    counts = _sample_rows(store.path)
    assert set(counts) <= {info.id for info in infos}, "samples without a run"
    for info in infos:
        assert counts.get(info.id, 0) == info.sample_count, info
    with sqlite3.connect(store.path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return [info.id for info in infos]


# -- round trips -------------------------------------------------------------------------------


def test_record_get_and_samples_round_trip(store: RunStore) -> None:
    samples = [
        {"i": i, "share": i / 3, "tags": ["a", i], "deal": {"crimea": "ru"}} for i in range(5)
    ]
    run_id = _record(
        store,
        parameters={"horizon": 24, "levers": True},
        summary={"zopa": False, "gap": 0.125, "frontier": [[0.1, 0.9]]},
        seed=7,
        samples=samples,
    )
    assert len(run_id) == 12 and int(run_id, 16) >= 0
    run = store.get(run_id)
    assert run.id == run_id and run.kind == "analyze" and run.scenario_id == "flagship"
    assert run.parameters == {"horizon": 24, "levers": True}
    assert run.summary == {"zopa": False, "gap": 0.125, "frontier": [[0.1, 0.9]]}
    assert run.seed == 7 and run.sample_count == 5 and run.version == __version__
    assert run.scenario_hash == "0" * 64
    assert run.created.endswith("Z") and run.created_at.tzinfo is not None
    assert list(store.samples(run_id)) == samples
    assert list(store.samples(run_id, limit=2)) == samples[:2]
    assert json.loads(run.to_json())["summary"]["gap"] == 0.125


def test_list_is_newest_first_and_filters(store: RunStore) -> None:
    ids = [
        _record(store, kind, scenario, seed=index)
        for index, (kind, scenario) in enumerate(
            [("analyze", "a"), ("sweep", "a"), ("sweep", "b"), ("dynamics", "b")]
        )
    ]
    assert [info.id for info in store.list()] == ids[::-1]
    assert [info.id for info in store.list(kind="sweep")] == [ids[2], ids[1]]
    assert [info.id for info in store.list(scenario="b")] == [ids[3], ids[2]]
    assert [info.id for info in store.list(kind="sweep", scenario="a")] == [ids[1]]
    assert [info.id for info in store.list(limit=2)] == [ids[3], ids[2]]
    assert store.list(kind="simulate") == []
    assert store.count() == 4 and store.count(kind="sweep") == 2
    created = [info.created for info in store.list()]
    assert created == sorted(created, reverse=True) and len(set(created)) == 4
    info = store.list()[0]
    assert info.preview == "zopa=false" and info.seed == 3 and info.sample_count == 0
    with pytest.raises(UsageError, match="at least 1"):
        store.list(limit=0)


def test_unique_prefixes_are_accepted_ambiguous_and_unknown_are_not(store: RunStore) -> None:
    ids = [_record(store) for _ in range(17)]  # 17 ids, 16 hex digits: two share a first digit
    first = [run_id[0] for run_id in ids]
    shared = next(c for c in first if first.count(c) > 1)
    with pytest.raises(UsageError, match="ambiguous") as error:
        store.get(shared)
    for run_id in ids:
        if run_id.startswith(shared):
            assert run_id in str(error.value)
    for run_id in ids:
        assert store.get(run_id[:10]).id == run_id
        assert store.get(run_id.upper()).id == run_id
    with pytest.raises(UsageError, match="no run with id 'zz'"):
        store.get("zz")
    with pytest.raises(UsageError, match="give a run id"):
        store.get("  ")


def test_id_collisions_are_retried(store: RunStore, monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = iter(["aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(store_module.secrets, "token_hex", lambda n: next(tokens))
    assert _record(store) == "aaaaaaaaaaaa"
    assert _record(store) == "bbbbbbbbbbbb"


def test_delete_removes_the_run_and_its_samples(store: RunStore) -> None:
    keep = _record(store, samples=[{"x": 1}])
    gone = _record(store, samples=[{"x": 2}, {"x": 3}])
    assert store.delete(gone[:8]) == gone
    assert [info.id for info in store.list()] == [keep]
    assert _sample_rows(store.path) == {keep: 1}
    with pytest.raises(UsageError, match="no run"):
        store.delete(gone)


def test_export_csv(store: RunStore, tmp_path: Path) -> None:
    samples = [
        {"i": 0, "share": 0.1, "label": 'Crimea, "de facto"', "ok": True},
        {"i": 1, "deal": {"nato": "no"}, "label": "ünïcødé", "none": None},
        {"path": [1, 2.5]},
    ]
    run_id = _record(store, samples=samples)
    out = store.export(run_id[:6], tmp_path / "out.csv")
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["i", "share", "label", "ok", "deal", "none", "path"],
        ["0", "0.1", 'Crimea, "de facto"', "true", "", "", ""],
        ["1", "", "ünïcødé", "", '{"nato": "no"}', "", ""],
        ["", "", "", "", "", "", "[1, 2.5]"],
    ]
    assert float(rows[1][1]) == 0.1  # floats are written exactly (repr)
    assert not list(tmp_path.glob(".out.csv.*"))  # no temporary file left behind


def test_export_parquet(store: RunStore, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    samples = [
        {"i": 0, "share": 1 / 3, "deal": {"nato": "no"}, "mixed": 1},
        {"i": 1, "share": None, "label": "ü", "mixed": "one"},
    ]
    run_id = _record(store, summary={"zopa": True}, samples=samples)
    out = store.export(run_id, tmp_path / "out.parquet", format="parquet")
    table = pq.read_table(out)
    assert table.column_names == ["i", "share", "deal", "mixed", "label"]
    assert table.to_pylist() == [
        {"i": 0, "share": 1 / 3, "deal": '{"nato": "no"}', "mixed": "1", "label": None},
        {"i": 1, "share": None, "deal": None, "mixed": '"one"', "label": "ü"},
    ]
    meta = json.loads(table.schema.metadata[b"peacetalks.run"])
    assert meta["id"] == run_id and meta["summary"] == {"zopa": True}


def test_export_of_a_run_without_samples(store: RunStore, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    run_id = _record(store)
    assert store.export(run_id, tmp_path / "empty.csv").read_text() == ""
    assert store.export(run_id, tmp_path / "empty.parquet", "parquet").stat().st_size > 0


def test_export_refuses_bad_formats_and_targets(store: RunStore, tmp_path: Path) -> None:
    run_id = _record(store, samples=[{"x": 1}])
    with pytest.raises(UsageError, match="unknown export format 'xlsx'"):
        store.export(run_id, tmp_path / "out.xlsx", format="xlsx")
    with pytest.raises(UsageError, match="is a folder"):
        store.export(run_id, tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        store.export(run_id, tmp_path / "missing" / "out.csv")
    for target in (store.path, Path(str(store.path) + "-wal")):
        with pytest.raises(UsageError, match="is the run store itself"):
            store.export(run_id, target)
    assert store.get(run_id).sample_count == 1


def test_parquet_without_pyarrow_says_what_to_install(
    store: RunStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _record(store, samples=[{"x": 1}])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(UsageError, match=r"pip install 'peacetalks\[parquet\]'"):
        store.export(run_id, tmp_path / "out.parquet", format="parquet")
    assert not (tmp_path / "out.parquet").exists()


# -- JSON values --------------------------------------------------------------------------------


def test_nan_and_infinity_become_null_and_numpy_becomes_plain(store: RunStore) -> None:
    run_id = _record(
        store,
        summary={
            "nan": float("nan"),
            "inf": np.float64(np.inf),
            "array": np.array([[1.5, np.nan], [-np.inf, 2.0]]),
            "count": np.int64(3),
            "flag": np.bool_(True),
            "tuple": (1, "a"),
        },
        samples=[{"x": np.float32(0.5), "y": float("-inf")}],
    )
    run = store.get(run_id)
    assert run.summary == {
        "nan": None,
        "inf": None,
        "array": [[1.5, None], [None, 2.0]],
        "count": 3,
        "flag": True,
        "tuple": [1, "a"],
    }
    assert list(store.samples(run_id)) == [{"x": 0.5, "y": None}]
    with sqlite3.connect(store.path) as con:
        texts = [row[0] for row in con.execute("SELECT summary FROM runs")]
        texts += [row[0] for row in con.execute("SELECT data FROM samples")]
    assert all("NaN" not in text and "Infinity" not in text for text in texts)


def test_values_that_are_not_json_are_refused_with_their_place(store: RunStore) -> None:
    with pytest.raises(UsageError, match=r"summary\.deal\.parties: cannot store a set"):
        _record(store, summary={"deal": {"parties": {"ru", "ua"}}})
    with pytest.raises(UsageError, match="sample 1 is a list, not a mapping"):
        _record(store, samples=[{"x": 1}, [1, 2]])
    with pytest.raises(UsageError, match="parameters must be a mapping"):
        _record(store, parameters=[1, 2])
    for seed in (True, 1.5, "7", 2**70):
        with pytest.raises(UsageError, match="seed"):
            _record(store, seed=seed)
    with pytest.raises(UsageError, match="kind must be a non-empty string"):
        _record(store, kind=" ")
    assert store.list() == []


def test_a_failing_sample_generator_records_nothing(store: RunStore) -> None:
    def samples() -> Any:
        yield {"x": 1}
        raise RuntimeError("simulation crashed")

    with pytest.raises(RuntimeError, match="crashed"):
        _record(store, samples=samples())
    assert store.list() == [] and _sample_rows(store.path) == {}


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
JSON_OBJECTS = st.dictionaries(st.text(), JSON_VALUES, max_size=6)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> RunStore:
    return RunStore(tmp_path_factory.mktemp("hypothesis") / "runs.sqlite")


@settings(max_examples=60)
@given(
    summary=JSON_OBJECTS,
    parameters=JSON_OBJECTS,
    samples=st.lists(JSON_OBJECTS, max_size=4),
    seed=st.none() | st.integers(-(2**63), 2**63 - 1),
    scenario=st.text(min_size=1).filter(str.strip),
)
def test_json_data_round_trips_exactly(
    shared_store: RunStore,
    summary: dict[str, Any],
    parameters: dict[str, Any],
    samples: list[dict[str, Any]],
    seed: int | None,
    scenario: str,
) -> None:
    run_id = shared_store.record("sweep", scenario, "h", parameters, summary, seed, samples)
    run = shared_store.get(run_id)
    # repr tells 1 from 1.0 from True and -0.0 from 0.0, and shows key order
    assert repr(run.summary) == repr(summary)
    assert repr(run.parameters) == repr(parameters)
    assert repr(list(shared_store.samples(run_id))) == repr(samples)
    assert run.seed == seed and run.scenario_id == scenario and run.sample_count == len(samples)


def test_a_lone_surrogate_survives(store: RunStore) -> None:
    run_id = _record(store, summary={"text": "\ud800"}, samples=[{"\udfff": 1}])
    assert store.get(run_id).summary == {"text": "\ud800"}
    assert store.list()[0].preview == 'text="\\ud800"'
    assert list(store.samples(run_id)) == [{"\udfff": 1}]


# -- the file: where it lives, and files that are not ours -------------------------------------


def test_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEACETALKS_STORE", str(tmp_path / "explicit.sqlite"))
    assert store_path() == tmp_path / "explicit.sqlite"
    monkeypatch.delenv("PEACETALKS_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert store_path() == tmp_path / "data" / "peacetalks" / "runs.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert store_path() == tmp_path / "home" / ".local" / "share" / "peacetalks" / "runs.sqlite"
    assert store_path(tmp_path / "given.sqlite") == tmp_path / "given.sqlite"
    created = RunStore()  # creates the folders
    assert created.path.is_file() and created.list() == []


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=f"{tmp_path}: is a folder, not a peacetalks run store"):
        RunStore(tmp_path)


def test_foreign_files_are_refused_and_left_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
        con.execute("INSERT INTO t VALUES (1)")
    con.close()
    for path in (text, other):
        before = path.read_bytes(), path.stat().st_mtime_ns
        with pytest.raises(UsageError, match="not a peacetalks run store") as error:
            RunStore(path)
        assert str(path) in str(error.value)
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "other.sqlite"]


def test_a_newer_schema_is_refused(store: RunStore) -> None:
    _record(store)
    store.close()
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = store.path.read_bytes()
    with pytest.raises(UsageError, match=r"schema version 99, newer than .* understands"):
        RunStore(store.path)
    assert store.path.read_bytes() == before


def test_reopening_and_missing_stores(store: RunStore, tmp_path: Path) -> None:
    run_id = _record(store)
    assert RunStore(store.path, create=False).get(run_id).id == run_id
    store.close()
    assert store.get(run_id).id == run_id  # a closed store reopens
    clone = pickle.loads(pickle.dumps(store))
    assert clone.path == store.path and clone.get(run_id).id == run_id
    store._pid = -1  # as if forked: the child opens its own connection
    assert store.get(run_id).id == run_id
    with pytest.raises(UsageError, match="no run store at"):
        RunStore(tmp_path / "nothing.sqlite", create=False)
    assert not (tmp_path / "nothing.sqlite").exists()


def test_a_writer_that_waits_too_long_gets_a_clear_error(store: RunStore) -> None:
    _record(store)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        impatient = RunStore(store.path, timeout=0.2)
        assert len(impatient.list()) == 1  # readers are not blocked (WAL)
        with pytest.raises(UsageError, match=r"locked.*more than 0\.2 s"):
            _record(impatient)
    finally:
        other.execute("ROLLBACK")
        other.close()
    _record(store)
    assert store.count() == 2


# -- several processes -------------------------------------------------------------------------

WRITER = """
import sys, time
from pathlib import Path
from peacetalks.store import RunStore

path, name, runs, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
store = RunStore(path)  # all writers create the store at once
for i in range(runs):
    samples = [{"writer": name, "run": i, "row": j, "x": j / 7} for j in range(i % 5 * 20)]
    store.record("sweep", "s", "h", {"writer": name, "i": i}, {"i": i}, i, samples)
    time.sleep(0.002)  # a real writer computes between runs
"""


def _python(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    path, go, runs = tmp_path / "shared.sqlite", tmp_path / "go", 50
    writers = {name: _python(WRITER, path, name, runs, go) for name in ("w0", "w1", "w2")}
    for proc in writers.values():
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in writers.values():
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store = RunStore(path)
    infos = store.list(limit=None)
    assert len(infos) == 3 * runs and len({info.id for info in infos}) == 3 * runs
    _assert_complete(store)
    seen: dict[str, set[int]] = {name: set() for name in writers}
    for info in infos:
        run = store.get(info.id)
        name, i = run.parameters["writer"], run.parameters["i"]
        seen[name].add(i)
        expected = [{"writer": name, "run": i, "row": j, "x": j / 7} for j in range(i % 5 * 20)]
        assert list(store.samples(info.id)) == expected
    assert all(indices == set(range(runs)) for indices in seen.values())
    # the writers really overlapped: their runs interleave in commit order
    order = [store.get(info.id).parameters["writer"] for info in reversed(infos)]
    switches = sum(a != b for a, b in itertools.pairwise(order))
    assert switches >= 3


STALLING = """
import sys, time
from peacetalks.store import RunStore

class Stalling(RunStore):
    def _insert_samples(self, con, run_id, rows):
        super()._insert_samples(con, run_id, rows)
        print(run_id, flush=True)  # every row written, COMMIT not yet
        time.sleep(600)

samples = ({"i": i, "pad": "x" * 60} for i in range(int(sys.argv[2])))
Stalling(sys.argv[1]).record("simulate", "s", "h", {}, {"big": True}, samples=samples)
"""


@posix_only
def test_a_writer_killed_mid_transaction_loses_only_its_run(store: RunStore) -> None:
    earlier = [_record(store, samples=[{"i": i} for i in range(i * 10)]) for i in range(3)]
    size = 100_000  # several MB: uncommitted pages spill into the WAL before the kill
    proc = _python(STALLING, store.path, size)
    assert proc.stdout is not None
    partial = proc.stdout.readline().strip()
    assert len(partial) == 12, proc.communicate(timeout=10)
    wal = Path(f"{store.path}-wal")
    assert wal.stat().st_size > 1_000_000  # the unfinished run's pages are on disk already
    # while it holds the write lock, readers see the earlier runs only
    assert [info.id for info in store.list()] == earlier[::-1]
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    reopened = RunStore(store.path)
    assert _assert_complete(reopened) == earlier[::-1]
    with pytest.raises(UsageError, match="no run"):
        reopened.get(partial)
    new = _record(reopened, samples=[{"after": True}])
    assert [info.id for info in reopened.list()] == [new, *earlier[::-1]]
    assert store.list()[0].id == new  # the old handle works too


LOOPING = """
import sys
from peacetalks.store import RunStore

store = RunStore(sys.argv[1])
print("started", flush=True)
i = 0
while True:
    store.record("sweep", "s", "h", {"i": i}, {}, i, [{"i": i, "j": j} for j in range(2000)])
    i += 1
"""


@posix_only
def test_a_writer_killed_at_any_moment_leaves_only_complete_runs(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    proc = _python(LOOPING, path)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    time.sleep(0.7)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    store = RunStore(path)
    ids = _assert_complete(store)
    assert ids, "the writer recorded nothing before it was killed"
    for info in store.list(limit=None):
        assert info.sample_count == 2000
    assert _record(store) in {info.id for info in store.list()}


# -- the command line --------------------------------------------------------------------------

runner = CliRunner()


def _cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_cli_list_show_export_delete(store: RunStore, tmp_path: Path) -> None:
    where = ("--store", str(store.path))
    first = _record(store, "sweep", "a", summary={"share": 0.5}, samples=[{"x": 1}, {"x": 2}])
    second = _record(store, "analyze", "b", summary={"zopa": {"exists": False}}, seed=3)

    result = _cli("list", *where)
    assert result.exit_code == 0, result.output
    assert first in result.stdout and second in result.stdout and "share=0.5" in result.stdout
    listed = json.loads(_cli("list", "--json", *where).stdout)
    assert [entry["id"] for entry in listed] == [second, first]
    only = json.loads(_cli("list", "--kind", "sweep", "--json", *where).stdout)
    assert [entry["id"] for entry in only] == [first]
    assert "showing 1 of 2 runs" in _cli("list", "--limit", "1", *where).stdout

    shown = _cli("show", first[:6], *where)
    assert shown.exit_code == 0, shown.output
    assert "First 2 of 2 samples" in shown.stdout and "share" in shown.stdout
    data = json.loads(_cli("show", first, "--json", *where).stdout)
    assert data["summary"] == {"share": 0.5} and data["samples"] == [{"x": 1}, {"x": 2}]
    assert "zopa.exists" in _cli("show", second, *where).stdout

    out = tmp_path / "samples.csv"
    exported = _cli("export", first, "-o", str(out), *where)
    assert exported.exit_code == 0, exported.output
    assert out.read_text().splitlines() == ["x", "1", "2"]
    assert f"wrote 2 samples of run {first}" in exported.stderr
    pq = pytest.importorskip("pyarrow.parquet")
    parquet = tmp_path / "samples.parquet"
    assert _cli("export", first, "-o", str(parquet), *where).exit_code == 0  # format by suffix
    assert pq.read_table(parquet).to_pylist() == [{"x": 1}, {"x": 2}]

    deleted = _cli("delete", first[:5], *where)
    assert deleted.exit_code == 0 and f"deleted run {first}" in deleted.stdout
    assert [entry["id"] for entry in json.loads(_cli("list", "--json", *where).stdout)] == [second]


def test_cli_errors_exit_2_with_a_message(store: RunStore, tmp_path: Path) -> None:
    where = ("--store", str(store.path))
    run_id = _record(store, samples=[{"x": 1}])
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    cases = [
        (("show", "zz", *where), "no run with id 'zz'"),
        (("delete", "zz", *where), "no run with id 'zz'"),
        (("export", run_id, "-o", str(tmp_path / "x.txt"), "-f", "xlsx", *where), "xlsx"),
        (("show", run_id, "--store", str(tmp_path)), "is a folder"),
        (("list", "--store", str(notes)), "not a peacetalks run store"),
        (("show", "abc", "--store", str(tmp_path / "none.sqlite")), "no run store at"),
    ]
    for args, message in cases:
        result = _cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert notes.read_text() == "hello"


def test_cli_list_without_a_store_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "never" / "runs.sqlite"
    result = _cli("list", "--store", str(missing))
    assert result.exit_code == 0 and "no runs recorded yet" in result.stdout
    assert json.loads(_cli("list", "--json", "--store", str(missing)).stdout) == []
    assert not missing.parent.exists()
