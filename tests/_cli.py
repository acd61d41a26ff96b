"""The command line run in this process, for the tests that compare what it prints (not a test
module; imported by name, as tests/ is on ``sys.path``)."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from clusterpolicy.output import cli


def cli_run(*argv: str) -> tuple[int, str]:
    """``clusterpolicy ARGV`` run in this process: its exit code and what it printed."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()
