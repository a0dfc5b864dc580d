"""Load test of `toolkit serve`: officers checking at the same time, and checks beside builds.

Run: uv run python benchmarks/web_load.py [--seconds 8] [--workers 1,2] [--pilots 1000]

Starts `toolkit serve` on 127.0.0.1 (never another address) on a free port, once per
worker count, and for 1, 5, 20 and 50 officers who each upload a register to
/controleren as soon as they have their answer, measures for `--seconds` (and at most
`--max-requests` requests per round): the throughput (answers per second), the median
and the 95th percentile of the answer time, and how many were refused ("te druk", 503;
such an officer waits 2 s before trying again).
Then 20 officers checking while 3 coordinators build, and the memory of the build worker
over 100 builds. Every round stops by itself; the whole run stops after `--deadline`
seconds whatever happens, and the server is always stopped.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"  # the load test never leaves this machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, workers: int, build_workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "toolkit",
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--build-workers",
                str(build_workers),
                "--log-format",
                "json",
            ],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, client, timeout: float = 180) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"server stopte (exitcode {self.process.returncode})")
            try:
                if client.get(self.base + "/status", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except Exception:  # noqa: BLE001, S110 - not listening yet
                pass
            time.sleep(0.2)
        raise SystemExit("server niet gestart")

    def worker_pids(self) -> list[int]:
        """The server's worker processes (spawned children), oldest first."""
        try:
            out = subprocess.run(
                ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
            ).stdout
        except OSError:
            return []
        return sorted(int(p) for p in out.split())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load(
    base: str, users: int, url: str, content: bytes, seconds: float, cap: int, stop_at: float
) -> tuple[list[float], int, int, float]:
    """users threads posting as soon as they have their answer; returns the answer times
    of the 200s and 422s, the count of 503s, of other failures, and the elapsed time."""
    import httpx2 as httpx

    times: list[float] = []
    refused = failed = 0
    lock = threading.Lock()
    sent = 0
    deadline = min(time.perf_counter() + seconds, stop_at)

    def user() -> None:
        nonlocal refused, failed, sent
        with httpx.Client(timeout=75) as client:
            while time.perf_counter() < deadline:
                with lock:
                    if sent >= cap:
                        return
                    sent += 1
                begin = time.perf_counter()
                try:
                    answer = client.post(base + url, files={"register": ("register.xlsx", content)})
                    status = answer.status_code
                except Exception:  # noqa: BLE001 - counted as a failure
                    status = 0
                took = time.perf_counter() - begin
                with lock:
                    if status in (200, 422):
                        times.append(took)
                    elif status == 503:
                        refused += 1
                    else:
                        failed += 1
                if status == 503:  # "te druk": an officer waits before trying again
                    time.sleep(min(2.0, max(0.0, deadline - time.perf_counter())))

    started = time.perf_counter()
    threads = [threading.Thread(target=user, daemon=True) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1, deadline - time.perf_counter() + 80))
    return times, refused, failed, time.perf_counter() - started


def describe(label: str, times: list[float], refused: int, failed: int, elapsed: float) -> str:
    if not times:
        return f"{label}: geen antwoorden ({refused} te druk, {failed} mislukt)"
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (
        f"{label}: {len(times) / elapsed:5.2f}/s, p50 {statistics.median(ordered):5.2f} s, "
        f"p95 {p95:5.2f} s ({len(times)} antwoorden, {refused} te druk, {failed} mislukt)"
    )


def main() -> None:
    import httpx2 as httpx

    from toolkit.web.settings import cores

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0, help="duur per ronde")
    parser.add_argument("--max-requests", type=int, default=2000, help="hoogstens per ronde")
    parser.add_argument("--officers", default="1,5,20,50")
    parser.add_argument("--workers", default=f"1,{cores()}")
    parser.add_argument(
        "--pilots", type=int, default=0, help="ook een register van zoveel pilots (5x zoveel acties)"
    )
    parser.add_argument("--builds", type=int, default=100, help="bouwen voor de geheugenmeting")
    parser.add_argument("--deadline", type=float, default=1800, help="stop na zoveel seconden")
    args = parser.parse_args()
    stop_at = time.perf_counter() + args.deadline
    registers = [("voorbeeldregister", (ROOT / "examples" / "voorbeeld_register.xlsx").read_bytes())]
    if args.pilots:
        from bench import make_register

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "groot.xlsx"
            make_register(path, args.pilots)
            registers.append((f"{args.pilots} pilots", path.read_bytes()))
    example = registers[0][1]
    officers = [int(n) for n in args.officers.split(",")]
    print(f"{cores()} kernen; rondes van {args.seconds:.0f} s; alleen {HOST}")
    for workers in (int(n) for n in args.workers.split(",")):
        build_workers = max(1, workers // 2)
        with tempfile.TemporaryDirectory() as folder:
            server = Server(workers, build_workers, Path(folder) / "server.log")
            try:
                with httpx.Client() as client:
                    ready = server.wait_ready(client)
                print(f"\n--workers {workers} (--build-workers {build_workers}); klaar na {ready:.1f} s")
                for name, content in registers:
                    for users in officers:
                        if time.perf_counter() > stop_at:
                            break
                        result = load(
                            server.base,
                            users,
                            "/controleren",
                            content,
                            args.seconds,
                            args.max_requests,
                            stop_at,
                        )
                        print(
                            "  " + describe(f"controleren {name}, {users:2d} tegelijk", *result), flush=True
                        )
                # checks beside builds: 20 officers, 3 coordinators
                if time.perf_counter() < stop_at:
                    builds: list[tuple[list[float], int, int, float]] = []
                    coordinators = threading.Thread(
                        target=lambda out=builds, base=server.base: out.append(
                            load(base, 3, "/bijlagen", example, args.seconds, args.max_requests, stop_at)
                        )
                    )
                    coordinators.start()
                    result = load(
                        server.base, 20, "/controleren", example, args.seconds, args.max_requests, stop_at
                    )
                    coordinators.join()
                    print("  " + describe("controleren, 20 tegelijk naast 3 bouwers", *result))
                    print("  " + describe("  bijlagen maken, 3 tegelijk", *builds[0]))
                # memory of the build worker over many builds
                if args.builds and time.perf_counter() < stop_at:
                    pids = server.worker_pids()
                    before = {pid: rss_mib(pid) for pid in pids}
                    with httpx.Client(timeout=75) as client:
                        for number in range(args.builds):
                            if time.perf_counter() > stop_at:
                                break
                            client.post(
                                server.base + "/bijlagen", files={"register": ("register.xlsx", example)}
                            )
                            if number == 9:
                                tenth = {pid: rss_mib(pid) for pid in pids}
                    after = {pid: rss_mib(pid) for pid in pids}
                    grown = max((after[p] - tenth.get(p, 0)) for p in pids) if pids else 0
                    print(
                        f"  geheugen na {args.builds} keer bijlagen maken: werkprocessen "
                        f"{', '.join(f'{before[p]:.0f}→{after[p]:.0f} MiB' for p in pids)}; "
                        f"groei na de tiende bouw hoogstens {grown:.1f} MiB; "
                        f"serverproces {rss_mib(server.process.pid):.0f} MiB"
                    )
            finally:
                server.stop()


if __name__ == "__main__":
    main()
