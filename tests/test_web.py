"""The web explorer through FastAPI's TestClient: pages, what-ifs, uploads, the JSON API,
errors, limits, and concurrent recording in the run store."""

from __future__ import annotations

import re
import sqlite3
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import peacetalks
from peacetalks.analysis.analyze import analyze
from peacetalks.errors import ScenarioError, UsageError
from peacetalks.scenarios import FLAGSHIP, builtin_text
from peacetalks.web import create_app
from peacetalks.web.app import MAX_UPLOAD
from peacetalks.whatif import apply, changed, knobs

OPENS = ("russia-ukraine-2026", "ru-donetsk-withdrawal")
"""A built-in scenario with no ZOPA, and the red line whose removal alone opens one."""
BROKEN = b"id: broken\ntitle: A broken scenario\nas_of: 2025-01-01\nparties: [\n"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_app(tmp_path_factory.mktemp("web") / "runs.sqlite")


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def _zopa(html: str) -> str:
    found = re.search(r'data-zopa="(yes|no)"', html)
    assert found, html[:500]
    return found.group(1)


def _active_red_lines(scenario_id: str, off: str = "") -> dict[str, Any]:
    lines = [line.id for line in peacetalks.load(scenario_id).red_lines if line.id != off]
    return {"red_lines_shown": "1", "red_line": lines}


HX = {"HX-Request": "true"}


# -- what-ifs, the library ---------------------------------------------------------------------


def test_whatif_sets_numbers_and_keeps_citations() -> None:
    flagship = peacetalks.load(FLAGSHIP)
    before = flagship.preferences["russia"].reservation
    changed_scenario = apply(flagship, {"preferences.russia.reservation": 0.99})
    after = changed_scenario.preferences["russia"].reservation
    assert after.value == 0.99 and after.source == before.source
    assert after.high == 0.99  # the range widened to hold the new value
    assert [(k.path, v) for k, v in changed(flagship, changed_scenario)] == [
        ("preferences.russia.reservation", 0.99)
    ]
    assert flagship.preferences["russia"].reservation == before  # the original is untouched


def test_whatif_war_parameters_red_lines_and_no_ops() -> None:
    flagship = peacetalks.load(FLAGSHIP)
    assert flagship.war is not None
    edited = apply(flagship, {"war.sanctions.cost": 0.3}, disable=["ru-no-nato-path"])
    assert edited.war is not None and edited.war.sanction_list[0].cost.value == 0.3
    assert "ru-no-nato-path" not in {line.id for line in edited.red_lines}
    same = {k.path: str(k.value) for k in knobs(flagship)}
    assert apply(flagship, same) is flagship  # unchanged values change nothing


