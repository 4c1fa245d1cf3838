"""Wall-clock time of `peacetalks analyze` on the flagship scenario as a whole process.

Each command runs once untimed (to warm the OS file cache and peacetalks's scenario cache), then
`--repeat` times (at least 7); the median and the minimum are reported. Output goes to a pipe
that is read and discarded. Target (issue text): under 1.5 s (judged on the median).

For context it also times an empty interpreter start and `import peacetalks.cli`, and, when the
`peacetalks` found on PATH is not the console script itself (a pyenv shim, say), that too.

    python bench/analyze_startup.py [--repeat 9]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _common import median, seconds, table

TARGET = 1.5
IMPORT = "import peacetalks.cli"


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {message}")
    return elapsed


def measure(command: list[str], repeat: int) -> list[float]:
    run_once(command)  # warm-up, not reported
    return [run_once(command) for _ in range(repeat)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per command (>= 7)")
    args = parser.parse_args()
    repeat = max(7, args.repeat)

    script = Path(sys.executable).parent / "peacetalks"
    cli = str(script) if script.exists() else shutil.which("peacetalks")
    if cli is None:
        raise SystemExit("no `peacetalks` console script: install the package first")
    on_path = shutil.which("peacetalks")

    commands: list[tuple[str, list[str], bool]] = [
        ("python -c pass (interpreter start)", [sys.executable, "-c", "pass"], False),
        ("python -c 'import peacetalks.cli'", [sys.executable, "-c", IMPORT], False),
        ("peacetalks analyze", [cli, "analyze"], True),
        ("peacetalks analyze --json", [cli, "analyze", "--json"], True),
    ]
    if on_path and os.path.realpath(on_path) != os.path.realpath(cli):
        commands.append(("peacetalks analyze (PATH: " + on_path + ")", [on_path, "analyze"], True))

    print(f"`peacetalks analyze` on the flagship, whole process: {repeat} timed runs each")
    print(f"console script: {cli}")
    rows = []
    for label, command, targeted in commands:
        times = measure(command, repeat)
        mid = median(times)
        goal, met = (f"<{TARGET} s", "yes" if mid < TARGET else "NO") if targeted else ("-", "-")
        rows.append([label, seconds(mid), seconds(min(times)), seconds(max(times)), goal, met])
    print()
    print(table(["command", "median s", "min s", "max s", "target", "met"], rows))


if __name__ == "__main__":
    main()
