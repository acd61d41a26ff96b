"""The HTTP/1.1 protocol ``clusterpolicy serve`` runs: uvicorn's h11 protocol with deadlines for
receiving a request.

uvicorn closes a connection that stays idle after an answer (its keep-alive timeout), but
nothing bounds the time a client takes to *send* a request: a client that trickles header lines,
or body bytes, holds its connection (a file descriptor, memory, a task) for as long as it likes,
and a few hundred such clients leave no descriptor for anyone else (slowloris). Here every
request is received against two deadlines, kept in the protocol itself (no middleware sees a
request before its headers are complete):

- its headers within :data:`HEADER_TIMEOUT_ENV` seconds (default 10) of the connection being
  made, or of the first byte of the request on a kept-alive connection;
- its body within :data:`BODY_TIMEOUT_ENV` seconds (default 60) of the end of its headers.

A request that misses a deadline is answered ``408`` (an RFC 9457 problem, code
``request_timeout``) and its connection closed; an application already reading the body sees
the client gone, and its answer is dropped. Loaded by uvicorn by its import string
(``clusterpolicy.output.http_protocol:BoundedH11Protocol``), in every worker; the deadlines are
read from the environment, which ``clusterpolicy serve`` sets from its options.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


from .server import BODY_TIMEOUT_ENV, HEADER_TIMEOUT_ENV

DEFAULT_HEADER_TIMEOUT = 10.0
"""Seconds to receive a request's headers (a real client sends them in one packet)."""
DEFAULT_BODY_TIMEOUT = 60.0
"""Seconds to receive a request's body once its headers are in: the 4 MiB body limit at 1 Mbit/s takes 34 s."""


def _seconds(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    try:
        value = float(text)
    except ValueError:
        return default
    return value if 0 < value < 86400 else default


def receive_timeouts() -> tuple[float, float]:
    """The header and body deadlines in seconds, from the environment (else the defaults)."""
    return _seconds(HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT), _seconds(BODY_TIMEOUT_ENV, DEFAULT_BODY_TIMEOUT)


def timeout_answer(part: str, seconds: float) -> bytes:
    """The whole ``408`` answer (status line, headers, problem document), closing the connection."""
    detail = f"the request's {part} were not received within {seconds:g} s; the connection is closed"
    body = json.dumps(
        {
            "code": "request_timeout",
            "detail": detail,
            "status": 408,
            "title": "Request Timeout",
            "type": "urn:clusterpolicy:error:request_timeout",
        },
        ensure_ascii=False, indent=2, sort_keys=True,
    ).encode("utf-8") + b"\n"
    head = (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n"
    )
    return head + body


_RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)
"""The client's states once its request is wholly received (or the connection is over)."""


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline for the headers and one for the body of each request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout, self.body_timeout = receive_timeouts()
        self._deadline: asyncio.TimerHandle | None = None
        self._receiving: str | None = None  # "headers" or "body" while a deadline runs

    # ------------------------------------------------------------------ the deadlines

    def _arm(self, part: str) -> None:
        self._disarm()
        seconds = self.header_timeout if part == "headers" else self.body_timeout
        self._receiving = part
        self._deadline = self.loop.call_later(seconds, self._expired, part, seconds)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._receiving = None, None

    def _expired(self, part: str, seconds: float) -> None:
        self._deadline, self._receiving = None, None
        if self.transport is None or self.transport.is_closing():
            return
        client = "%s:%d - " % self.client if self.client else ""
        self.logger.warning("%sthe request's %s were not received within %g s: answered 408 and closed", client, part, seconds)
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # cannot happen while receiving; never write into an answer
                self.transport.close()
                return
            cycle.disconnected = True  # the application sees the client gone; its answer is dropped
            cycle.message_event.set()
        self.transport.write(timeout_answer(part, seconds))
        self.transport.close()

    def _follow(self) -> None:
        """Move the deadline along with the client's state after the events just handled."""
        state = self.conn.their_state
        if state in _RECEIVED:
            self._disarm()
        elif state is h11.SEND_BODY and self._receiving != "body":
            self._arm("body")

    # ------------------------------------------------------------------ uvicorn's protocol

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm("headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._arm("headers")  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        if not self.transport.is_closing():
            self._follow()
        else:
            self._disarm()


__all__ = ["BoundedH11Protocol", "receive_timeouts", "timeout_answer", "HEADER_TIMEOUT_ENV", "BODY_TIMEOUT_ENV"]
