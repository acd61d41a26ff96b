"""Rule kinds: a small set of declarative checks, composed in YAML, never ``eval``'d.

A rule (one entry of a ``rules:`` list in a pack) has a stable id, a citation, a severity,
the stages it applies to, an optional ``when`` condition, a ``check`` of one of the kinds
below, and a failure message in kk/ru/en whose ``{placeholders}`` are filled with the values
the check looked at and the parameters it used.

Check kinds:

``value_in_set``       a field's value is one of ``allowed``
``condition``          a condition (``field``/``equals``/``in``/``all``/``any``/``not``) holds
``all_stated``         every listed field is stated as true (a section and its items present)
``document_required``  the application lists a document of ``document`` kind
``count_at_least``     at least ``minimum`` items of a collection match ``where``
``number_between``     a number lies within ``minimum``..``maximum``
``each_item_has``      every item of a collection states every listed element
``on_time``            a timestamp is no later than a deadline (a date-only deadline: its whole day)
``within_term``        a date falls within a term after another, counted on the working calendar
``unaffiliated_legal_entities``  the affiliation count of criteria 1.1 reaches ``minimum``
``each_item_complete`` every item states every (dotted) field of each element, and its yearly rows
``all_listed``         every matching item of a collection is a row of another list (by key or name)
``same_value``         two fields state the same value
``covers_values``      the items of a collection take each of some values in a field

A value in a check may be a literal or ``{param: name}``, a named parameter of the pack.
Outcomes: ``passed``, ``failed``, ``not_applicable`` (wrong stage, or ``when`` is false), and
``unknown`` when the data the check needs is not stated: never a guess.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Iterator, Literal, Union

from pydantic import BaseModel, Field, model_validator

from ..core.errors import RulePackError
from ..core.i18n import Text
from ..core.law import Citation, ParamRef, Strict, Value
from ..calendar.terms import cutoff, due_date
from ..core.tz import ALMATY
from ..core.sources import Document, validate
from ..core.tz import ALMATY
from ..identifiers.names import RowIndex
from .affiliation import count_unaffiliated_legal_entities_json, normalise_name

Outcome = Literal["passed", "failed", "not_applicable", "unknown"]
Severity = Literal["disqualifying", "return", "warning", "info"]


# --------------------------------------------------------------------------- conditions


class Condition(Strict):
    """A declarative test on the application's fields; true, false, or unknown (not stated)."""

    field: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    stated: bool | None = Field(None, description="true: the field is stated; false: it is not.")
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        combinators = [self.all is not None, self.any is not None, self.not_ is not None]
        if sum(combinators) + (self.field is not None) != 1:
            raise ValueError("a condition has exactly one of: field, all, any, not")
        if self.field is not None:
            tests = [self.equals is not None, self.in_ is not None, self.stated is not None]
            if sum(tests) != 1:
                raise ValueError("a field condition has exactly one of: equals, in, stated")
        return self

    def evaluate(self, root: Any) -> bool | None:
        if self.all is not None:
            return _all(c.evaluate(root) for c in self.all)
        if self.any is not None:
            return _any(c.evaluate(root) for c in self.any)
        if self.not_ is not None:
            value = self.not_.evaluate(root)
            return None if value is None else not value
        value = resolve(root, self.field)
        if self.stated is not None:
            return (value is not None) == self.stated
        value = value.value if isinstance(value, Enum) else value
        if value is None:
            return None
        if self.in_ is not None:
            return value in self.in_
        return value == self.equals

    def fields(self) -> Iterator[str]:
        if self.field is not None:
            yield self.field
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            yield from child.fields()


def _all(values: Iterator[bool | None]) -> bool | None:
    values = list(values)
    if False in values:
        return False
    return None if None in values else True


def _any(values: Iterator[bool | None]) -> bool | None:
    values = list(values)
    if True in values:
        return True
    return None if None in values else False


# --------------------------------------------------------------------------- reading fields


class Context:
    """What a rule can look at: ``application.*`` (the default root) and ``competition.*``."""

    def __init__(self, application: Any, competition: Any = None, *, calendar: Any = None) -> None:
        self.application = application
        self.competition = competition
        self.calendar = calendar


