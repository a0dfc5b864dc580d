"""Time the README's way in on a fresh clone: the first and the second `uv run toolkit build`.

Run: uv run python benchmarks/bench_firstrun.py [--source PATH] [--repeat 1] [--keep]

A coordinator clones the repository and types `uv run toolkit build`: uv resolves the
project, creates .venv, downloads and installs the packages and then runs the build. This
script does exactly that in a temporary folder, twice:

  cold cache  - a fresh clone with an empty uv cache (its own UV_CACHE_DIR): every package
                is downloaded, as on a new machine;
  warm cache  - another fresh clone with the cache the cold run filled: the packages are on
                the machine (another project, an earlier clone), only .venv is new.

For each it times the first `uv run toolkit build` (environment plus build) and a second
one (the everyday command), counts the packages in .venv, and prints every line uv and the
toolkit wrote to the terminal that is not Dutch, so a new English line shows up here.
The clone is of the committed HEAD of --source (default: this repository), so commit
before measuring a change. Needs the network for the cold run (and for the index, as
uv.lock is not in the repository).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Lines uv prints on a first run; they are uv's own and are reported, not counted as
#: the toolkit's English.
UV_LINES = (
    "Using CPython",
    "Creating virtual environment",
    "Resolved ",
    "Prepared ",
    "Installed ",
    "Built ",
    "Building ",
    "Downloading ",
    "Downloaded ",
    "Audited ",
    " + ",
    "Bytecode compiled",
    "Uninstalled ",
)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr


def packages(venv: Path) -> int:
    found = [*venv.glob("lib/python*/site-packages/*.dist-info"), *venv.glob("Lib/site-packages/*.dist-info")]
    return len({path.name for path in found})


def measure(source: Path, where: Path, cache: Path, label: str) -> dict[str, object]:
    clone = where / label.replace(" ", "_")
    subprocess.run(["git", "clone", "--quiet", str(source), str(clone)], check=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_NO_SYNC", "UV_FROZEN")
    }
    env["UV_CACHE_DIR"] = str(cache)
    command = ["uv", "run", "toolkit", "build", "--out", str(where / f"uitvoer_{label}")]
    first, code1, output1 = run(command, clone, env)
    second, code2, output2 = run(command, clone, env)
    if code1 != 0 or code2 != 0:
        sys.exit(f"{label}: toolkit build stopte met {code1}/{code2}:\n{output1}\n{output2}")
    uv_lines = [line for line in output1.splitlines() if line.startswith(UV_LINES)]
    later = [line for line in output2.splitlines() if line.startswith(UV_LINES)]
    return {
        "label": label,
        "first": first,
        "second": second,
        "packages": packages(clone / ".venv"),
        "uv_lines": uv_lines,
        "later": later,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="git repository to clone (its checked-out HEAD)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the median is shown")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if shutil.which("uv") is None:
        sys.exit("uv ontbreekt")

    rounds: list[list[dict[str, object]]] = []
    for _ in range(args.repeat):
        where = Path(tempfile.mkdtemp(prefix="firstrun_"))
        cache = where / "uv-cache"
        try:
            rounds.append(
                [
                    measure(args.source, where, cache, "koude cache"),
                    measure(args.source, where, cache, "warme cache"),
                ]
            )
        finally:
            if args.keep:
                print(f"bewaard: {where}")
            else:
                shutil.rmtree(where, ignore_errors=True)

    print(
        f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}, "
        f"{os.cpu_count()} kernen, {args.repeat} ronde(n), mediaan\n"
    )
    print("| cache | eerste `uv run toolkit build` | tweede | pakketten in .venv |")
    print("|---|---:|---:|---:|")
    for index, label in enumerate(("koude cache", "warme cache")):
        results = [r[index] for r in rounds]
        first = statistics.median(float(r["first"]) for r in results)  # type: ignore[arg-type]
        second = statistics.median(float(r["second"]) for r in results)  # type: ignore[arg-type]
        print(f"| {label} | {first:.1f} s | {second:.1f} s | {results[0]['packages']} |")
    for index, label in enumerate(("koude cache", "warme cache")):
        result = rounds[-1][index]
        print(f"\nuv bij de eerste run ({label}):")
        for line in result["uv_lines"]:  # type: ignore[attr-defined]
            print(f"  {line}")
        print(f"uv bij de tweede run: {result['later'] or 'niets'}")


if __name__ == "__main__":
    main()
