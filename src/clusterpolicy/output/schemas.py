"""The output contract: JSON Schema (draft 2020-12) of the result documents (docs/output.md).

- ``application-result``: one application checked (:class:`~clusterpolicy.checks.results.ApplicationResult`,
  ``clusterpolicy evaluate APPLICATION --format json``);
- ``competition-result``: a whole competition (:class:`~clusterpolicy.competition.CompetitionReport`,
  ``clusterpolicy evaluate COMPETITION --format json``);
- ``timeline``: the procedure's due dates (:class:`TimelineResult`, ``clusterpolicy deadlines --format json``);
- ``comparison``: a competition under two packs (:class:`~clusterpolicy.comparison.Comparison`,
  ``clusterpolicy diff --format json``, ``POST /v1/diff``);
- ``sensitivity``: a competition under each contested reading (:class:`~clusterpolicy.comparison.Sensitivity`,
  ``clusterpolicy sensitivity --format json``, ``POST /v1/sensitivity``).

The schemas are generated from the models (:func:`result_schema`) and ship with the package as
files (``clusterpolicy/output/schemas/<name>.schema.json``, read with :func:`shipped_schema`)
and in ``docs/schema/``; a test keeps the three in step and validates the documents of every
example in every language against them. Every document says its ``format_version``; every text
in it is a string in its ``language``.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, Field

from ..checks.results import ApplicationResult, PackRef, ResultHeader, ResultWarning, to_json
from ..comparison import Comparison, Sensitivity
from ..competition import CompetitionReport
from ..core.errors import UsageError
from ..core.i18n import LANGUAGES, Language
from ..core.tables import HtmlRepr
from ..input.decree535_form import ProcedureEvent
from ..procedure.timeline import Timeline

ResultName = Literal["application-result", "competition-result", "timeline", "comparison", "sensitivity"]
RESULT_NAMES: tuple[str, ...] = get_args(ResultName)


class TimelineResult(HtmlRepr, ResultHeader):
    """The procedure's time limits for some events: due dates, statuses, late and overdue steps."""

    events: list[ProcedureEvent] = Field(description="The events the timeline was computed from.")
    as_of: dt.date | None = Field(None, description="The day pending steps are judged on; None: not judged.")
    overdue: list[str] = Field(default_factory=list, description="Pending entries (uids) whose due date is before as_of.")
    warnings: list[ResultWarning] = Field(default_factory=list)
    timeline: Timeline

    table_categories: ClassVar[dict[str, list[str]]] = Timeline.table_categories

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """The rows of its timeline."""
        return self.timeline.table_rows(lang)

    def to_json(self, *, compact: bool = False) -> str:
        """Stable JSON (sorted keys; texts in the document's language)."""
        return to_json(self, compact=compact)


def timeline_result(
    timeline: Timeline,
    *,
    pack: Any,
    lang: Language = "en",
    events: list[ProcedureEvent] | None = None,
    as_of: dt.date | None = None,
    overdue: list[str] | None = None,
    warnings: list[ResultWarning] | None = None,
) -> TimelineResult:
    """The timeline of ``pack`` (a loaded :class:`~clusterpolicy.packs.RulePack`) as a result document."""
    if lang not in LANGUAGES:
        raise UsageError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r:.60}", code="bad_argument")
    return TimelineResult(
        pack=PackRef.of(pack, lang),
        language=lang,
        events=list(events or []),
        as_of=as_of,
        overdue=list(overdue or []),
        warnings=list(warnings or []),
        timeline=timeline,
    )


_MODELS: dict[str, type[BaseModel]] = {
    "application-result": ApplicationResult,
    "competition-result": CompetitionReport,
    "timeline": TimelineResult,
    "comparison": Comparison,
    "sensitivity": Sensitivity,
}

_TEXT = {"type": "string", "description": "A text (a title, a finding, a note) in the document's language."}


def result_schema(name: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a result document: ``application-result``,
    ``competition-result``, ``timeline``, ``comparison`` or ``sensitivity``."""
    if name not in _MODELS:
        raise UsageError(f"no result document {name!r}; the result documents are: {', '.join(RESULT_NAMES)}", code="bad_argument")
    schema = _MODELS[name].model_json_schema(mode="serialization")
    definitions = schema.get("$defs", {})
    for text in ("Text", "Word", "LocalText"):  # every text is written in the document's language (checks.results.to_json)
        if text in definitions:
            definitions[text] = dict(_TEXT)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://clusterpolicy.kz/schema/{name}.schema.json",
        **schema,
    }


def schema_text(name: str) -> str:
    """:func:`result_schema` as the files hold it (sorted keys, two-space indent, a final newline)."""
    return json.dumps(result_schema(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def shipped_schema(name: str) -> dict[str, Any]:
    """The schema file shipped with the installed package (``clusterpolicy/output/schemas/``)."""
    if name not in _MODELS:
        raise UsageError(f"no result document {name!r}; the result documents are: {', '.join(RESULT_NAMES)}", code="bad_argument")
    text = resources.files("clusterpolicy.output").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)
