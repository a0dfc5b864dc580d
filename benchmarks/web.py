"""Measure how fast the web application answers, over real HTTP on localhost.

Run: uv run python benchmarks/web.py [--repeat 20]

Starts `toolkit serve`'s application with uvicorn on a free port (after its warm-up:
libraries loaded, the example register checked and built once), then times, one at a
time, checking the example register (the page with its findings and downloads), checking
the register with errors, and building the annexes of the example register (the zip).
Prints the median and the slowest answer of each. Tests never time anything; this script
is where speed is measured.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import httpx2 as httpx
    import uvicorn

    from toolkit.web.app import create_app

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    threading.Thread(target=server.run, daemon=True).start()
    started = time.perf_counter()
    while not server.started:
        time.sleep(0.02)
    print(f"start (warm-up included): {time.perf_counter() - started:.2f} s")
    example = (ROOT / "examples" / "voorbeeld_register.xlsx").read_bytes()
    gaps = (ROOT / "tests" / "data" / "register_met_gaten.xlsx").read_bytes()
    cases = [
        ("controleren, voorbeeldregister", "/controleren", example),
        ("controleren, register met fouten", "/controleren", gaps),
        ("bijlagen maken, voorbeeldregister", "/bijlagen", example),
    ]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for label, url, content in cases:
            times = []
            for _ in range(args.repeat):
                begin = time.perf_counter()
                response = client.post(url, files={"register": ("register.xlsx", content)})
                times.append(time.perf_counter() - begin)
                assert response.status_code in (200, 422), response.status_code
            print(
                f"{label}: mediaan {statistics.median(times):.3f} s, "
                f"langzaamst {max(times):.3f} s ({args.repeat}x)"
            )
    server.should_exit = True


if __name__ == "__main__":
    main()