@pytest.mark.parametrize(
    ("numbers", "disable", "error", "words"),
    [
        ({"preferences.russia.reservaton": 1}, [], UsageError, "did you mean"),
        ({"preferences.russia.reservation": "abc"}, [], UsageError, "expected a number"),
        ({"preferences.russia.reservation": "nan"}, [], UsageError, "finite"),
        ({"preferences.russia.weights.nato": -1}, [], ScenarioError, "weights.nato"),
        ({}, ["no-such-line"], UsageError, "no red line"),
    ],
)
def test_whatif_refuses_bad_edits(
    numbers: dict[str, Any], disable: list[str], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        apply(peacetalks.load(FLAGSHIP), numbers, disable)


def test_the_chosen_red_line_opens_a_zopa() -> None:
    """The browser journey relies on this: check it with the library first."""
    scenario = peacetalks.load(OPENS[0])
    assert not scenario.analyze().zopa.exists
    assert apply(scenario, disable=[OPENS[1]]).analyze().zopa.exists


# -- pages -------------------------------------------------------------------------------------


def test_library_lists_the_built_in_cases(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for entry in peacetalks.scenarios.builtin_ids():
        assert f'href="/scenarios/{entry}"' in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_flagship_page_shows_the_verdict_and_controls(client: TestClient) -> None:
    page = client.get(f"/scenarios/{FLAGSHIP}")
    assert page.status_code == 200
    assert _zopa(page.text) == "no"
    assert "No package of terms is acceptable to every signatory" in page.text
    assert 'data-red-line="ru-no-nato-path"' in page.text
    assert 'name="preferences.russia.reservation"' in page.text
    assert 'name="war.sanctions.cost"' in page.text
    assert 'id="utility-space-data"' in page.text and 'id="dynamics-data"' in page.text
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts and all(src.startswith("/") for src in scripts)  # nothing from a CDN


def test_static_scripts_are_served_locally(client: TestClient) -> None:
    assert "htmx" in client.get("/static/htmx.min.js").text[:200]
    plotly = client.get("/plotly.min.js")
    assert plotly.status_code == 200 and "plotly" in plotly.text[:2000].lower()


def test_a_red_line_toggle_updates_the_verdict_fragment(client: TestClient) -> None:
    scenario_id, line = OPENS
    url = f"/scenarios/{scenario_id}/whatif"
    before = client.post(url, data=_active_red_lines(scenario_id), headers=HX)
    after = client.post(url, data=_active_red_lines(scenario_id, off=line), headers=HX)
    assert before.status_code == after.status_code == 200
    assert "<html" not in after.text  # a fragment, swapped in place
    assert (_zopa(before.text), _zopa(after.text)) == ("no", "yes")
    assert f"red line <code>{line}</code> off" in after.text
    assert after.headers["Server-Timing"].startswith("whatif;dur=")


def test_what_it_takes_and_the_war_follow_the_verdict(client: TestClient) -> None:
    flagship = "russia-ukraine-2025"
    form = _active_red_lines(flagship) | {"preferences.ukraine.reservation": "0.4567"}
    answer = client.post(f"/scenarios/{flagship}/whatif", data=form, headers=HX)
    assert _zopa(answer.text) == "no"
    takes, war = re.findall(r'hx-get="(/scenarios/[^"]+)"', answer.text)
    assert "/takes/" in takes and "/war/" in war
    assert "What it would take" not in answer.text
    sentences = client.get(takes, headers=HX)
    assert sentences.status_code == 200 and '<ul class="sentences takes"' in sentences.text
    library = apply(peacetalks.load(flagship), {"preferences.ukraine.reservation": 0.4567})
    full = analyze(library).verdict
    quick = analyze(library, with_what_it_takes=False).verdict
    added = [line for line in full if line not in quick]
    assert added and all(str(escape(line)) in sentences.text for line in added)
    timeline = client.get(war, headers=HX)
    assert timeline.status_code == 200 and 'id="dynamics-data"' in timeline.text
    gone = client.get(f"/scenarios/{flagship}/takes/{'0' * 64}", headers=HX)
    assert gone.status_code == 404 and "no longer in memory" in gone.text


def test_whatif_without_javascript_renders_the_whole_page(client: TestClient) -> None:
    data = _active_red_lines("camp-david-1978") | {"preferences.egypt.reservation": "0.2"}
    page = client.post("/scenarios/camp-david-1978/whatif", data=data)
    assert page.status_code == 200 and "<html" in page.text
    assert 'value="0.2"' in page.text


def test_unchanged_scenarios_reuse_the_cached_analysis(app: Any) -> None:
    space = app.state.workspace
    scenario = space.scenario("camp-david-1978")
    again = apply(scenario, {"preferences.egypt.reservation": 0.31})
    same = apply(scenario, {"preferences.egypt.reservation": 0.31})
    assert space.analysis(again) is space.analysis(same)


def test_war_model_what_ifs_reuse_the_analysis(app: Any) -> None:
    """The analysis does not read the war model, so the cache ignores it (checked here)."""
    space = app.state.workspace
    flagship = space.scenario(FLAGSHIP)
    harsher = apply(flagship, {"war.sanctions.cost": 0.25, "war.support.us-aid.fatigue": 0.2})
    assert harsher.content_hash() != flagship.content_hash()
    assert space.analysis(harsher) is space.analysis(flagship)
    assert harsher.analyze().to_dict() == flagship.analyze().to_dict()


def test_bad_whatifs_are_shown_inline(client: TestClient) -> None:
    url = f"/scenarios/{FLAGSHIP}/whatif"
    answer = client.post(url, data={"preferences.russia.reservation": "lots"}, headers=HX)
    assert answer.status_code == 422 and "expected a number" in answer.text
    value = "preferences.russia.values.nato.constitutional-ban"
    answer = client.post(url, data={value: "1.5"}, headers=HX)
    assert answer.status_code == 422
    assert "out of range" in answer.text and "values.nato.constitutional-ban" in answer.text


def test_simulation_replay_and_run_history(client: TestClient) -> None:
    form = {"protocol": "stacked", "deadline": "30", "seed": "1", "record": "on"}
    page = client.post("/scenarios/camp-david-1978/simulate", data=form | {"x": "1"})
    assert page.status_code == 200 and "data-replay" in page.text
    assert page.text.count("<tr data-offer=") >= 1
    run_id = re.search(r'recorded as <a href="/runs/([0-9a-f]+)"', page.text)
    assert run_id
    history = client.get("/runs")
    assert run_id.group(1) in history.text
    detail = client.get(f"/runs/{run_id.group(1)}")
    assert detail.status_code == 200 and "data-replay" in detail.text


def test_simulation_fragment_for_htmx(client: TestClient) -> None:
    form = {"protocol": "stacked", "deadline": "10", "strategy.egypt": "boulware"}
    fragment = client.post("/scenarios/camp-david-1978/simulate", data=form, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "egypt = boulware" in fragment.text


def test_simulation_with_a_truce_shows_its_events(client: TestClient) -> None:
    form = {"deadline": "12", "truce": "3:6:0.5"}
    fragment = client.post(f"/scenarios/{FLAGSHIP}/simulate", data=form, headers=HX)
    assert fragment.status_code == 200 and '<ul class="events">' in fragment.text
    assert "The fighting pauses until round 9." in fragment.text
    bad = client.post(f"/scenarios/{FLAGSHIP}/simulate", data=form | {"truce": "soon"})
    assert bad.status_code == 400 and "START:LENGTH" in bad.text
    api = client.post(f"/api/scenarios/{FLAGSHIP}/simulate", json={"deadline": 12, "truce": "3:6"})
    assert api.status_code == 200
    assert any(event["kind"] == "truce-refused" for event in api.json()["events"])


# -- uploads -----------------------------------------------------------------------------------


def test_upload_opens_a_valid_scenario_kept_in_memory(client: TestClient, tmp_path: Path) -> None:
    text = builtin_text("camp-david-1978").replace("id: camp-david-1978", "id: my-camp-david", 1)
    answer = client.post(
        "/upload",
        files={"file": ("../../etc/mine.yaml", text.encode())},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    ref = answer.headers["location"].rsplit("/", 1)[-1]
    assert ref.startswith("upload-")
    assert _zopa(client.get(f"/scenarios/{ref}").text) == "yes"
    assert any(item["ref"] == ref for item in client.get("/api/scenarios").json())
    assert not (tmp_path / "mine.yaml").exists()


def test_broken_upload_shows_located_problems(client: TestClient) -> None:
    page = client.post("/upload", files={"file": ("broken.yaml", BROKEN)})
    assert page.status_code == 422
    assert "broken.yaml is not a valid scenario" in page.text
    assert re.search(r'class="where">line \d+, column \d+', page.text)


def test_invalid_scenario_problems_name_line_and_field(client: TestClient) -> None:
    text = builtin_text("camp-david-1978").replace("reservation:", "reservaton:", 1)
    page = client.post("/upload", files={"file": ("typo.yaml", text.encode())})
    assert page.status_code == 422
    assert "reservaton" in page.text and re.search(r"line \d+", page.text)


def test_upload_size_limit(client: TestClient) -> None:
    big = b"# " + b"x" * MAX_UPLOAD
    page = client.post("/upload", files={"file": ("big.yaml", big)})
    assert page.status_code == 413 and "File too large" in page.text
    api = client.post("/api/scenarios", content=big)
    assert api.status_code == 413 and "bytes" in api.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(30):
            yield b"#" * 50_000 + b"\n"

    streamed = client.post("/api/scenarios", content=chunks())
    assert streamed.status_code == 413


BOMB = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
    b"%c: &%c [" % (c, c) + b",".join([b"*%c" % (c - 1)] * 9) + b"]\n"
    for c in range(ord("b"), ord("j"))
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (b"id: x\nbase: &a [x, &b [y]]\nuse: &c [*b, *b]\nall: [*c, *c]\n", "nested aliases"),
        (BOMB, "nested aliases"),
        (b"id: !!python/object/apply:os.system ['echo owned']\n", "is not allowed"),
        (b"id: x\n<<: {a: 1}\n", "unknown field '<<'"),
    ],
    ids=["nested-alias", "billion-laughs", "python-tag", "merge-key"],
)
def test_uploads_refuse_aliases_bombs_and_code(client: TestClient, text: bytes, words: str) -> None:
    answer = client.post("/api/scenarios", content=text)
    assert answer.status_code == 422
    messages = " ".join(p["message"] for p in answer.json()["problems"])
    assert words in messages


def test_the_library_bounds_alias_expansion() -> None:
    """Without the server's own check, the YAML reader stops a bomb by counting values."""
    from peacetalks.io import parse

    with pytest.raises(ScenarioError, match="aliases expanding"):
        parse(BOMB)


# -- no paths, errors as pages -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/scenarios/..%2F..%2Fetc%2Fpasswd",
        "/api/scenarios/%2Fetc%2Fpasswd",
        "/api/scenarios/upload-0000",
        "/static/..%2F..%2Fapp.py",
    ],
)
def test_no_filesystem_paths(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_scenario_file_path_is_not_opened(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(builtin_text("camp-david-1978"))
    assert client.get(f"/api/scenarios/{path}").status_code == 404


def test_errors_are_pages_for_people_and_json_for_the_api(client: TestClient) -> None:
    page = client.get("/scenarios/no-such-case")
    assert page.status_code == 404 and "<html" in page.text and "did you mean" not in page.text
    assert "expected one of" in page.text
    api = client.get("/api/scenarios/no-such-case")
    assert api.status_code == 404 and "no scenario" in api.json()["detail"]
    assert client.get("/api/runs/zzzz").status_code in {404}
    assert client.post("/api/scenarios/camp-david-1978/sweep", json={"samples": 10**6}).json()


def test_unexpected_errors_show_a_plain_message(tmp_path: Path) -> None:
    app = create_app(tmp_path / "runs.sqlite")

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        page = test_client.get("/boom")
        api = test_client.get("/api/boom")
    assert page.status_code == api.status_code == 500
    for body in (page.text, api.text):
        assert "secret internals" not in body and "Traceback" not in body
    assert "unexpected error" in api.json()["detail"]


# -- the JSON API ------------------------------------------------------------------------------


def test_api_mirrors_the_command_line(client: TestClient) -> None:
    from peacetalks.analysis.analyze import analyze

    listed = client.get("/api/scenarios").json()
    assert [item["id"] for item in listed][: len(peacetalks.scenarios.builtin_ids())] == list(
        peacetalks.scenarios.builtin_ids()
    )
    result = client.get("/api/scenarios/camp-david-1978/analyze").json()
    assert result == analyze(peacetalks.load("camp-david-1978")).to_dict()
    shown = client.get("/api/scenarios/camp-david-1978").json()
    assert shown["id"] == "camp-david-1978"
    assert {s["name"] for s in client.get("/api/strategies").json()} >= {"boulware", "linear"}
    knobs_listed = client.get(f"/api/scenarios/{FLAGSHIP}/knobs").json()
    assert any(k["path"] == "war.sanctions.cost" for k in knobs_listed)


def test_api_what_if_evaluate_dynamics(client: TestClient) -> None:
    scenario_id, line = OPENS
    opened = client.post(
        f"/api/scenarios/{scenario_id}/analyze", json={"disable_red_lines": [line]}
    ).json()
    assert opened["zopa"]["exists"] is True
    bad = client.post(f"/api/scenarios/{FLAGSHIP}/analyze", json={"numbers": {"nope": 1}})
    assert bad.status_code == 400 and "no number" in bad.json()["detail"]
    verdict = client.post(
        f"/api/scenarios/{FLAGSHIP}/evaluate", json={"proposal": "kremlin-terms"}
    ).json()
    assert verdict["accepted_by_all"] is False
    dynamics = client.post(
        f"/api/scenarios/{FLAGSHIP}/dynamics", json={"horizon": 6, "levers": False}
    )
    assert dynamics.status_code == 200 and len(dynamics.json()["dates"]) == 7


def test_api_sweep_is_capped_and_simulate_records(client: TestClient) -> None:
    too_big = client.post("/api/scenarios/camp-david-1978/sweep", json={"samples": 1_000_000})
    assert too_big.status_code == 422
    swept = client.post(
        "/api/scenarios/camp-david-1978/sweep", json={"samples": 100, "record": True}
    )
    assert swept.status_code == 200 and swept.json()["samples"] == 100
    run_id = swept.headers["X-Run-Id"]
    assert client.get(f"/api/runs/{run_id}").json()["kind"] == "sweep"
    assert len(client.get(f"/api/runs/{run_id}/samples?limit=5").json()) == 5
    simulated = client.post("/api/scenarios/camp-david-1978/simulate", json={"deadline": 20})
    assert simulated.status_code == 200 and simulated.json()["trace"]
    wrong = client.post("/api/scenarios/camp-david-1978/simulate", json={"protocol": "duel"})
    assert wrong.status_code == 400


def test_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/scenarios", "/api/scenarios/{ref}/analyze", "/api/runs"):
        assert path in schema["paths"]
    assert not any(path.startswith("/scenarios") for path in schema["paths"])


# -- several users at once ---------------------------------------------------------------------


def test_concurrent_requests_that_record_runs(tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite"
    servers = [create_app(store), create_app(store)]  # two servers, one store

    def run(k: int) -> str:
        with TestClient(servers[k % 2]) as test_client:
            answer = test_client.post(
                "/api/scenarios/camp-david-1978/simulate",
                json={"deadline": 5, "seed": k, "record": True},
            )
        assert answer.status_code == 200, answer.text
        return answer.headers["X-Run-Id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(run, range(24)))
    assert len(set(ids)) == 24
    with TestClient(servers[0]) as test_client:
        listed = test_client.get("/api/runs?limit=100").json()
        assert {item["id"] for item in listed} == set(ids)
        assert {test_client.get(f"/api/runs/{i}").json()["seed"] for i in ids} == set(range(24))
    with sqlite3.connect(store) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- the command -------------------------------------------------------------------------------


def test_serve_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import webbrowser

    import uvicorn
    from typer.testing import CliRunner

    from peacetalks.cli import app as cli

    calls: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(kw, app=app))
    monkeypatch.setattr(webbrowser, "open", lambda url: calls.update(opened=url))
    store = tmp_path / "runs.sqlite"
    result = CliRunner().invoke(
        cli, ["serve", "--no-browser", "--port", "8765", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8765
    assert "opened" not in calls
    assert Path(str(calls["app"].state.workspace.store_path)) == store
