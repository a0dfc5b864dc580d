"""Time every command against its own floor, at several register sizes.

Run: uv run python benchmarks/bench_commands.py [--sizes 1000 10000 30000] [--repeat 3]
     [--commands validate build import diff new-edition init]

For each size it writes a register of N pilots and 5N actions with benchmarks/bench.py's
generator (and a second one with 1% of the pilots and actions changed, for `diff`), builds
the annexes once (for `import`), and then, in rounds, runs each command as a user would
(`python -m toolkit …`, a fresh process) directly followed by its floor:

    floor = unzip and parse every XML part of the command's inputs
            + write the XML parts of what the command produced into a zip (at the build's
              compression level; HTML and JSON reports as plain files).

So the floor is what any program must at least do to read those inputs and write outputs
of that size; the ratio command / floor is what the issue's targets are about. Rounds run
all commands once each, interleaved with their floors, so a slow spell of the shared
machine weighs on both. Printed per command: best and median seconds, the floor (best),
best ratio and the spread of the ratio over rounds, and the peak memory of the whole
process tree (largest sum of PSS sampled every 20 ms, and at least the largest maxrss of
any process in it). The memory is sampled in one extra, untimed run per command: the
sampling itself takes CPU the timed command would lack. At the end, the growth exponent
between the smallest and largest size: log(t2/t1) / log(n2/n1), 1.0 is linear.
Tests never time anything; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import _family, _pss_kib, make_register  # noqa: E402 - after the path is set

COMMANDS = ("validate", "build", "import", "diff", "new-edition", "init")


class Refused(Exception):
    """The command stopped with exit code 2: a limit of the toolkit (say, a Word file over
    the import's 128 MB), reported instead of timed."""


def run_tree(command: list[str], ok: tuple[int, ...] = (0,), sample: bool = True) -> tuple[float, float, str]:
    """Seconds, peak MiB of the process tree, and stdout of one command.

    sample=False for the timed runs: reading smaps_rollup of a 700 MiB process every 20 ms
    took 1.4 s of CPU during a 4.6 s build on this 2-core machine, time the command then
    lacks. The peak is then only the largest single process (maxrss); the sampled sum of
    the tree comes from a separate, untimed run.
    """
    peak = 0
    can_sample = sample and Path("/proc/self/smaps_rollup").exists()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        while process.poll() is None:
            if can_sample:
                peak = max(peak, sum(_pss_kib(pid) for pid in _family(process.pid)))
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        # maxrss of children is the largest of any waited-for descendant so far: only
        # meaningful when it grew during this command
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out.seek(0)
        err.seek(0)
        if process.returncode == 2 and 2 not in ok:
            raise Refused(err.read().strip().splitlines()[-1][:160])
        if process.returncode not in ok:
            raise SystemExit(f"{' '.join(command)} mislukte ({process.returncode}):\n{err.read()}")
        rss = after if after > before else 0
        return seconds, max(peak, rss) / 1024, out.read()


def floor_seconds(inputs: list[Path], outputs: list[Path], scratch: Path) -> float:
    """Unzip and parse the inputs' XML, then write the outputs' XML; only that is timed."""
    from lxml import etree

    from toolkit.core.output import COMPRESS_LEVEL

    start = time.perf_counter()
    for path in inputs:
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                if member.endswith((".xml", ".rels")):
                    etree.fromstring(z.read(member), parser=etree.XMLParser(huge_tree=True))
    seconds = time.perf_counter() - start
    for path in outputs:
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                parts = [(m, z.read(m)) for m in z.namelist() if m.endswith((".xml", ".vml"))]
            start = time.perf_counter()
            with zipfile.ZipFile(
                scratch / "vloer.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
            ) as z:
                for name, data in parts:
                    z.writestr(name, data)
        else:
            data = path.read_bytes()
            start = time.perf_counter()
            (scratch / "vloer.out").write_bytes(data)
        seconds += time.perf_counter() - start
    return seconds


def command_line(name: str, tmp: Path, out: Path) -> tuple[list[str], list[Path], tuple[int, ...]]:
    """The command, its inputs (for the floor) and the exit codes that count as done."""
    toolkit = [sys.executable, "-m", "toolkit"]
    register, other = tmp / "register.xlsx", tmp / "register_gewijzigd.xlsx"
    if name == "validate":  # 1: the register has errors, the reports are still written
        return toolkit + ["validate", str(register), "--report-dir", str(out)], [register], (0, 1)
    if name == "build":
        return toolkit + ["build", str(register), "--out", str(out)], [register], (0, 1)
    if name == "import":
        annexes = sorted((tmp / "bijlagen").glob("*.docx"))
        return toolkit + ["import", *map(str, annexes), "--out", str(out / "import.xlsx")], annexes, (0,)
    if name == "diff":
        return (
            toolkit + ["diff", str(register), str(other), "--report-dir", str(out)],
            [register, other],
            (0, 1),
        )
    if name == "new-edition":
        return (
            toolkit
            + [
                "new-edition",
                str(register),
                str(out / "volgende.xlsx"),
                "--editie",
                "Programmabegroting 2027",
                "--peildatum",
                "1-4-2026",
            ],
            [register],
            (0,),
        )
    return toolkit + ["init", str(out / "leeg.xlsx")], [], (0,)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=COMMANDS)
    parser.add_argument("--json", type=Path, help="also write all measurements here")
    parser.add_argument("--floor", nargs=3, metavar=("INVOER", "UITVOER", "KLAD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:  # in its own process, like the command it is the floor of
        inputs, outputs, scratch = args.floor
        print(
            floor_seconds(
                [Path(p) for p in json.loads(inputs)], [Path(p) for p in json.loads(outputs)], Path(scratch)
            )
        )
        return
    results: dict[str, dict[str, dict]] = {}
    print(
        f"{'pilots':>7} {'commando':<12} {'beste':>7} {'mediaan':>8} {'vloer':>7} "
        f"{'×vloer':>7} {'spreiding':>12} {'piek MiB':>9}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            started = time.perf_counter()
            make_register(tmp / "register.xlsx", n)
            if "diff" in args.commands:
                make_register(tmp / "register_gewijzigd.xlsx", n, changed=0.01)
            if "import" in args.commands:
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "toolkit",
                        "build",
                        str(tmp / "register.xlsx"),
                        "--out",
                        str(tmp / "bijlagen"),
                    ],
                    check=False,
                    capture_output=True,
                )
            print(f"{n:>7} (aanmaken {time.perf_counter() - started:.1f} s)", flush=True)
            rounds: dict[str, list[tuple[float, float, float]]] = {c: [] for c in args.commands}
            refused: dict[str, str] = {}
            for _ in range(max(1, args.repeat)):
                for command in args.commands:
                    out = tmp / f"uit-{command}"
                    shutil.rmtree(out, ignore_errors=True)
                    out.mkdir()
                    line, inputs, ok = command_line(command, tmp, out)
                    if command in refused:
                        continue
                    try:
                        seconds, peak, _ = run_tree(line, ok, sample=False)
                    except Refused as exc:
                        refused[command] = str(exc)
                        continue
                    outputs = sorted(p for p in out.rglob("*") if p.is_file())
                    _, _, printed = run_tree(
                        [
                            sys.executable,
                            __file__,
                            "--floor",
                            json.dumps([str(p) for p in inputs]),
                            json.dumps([str(p) for p in outputs]),
                            str(tmp),
                        ]
                    )
                    rounds[command].append((seconds, float(printed.strip()), peak))
            for command in args.commands:  # the tree's memory, in one untimed run each
                if command in refused or not rounds[command]:
                    continue
                out = tmp / f"uit-{command}"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                line, _, ok = command_line(command, tmp, out)
                _, peak, _ = run_tree(line, ok, sample=True)
                seconds, floor, rss = rounds[command][-1]
                rounds[command][-1] = (seconds, floor, max(rss, peak))
            results[str(n)] = {}
            for command, why in refused.items():
                print(f"{n:>7} {command:<12} geweigerd: {why}")
                results[str(n)][command] = {"refused": why}
            for command, runs in rounds.items():
                if not runs:
                    continue
                best = min(r[0] for r in runs)
                floor = min(r[1] for r in runs)
                ratios = sorted(r[0] / r[1] for r in runs if r[1] > 0)
                peak = max(r[2] for r in runs)
                spread = f"{ratios[0]:.1f}–{ratios[-1]:.1f}×" if ratios else "—"
                ratio = best / floor if floor > 0 else math.nan
                results[str(n)][command] = {
                    "seconds": [r[0] for r in runs],
                    "floor": [r[1] for r in runs],
                    "best": best,
                    "median": statistics.median(r[0] for r in runs),
                    "floor_best": floor,
                    "ratio": ratio,
                    "peak_mib": peak,
                }
                print(
                    f"{n:>7} {command:<12} {best:>7.2f} "
                    f"{results[str(n)][command]['median']:>8.2f} {floor:>7.2f} "
                    f"{ratio:>6.1f}× {spread:>12} {peak:>9.0f}",
                    flush=True,
                )
    if len(args.sizes) > 1:
        small, large = str(min(args.sizes)), str(max(args.sizes))
        factor = math.log(int(large) / int(small))
        for command in args.commands:
            if "best" not in results[large].get(command, {}) or "best" not in results[small].get(command, {}):
                continue
            growth = math.log(results[large][command]["best"] / results[small][command]["best"]) / factor
            print(f"groei {command:<12} {small}→{large}: exponent {growth:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
