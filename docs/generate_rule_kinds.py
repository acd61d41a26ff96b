"""Write docs/rule-kinds.md from the code of the check kinds (``clusterpolicy.checks.kinds``).

For each kind: what it checks (the table of the module's docstring), its keys as the model
declares them (required or default, whether ``{param: name}`` may give the value) and the
placeholders its messages may use (the kind's ``reports``); then the syntax of a condition
(``when:``, ``where:``, the ``condition`` kind) from the ``Condition`` model. Run it after
changing a kind::

    python docs/generate_rule_kinds.py          # rewrite docs/rule-kinds.md
    python docs/generate_rule_kinds.py --check  # exit 1 if docs/rule-kinds.md is stale (used by the tests)

A placeholder a kind reports without a line in ``PLACEHOLDERS`` below stops the generator, so a
new one cannot be left unexplained.
"""

from __future__ import annotations

import inspect
import re
import sys
import typing
from pathlib import Path

OUT_FILE = Path(__file__).with_name("rule-kinds.md")

PLACEHOLDERS = {
    "value": "the value found at `field` (an enum value by its label, a date as people write it)",
    "allowed": "the allowed values, by their labels",
    "values": "each field the condition reads, with the value found (`label: value; ...`)",
    "missing": "the fields stated as absent (`false`, or empty), by their labels",
    "not_stated": "the fields not stated at all, by their labels",
    "checked": "how many fields were checked",
    "document": "the required document kind, by the pack's word for it (`vocabulary.yaml`)",
    "documents_listed": "the document kinds the application lists, by the pack's words",
    "count": "how many items match (for `unaffiliated_legal_entities`: the certain count)",
    "minimum": "the lower bound, as written or from its parameter",
    "maximum": "the upper bound, as written or from its parameter",
    "matching": "the ids (or positions) of the matching items",
    "undecided": "how many items `where` could not decide (a field not stated)",
    "items": "how many items the collection has",
    "incomplete": "each incomplete item with the elements it lacks (`activity a01: executors; ...`)",
    "timestamp": "the moment found at `timestamp`",
    "deadline": "the moment found at `deadline`",
    "late_by": "how late, in hours and minutes («1 сағ 30 мин»)",
    "cutoff": "the instant from which the act is late when `deadline` is a date only (its end, or the close of business: `date_only_cutoff`)",
    "start": "the date found at `start`",
    "end": "the date found at `end`",
    "due": "the last day of the term, counted on the working calendar",
    "amount": "the term's length",
    "unit": "the term's unit, in words (working days, calendar days, months)",
    "calendar_warnings": "warnings of the working calendar (a year it does not know for sure)",
    "affiliation": "the affiliation groups and the identifier problems found (criteria 1.1)",
    "count_connected_components": "the count when entities linked through any chain of affiliation form one group (a number, or `low–high` while unverified entities leave it open)",
    "count_independent_set": "the count as the largest set of participants no two of which are affiliated (a number, or `low–high` beyond the exact search's budget)",
    "lacking": "each incomplete item (by its id, number or position) with the elements and years it lacks",
    "years": "the years each item must give indicators for (from `years`, or the N full years before `years_before`)",
    "not_listed": "the items that are not a row of `among` (by name or id)",
    "unmatched_rows": "the names of the rows of `among` that no item matched (the other spelling, beside `not_listed`)",
    "other": "the value found at `other`, to compare with `field`'s",
    "uncovered": "the values of the list that no item of the collection has",
    "found": "the values the items of the collection have",
    "deciding": "which of the two counts decides (`grouping`: `connected_components` or `independent_set`)",
}

CONDITION_TEXT = """\
## Conditions: `when:`, `where:` and the `condition` kind

A condition is a mapping of exactly one form (`clusterpolicy check` and loading refuse any other,
naming the file and line):

| form | holds when | unknown when |
|---|---|---|
| `{field: PATH, equals: VALUE}` | the value at PATH equals VALUE | PATH is not stated |
| `{field: PATH, in: [VALUE, ...]}` | the value at PATH is one of the list | PATH is not stated |
| `{field: PATH, stated: true}` / `stated: false` | PATH is stated / is not stated | never |
| `{all: [CONDITION, ...]}` | every condition holds | none fails and one is unknown |
| `{any: [CONDITION, ...]}` | one condition holds | none holds and one is unknown |
| `{not: CONDITION}` | the condition does not hold | it is unknown |

- **`when:`** on a rule: PATH is read on the application (`competition.` for the competition).
  False: the rule is *not applicable*; unknown: the rule is *unknown*, with the fields not stated.
- **`where:`** of `count_at_least`: the same forms, read on **each item** of `collection`, PATH
  relative to the item (`where: {field: legal_status, equals: legal_entity}` on `participants`).
  An item whose condition is unknown is *undecided*: the rule fails only if the count would stay
  below `minimum` with every undecided item counted, and is *unknown* otherwise.
- **`condition:`** of the `condition` kind: read on the application, as `when:`.
- VALUE is written as the field's values are (an enumeration's value, `true`/`false`, a number,
  a string); `{param: name}` is refused in a condition. Every PATH must resolve on the models and
  every VALUE be one the field can take (docs/rules.md, "What is checked when a pack loads").

Fields of the `Condition` model, as the code declares them:

"""


