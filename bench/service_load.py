"""Benchmark: `GET /api/tree` of a 10,000-item organisation, served from the snapshot.

    python bench/service_load.py [--teams 50] [--rows 200] [--requests 3000] [--threads 8]
                                 [--server gunicorn|werkzeug] [--workers 2] [--keep DIR]

Generates the workspace (`make_workspace`), starts the real service on 127.0.0.1 (gunicorn as
on App Engine, or werkzeug's threaded server as `okrtree serve`), warms the snapshot with one
request per worker, then sends a bounded number of requests from a few client threads over
keep-alive connections, asking for gzip as browsers do. Target: >= 200 requests/s, p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_workspace import make_workspace  # noqa: E402

TOKEN = "bench-token"
TARGET_RPS, TARGET_P99_MS = 200.0, 100.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(
    server: str, workspace: Path, state: Path, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "OKRTREE_SOURCE": str(workspace),
        "OKRTREE_AUTH_MODE": "token",
        "OKRTREE_LOCAL_TOKEN": TOKEN,
        "OKRTREE_STATE_DIR": str(state),
        "OKRTREE_AS_OF": "2026-11-21",
        "PYTHONPATH": str(ROOT),
    }
    if server == "gunicorn":
        command = [
            sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", "4", "--timeout", "600",
            "--log-level", "warning", "main:app",
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-c",
            "import sys; from werkzeug.serving import run_simple; import main; "
            f"run_simple('127.0.0.1', {port}, main.app, threaded=True)",
        ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)


def get(connection: http.client.HTTPConnection) -> tuple[int, int]:
    connection.request(
        "GET", "/api/tree", headers={"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "gzip"}
    )
    response = connection.getresponse()
    body = response.read()
    return response.status, len(body)


def wait_until_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the service did not start")


def load(port: int, requests: int, threads: int) -> tuple[float, list[float], int]:
    """(seconds, per-request latencies in ms, bytes of one answer) for `requests` requests."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [requests]
    size = [0]

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            began = time.perf_counter()
            status, length = get(connection)
            mine.append((time.perf_counter() - began) * 1000)
            if status != 200:
                raise SystemExit(f"/api/tree answered {status}")
            size[0] = length
        connection.close()
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    began = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - began, latencies, size[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--server", choices=["gunicorn", "werkzeug"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--keep", type=Path, help="make (or reuse) the workspace here")
    args = parser.parse_args(argv)

    scratch = tempfile.TemporaryDirectory()
    workspace = args.keep or Path(scratch.name) / "org"
    if not (workspace / "hub.xlsx").exists():
        began = time.perf_counter()
        make_workspace(workspace, teams=args.teams, rows=args.rows)
        print(f"workspace: {args.teams} teams x {args.rows} rows "
              f"in {time.perf_counter() - began:.1f} s")  # fmt: skip
    port = free_port()
    server = start(args.server, workspace, Path(scratch.name) / "state", port, args.workers)
    try:
        wait_until_up(port)
        began = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        status, _ = get(connection)
        print(f"first request (full read, snapshot, serialised tree): "
              f"{time.perf_counter() - began:.1f} s, HTTP {status}")  # fmt: skip
        connection.close()
        load(port, args.threads * 4, args.threads)  # every worker loads the snapshot once
        seconds, latencies, size = load(port, args.requests, args.threads)
    finally:
        server.terminate()
        server.wait(timeout=30)
        scratch.cleanup()
    latencies.sort()
    rps = len(latencies) / seconds
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"{args.server}: {len(latencies)} requests, {args.threads} client threads, "
          f"{size / 1024:.0f} KiB gzip body")  # fmt: skip
    worst = latencies[-1]
    print(f"  {rps:.0f} requests/s   p50 {p50:.1f} ms   p99 {p99:.1f} ms   max {worst:.1f} ms")
    ok = rps >= TARGET_RPS and p99 < TARGET_P99_MS
    print(f"  target >= {TARGET_RPS:.0f}/s and p99 < {TARGET_P99_MS:.0f} ms: "
          f"{'met' if ok else 'NOT met'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
