"""The HTTP service against FastAPI's own floor, by the servers' CPU time (issue 26's target:
the service >= 0.5 of the requests/s of a FastAPI app that only validates the same body, 1 worker).

Two servers on 127.0.0.1, each one process (uvicorn, one worker):

- subject: ``clusterpolicy serve --workers 1``, ``POST /v1/evaluate`` answering the compact
  result document (its default);
- baseline: a FastAPI app whose ``POST /v1/evaluate`` reads the body and validates it with the
  service's own request model (``EvaluateRequest.model_validate_json``), answering ``{"ok":true}``.

The body is the 2017 example's first application with its competition header (``lang: en``),
as ``benchmarks/load_service.py`` sends it. One client sends the requests one after another on a
kept-alive connection; each server's CPU time (user + system time of its process and children,
all threads, by their CPU clocks in nanoseconds; else from ``/proc`` in ticks of 10 ms) is read
before and after a batch. Batches alternate between the two servers, round
by round; the figure is the median over rounds of (baseline CPU per request) / (subject CPU per
request): the share of the floor's throughput per core the service reaches. Wall-clock rates
are printed too, but on a shared machine they cannot be read.

Run: ``python benchmarks/bench_service.py`` (``CLUSTERPOLICY_BENCH_QUICK=1``: fewer requests).
``CLUSTERPOLICY_BENCH_BEFORE=FOLDER`` (a folder holding another version's ``clusterpolicy``
package with its ``rules``, e.g. from ``git archive``) adds a third server, that version's
``clusterpolicy serve``, to the same rounds: its answer must be the same bytes, and the last row
is this version's server CPU per request over that version's.
Linux only (``/proc``), with the ``server`` extra; skipped otherwise.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402
from load_service import APPLICATION, EXAMPLE, _encode, _free_port, _plain, launch  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
TICK = os.sysconf("SC_CLK_TCK")

FLOOR_APP = """
import sys
import uvicorn
from fastapi import FastAPI, Request, Response
from clusterpolicy.output.service import EvaluateRequest

app = FastAPI()

@app.get("/v1/health")
async def health() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")

