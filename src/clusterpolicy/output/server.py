"""``clusterpolicy serve``: runs the HTTP service (:mod:`clusterpolicy.output.service`) with uvicorn.

This module imports nothing of the ``server`` extra until the command runs, so that the
command line (and ``import clusterpolicy``) work without it; without the extra the command
says what to install and exits with 2.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
from typing import Any, TextIO

from ..core.errors import UsageError

MAX_BODY_ENV = "CLUSTERPOLICY_MAX_BODY_BYTES"
"""The environment variable the body limit is read from: ``serve --max-body`` sets it, so that
every worker process reads the same limit."""
DEFAULT_MAX_BODY = 4 * 1024 * 1024
"""Largest request body accepted (4 MiB): the shipped 2017 competition with its 12 applications
is about 0.65 MiB as JSON."""

MAX_OPERATIONS_ENV = "CLUSTERPOLICY_MAX_OPERATIONS"
"""The environment variable the number of requests one worker answers at once is read from."""
DEFAULT_MAX_OPERATIONS = 4
"""Requests one worker evaluates (or renders) at once; the others wait for a slot (up to
:data:`OPERATION_WAIT` seconds, then 503). Each may take up to 500 MB (docs/guarantees.md)."""
OPERATION_WAIT = 30.0
"""Seconds a request waits for a free slot before it is answered 503 (``busy``)."""
DEFAULT_MAX_CONNECTIONS = 1000
"""Connections one worker holds at once; a request on a connection beyond them gets 503 at once
(uvicorn's ``limit_concurrency``)."""
HEADER_TIMEOUT_ENV = "CLUSTERPOLICY_HEADER_TIMEOUT"
BODY_TIMEOUT_ENV = "CLUSTERPOLICY_BODY_TIMEOUT"
PROTOCOL = "clusterpolicy.output.http_protocol:BoundedH11Protocol"
"""uvicorn's h11 protocol with deadlines for receiving a request (:mod:`.http_protocol`)."""

SERVER_EXTRA = ("fastapi", "uvicorn", "fastapi_offline")
"""The modules the ``server`` extra installs (pip install 'clusterpolicy[server]')."""


def missing_modules() -> list[str]:
    """The modules of the ``server`` extra that are not installed."""
    return [name for name in SERVER_EXTRA if importlib.util.find_spec(name) is None]


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``clusterpolicy serve`` (the command line registers the subcommand)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--workers", type=_positive, default=1, metavar="N", help="worker processes (default: 1)")
    parser.add_argument(
        "--max-body",
        type=_positive,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help=f"largest request body accepted, in bytes (default: {DEFAULT_MAX_BODY}); larger ones get 413",
    )
    parser.add_argument("--root-path", default="", metavar="PATH", help="the path prefix a reverse proxy serves the service under (e.g. /clusterpolicy)")
    parser.add_argument(
        "--header-timeout", type=_seconds, default=10.0, metavar="SECONDS",
        help="time to receive a request's headers (default: 10); a slower client gets 408 and is disconnected",
    )
    parser.add_argument(
        "--body-timeout", type=_seconds, default=60.0, metavar="SECONDS",
        help="time to receive a request's body after its headers (default: 60); a slower client gets 408 and is disconnected",
    )
    parser.add_argument(
        "--max-connections", type=_positive, default=DEFAULT_MAX_CONNECTIONS, metavar="N",
        help=f"connections per worker (default: {DEFAULT_MAX_CONNECTIONS}); a request beyond them gets 503",
    )
    parser.add_argument(
        "--max-operations", type=_positive, default=DEFAULT_MAX_OPERATIONS, metavar="N",
        help=f"requests per worker evaluated at once (default: {DEFAULT_MAX_OPERATIONS}); the others wait up to {OPERATION_WAIT:g} s, then get 503",
    )
    parser.set_defaults(handler=run)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"not a number of seconds between 0 and 3600: {text!r}")
    return value


def raise_open_files_limit() -> tuple[int, int] | None:
    """Raise the soft limit of open files to the hard one where the platform allows (each
    connection is a file descriptor; 1024, a common soft limit, is few for a service): the
    ``(before, after)`` soft limits, or None where there is no such limit (Windows) or it
    cannot be changed. Worker processes inherit it."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = hard
        if hard == resource.RLIM_INFINITY or hard > 1_048_576:
            target = 1_048_576  # macOS refuses "unlimited" (OPEN_MAX); a million is plenty
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return soft, resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ValueError, OSError):
        return None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Serve until interrupted (Ctrl-C, SIGTERM); 0 once stopped."""
    missing = missing_modules()
    if missing:
        raise UsageError(
            f"the HTTP service needs the server extra ({', '.join(missing)} not installed): pip install 'clusterpolicy[server]'",
            code="missing_extra",
        )
    _check_address(args.host, args.port)
    import uvicorn

    raise_open_files_limit()
    # read by every worker: create_app (body, operations) and the protocol (deadlines)
    os.environ[MAX_BODY_ENV] = str(args.max_body)
    os.environ[MAX_OPERATIONS_ENV] = str(args.max_operations)
    os.environ[HEADER_TIMEOUT_ENV] = repr(args.header_timeout)
    os.environ[BODY_TIMEOUT_ENV] = repr(args.body_timeout)
    options: dict[str, Any] = {
        "host": args.host, "port": args.port, "workers": args.workers, "root_path": args.root_path,
        "http": PROTOCOL, "limit_concurrency": args.max_connections,
    }
    uvicorn.run("clusterpolicy.output.service:serving_app", factory=True, server_header=False, **options)
    return 0


def _check_address(host: str, port: int) -> None:
    """A usage error (exit 2) for an address the service cannot listen on, before uvicorn starts
    (which would log it and exit with 3): a port in use, a host name that does not resolve."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})", code="invalid_argument") from None
