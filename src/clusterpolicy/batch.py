"""A streaming batch: applications as JSON Lines in, one result per line out, in flat memory.

:func:`evaluate_lines` is a generator: it reads one line, validates it as an
:class:`~clusterpolicy.input.decree535_form.Application`, evaluates it under one pack and yields a
:class:`BatchItem`, keeping nothing of the applications before it. ``clusterpolicy evaluate
--jsonl FILE`` (or ``-`` for standard input) writes each item as one line of JSON.

**Errors, line by line.** A line that is not valid JSON, or not a valid application, does not
stop the batch: its item carries the library's located error (the source name, the line
number in the input, the field path and what was expected, as for a file) instead of a result,
and the next line is read. A registry batch of 100,000 applications should not be lost to one
bad record, and every bad record should be told with its line. Blank lines are skipped (their
numbers still count). The CLI exits with 2 when any line was an error, else 1 when any
application has findings, else 0. A wrong argument (an unknown pack, ``lang``) is a
:class:`~clusterpolicy.core.errors.UsageError` raised before the first line is read.

Each line is read as strictly as a ``.json`` file (duplicate keys, NaN, nesting and size
limits: :func:`clusterpolicy.core.sources.parse_json`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from functools import partial
from typing import Any, Iterable, Iterator

from .checks.results import ApplicationResult, _default
from .core.errors import ClusterPolicyError, InputError, Location
from .core.i18n import LANGUAGES, Language
from .core.record import HeldInput, _context, sealed_data, validated_in_order
from pydantic import ValidationError

from .core.sources import _SURROGATE, _SURROGATE_ESCAPE, MAX_BYTES, MAX_ITEMS, MAX_NODES, Document, decode_utf8, parse_json, validate
from .evaluation import _check_explain, _evaluate, _recorded_fresh, choose_pack_for, gc_paused
from .input.decree535_form import Application, Competition


@dataclass(frozen=True)
class BatchItem:
    """One line of a batch: its number, and either its result or the error that line caused."""

    line: int
    result: ApplicationResult | None = None
    error: ClusterPolicyError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready item: the result as ``evaluate --format json`` writes it, or the error.

        Each text of a result is in its language, and the record's digest is over exactly this dump."""
        if self.result is not None:
            return sealed_data(self.result, _context(self.result))
        assert self.error is not None
        return {"line": self.line, "error": self.error.to_dict()}

    def to_json_line(self) -> str:
        """The item as one line of JSON (keys sorted, UTF-8 text), ending with a newline.

        A result's line is what ``to_json(compact=True)`` writes."""
        if self.result is not None:
            return self.result.to_json(compact=True)
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default) + "\n"


def evaluate_lines(
    lines: Iterable[str | bytes],
    *,
    competition: Competition | None = None,
    pack: Any = None,
    lang: Language = "en",
    calendar: Any = None,
    as_of: dt.date | None = None,
    source: str = "<jsonl>",
    explain: bool = True,
) -> Iterator[BatchItem]:
    """Evaluate applications given one per line (JSON Lines), yielding one :class:`BatchItem` per
    non-blank line, in order, as each is done.

    ``lines`` is any iterable of lines: an open file, ``sys.stdin``, a list, a generator. The
    pack is chosen once, as :func:`~clusterpolicy.evaluation.evaluate_competition` does, from
    ``pack``, the ``competition``'s or the one in force on ``as_of`` (required without a
    competition or a pack, since no single application decides it). ``source`` names the input
    in error locations (``source:line: field: message``). ``explain=False``: each result without
    its rules' messages, values and parameters (:func:`~clusterpolicy.evaluation.evaluate`).

    A line's application is let go as soon as the next line is asked for: an item's decision
    record keeps the line's text, and an input digest first asked for after that (a list of items
    written out at the end) reads the line again, to the same digest
    (:class:`~clusterpolicy.core.record.HeldInput`).
    """
    _check_explain(explain)
    chosen, warnings = _choose(pack, competition, as_of, lang)
    for number, raw in enumerate(lines, start=1):
        try:
            application = _read_line(raw, number, source, ordered=True)
        except ClusterPolicyError as exc:
            yield BatchItem(number, error=exc)
            continue
        if application is None:  # a blank line
            continue
        held = HeldInput(application, partial(_read_line, raw, number, source, True))
        with gc_paused():
            result = _recorded_fresh(_evaluate(application, competition, chosen, lang, calendar, warnings, explain), chosen, application, competition, held)
        del application  # held keeps it while the item is the stream's latest
        yield BatchItem(number, result=result)
        held.release()  # the next line is asked for: this line's application goes now, not after the next is read