def resolve(root: Any, path: str) -> Any:
    """The value at a dotted path; ``None`` when any step is missing."""
    if isinstance(root, Context):
        in_competition, parts = _steps(path)
        root = root.competition if in_competition else root.application
    else:
        parts = _split_path(path)
    value = root
    for part in parts:
        if value is None:
            return None
        if isinstance(value, list):
            index = int(part) if part.isascii() and part.isdigit() else len(value)  # '٣' and '³' are not indices
            value = value[index] if index < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


@lru_cache(maxsize=None)
def _steps(path: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a path reads the competition, and its steps below the root (parsed once)."""
    head, _, rest = path.partition(".")
    if head == "competition":
        return True, _split_path(rest)
    return False, _split_path(rest if head == "application" else path)


@lru_cache(maxsize=None)
def _split_path(path: str) -> tuple[str, ...]:
    return tuple(path.split(".")) if path else ()


_ALREADY_PLAIN = frozenset({str, int, bool, type(None), dict, Decimal})


def plain(value: Any) -> Any:
    """A JSON-friendly form of a value, for conditions, observed values and messages."""
    if type(value) in _ALREADY_PLAIN:  # the common case, decided without the checks below
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


_SIZED = (str, list, dict, tuple)


def is_stated(value: Any) -> bool:
    """Given and not empty ("", [] and {} state nothing)."""
    if isinstance(value, _SIZED):
        return len(value) > 0
    return value is not None


# --------------------------------------------------------------------------- check kinds


class Verdict:
    """What a check found: the outcome and the values it looked at, already JSON-friendly
    (each check passes what it read from the application through :func:`plain`)."""

    __slots__ = ("outcome", "observed")

    def __init__(self, outcome: Outcome, **observed: Any) -> None:
        self.outcome, self.observed = outcome, observed


class CheckBase(Strict):
    reports: ClassVar[frozenset[str]] = frozenset()
    """The keys :meth:`run` may put into its verdict: what a rule's message may use as ``{placeholders}``
    (besides the parameters the rule uses). A test runs every kind and keeps this in step."""

    def run(self, context: Context, params: Params) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError

    def parameter_names(self) -> Iterator[str]:
        for value in self.__dict__.values():
            if isinstance(value, ParamRef):
                yield value.param


class Params:
    """Resolves ``{param: name}`` values and remembers which parameters a check used."""

    def __init__(self, pack: Any) -> None:
        self.pack, self.used = pack, {}

    def __call__(self, value: Value) -> Any:
        if isinstance(value, ParamRef):
            resolved = self.pack.parameter(value.param)
            self.used[value.param] = resolved
            return resolved
        return value


class ValueInSet(CheckBase):
    kind: Literal["value_in_set"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "allowed"})
    field: str
    allowed: Value

    def run(self, context: Context, params: Params) -> Verdict:
        value, allowed = plain(resolve(context, self.field)), params(self.allowed)
        if value is None:  # not stated: unknown, unless ``allowed`` lists null (not stated is allowed)
            return Verdict("passed" if None in allowed else "unknown", value=None, allowed=allowed)
        return Verdict("passed" if value in allowed else "failed", value=value, allowed=allowed)


class ConditionCheck(CheckBase):
    kind: Literal["condition"]
    reports: ClassVar[frozenset[str]] = frozenset({"values"})
    condition: Condition

    def run(self, context: Context, params: Params) -> Verdict:
        values = {field: plain(resolve(context, field)) for field in self.condition.fields()}
        result = self.condition.evaluate(context)
        outcome: Outcome = "unknown" if result is None else ("passed" if result else "failed")
        return Verdict(outcome, values=values)


class AllStated(CheckBase):
    kind: Literal["all_stated"]
    reports: ClassVar[frozenset[str]] = frozenset({"missing", "not_stated", "checked"})
    base: str | None = Field(None, description="Path the fields are relative to, e.g. concept.conditions.")
    fields: list[str] = Field(min_length=1)

    def run(self, context: Context, params: Params) -> Verdict:
        missing, not_stated = [], []
        base = resolve(context, self.base) if self.base else context
        for field in self.fields:
            value = None if base is None else resolve(base, field)
            if value is None:
                not_stated.append(field)
            elif value is False or not is_stated(value):
                missing.append(field)
        outcome: Outcome = "failed" if missing else ("unknown" if not_stated else "passed")
        return Verdict(outcome, missing=missing, not_stated=not_stated, checked=len(self.fields))


class DocumentRequired(CheckBase):
    kind: Literal["document_required"]
    reports: ClassVar[frozenset[str]] = frozenset({"document", "documents_listed"})
    document: str

    def run(self, context: Context, params: Params) -> Verdict:
        kinds = {plain(doc.kind) for doc in resolve(context, "documents") or []}
        outcome: Outcome = "passed" if self.document in kinds else "failed"
        return Verdict(outcome, document=self.document, documents_listed=sorted(kinds))


class CountAtLeast(CheckBase):
    kind: Literal["count_at_least"]
    reports: ClassVar[frozenset[str]] = frozenset({"count", "minimum", "matching", "undecided"})
    collection: str
    where: Condition | None = None
    minimum: Value

    def run(self, context: Context, params: Params) -> Verdict:
        items = resolve(context, self.collection) or []
        minimum = params(self.minimum)
        if self.where is None:
            matches, undecided = list(items), 0
        else:
            verdicts = [self.where.evaluate(item) for item in items]
            matches = [item for item, verdict in zip(items, verdicts) if verdict]
            undecided = verdicts.count(None)
        count = len(matches)
        ids = [getattr(item, "id", index) for index, item in enumerate(matches)]
        if count >= minimum:
            outcome: Outcome = "passed"
        elif count + undecided >= minimum:
            outcome = "unknown"
        else:
            outcome = "failed"
        return Verdict(outcome, count=count, minimum=minimum, matching=ids, undecided=undecided)


class NumberBetween(CheckBase):
    kind: Literal["number_between"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "minimum", "maximum"})
    field: str
    minimum: Value = None
    maximum: Value = None

    def run(self, context: Context, params: Params) -> Verdict:
        value = resolve(context, self.field)
        low, high = params(self.minimum), params(self.maximum)
        if value is None:
            return Verdict("unknown", value=None, minimum=low, maximum=high)
        inside = (low is None or value >= low) and (high is None or value <= high)
        return Verdict("passed" if inside else "failed", value=plain(value), minimum=low, maximum=high)


class EachItemHas(CheckBase):
    kind: Literal["each_item_has"]
    reports: ClassVar[frozenset[str]] = frozenset({"items", "incomplete"})
    collection: str
    elements: dict[str, list[Annotated[str, Field(pattern=r"^[a-z_]+$")]]] = Field(
        min_length=1, description="Element name -> fields of the item (plain names), any of which states it."
    )

    def run(self, context: Context, params: Params) -> Verdict:
        items = resolve(context, self.collection)
        if items is None:
            return Verdict("unknown", items=0, incomplete={})
        incomplete = {}
        elements = list(self.elements.items())
        for index, item in enumerate(items):
            values = item if isinstance(item, dict) else vars(item)  # models keep their fields in __dict__
            lacking = []
            for element, fields in elements:
                for field in fields:  # is_stated, inlined: this loop runs items x elements times
                    value = values.get(field)
                    if value is not None and (not isinstance(value, _SIZED) or len(value) > 0):
                        break
                else:
                    lacking.append(element)
            if lacking:
                incomplete[str(getattr(item, "id", index))] = lacking
        return Verdict("failed" if incomplete else "passed", items=len(items), incomplete=incomplete)


class OnTime(CheckBase):
    kind: Literal["on_time"]
    reports: ClassVar[frozenset[str]] = frozenset({"timestamp", "deadline", "late_by", "cutoff"})
    timestamp: str
    deadline: str
    date_only_cutoff: Value = Field(
        "end_of_day",
        description=(
            "A deadline given as a date only: open to the end of that day (end_of_day, 24:00 "
            "Asia/Almaty) or to the close of business of the organisation (close_of_business)."
        ),
    )
    close_of_business: Value = Field("18:00", description="HH:MM, Asia/Almaty, for date_only_cutoff: close_of_business.")

    def run(self, context: Context, params: Params) -> Verdict:
        moment, deadline = resolve(context, self.timestamp), resolve(context, self.deadline)
        if moment is None or deadline is None:
            return Verdict("unknown", timestamp=plain(moment), deadline=plain(deadline))
        observed = {"timestamp": plain(moment), "deadline": plain(deadline)}
        timed = isinstance(moment, dt.datetime)
        if not timed:  # an act known by its day only
            if isinstance(deadline, dt.datetime):
                deadline_day = deadline.astimezone(ALMATY).date()
                if moment == deadline_day:  # the same day as a timed deadline: which side is not known
                    return Verdict("unknown", **observed)
                deadline = deadline_day
            if moment > deadline:
                return Verdict("failed", late_by=str(moment - deadline), **observed)
            return Verdict("passed", **observed)
        if isinstance(deadline, dt.datetime):  # a moment: the act is late after it
            late_by = moment - deadline
            late = late_by.total_seconds() > 0
        else:  # a day: its whole day is open (to 24:00, or to the close of business)
            limit = _day_cutoff(deadline, params(self.date_only_cutoff), params(self.close_of_business))
            observed["cutoff"] = plain(limit)
            late_by = moment - limit
            late = late_by.total_seconds() >= 0
        if late:
            return Verdict("failed", late_by=str(late_by), **observed)
        return Verdict("passed", **observed)


def _day_cutoff(day: dt.date, how: Any, close_of_business: Any) -> dt.datetime:
    """The instant from which an act due on ``day`` is late (``calendar.terms.cutoff``)."""
    if how not in ("end_of_day", "close_of_business"):
        raise ValueError(f"date_only_cutoff is {how!r}, not end_of_day or close_of_business")
    try:
        closes = dt.time.fromisoformat(str(close_of_business))
    except ValueError:
        raise ValueError(f"close_of_business is {close_of_business!r}, not a time HH:MM") from None
    return cutoff(day, at_organisation=how == "close_of_business", close_of_business=closes)


class WithinTerm(CheckBase):
    kind: Literal["within_term"]
    reports: ClassVar[frozenset[str]] = frozenset({"start", "end", "due", "amount", "unit", "calendar_warnings"})
    start: str
    end: str
    amount: Value
    unit: Value

    def run(self, context: Context, params: Params) -> Verdict:
        start, end = resolve(context, self.start), resolve(context, self.end)
        amount, unit = params(self.amount), params(self.unit)
        if start is None or end is None:
            return Verdict("unknown", start=plain(start), end=plain(end), amount=amount, unit=unit)
        due = due_date(start, amount, unit, calendar=context.calendar)
        outcome: Outcome = "passed" if end <= due.date else "failed"
        observed = {"start": plain(start), "end": plain(end), "due": plain(due.date), "amount": amount, "unit": unit}
        if due.warnings:
            observed["calendar_warnings"] = [warning.model_dump(mode="json") for warning in due.warnings]
        return Verdict(outcome, **observed)


class UnaffiliatedLegalEntities(CheckBase):
    kind: Literal["unaffiliated_legal_entities"]
    reports: ClassVar[frozenset[str]] = frozenset(
        {"count", "minimum", "affiliation", "count_connected_components", "count_independent_set", "deciding"}
    )
    minimum: Value
    ownership_threshold_percent: Value
    include_shared_officials: Value = True
    grouping: Value = "connected_components"

    def run(self, context: Context, params: Params) -> Verdict:
        minimum = params(self.minimum)
        result = count_unaffiliated_legal_entities_json(
            resolve(context, "participants") or [],
            ownership_threshold_percent=Decimal(str(params(self.ownership_threshold_percent))),
            include_shared_officials=params(self.include_shared_officials),
            grouping=params(self.grouping),
        )
        low, high = result["count_certain"], result["count_if_all_unknown_counted"]
        if low >= minimum:
            outcome: Outcome = "passed"
        elif high >= minimum:
            outcome = "unknown"
        else:
            outcome = "failed"
        both = {name: _count_text(count) for name, count in result["counts"].items()}
        return Verdict(
            outcome,
            count=low,
            minimum=minimum,
            affiliation=result,
            count_connected_components=both["connected_components"],
            count_independent_set=both["independent_set"],
            deciding=result["grouping"],
        )


def _count_text(count: dict[str, Any]) -> int | str:
    """A count as the explanation shows it: the number, or "low–high" while it is not settled
    (unverified legal entities, or a largest set not proven within the search budget)."""
    low, high = count["count_certain"], count["upper_bound"]
    return low if low == high else f"{low}–{high}"


# --------------------------------------------------------------------------- kinds of the contents of documents
# (Appendix 2 §7 cards, the Appendix 3 table, the Appendix 6 strategies: which provisions use them is the pack's)


def _text_key(value: Any) -> Any:
    """A name as two documents may write it differently: case, spaces and the kind of quotes ignored."""
    if not isinstance(value, str):
        return value
    for quote in "«»\"“”„'":
        value = value.replace(quote, "")
    return normalise_name(value)


def _year_of(value: Any) -> int | None:
    """The calendar year of a date, or of a moment in Almaty time (where the act is done)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(ALMATY).year if value.tzinfo is not None else value.year
    return value.year if isinstance(value, dt.date) else None


class EachItemComplete(CheckBase):
    """Every item of a collection states every field of every element (dotted paths below the item,
    all of them required), and, with ``years``, has a row of ``yearly_list`` for each of those years
    stating every ``yearly_fields``. ``years`` is a list of years, or a number N: the N full calendar
    years before the year of ``years_before`` (a date of the application). With ``not_before`` (a
    date of the item), the years up to and including that date's year are not asked."""

    kind: Literal["each_item_complete"]
    reports: ClassVar[frozenset[str]] = frozenset({"items", "lacking", "years"})
    collection: str
    elements: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], list[str]] = Field(min_length=1)
    years: Value = None
    years_before: str | None = None
    yearly_list: str | None = None
    year_field: str = "year"
    yearly_fields: list[str] = Field(default_factory=list)
    not_before: str | None = None
    years_due: Value = None
    """With ``years`` a number N: the day (``MM-DD``) by which a year's annual figures are due in
    the next year. The N years then end with the last year whose figures were due before the
    date of ``years_before`` (without it, with the year before that date's year)."""

    def required_years(self, context: Context, params: Params) -> list[int] | None:
        years = params(self.years)
        if years is None:
            return []
        if isinstance(years, list):
            return sorted(years)
        anchor = resolve(context, self.years_before) if self.years_before else None
        year = _year_of(anchor)
        if year is None:
            return None
        last = year - 1
        due = params(self.years_due)
        if due is not None:
            day = anchor.astimezone(ALMATY).date() if isinstance(anchor, dt.datetime) and anchor.tzinfo else (
                anchor.date() if isinstance(anchor, dt.datetime) else anchor
            )
            month, day_of_month = (int(part) for part in str(due).split("-"))
            if not dt.date(year, month, day_of_month) < day:
                last -= 1
        return list(range(last - years + 1, last + 1))

    def run(self, context: Context, params: Params) -> Verdict:
        items = resolve(context, self.collection)
        years = self.required_years(context, params)
        if items is None or years is None:
            return Verdict("unknown", items=0, lacking={}, years=years)
        lacking: dict[str, list[str]] = {}
        for index, item in enumerate(items):
            missing = [name for name, paths in self.elements.items() if not all(is_stated(resolve(item, path)) for path in paths)]
            if years and self.yearly_list:
                founded = _year_of(resolve(item, self.not_before)) if self.not_before else None
                rows = {getattr(row, self.year_field, None): row for row in resolve(item, self.yearly_list) or []}
                for year in years:
                    if founded is not None and year <= founded:
                        continue
                    row = rows.get(year)
                    if row is None or not all(is_stated(resolve(row, name)) for name in self.yearly_fields):
                        missing.append(str(year))
            if missing:
                lacking[str(getattr(item, "id", None) or getattr(item, "number", None) or index)] = missing
        return Verdict("failed" if lacking else "passed", items=len(items), lacking=lacking, years=years)


