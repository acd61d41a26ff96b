"""The service cannot be held open (issue 27, items 3, 13, 15): deadlines for receiving a
request (in the protocol), a limit on requests answered at once, the open-files limit raised,
no redirect that repeats the Host header, 406 and HEAD on GET endpoints.

The in-process tests call the ASGI application (``call`` of tests/_server.py); the others start a
real ``clusterpolicy serve`` on 127.0.0.1 (conftest.py's ``serve``) and trickle bytes at it
through real sockets (slow).
"""

from __future__ import annotations

import asyncio
import json
import resource
import select
import socket
import threading
import time

import pytest

from clusterpolicy.output import server, service
from clusterpolicy.output.http_protocol import timeout_answer

from _server import acall, assert_problem, call, request

# --------------------------------------------------------------------------- in process


@pytest.fixture(scope="module")
def app():
    return service.create_app()


@pytest.mark.parametrize("path", ["/v1/health", "/v1/packs", "/v1/packs/kz-2015-decree-535/rules/eligibility.unaffiliated-legal-entities"])
def test_get_endpoints_answer_406_to_an_accept_without_json(app, path):
    assert_problem(call(app, "GET", path, headers=[("Accept", "application/xml")]), 406, "not_acceptable")
    assert call(app, "GET", path, headers=[("Accept", "application/xml, application/json;q=0.5")]).status == 200
    assert call(app, "GET", path, headers=[("Accept", "*/*")]).status == 200


@pytest.mark.parametrize("path", ["/v1/health", "/v1/packs?lang=kk", "/v1/packs/kz-2015-decree-535/rules/eligibility.unaffiliated-legal-entities", "/docs", "/openapi.json"])
def test_head_answers_the_status_and_headers_of_get(app, path):
    head, get = call(app, "HEAD", path), call(app, "GET", path)
    assert head.status == get.status == 200
    assert head.headers == get.headers  # the server (uvicorn) sends no body for HEAD


