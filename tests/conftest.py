"""Before any test: the package and what it needs must be importable by this Python.

Without this, ``python3 -m pytest`` in a checkout where nothing is installed stops at the first
test module with ``ModuleNotFoundError: No module named 'clusterpolicy'``, which says neither
what is missing nor what to do. README.md gives the command that installs everything.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

NEEDED = ("clusterpolicy", "pydantic", "holidays", "yaml", "dateutil", "tzdata", "hypothesis", "jsonschema", "mypy", "fastapi", "uvicorn", "fastapi_offline")
"""The package, its core dependencies and the test tools the suite imports at module level
(the ``server`` extra's too: tests/test_service.py runs the HTTP service)."""


def pytest_configure(config: pytest.Config) -> None:
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        pytest.exit(
            f"cannot run the tests: {', '.join(missing)} not installed for {sys.executable}.\n"
            "From the project folder: pip install '.[test]' && python -m pytest (README.md)",
            returncode=4,
        )


def pytest_report_header(config: pytest.Config) -> str:
    """Which copy of the package is tested: the checkout (an editable install) or an installed wheel."""
    spec = importlib.util.find_spec("clusterpolicy")
    return f"clusterpolicy: {spec.origin if spec else 'not installed'}"