class AllListed(CheckBase):
    """Every item of ``collection`` that matches ``where`` is a row of ``among``: the same value of a
    key of ``by`` (tried in order). A ``name`` is compared as :func:`identifiers.names.name_key`
    reads it: the legal form in kk, ru or en, short or in full words, before or after the name,
    in any quotes and case (a form stated on one side only does not part them). The rows no item
    matched are reported beside the items not listed, so that both spellings are seen."""

    kind: Literal["all_listed"]
    reports: ClassVar[frozenset[str]] = frozenset({"not_listed", "checked", "unmatched_rows"})
    collection: str
    where: Condition | None = None
    among: str
    by: list[Annotated[str, Field(pattern=r"^[a-z_]+$")]] = Field(min_length=1)

    def run(self, context: Context, params: Params) -> Verdict:
        items, rows = resolve(context, self.collection) or [], resolve(context, self.among)
        if rows is None:
            return Verdict("unknown", not_listed=[], checked=0, unmatched_rows=[])
        index, matched_rows = RowIndex(list(rows), self.by), set()
        checked, not_listed, undecided = 0, [], False
        for item in items:
            verdict = True if self.where is None else self.where.evaluate(item)
            if verdict is None:
                undecided = True
            if not verdict:
                continue
            checked += 1
            found = index.find(item)
            if found is None:
                not_listed.append(getattr(item, "name", None) or getattr(item, "id", None))
            else:
                matched_rows.add(found)
        unmatched = [getattr(row, "name", None) for index, row in enumerate(rows) if index not in matched_rows]
        outcome: Outcome = "failed" if not_listed else ("unknown" if undecided else "passed")
        return Verdict(outcome, not_listed=not_listed, checked=checked, unmatched_rows=[name for name in unmatched if name])