def test_head_of_an_unknown_rule_is_404_and_allow_names_head(app):
    assert call(app, "HEAD", "/v1/packs/kz-2015-decree-535/rules/nope").status == 404
    answer = call(app, "POST", "/v1/health")
    assert_problem(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/v1/health/", "/v1/packs/", "/docs/"])
def test_a_trailing_slash_is_404_never_a_redirect_to_the_host_header(app, path):
    answer = call(app, "GET", path, headers=[("Host", "evil.example")])
    assert_problem(answer, 404, "not_found")
    assert "location" not in answer.headers and b"evil.example" not in answer.body


@pytest.mark.slow
def test_requests_beyond_the_operation_slots_wait_then_get_503(monkeypatch):
    """One slot, taken for 0.4 s: a request that waits 0.15 s for it gets 503 ``busy`` with
    Retry-After; one that comes after it is freed is answered; health takes no slot."""

    def slow(document):
        time.sleep(0.4)
        return b"{}"

    monkeypatch.setattr(service, "evaluate_application", slow)
    app = service.create_app(concurrent=1, wait=0.15)

    def evaluate():
        return acall(app, "POST", "/v1/evaluate", b"{}", headers=[("Content-Type", "application/json")])

    async def main():
        first = asyncio.create_task(evaluate())
        await asyncio.sleep(0.05)
        second, health = await asyncio.gather(evaluate(), acall(app, "GET", "/v1/health"))
        return await first, second, health, await evaluate()

    answers = first, second, health, later = asyncio.run(main())
    assert not [answer.raised for answer in answers if answer.raised is not None]
    assert first.status == 200 and later.status == 200 and health.status == 200
    assert second.status == 503 and second.headers["retry-after"] == "5"
    assert second.json()["code"] == "busy"


def test_the_operation_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(server.MAX_OPERATIONS_ENV, "7")
    assert service.max_operations() == 7
    monkeypatch.setenv(server.MAX_OPERATIONS_ENV, "nonsense")
    assert service.max_operations() == server.DEFAULT_MAX_OPERATIONS


def test_the_open_files_limit_is_raised_to_the_hard_one():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        lowered = min(256, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (lowered, hard))
        before, after = server.raise_open_files_limit()
        assert before == lowered
        assert after == resource.getrlimit(resource.RLIMIT_NOFILE)[0] == min(hard, 1_048_576)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_408_answer_is_a_problem_document():
    raw = timeout_answer("headers", 10)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 Request Timeout\r\n") and b"connection: close" in head
    assert f"content-length: {len(body)}".encode() in head
    document = json.loads(body)
    assert document["code"] == "request_timeout" and document["status"] == 408


def test_serve_rejects_a_bad_timeout(capsys):
    from clusterpolicy.output import cli

    assert cli.main(["serve", "--header-timeout", "0"]) == 2
    assert "seconds" in capsys.readouterr().err


# --------------------------------------------------------------------------- a real server, real sockets


def read_answer(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends until it closes the connection (or ``seconds`` pass)."""
    sock.settimeout(seconds)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def trickle(sock: socket.socket, piece: bytes) -> tuple[bytes, float]:
    """Sends ``piece`` every 0.5 s until the server answers (or closes, or 15 s pass): what it
    answered and the seconds it took."""
    started = time.monotonic()
    answer = b""
    while time.monotonic() - started < 15:
        try:
            sock.sendall(piece)
        except OSError:
            break
        ready, _, _ = select.select([sock], [], [], 0.5)
        if ready:
            answer = read_answer(sock, 2)
            break
    return answer, time.monotonic() - started


@pytest.mark.slow
def test_a_client_trickling_its_headers_or_body_gets_408_and_is_disconnected(serve):
    port = serve("--header-timeout", "2", "--body-timeout", "3")
    # headers: one header line every 0.5 s, never the blank line that ends them
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
        answer, elapsed = trickle(sock, b"X-Slow: 1\r\n")
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["code"] == "request_timeout"
    assert 1.5 < elapsed < 6

    # body: 1,000 bytes declared, one sent every 0.5 s
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        answer, elapsed = trickle(sock, b" ")
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert 2.5 < elapsed < 8

    # a connection that sends nothing at all is closed too
    with socket.create_connection(("127.0.0.1", port)) as sock:
        assert read_answer(sock, 10).startswith(b"HTTP/1.1 408")
    # and the service still answers (the serve fixture then stops it and reads its log: no traceback)
    assert request(port, "GET", "/v1/health")[0] == 200


class Tricklers:
    """``count`` clients that each send one header byte every ``pace`` seconds and never finish
    their request; a client the server disconnects connects again (an attacker does)."""

    def __init__(self, port: int, count: int, pace: float = 0.5) -> None:
        self.port, self.count, self.pace = port, count, pace
        self.stopped = threading.Event()
        self.dropped = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.setblocking(False)
            sock.send(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n")
            return sock
        except OSError:
            return None

    def _run(self) -> None:
        socks = [self._connect() for _ in range(self.count)]
        while not self.stopped.wait(self.pace):
            for index, sock in enumerate(socks):
                if sock is None:
                    socks[index] = self._connect()
                    continue
                try:
                    ready, _, _ = select.select([sock], [], [], 0)
                    if ready:  # answered (408) or closed: the connection is over
                        raise OSError
                    sock.send(b"X")
                except OSError:
                    sock.close()
                    self.dropped += 1
                    socks[index] = self._connect()
        for sock in socks:
            if sock is not None:
                sock.close()

    def __enter__(self) -> "Tricklers":
        self.thread.start()
        time.sleep(2)  # every client connected and trickling
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=60)


def health_latencies(port: int, times: int) -> list[float]:
    latencies = []
    for _ in range(times):
        started = time.monotonic()
        status, _, body = request(port, "GET", "/v1/health")
        assert status == 200 and json.loads(body)["status"] == "ok"
        latencies.append(time.monotonic() - started)
        time.sleep(0.5)
    return latencies


@pytest.mark.slow
def test_health_answers_while_200_slow_clients_trickle_with_128_descriptors(serve):
    """Started with a soft limit of 128 open files (the hard one higher, as on most systems): the
    service raises it, so 200 trickling clients leave room for everyone else; and the deadline
    cuts each trickling client off after 2 s (it connects again, as an attacker would)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 1024:
        pytest.skip("the hard limit of open files is too low to raise")
    port = serve("--header-timeout", "2", nofile=(128, hard))
    with Tricklers(port, 200) as tricklers:
        latencies = health_latencies(port, 8)
    assert max(latencies) < 5, latencies
    assert tricklers.dropped >= 200, tricklers.dropped  # every one was cut off at least once


@pytest.mark.slow
def test_connections_beyond_the_limit_get_503_at_once(serve):
    port = serve("--max-connections", "3", "--header-timeout", "30")
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    try:
        for sock in held:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        time.sleep(0.5)
        assert request(port, "GET", "/v1/health")[0] == 503
        for sock in held:
            sock.close()
        time.sleep(0.5)
        assert request(port, "GET", "/v1/health")[0] == 200
    finally:
        for sock in held:
            sock.close()