def _choose(pack: Any, competition: Competition | None, as_of: dt.date | None, lang: Language) -> tuple[Any, list[str]]:
    """The one pack of the batch (chosen before the first line is read), with its warnings."""
    from .core.errors import UsageError
    from .packs import RulePack, choose_pack, load_pack

    if competition is not None:
        return choose_pack_for(pack, competition=competition, as_of=as_of, lang=lang)
    if lang not in LANGUAGES:
        raise UsageError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r:.60}", code="bad_argument")
    if as_of is not None and not isinstance(as_of, dt.date):
        raise UsageError(f"as_of must be a datetime.date, not {type(as_of).__name__}", code="bad_argument")
    if isinstance(pack, RulePack):
        return pack, []
    if pack is not None and not isinstance(pack, str):
        raise UsageError(f"pack must be a pack id or a RulePack, not {type(pack).__name__}", code="bad_argument")
    if as_of is not None:
        return choose_pack(as_of, pack, lang=lang)
    if pack is not None:
        return load_pack(pack), []
    raise UsageError(
        "a batch is evaluated under one pack: give a pack, a competition or as_of (the day whose pack is in force)",
        code="bad_argument",
    )


def read_line(raw: str | bytes, line: int, source: str = "<jsonl>") -> Application | None:
    """One line of JSON Lines as an :class:`Application` (None for a blank line); every error is
    located at ``source:line`` (and the field path), as for a ``.json`` file.

    A plain line is read by ``json.loads`` and validated once (:func:`_read_plain`); a line that
    holds anything :func:`~clusterpolicy.core.sources.parse_json` refuses or has to look at
    closely (a duplicate key, NaN, a huge number, a surrogate escape, more values than the
    limit, a list that may be longer than its limit), or that does not validate, is read again by ``parse_json`` and
    :func:`~clusterpolicy.core.sources.validate`, so that its error is exactly the one a
    ``.json`` file gets.
    """
    return _read_line(raw, line, source, False)


def _read_line(raw: str | bytes, line: int, source: str, ordered: bool) -> Application | None:
    """:func:`read_line`; ``ordered``: a plain line's models validated in canonical order
    (:func:`~clusterpolicy.core.record.validated_in_order`: the same values, at the same cost, whose
    input digest pydantic then writes in one pass)."""
    try:
        if len(raw) > MAX_BYTES:
            raise InputError(f"line is longer than the limit of {MAX_BYTES} bytes", code="too_large")
        text = decode_utf8(raw, source) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
        if not text.strip():
            return None
        application = _read_plain(text, ordered)
        if application is not None:
            return application
        document = parse_json(text, source)
        if not isinstance(document.data, dict):
            kind = type(document.data).__name__ if document.data is not None else "nothing"
            raise InputError(f"expected a mapping of fields, found {kind}", code="model_type")
    except InputError as exc:
        path = exc.location.path if exc.location else ()
        raise InputError(exc.message, location=Location(source, line, path), code=exc.code) from None
    return validate(Application, Document(document.data, source, {(): line}))


class _Closer(Exception):
    """The line needs the strict reader (``parse_json``)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Closer
    return result


def _constant(name: str) -> Any:
    raise _Closer


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Closer
    return value


def _read_plain(text: str, ordered: bool) -> Application | None:
    """The application of a line that needs no close look, or None. A validated Application is
    never nested near the depth limit (its model is a few levels deep and has no free-form
    field), so only the value count is bounded here, by the text's punctuation."""
    if _SURROGATE.search(text) or _SURROGATE_ESCAPE.search(text):
        return None
    commas = text.count(",")
    if commas >= MAX_ITEMS or commas + text.count(":") + text.count("[") + text.count("{") + 1 > MAX_NODES:
        return None  # possibly a list or a document over the limits: parse_json says which
    try:
        data = json.loads(text, object_pairs_hook=_unique, parse_constant=_constant, parse_float=_finite)
    except (_Closer, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        return validated_in_order(Application, data) if ordered else Application.model_validate(data)
    except ValidationError:
        return None


def run_jsonl(
    path: str, out: Any, *, pack: Any = None, lang: Language = "en", as_of: dt.date | None = None, explain: bool = True
) -> int:
    """``clusterpolicy evaluate --jsonl PATH``: every line's item written to ``out`` as it is done.

    Returns the exit code: 2 if a line was an error, else 1 if an application has findings, else 0.
    """
    import sys

    errors = findings = False
    handle: Any
    if path == "-":
        handle, source = sys.stdin.buffer, "<stdin>"
    else:
        try:
            handle, source = open(path, "rb"), path  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            raise InputError("file not found", location=Location(path), code="file_not_found") from None
        except IsADirectoryError:
            raise InputError("is a folder, expected a JSON Lines file", location=Location(path), code="not_a_file") from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", location=Location(path), code="unreadable") from None
    try:
        for item in evaluate_lines(handle, pack=pack, lang=lang, as_of=as_of, source=source, explain=explain):
            errors = errors or item.error is not None
            findings = findings or (item.result is not None and item.result.status not in ("admitted", "withdrawn"))
            out.write(item.to_json_line())
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    return 2 if errors else 1 if findings else 0
