"""Import paths of the flat modules that came before the layered subpackages.

``from clusterpolicy.loading import load_competition`` (and every other path the README and the
documentation of version 0.1 show) keeps working: each old module name is the module that now
holds its content. New code should import from the new places (docs/architecture.md).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType
from typing import Any, Sequence

MOVED = {
    "errors": "core.errors",
    "sources": "core.sources",
    "i18n": "core.i18n",
    "models": "input.decree535_form",
    "regions": "input.regions",
    "loading": "input.loading",
    "working_calendar": "calendar.working_calendar",
    "terms": "calendar.terms",
    "engine": "evaluation",
    "results": "checks.results",
    "affiliation": "checks.affiliation",
    "timeline": "procedure.timeline",
    "whatif": "scoring.whatif",
    "indicators": "scoring.indicators",
    "reports": "output.reports",
    "notebook": "output.notebook",
    "cli": "output.cli",
    "rule_cases": "authoring.rule_cases",
    "traceability": "authoring.traceability",
}
"""Old module name -> its module now (both relative to ``clusterpolicy``)."""

_PACKAGE = __name__.rpartition(".")[0]


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: Any = None) -> Any:
        package, _, name = fullname.rpartition(".")
        if package != _PACKAGE or name not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: Any) -> ModuleType:
        module = importlib.import_module(f"{_PACKAGE}.{MOVED[spec.name.rpartition('.')[2]]}")
        self._specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The module is already executed under its new name; importing it under the old one
        has set its ``__spec__`` to the alias's, which is undone here."""
        module.__spec__ = self._specs[module.__name__]


def install() -> None:
    if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
        sys.meta_path.append(_Alias())