def _kinds() -> list[tuple[str, type]]:
    from clusterpolicy.checks import kinds

    return [(cls.kind_name(), cls) for cls in kinds.KINDS]


def _descriptions() -> dict[str, str]:
    from clusterpolicy.checks import kinds

    found = {}
    for line in (kinds.__doc__ or "").splitlines():
        match = re.match(r"^``(\w+)``\s+(.+)$", line.strip())
        if match:
            found[match.group(1)] = re.sub(r"``([^`]+)``", r"`\1`", match.group(2))
    return found


_DEPTH = {"[": 1, "(": 1, "]": -1, ")": -1}


def _unannotated(text: str) -> str:
    """``Annotated[T, FieldInfo(...)]`` written as ``T`` (the constraints are not part of the type
    shown), the brackets and parentheses inside the ``FieldInfo`` counted (a pattern may hold them)."""
    while (start := text.find("Annotated[")) >= 0:
        depth, index = 0, start + len("Annotated[")
        inner = index
        while depth or text[index] != ",":  # the type's end: the first comma at its own depth
            depth += _DEPTH.get(text[index], 0)
            index += 1
        type_text, rest = text[inner:index], index
        depth = 1
        while depth:  # the Annotated's closing bracket
            rest += 1
            depth += _DEPTH.get(text[rest], 0)
        text = text[:start] + type_text + text[rest + 1:]
    return text


def _type(annotation: object) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    text = text or str(annotation)
    text = text.replace("typing.", "").replace("clusterpolicy.checks.fields.", "").replace("clusterpolicy.core.law.", "")
    text = _unannotated(text)
    text = text.replace("Union[ParamRef, Any]", "value or {param: name}")
    return text.replace("NoneType", "None")


def _keys(cls: type) -> list[str]:
    from clusterpolicy.checks.params import value_type

    rows = []
    for name, field in cls.model_fields.items():
        if name == "kind":
            continue
        key = field.alias or name
        required = "required" if field.is_required() else f"default `{field.default!r}`"
        expected = value_type(field.metadata)
        if expected is not None:  # Param[T]: a T, written here or given by {param: name}
            rows.append(f"`{key}`: {expected.expected}, {required}, `{{param: ...}}` yes")
        else:
            rows.append(f"`{key}`: {_type(field.annotation)}, {required}, `{{param: ...}}` no")
    return rows


def render() -> str:
    kinds = _kinds()
    described = _descriptions()
    lines = [
        "# Check kinds, their keys and placeholders",
        "",
        "Generated from `clusterpolicy.checks.kinds` by `docs/generate_rule_kinds.py` (do not edit by",
        "hand; a test checks that this file is current). How to write a rule: [rules.md](rules.md).",
        "",
        "A rule's `message` may use, in each language, the placeholders its check kind reports and the",
        "names of the parameters its check uses (`{param: paper_copies}` gives `{paper_copies}`); any",
        "other `{name}` stops the pack from loading, with the file and line. Values are written in the",
        "message's language (labels, dates, durations); the result's `observed` keeps the raw values.",
        "",
        "| kind | what it checks | placeholders |",
        "|---|---|---|",
    ]
    for name, cls in kinds:
        if name not in described:
            raise SystemExit(f"kind {name} has no line in the docstring of clusterpolicy.checks.kinds")
        lines.append(f"| `{name}` | {described[name]} | {', '.join(f'`{{{key}}}`' for key in sorted(cls.reports))} |")
    lines.append("")
    for name, cls in kinds:
        sentence = described[name][0].upper() + described[name][1:] + "."
        lines += [f"## `{name}`", "", sentence, "", "Keys:", ""]
        lines += [f"- {row}" for row in _keys(cls)]
        lines += ["", "Placeholders:", ""]
        for key in sorted(cls.reports):
            if key not in PLACEHOLDERS:
                raise SystemExit(f"kind {name} reports {key!r}, which PLACEHOLDERS in {__file__} does not explain")
            lines.append(f"- `{{{key}}}`: {PLACEHOLDERS[key]}")
        lines.append("")
    from clusterpolicy.checks.fields import Condition

    lines.append(CONDITION_TEXT.rstrip("\n"))
    lines.append("")
    for name, field in Condition.model_fields.items():
        description = f": {field.description}" if field.description else ""
        lines.append(f"- `{field.alias or name}`: {_type(field.annotation)}{description}")
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT_FILE.read_text("utf-8") if OUT_FILE.exists() else ""
        if current != text:
            print(f"{OUT_FILE} is stale: run python docs/generate_rule_kinds.py", file=sys.stderr)
            return 1
        return 0
    OUT_FILE.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
