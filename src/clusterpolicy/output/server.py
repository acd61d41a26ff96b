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
    parser.set_defaults(handler=run)


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

    os.environ[MAX_BODY_ENV] = str(args.max_body)  # read by every worker's create_app
    options: dict[str, Any] = {"host": args.host, "port": args.port, "workers": args.workers, "root_path": args.root_path}
    uvicorn.run("clusterpolicy.output.service:create_app", factory=True, server_header=False, **options)
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
