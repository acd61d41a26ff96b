"""Before any test: the package and what it needs must be importable by this Python.

Without this, ``python3 -m pytest`` in a checkout where nothing is installed stops at the first
test module with ``ModuleNotFoundError: No module named 'clusterpolicy'``, which says neither
what is missing nor what to do. README.md gives the command that installs everything.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile

import pytest

_CACHE_OF_THIS_RUN = None
if "CLUSTERPOLICY_CACHE_DIR" not in os.environ:
    # The validated packs and catalogues (clusterpolicy.core.cache) are kept in a folder of this
    # run, never the user's cache; the commands the tests start share it through the environment.
    _CACHE_OF_THIS_RUN = os.environ["CLUSTERPOLICY_CACHE_DIR"] = tempfile.mkdtemp(prefix="clusterpolicy-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_OF_THIS_RUN is not None:
        import shutil

        shutil.rmtree(_CACHE_OF_THIS_RUN, ignore_errors=True)

pytest.register_assert_rewrite("_server")  # its helpers assert as a test does (tests/_server.py)

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


# --------------------------------------------------------------------------- shared fixtures

from pathlib import Path  # noqa: E402
import shutil  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
DECREE = "kz-2015-decree-535"
METHODOLOGY = "kz-2017-kiri-methodology"


def copy_pack_into(root: Path, pack_id: str = DECREE, *, name: str | None = None, cases: bool = True) -> Path:
    """A writable copy of the shipped pack ``pack_id`` in ``root/name`` (``name`` defaults to the id).

    ``cases=False`` leaves out the pack's ``tests/`` folder (faster, and a broken case file is then
    not the test's concern).
    """
    target = root / (name or pack_id)
    ignore = None if cases else shutil.ignore_patterns("tests")
    shutil.copytree(RULES / pack_id, target, ignore=ignore)
    return target


@pytest.fixture()
def copy_pack(tmp_path: Path):
    """``copy_pack(pack_id=DECREE, name=None, cases=True)``: a writable copy of a shipped pack under ``tmp_path``."""

    def copy(pack_id: str = DECREE, *, name: str | None = None, cases: bool = True) -> Path:
        return copy_pack_into(tmp_path, pack_id, name=name, cases=cases)

    return copy


@pytest.fixture()
def decree_copy(copy_pack) -> Path:
    """A writable copy of the Decree 535 pack, in a folder named by its id, to break on purpose."""
    return copy_pack()


@pytest.fixture()
def wrong_typed_pack(decree_copy):
    """The Decree 535 pack loaded from a copy, then its rule ``contents.concept-length`` given a
    minimum of the wrong type (``{"param": None}``). Loading refuses such a value
    (test_pack_validation.py); this is a pack changed after loading."""
    from clusterpolicy.packs import load_pack_from

    pack = load_pack_from(decree_copy)
    rule = pack.rule("contents.concept-length")
    broken = rule.model_copy(update={"check": rule.check.model_copy(update={"minimum": {"param": None}})})
    pack.rules = [broken if existing.id == rule.id else existing for existing in pack.rules]
    return pack


@pytest.fixture()
def packs_copy(tmp_path: Path, copy_pack) -> Path:
    """Writable copies of both shipped packs, side by side (the methodology finds its parent); their folder."""
    copy_pack(DECREE)
    copy_pack(METHODOLOGY)
    return tmp_path


@pytest.fixture()
def serve():
    """``serve(*options, nofile=None)``: a real ``clusterpolicy serve OPTIONS`` (uvicorn) on a free
    port of 127.0.0.1, started and answering health; its port. Stopped after the test, which fails
    if the server did not stop on SIGTERM or wrote a traceback. A module's shared server:
    ``with _server.running_server(*options) as port`` in a module-scoped fixture."""
    from contextlib import ExitStack

    from _server import running_server

    with ExitStack() as servers:
        yield lambda *options, nofile=None: servers.enter_context(running_server(*options, nofile=nofile))


# --------------------------------------------------------------------------- the fast loop stays fast

SLOW_AFTER = 1.0
"""A test that takes longer than this (seconds, wall time of its call) belongs under ``slow``."""

_unmarked_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.duration > SLOW_AFTER and "slow" not in report.keywords:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    """List the tests over a second that are not marked ``slow`` (a reminder, never a failure:
    wall time on a shared machine is no verdict)."""
    if _unmarked_slow:
        terminalreporter.section("tests over 1 s not marked slow")
        for nodeid, duration in sorted(_unmarked_slow, key=lambda item: -item[1]):
            terminalreporter.write_line(f"{duration:6.2f}s {nodeid}")