class SameValue(CheckBase):
    """Two fields state the same value (texts compared without case, spaces and quotes)."""

    kind: Literal["same_value"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "other"})
    field: str
    other: str

    def run(self, context: Context, params: Params) -> Verdict:
        value, other = plain(resolve(context, self.field)), plain(resolve(context, self.other))
        if value is None or other is None:
            return Verdict("unknown", value=value, other=other)
        return Verdict("passed" if _text_key(value) == _text_key(other) else "failed", value=value, other=other)


class CoversValues(CheckBase):
    """The items of a collection take, in ``field``, each value of ``values`` at least once."""

    kind: Literal["covers_values"]
    reports: ClassVar[frozenset[str]] = frozenset({"uncovered", "found"})
    collection: str
    field: str = Field(pattern=r"^[a-z_]+$")
    values: Value

    def run(self, context: Context, params: Params) -> Verdict:
        items, wanted = resolve(context, self.collection), params(self.values)
        if items is None:
            return Verdict("unknown", uncovered=list(wanted), found=[])
        found = sorted({plain(resolve(item, self.field)) for item in items} - {None})
        uncovered = [value for value in wanted if value not in found]
        return Verdict("failed" if uncovered else "passed", uncovered=uncovered, found=found)


Check = Annotated[
    Union[
        ValueInSet,
        ConditionCheck,
        AllStated,
        DocumentRequired,
        CountAtLeast,
        NumberBetween,
        EachItemHas,
        OnTime,
        WithinTerm,
        UnaffiliatedLegalEntities,
        EachItemComplete,
        AllListed,
        SameValue,
        CoversValues,
    ],
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- rules


class Rule(Strict):
    """One rule of a pack."""

    id: str = Field(pattern=r"^[a-z0-9]+(\.[a-z0-9-]+)+$", description="Stable id: topic.name.")
    title: Text
    citation: Citation
    severity: Severity | ParamRef = Field(description="A severity, or {param: name} where the act leaves it to a choice.")
    stages: Annotated[list[Literal[1, 2]], Field(min_length=1)] | ParamRef = Field(
        description="The stages the rule applies at, or {param: name} where the act leaves them to a choice."
    )
    when: Condition | None = None
    check: Check
    message: Text = Field(description="Shown when the check fails; {placeholders} are observed values and parameters.")
    note: str | None = None

    def parameter_names(self) -> list[str]:
        return sorted(set(self.check.parameter_names()) | set(self.gate_parameters()))

    def gate_parameters(self) -> dict[str, str]:
        """The parameters that set this rule's severity or stages: ``{name: "severity" | "stages"}``."""
        return {value.param: key for key in ("severity", "stages") if isinstance(value := getattr(self, key), ParamRef)}

    def resolved(self, parameter: Any) -> Rule:
        """The rule with its severity and stages read from ``parameter(name)`` (a pack's values);
        a ValueError names what the parameter should hold."""
        update: dict[str, Any] = {}
        for name, key in self.gate_parameters().items():
            value = parameter(name)
            if key == "severity" and value not in ("disqualifying", "return", "warning", "info"):
                raise ValueError(f"parameter {name!r} sets the severity: one of disqualifying, return, warning, info, not {value!r}")
            if key == "stages" and (
                not isinstance(value, list) or not value or any(stage not in (1, 2) or isinstance(stage, bool) for stage in value)
            ):
                raise ValueError(f"parameter {name!r} sets the stages: a non-empty list of 1 and 2, not {value!r}")
            update[key] = list(value) if key == "stages" else value
        return self.model_copy(update=update) if update else self


class RuleFile(Strict):
    rules: list[Rule] = Field(min_length=1)


def read_rules(document: Document) -> list[tuple[Rule, int | None]]:
    """The rules of one topic file, each with the line it starts on."""
    parsed = validate(RuleFile, document, error=RulePackError)
    return [(rule, document.line_of(("rules", index))) for index, rule in enumerate(parsed.rules)]
