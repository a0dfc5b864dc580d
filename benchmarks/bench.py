"""Measure read, validate and build on large generated registers.

Run: uv run python benchmarks/bench.py [--sizes 100 1000 10000] [--repeat 3]

For each size it writes a register of N pilots and 5N actions (texts taken from the
example register, so as long as the reference's; dates shifted per pilot, so they are
as varied as in a real register) and times each step in a fresh process, printing
seconds and peak memory, next to the floor: the time to merely unzip and parse the
register's XML plus the time to write the produced document XML into a zip.

Peak memory is the largest sum, sampled every 20 ms from outside, of the proportional
set size of the step's process and its helper processes (the build makes each annex in
its own process), and at least the process's own maximum resident size.
Tests never time anything; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_register(path: Path, n: int, changed: float = 0.0) -> None:
    """Write a register of n pilots and 5n actions.

    With `changed` (a fraction) every 1/changed-th pilot and action gets another text, so
    two registers of the same size differ in that share of their rows: what `toolkit diff`
    compares.
    """
    from toolkit.core.dates import DateKind, Precision, format_dutch, parse_date
    from toolkit.register.read import read_register
    from toolkit.register.write import write_register

    def shifted(value: object, days: int) -> object:
        """A day date moved by some days (all of a pilot's by the same), phrases as they are."""
        if isinstance(value, datetime):
            return value + timedelta(days=days)
        parsed = parse_date(value)
        if parsed.kind is DateKind.PERIOD and parsed.precision is Precision.DAY:
            return format_dutch(parsed.earliest + timedelta(days=days))
        return value

    example = read_register(ROOT / "examples" / "voorbeeld_register.xlsx")
    pilots, actions = [], []
    for i in range(n):
        base = dict(example.records("Pilots")[i % len(example.records("Pilots"))].values)
        base["id"] = f"P-{i + 1:05d}"
        base["naam"] = f"{base['naam']} {i + 1}"
        for key in ("startdatum", "einddatum", "evaluatiemoment", "bijgewerkt_op"):
            base[key] = shifted(base.get(key), i % 400)
        if changed and i % round(1 / changed) == 0:
            base["naam"] = f"{base['naam']} (gewijzigd)"
        pilots.append(base)
    for i in range(5 * n):
        base = dict(example.records("Acties")[i % len(example.records("Acties"))].values)
        base["id"] = f"A-{i + 1:06d}"
        base["bijgewerkt_op"] = shifted(base.get("bijgewerkt_op"), i % 400)
        if changed and i % round(1 / changed) == 0:
            base["activiteit"] = f"{base.get('activiteit') or ''} (gewijzigd)"
        actions.append(base)
    settings = dict(example.settings)
    write_register(path, {"Pilots": pilots, "Acties": actions}, settings, example.lists)


def _family(pid: int) -> list[int]:
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pids
    for child in children:
        pids += _family(int(child))
    return pids


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command: list[str]) -> tuple[str, float]:
    """Run a step's process; its output and the peak memory (MiB) of it and its helpers.

    Sampled from outside every 20 ms, so the step itself stays single-threaded (the build
    only forks helpers in a process without threads).
    """
    peak = 0
    can_sample = Path("/proc/self/smaps_rollup").exists()
    # output into files, not pipes: a full pipe would stall the step while we only sample
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        while process.poll() is None:
            if can_sample:
                peak = max(peak, sum(_pss_kib(pid) for pid in _family(process.pid)))
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} mislukte:\n{err.read()}")
        return out.read(), peak / 1024


def step(name: str, register: Path, out: Path) -> dict[str, float]:
    """Run one step in this process; return seconds and this process's peak RSS in MiB."""
    seconds = _run_step(name, register, out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak}


def _run_step(name: str, register: Path, out: Path) -> float:
    start = time.perf_counter()
    if name == "lezen":
        from toolkit.register.read import read_register

        read_register(register)
    elif name == "valideren":
        from toolkit.register.read import read_register
        from toolkit.validation.validate import validate_register

        validate_register(read_register(register))
    elif name in ("bouwen", "bouwen-1-kern"):
        from toolkit.build.documents import build_documents
        from toolkit.register.read import read_register

        build_documents(read_register(register), out, parallel=None if name == "bouwen" else False)
    elif name == "toolkit-build":
        subprocess.run(
            [sys.executable, "-m", "toolkit", "build", str(register), "--out", str(out)],
            check=True,
            capture_output=True,
        )
    elif name == "vloer-lezen":
        from lxml import etree

        with zipfile.ZipFile(register) as z:
            for member in z.namelist():
                if member.endswith(".xml"):
                    etree.fromstring(z.read(member), parser=etree.XMLParser(huge_tree=True))
    elif name == "vloer-schrijven":
        from toolkit.core.output import COMPRESS_LEVEL  # the level the build itself uses

        seconds = 0.0
        for docx in sorted(out.glob("*.docx")):
            with zipfile.ZipFile(docx) as z:
                xml = z.read("word/document.xml")
            start = time.perf_counter()  # only the writing counts
            with zipfile.ZipFile(
                out / "vloer.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
            ) as z:
                z.writestr("word/document.xml", xml)
            seconds += time.perf_counter() - start
        return seconds
    return time.perf_counter() - start


STEPS = ("lezen", "valideren", "bouwen", "bouwen-1-kern", "toolkit-build", "vloer-lezen", "vloer-schrijven")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument(
        "--repeat", type=int, default=1, help="run all steps this many rounds and keep each step's fastest"
    )
    parser.add_argument("--step")
    parser.add_argument("--register", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.register, args.out)))
        return
    print(f"{'pilots':>7} {'stap':<16} {'seconden':>9} {'piek MiB':>9}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            register = Path(tmp) / f"register_{n}.xlsx"
            started = time.perf_counter()
            make_register(register, n)
            print(f"{n:>7} {'(aanmaken)':<16} {time.perf_counter() - started:>9.2f}")
            # rounds of all steps, not each step n times in a row: a slow spell of the
            # shared machine then weighs on the build and on the floor alike
            rounds: list[dict[str, dict[str, float]]] = []
            for _ in range(max(1, args.repeat)):
                measured = {}
                for name in STEPS:
                    out, peak = run_measured(
                        [
                            sys.executable,
                            __file__,
                            "--step",
                            name,
                            "--register",
                            str(register),
                            "--out",
                            str(Path(tmp) / "uit"),
                        ]
                    )
                    run = json.loads(out.strip().splitlines()[-1])
                    run["peak_mib"] = max(run["peak_mib"], peak)
                    measured[name] = run
                rounds.append(measured)
            totals = {}
            for name in STEPS:
                data = min((r[name] for r in rounds), key=lambda run: run["seconds"])
                totals[name] = data["seconds"]
                print(f"{n:>7} {name:<16} {data['seconds']:>9.2f} {data['peak_mib']:>9.0f}")
            floor = totals["vloer-lezen"] + totals["vloer-schrijven"]
            for name in ("bouwen", "toolkit-build"):
                ratio = totals[name] / floor if floor else float("nan")
                per_round = sorted(
                    r[name]["seconds"] / (r["vloer-lezen"]["seconds"] + r["vloer-schrijven"]["seconds"])
                    for r in rounds
                )
                spread = (
                    f"  (per ronde {per_round[0]:.1f}x tot {per_round[-1]:.1f}x)" if len(rounds) > 1 else ""
                )
                print(f"{n:>7} {name + ' / vloer':<26} {ratio:>5.1f}x{spread}")


if __name__ == "__main__":
    main()