@app.post("/v1/evaluate")
async def evaluate(request: Request) -> Response:
    EvaluateRequest.model_validate_json(await request.body())
    return Response(b'{"ok":true}', media_type="application/json")

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", workers=1)
"""


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its live children: each process's CPU clock (``clock_gettime`` of
    its ``clock_getcpuclockid``: user and system time of all its threads, those ended included, in
    nanoseconds); where the clock cannot be read, user + system time from ``/proc/PID/stat``, in
    ticks of 10 ms (a batch of 100 requests of 4 ms is 40 ticks: its figure moves 2.5 % a tick)."""
    total = 0.0
    for each in _tree(pid):
        try:
            total += time.clock_gettime(((~each) << 3) | 2)  # Linux's MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)
            continue
        except OSError:
            pass
        try:
            with open(f"/proc/{each}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)
    return total


def batch(process: subprocess.Popen, port: int, body: bytes, count: int) -> tuple[float, float, bytes]:
    """CPU seconds of the server and wall seconds for ``count`` requests; the last answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"}
    before, start_wall = cpu_seconds(process.pid), time.perf_counter()
    answer = b""
    for _ in range(count):
        connection.request("POST", "/v1/evaluate", body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        assert response.status == 200, (response.status, answer[:500])
    wall = time.perf_counter() - start_wall
    connection.close()
    time.sleep(0.2)  # the server's last bookkeeping after the answer
    return cpu_seconds(process.pid) - before, wall, answer


def in_process(body: bytes) -> list[Row]:
    """Where a request's CPU time goes, in this process (no HTTP), against the floor's validation
    of the same body: the whole operation of ``POST /v1/evaluate`` (``service.evaluate_application``:
    reading, evaluating, writing the answer), the body's reading (``service.read_request``, and
    the careful reader all bodies went through before: ``parse_body`` + ``validate``), the
    evaluation (``operations.evaluate_application``) and the answer (``core.record.compact_bytes``
    of a fresh result, the bytes ``to_json(compact=True)`` gives: the input's and the document's
    digests, the dump, the encoding)."""
    from clusterpolicy.core.record import compact_bytes
    from clusterpolicy.core.sources import validate
    from clusterpolicy.output import operations, service

    floor = lambda: service.EvaluateRequest.model_validate_json(body)  # noqa: E731
    request, _ = service.read_request(service.EvaluateRequest, body, quick=service._EvaluateRead)
    evaluate = lambda: operations.evaluate_application(request.application, request.competition, lang=request.lang)  # noqa: E731
    fresh: list = []
    number, rounds = (10, 5) if QUICK else (20, 11)
    timed = [
        ("whole operation, in process (service.evaluate_application, the collector paused as the server runs it)",
         lambda: service._answered(service.evaluate_application, body), None),
        ("reading the body (service.read_request)", lambda: service.read_request(service.EvaluateRequest, body, quick=service._EvaluateRead), None),
        ("the careful reader alone (parse_body + validate)", lambda: validate(service.EvaluateRequest, service.parse_body(body)), None),
        ("evaluating (operations.evaluate_application)", evaluate, None),
        ("the answer (core.record.compact_bytes: digests, dump, encoding)", lambda: compact_bytes(fresh[-1]), lambda: fresh.append(evaluate())),
    ]
    found = []
    for name, subject, before in timed:
        if before is not None:
            before()
        result = paired(subject, floor, number=number, rounds=rounds, before=before)
        found.append(result.row(name, "EvaluateRequest.model_validate_json"))
        fresh.clear()
    return found


def rows() -> list[Row]:
    import importlib.util

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None or not os.path.isdir("/proc/self"):
        print("bench_service: skipped (needs the server extra, pip install '.[server]', and Linux's /proc)", file=sys.stderr)
        return []
    body = _encode({"application": _plain(APPLICATION), "competition": _plain(EXAMPLE / "competition.yaml"), "lang": "en"})
    subject_count, floor_count, rounds = (20, 200, 3) if QUICK else (100, 1000, 7)
    before = os.environ.get("CLUSTERPOLICY_BENCH_BEFORE")  # another version's package folder, to pair with
    serve = [sys.executable, "-m", "clusterpolicy", "serve", "--host", "127.0.0.1", "--workers", "1", "--port"]
    servers: dict[str, tuple[subprocess.Popen, int, int]] = {}
    try:
        port = _free_port()
        servers["s"] = (launch([*serve, str(port)], port, timeout=180), port, subject_count)
        port = _free_port()
        servers["b"] = (launch([sys.executable, "-c", FLOOR_APP, str(port)], port, timeout=180), port, floor_count)
        if before:
            port = _free_port()
            environment = {**os.environ, "PYTHONPATH": before}
            servers["p"] = (launch([*serve, str(port)], port, env=environment, timeout=180), port, subject_count)
        answers = {}
        for name, (process, port, _) in servers.items():  # warm: the pack loaded, the validators built
            answers[name] = batch(process, port, body, 5 if name != "b" else 20)[2]
        if before and answers["p"] != answers["s"]:
            raise SystemExit("the version in CLUSTERPOLICY_BENCH_BEFORE answers other bytes than this one")
        cpu: dict[str, list[float]] = {name: [] for name in servers}
        walls: dict[str, list[float]] = {name: [] for name in servers}
        for index in range(rounds):
            for name in list(servers)[:: -1 if index % 2 else 1]:
                process, port, count = servers[name]
                seconds, wall, answer = batch(process, port, body, count)
                cpu[name].append(seconds / count)
                walls[name].append(count / wall)
                if name == "s":
                    size = len(answer)
    finally:
        for process, _, _ in servers.values():
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
    subject, baseline = statistics.median(cpu["s"]), statistics.median(cpu["b"])
    ratios = [b / s if s else float("inf") for s, b in zip(cpu["s"], cpu["b"])]
    ratio = statistics.median(ratios)
    found = [
        *in_process(body),
        Row(
            f"POST /v1/evaluate, service (compact answer, {size / 1024:.0f} KiB): {1 / subject:.0f} requests per CPU-second "
            f"(wall: {statistics.median(walls['s']):.0f}/s, the floor {statistics.median(walls['b']):.0f}/s)",
            subject,
            f"FastAPI app validating the same body ({1 / baseline:.0f} per CPU-second)",
            baseline,
            f"throughput per core {ratio:.2f} of the floor's [{min(ratios):.2f}..{max(ratios):.2f}] (target >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'})",
            [s / b for s, b in zip(cpu["s"], cpu["b"])],
        ),
    ]
    if before:
        previous = statistics.median(cpu["p"])
        found.append(Row(
            "POST /v1/evaluate, this version: server CPU a request", subject,
            f"the same, the version in CLUSTERPOLICY_BENCH_BEFORE (the floor's share: {statistics.median([b / p for p, b in zip(cpu['p'], cpu['b'])]):.2f})",
            previous, "now / before (the same answer bytes)", [s / p for s, p in zip(cpu["s"], cpu["p"])],
        ))
    return found


if __name__ == "__main__":
    print_rows(rows)
