"""A bounded load test of the HTTP service (docs/service.md): 16 clients, a few hundred requests.

Starts ``clusterpolicy serve`` on a free port of 127.0.0.1 (loopback only), sends the requests
from 16 threads (standard library ``http.client``, one connection per request), stops the
server, and reports throughput, p50/p99 latency and errors. An error is an answer other than
200, or a body that differs from the first answer to the same request (any worker must answer
with the same bytes); there must be none: the exit code is 1 otherwise.

The mix, per request in turn: ``POST /v1/evaluate`` (the 2017 example's first application with
its competition header, in kk, ru and en: most of the work), ``GET /v1/health``,
``GET /v1/packs/{pack}/rules/{rule}``, ``GET /v1/packs``.

As a baseline, the same evaluations are timed in this process without HTTP (one thread), so
that the figures can be read on a shared, noisy machine: the ratio p50 / in-process time is the
price of HTTP, JSON parsing and queueing behind 15 other clients.

    python benchmarks/load_service.py                       # 320 requests, 2 workers
    python benchmarks/load_service.py --requests 640 --workers 1
    python benchmarks/load_service.py --url http://127.0.0.1:8000   # a server already running
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017"
APPLICATION = EXAMPLE / "01-karaganda-construction.yaml"
CLIENTS = 16


def _plain(path: Path) -> dict:
    from clusterpolicy.core.sources import read_document

    return read_document(path).data


def _encode(data: object) -> bytes:
    def default(value: object) -> str:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    return json.dumps(data, default=default, ensure_ascii=False).encode("utf-8")


def requests_mix() -> list[tuple[str, str, bytes | None]]:
    application, header = _plain(APPLICATION), _plain(EXAMPLE / "competition.yaml")
    mix: list[tuple[str, str, bytes | None]] = []
    for lang in ("kk", "ru", "en"):
        mix.append(("POST", "/v1/evaluate", _encode({"application": application, "competition": header, "lang": lang})))
    mix += [
        ("GET", "/v1/health", None),
        ("GET", "/v1/packs/kz-2015-decree-535/rules/eligibility.unaffiliated-legal-entities?lang=kk", None),
        ("GET", "/v1/packs?lang=ru", None),
    ]
    return mix


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ask(host: str, port: int, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_server(workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    argv = [sys.executable, "-m", "clusterpolicy", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    return launch(argv, port), port


def launch(argv: list[str], port: int, *, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.Popen:
    """The server ``argv`` starts, once it answers ``GET /v1/health`` on ``port`` (within
    ``timeout`` seconds; else its log's end, as the reason it stops the run)."""
    log = tempfile.TemporaryFile()  # not a pipe nobody reads: the access lines of a long run would fill it and stop the server
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log, env=env)
    process.log = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _ask("127.0.0.1", port, "GET", "/v1/health", None)[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    process.kill()
    log.seek(0)
    raise SystemExit(f"the server did not start: {log.read().decode(errors='replace')[-2000:]}")


def load(host: str, port: int, total: int) -> dict:
    mix = requests_mix()
    for method, path, body in mix:  # warm every worker's caches a little, outside the figures
        _ask(host, port, method, path, body)
    latencies: list[float] = []
    errors: list[str] = []
    first: dict[int, bytes] = {}
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            method, path, body = mix[index % len(mix)]
            start = time.perf_counter()
            try:
                status, answer = _ask(host, port, method, path, body)
            except OSError as exc:
                with lock:
                    errors.append(f"{method} {path}: {exc}")
                continue
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                expected = first.setdefault(index % len(mix), answer)
                if status != 200 or answer != expected:
                    errors.append(f"{method} {path}: {status}, {len(answer)} bytes")

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies) + len(errors),
        "seconds": wall,
        "throughput": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))],
        "errors": errors,
    }


def in_process_evaluation() -> float:
    """Median seconds of the same evaluations without HTTP (the baseline)."""
    from clusterpolicy import evaluate, load_application, load_competition

    application, competition = load_application(APPLICATION), load_competition(EXAMPLE / "competition.yaml")
    times = []
    for round_ in range(9):
        for lang in ("kk", "ru", "en"):
            start = time.perf_counter()
            evaluate(application, competition=competition, lang=lang).to_json()
            times.append(time.perf_counter() - start)
    return statistics.median(times[3:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=320, help="requests in all (default: 320)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the server started (default: 2)")
    parser.add_argument("--url", help="test a server already running (loopback only), e.g. http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    process = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("loopback only: the load test never loads another machine")
    else:
        process, port = start_server(args.workers)
        host = "127.0.0.1"
    try:
        figures = load(host, port, args.requests)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    baseline = in_process_evaluation()
    print(f"load test: {CLIENTS} clients, {figures['requests']} requests, "
          f"{args.workers if process else '?'} workers, {os.cpu_count()} CPUs (shared: other work runs beside it)")
    print(f"  throughput  {figures['throughput']:8.1f} requests/s  ({figures['seconds']:.1f} s)")
    print(f"  latency     p50 {figures['p50'] * 1000:8.1f} ms   p99 {figures['p99'] * 1000:8.1f} ms")
    print(f"  baseline    one evaluation in this process, no HTTP: {baseline * 1000:.1f} ms   p50 / baseline {figures['p50'] / baseline:.1f}")
    print(f"  errors      {len(figures['errors'])}")
    for error in figures["errors"][:10]:
        print(f"    {error}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
