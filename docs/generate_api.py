"""Write docs/api.md from the docstrings of the public API (standard library ``inspect`` only).

The public API is what ``clusterpolicy.__all__`` exports, and nothing else: a name that
belongs on this page belongs in ``__all__``. Run it after
changing a public function or its docstring::

    python docs/generate_api.py          # rewrite docs/api.md
    python docs/generate_api.py --check  # exit 1 if docs/api.md is stale (used by the tests)
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

API_FILE = Path(__file__).with_name("api.md")

HEADER = """# API reference

Generated from the docstrings by `docs/generate_api.py` (do not edit by hand; a test checks
that this file is current). Grouped by module; see [architecture](architecture.md) for what
each module is about, and [getting started](getting-started.md) for a tour.

## Import paths: what changed

The public API is what `clusterpolicy.__all__` lists: `from clusterpolicy import evaluate,
load_competition`. Those names do not move. Modules below them may, in a 0.x release:

- **The flat module paths of version 0.1 are gone** (they were kept alive by an import hook,
  `clusterpolicy._compat`, which was removed). `clusterpolicy.engine` is `clusterpolicy.evaluation`;
  `errors`, `sources`, `i18n` are under `clusterpolicy.core`; `regions`, `loading` under
  `clusterpolicy.input`; `working_calendar`, `terms` under `clusterpolicy.calendar`; `results`,
  `affiliation` under `clusterpolicy.checks`; `timeline` under `clusterpolicy.procedure`; `whatif`,
  `indicators` under `clusterpolicy.scoring`; `reports`, `notebook`, `cli` under
  `clusterpolicy.output`; `rule_cases`, `traceability` under `clusterpolicy.authoring`.
- **`clusterpolicy.models`, then `clusterpolicy.input.models`**, is split in two:
  `clusterpolicy.input.values` (the generic value types: `Day`, `Timestamp`, `MomentOrDay`,
  `Number`, `Str`, `Model`, ...) and `clusterpolicy.input.decree535_form` (Decree 535's
  application form and competition: `Application`, `Competition`, `Participant`, `json_schema`, ...).
- **`clusterpolicy.scoring.scores`** is split into `clusterpolicy.scoring.config`
  (`ScoringConfig`, `read_scoring`, rounding), `clusterpolicy.scoring.marks` (`score_application`,
  `ApplicationScore`) and `clusterpolicy.scoring.ranking` (`rank_competition`,
  `CompetitionOutcome`); `clusterpolicy.scoring` still has those six names.
- **`clusterpolicy.packs`** is a package (`model`, `folder`, `loading`, `merge`, `finding`);
  `from clusterpolicy.packs import load_pack, RulePack, ...` works as before.
"""


def public_objects() -> dict[str, list[tuple[str, object]]]:
    """Module name -> [(name, object)], for everything documented, sorted."""
    package = importlib.import_module("clusterpolicy")
    found: dict[str, dict[str, object]] = {}
    for name in package.__all__:
        obj = getattr(package, name)
        if inspect.ismodule(obj) or not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        found.setdefault(obj.__module__, {})[name] = obj
    return {module: sorted(objects.items()) for module, objects in sorted(found.items())}


def _doc(obj: object) -> str:
    return inspect.cleandoc(obj.__doc__ or "(no docstring)")


def _signature(obj: object) -> str:
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"


def _class(name: str, cls: type) -> list[str]:
    lines = [f"### class `{name}`", "", _doc(cls), ""]
    fields = getattr(cls, "model_fields", None)
    if fields:
        lines += ["Fields: " + ", ".join(f"`{field}`" for field in fields), ""]
    own = [
        (member, value)
        for member, value in sorted(vars(cls).items())
        if not member.startswith("_") and (inspect.isfunction(value) or isinstance(value, property))
    ]
    for member, value in own:
        if isinstance(value, property):
            lines += [f"- `{name}.{member}` (property): {_first_line(value)}"]
        else:
            lines += [f"- `{name}.{member}{_signature(value)}`: {_first_line(value)}"]
    if own:
        lines.append("")
    return lines


def _first_line(obj: object) -> str:
    doc = inspect.getdoc(obj)
    return doc.strip().splitlines()[0] if doc else ""


def render() -> str:
    """The text of docs/api.md."""
    lines = [HEADER]
    for module, objects in public_objects().items():
        lines += [f"## `{module}`", ""]
        module_doc = inspect.getdoc(importlib.import_module(module))
        if module_doc:
            lines += [module_doc.strip().split("\n\n")[0], ""]
        for name, obj in objects:
            if inspect.isclass(obj):
                lines += _class(name, obj)
            else:
                lines += [f"### `{name}{_signature(obj)}`", "", _doc(obj), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = API_FILE.read_text("utf-8") if API_FILE.exists() else ""
        if current != text:
            print(f"{API_FILE} is stale: run python docs/generate_api.py", file=sys.stderr)
            return 1
        return 0
    API_FILE.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
