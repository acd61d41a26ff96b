"""What the tests of the HTTP service share: requests to the ASGI application in this process
(``call``, ``acall``), and a real ``clusterpolicy serve`` (uvicorn) on a free port of 127.0.0.1
(``running_server``; conftest.py's ``serve`` fixture starts one for a test).

Not a test module (pytest collects ``test_*.py`` only); the tests import it by name, as
tests/ is on ``sys.path`` (pytest's default import mode).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest

from clusterpolicy.core.sources import read_document

# --------------------------------------------------------------------------- request bodies


def plain(path: Path) -> dict:
    """A YAML example as the plain data another system would send (dates and Decimals as read)."""
    return read_document(path).data


def encode(data: object) -> bytes:
    """``data`` as UTF-8 JSON: dates and times in ISO 8601, Decimals as their digits."""

    def default(value: object) -> str:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    return json.dumps(data, default=default, ensure_ascii=False).encode("utf-8")


def jsonable(data: object) -> object:
    """``data`` as JSON gives it back: strings for dates, times and Decimals."""
    return json.loads(encode(data))


# --------------------------------------------------------------------------- the ASGI application in this process


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, received: int, raised: BaseException | None) -> None:
        self.status, self.headers, self.body, self.received, self.raised = status, headers, body, received, raised

    @property
    def type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> object:
        return json.loads(self.body)


async def acall(app, method: str, path: str, body: bytes | dict = b"", headers: list[tuple[str, str]] = (), chunks: list[bytes] | None = None, length: int | None = None) -> Answer:  # type: ignore[assignment]
    """One request to the ASGI application, in the running event loop. ``chunks``: the body sent
    in parts without a Content-Length (as chunked transfer does); ``length``: the Content-Length
    declared. An exception the application raises (Starlette re-raises a defect after answering
    it) is kept in ``Answer.raised``."""
    if isinstance(body, dict):
        body = encode(body)
    path, _, query = path.partition("?")
    declared = [] if chunks is not None else [(b"content-length", str(len(body) if length is None else length).encode())]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers] + declared,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }
    parts = list(chunks) if chunks is not None else [body]
    sent: list[dict] = []
    received = 0

    async def receive() -> dict:
        nonlocal received
        if parts:
            part = parts.pop(0)
            received += len(part)
            return {"type": "http.request", "body": part, "more_body": bool(parts)}
        await asyncio.sleep(3600)  # the client waits for the answer
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    raised = None
    try:
        await app(scope, receive, send)
    except Exception as exc:  # noqa: BLE001 - Starlette re-raises a defect after answering it
        raised = exc
    start = next(message for message in sent if message["type"] == "http.response.start")
    data = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    headers_out = {name.decode(): value.decode() for name, value in start["headers"]}
    return Answer(start["status"], headers_out, data, received, raised)


def call(app, method: str, path: str, body: bytes | dict = b"", headers: list[tuple[str, str]] = (), chunks: list[bytes] | None = None, length: int | None = None) -> Answer:  # type: ignore[assignment]
    """One request to the ASGI application in this process (``acall`` in an event loop of its own)."""
    return asyncio.run(acall(app, method, path, body, headers, chunks, length))


def assert_problem(answer: Answer, status: int, code: str) -> dict:
    """``answer`` is an RFC 9457 problem of ``status`` with the library's error ``code``; the document."""
    assert answer.status == status, answer.body[:500]
    assert answer.type == "application/problem+json"
    document = answer.json()
    assert document["status"] == status and document["code"] == code
    assert document["type"] == f"urn:clusterpolicy:error:{code}"
    assert document["detail"] and "Traceback" not in answer.body.decode()
    return document


# --------------------------------------------------------------------------- a real server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 60) -> tuple[int, dict, bytes]:
    """One request to the server on ``port`` of 127.0.0.1, on a connection of its own: status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


STARTS_WITHIN = 90
"""Seconds a server has to answer health before its test fails (the machine is shared)."""

STOPS_WITHIN = 30
"""Seconds a server has to stop on SIGTERM."""


def start_server(*options: str, nofile: tuple[int, int] | None = None) -> tuple[subprocess.Popen, int]:
    """``clusterpolicy serve OPTIONS`` on a free port, with the open-files limit ``nofile`` (soft,
    hard) set in the child before it starts; returns once health answers 200 (the test fails if it
    exits or does not answer within ``STARTS_WITHIN`` seconds)."""
    port = free_port()

    def limits() -> None:
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, nofile)

    process = subprocess.Popen(
        [sys.executable, "-m", "clusterpolicy", "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=limits if nofile is not None else None,
    )
    deadline = time.monotonic() + STARTS_WITHIN
    while True:
        try:
            if request(port, "GET", "/v1/health", timeout=5)[0] == 200:
                return process, port
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the server did not start: {process.stdout.read().decode()[-2000:]}")
        time.sleep(0.2)


def stop_server(process: subprocess.Popen) -> str:
    """Stops the server with SIGTERM (the test fails if it takes over ``STOPS_WITHIN`` seconds:
    it is killed); what it wrote."""
    process.terminate()
    try:
        process.wait(timeout=STOPS_WITHIN)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOPS_WITHIN)
        pytest.fail(f"the server did not stop on SIGTERM: {process.stdout.read().decode()[-2000:]}")
    return process.stdout.read().decode()


@contextmanager
def running_server(*options: str, nofile: tuple[int, int] | None = None) -> Iterator[int]:
    """A real ``clusterpolicy serve OPTIONS`` for the ``with`` block: its port. Stopped after the
    block, and what it wrote must hold no traceback."""
    process, port = start_server(*options, nofile=nofile)
    try:
        yield port
    finally:
        log = stop_server(process)
    assert "Traceback" not in log, log[-3000:]
