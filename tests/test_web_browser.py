"""The main journeys of the web explorer in a real headless Chromium (Debian's, driven by
Playwright): open the flagship and see the verdict, toggle a red line and see the verdict
change without a page reload, upload a broken file and see the located error, step through a
simulated negotiation.

The setup installs Chromium with apt-get when /usr/bin/chromium is missing (Playwright's own
browser download cannot work here). If that fails, the tests fail on CI (``CI`` set) and are
skipped elsewhere. Screenshots go to ``$PEACETALKS_ARTIFACTS`` (default: pytest's tmp dir).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("playwright")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
OPENS = ("russia-ukraine-2026", "ru-donetsk-withdrawal")
"""Switching this red line off opens a ZOPA (checked in tests/test_web.py)."""
BROKEN = b"id: broken\ntitle: A broken scenario\nas_of: 2025-01-01\nparties: [\n"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Chromium is needed for the browser tests on CI: {reason}")
    pytest.skip(f"no Chromium: {reason}")


def _install_chromium() -> None:
    """apt-get install chromium (Debian's package), as the test setup's own step."""
    if shutil.which("apt-get") is None:
        _unavailable("apt-get is not available to install it")
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sudo = [] if os.geteuid() == 0 or shutil.which("sudo") is None else ["sudo", "-n", "-E"]
    commands = [
        [*sudo, "apt-get", "update"],
        [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "chromium"],
    ]
    for command in commands:
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, check=False, timeout=900
        )
        if done.returncode != 0:
            _unavailable(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        _install_chromium()
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is still missing after the install")
    return CHROMIUM


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("PEACETALKS_ARTIFACTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The explorer on a free localhost port, served by uvicorn in a thread."""
    import uvicorn

    from peacetalks.web import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(tmp_path_factory.mktemp("browser-store") / "runs.sqlite")
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    opened.screenshot(path=str(artifacts / f"{request.node.name}-end.png"), full_page=False)
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_open_the_flagship_and_see_the_verdict(page: Any, server: str, artifacts: Path) -> None:
    page.goto(server + "/")
    page.click("tr.flagship a")
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert verdict.get_attribute("data-zopa") == "no"
    assert "No deal" in verdict.inner_text()
    page.locator("#utility-space .main-svg").first.wait_for()  # plotly drew the frontier
    page.screenshot(path=str(artifacts / "flagship.png"), full_page=True)


def test_toggle_a_red_line_and_see_the_verdict_change(
    page: Any, server: str, artifacts: Path
) -> None:
    scenario_id, line = OPENS
    page.goto(f"{server}/scenarios/{scenario_id}")
    assert page.locator("#verdict").get_attribute("data-zopa") == "no"
    page.evaluate("window.__sameDocument = true")
    page.uncheck(f'input[data-red-line="{line}"]')
    page.locator('#verdict[data-zopa="yes"]').wait_for(timeout=60_000)
    assert page.evaluate("window.__sameDocument === true")  # swapped in place, no reload
    assert "A deal is possible" in page.locator("#verdict").inner_text()
    assert line in page.locator(".whatif-state").inner_text()
    page.screenshot(path=str(artifacts / "red-line-off.png"), full_page=True)


def test_upload_a_broken_file_and_see_the_located_error(
    page: Any, server: str, artifacts: Path
) -> None:
    page.goto(server + "/")
    page.set_input_files(
        'input[type="file"]',
        files=[{"name": "broken.yaml", "mimeType": "text/yaml", "buffer": BROKEN}],
    )
    page.click('form.upload button[type="submit"]')
    errors = page.locator("#upload-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "broken.yaml" in text and "line 5" in text
    page.screenshot(path=str(artifacts / "broken-upload.png"), full_page=True)


def test_step_through_a_simulated_negotiation(page: Any, server: str, artifacts: Path) -> None:
    page.goto(f"{server}/scenarios/camp-david-1978/simulate")
    page.click('#simulate button[type="submit"]')
    label = page.locator('#replay [data-step="label"]')
    label.wait_for()
    assert label.inner_text().startswith("offer 1 of ")
    page.click('#replay [data-step="next"]')
    assert label.inner_text().startswith("offer 2 of ")
    assert page.locator("#replay tr.current").count() == 1
    page.screenshot(path=str(artifacts / "replay.png"), full_page=True)
