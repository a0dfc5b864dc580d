"""Measure read, validate and build on large generated registers.

Run: uv run python benchmarks/bench.py [--sizes 100 1000 10000]

For each size it writes a register of N pilots and 5N actions (texts taken from the
example register, so as long as the reference's) and times each step in a fresh
process, printing seconds and peak memory, next to the floor: the time to merely
unzip and parse the register's XML plus the time to write the produced document XML
into a zip. Tests never time anything; this script is where speed is measured.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_register(path: Path, n: int) -> None:
    from toolkit.register import read_register
    from toolkit.workbook import write_register

    example = read_register(ROOT / "examples" / "voorbeeld_register.xlsx")
    pilots, actions = [], []
    for i in range(n):
        base = dict(example.pilots[i % len(example.pilots)].values)
        base["id"] = f"P-{i + 1:05d}"
        base["naam"] = f"{base['naam']} {i + 1}"
        pilots.append(base)
    for i in range(5 * n):
        base = dict(example.actions[i % len(example.actions)].values)
        base["id"] = f"A-{i + 1:06d}"
        actions.append(base)
    settings = dict(example.settings)
    write_register(path, pilots, actions, settings, example.lists)


def step(name: str, register: Path, out: Path) -> dict[str, float]:
    """Run one step in this process; return seconds and peak RSS in MiB."""
    start = time.perf_counter()
    if name == "lezen":
        from toolkit.register import read_register

        read_register(register)
    elif name == "valideren":
        from toolkit.register import read_register
        from toolkit.validate import validate_register

        validate_register(read_register(register))
    elif name == "bouwen":
        from toolkit.build import build_documents
        from toolkit.register import read_register

        build_documents(read_register(register), out)
    elif name == "vloer-lezen":
        from lxml import etree

        with zipfile.ZipFile(register) as z:
            for member in z.namelist():
                if member.endswith(".xml"):
                    etree.fromstring(z.read(member), parser=etree.XMLParser(huge_tree=True))
    elif name == "vloer-schrijven":
        for docx in sorted(out.glob("*.docx")):
            with zipfile.ZipFile(docx) as z:
                xml = z.read("word/document.xml")
            start = time.perf_counter()  # only the writing counts
            target = out / "vloer.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("word/document.xml", xml)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
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
            totals = {}
            for name in ("lezen", "valideren", "bouwen", "vloer-lezen", "vloer-schrijven"):
                result = subprocess.run(
                    [sys.executable, __file__, "--step", name, "--register", str(register),
                     "--out", str(Path(tmp) / "uit")],
                    capture_output=True, text=True, check=True,
                )
                data = json.loads(result.stdout.strip().splitlines()[-1])
                totals[name] = data["seconds"]
                print(f"{n:>7} {name:<16} {data['seconds']:>9.2f} {data['peak_mib']:>9.0f}")
            floor = totals["vloer-lezen"] + totals["vloer-schrijven"]
            ratio = totals["bouwen"] / floor if floor else float("nan")
            print(f"{n:>7} {'bouwen / vloer':<16} {ratio:>9.1f}x")


if __name__ == "__main__":
    main()
