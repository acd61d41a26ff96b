"""Kinds on the collections of an application (participants, activities, the cards of Appendix 2 §7,
the Appendix 3 table, the Appendix 6 strategies: which provisions use them is the pack's)."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from itertools import chain, filterfalse, repeat
from operator import attrgetter, itemgetter
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from ..fields import SIZED, Condition, Context, accessor, is_stated, plain, reader, resolve, split_path, text_key
from ..form_types import ANY, field_type, is_model, item_type, unwrap
from ..params import DayOfYear, NonNegativeInt, Param, Params, ValueList, Years
from ...core import l10n
from ...core.tz import ALMATY
from ...identifiers.names import RowIndex
from ...input.regions import REGIONS
from ..patch import below, op, pointer
from ..results import Remedy
from .base import MAX_PATCH_OPS, CheckBase, FormChecker, Outcome, Runner, Verdict, Words, change, family_of, placeholder, settable, type_of


_ID = attrgetter("id")


class CountAtLeast(CheckBase):
    kind: Literal["count_at_least"]
    reports: ClassVar[frozenset[str]] = frozenset({"count", "minimum", "matching", "undecided"})
    collection: str
    where: Condition | None = None
    minimum: Param[NonNegativeInt]

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read, where, minimum_ = reader(self.collection), self.where.verdicts() if self.where is not None else None, self.minimum

        def counted(context: Context) -> tuple[list[Any], int]:
            items = read(context) or []
            if where is None:
                return list(items), 0
            verdicts = where(items)
            return [item for item, verdict in zip(items, verdicts) if verdict], verdicts.count(None)

        def decided(count: int, undecided: int, minimum: Any) -> Outcome:
            if count >= minimum:
                return "passed"
            return "unknown" if count + undecided >= minimum else "failed"

        def verdict(context: Context, params: Params) -> Verdict:
            matches, undecided = counted(context)
            minimum = params(minimum_)
            count = len(matches)
            try:  # each item's id (read in C), else its place among the matches
                ids = list(map(_ID, matches))
            except AttributeError:
                ids = [getattr(item, "id", index) for index, item in enumerate(matches)]
            return Verdict(decided(count, undecided, minimum), count=count, matching=ids, minimum=minimum, undecided=undecided)

        def outcome(context: Context, params: Params) -> str:
            matches, undecided = counted(context)
            return decided(len(matches), undecided, params(minimum_))

        return Runner(verdict, outcome)

    def check_against(self, checker: FormChecker) -> None:
        item = checker.collection(("collection",), self.collection)
        if self.where is not None:
            core = unwrap(item)
            if is_model(core):  # a dict or an undescribed item: nothing to check against
                checker.condition(("where",), self.where, core, in_context=False)

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        from .values import satisfying

        items = resolve(context, self.collection) or []
        short = params(self.minimum) - verdict.observed["count"]
        document, at = pointer(self.collection)
        if verdict.outcome == "unknown":  # items whose ``where`` is not decided: their fields
            undecided = [index for index, item in enumerate(items) if self.where.evaluate(item) is None]
            paths = [f"{self.collection}.{index}.{field}" for index in undecided for field in self.where.fields() if resolve(items[index], field) is None]
            return self.facts(paths, words)
        ops: list[dict[str, Any]] = []
        if self.where is not None:  # items that do not match yet, made to match
            for index, item in enumerate(items):
                if len(ops) >= short or self.where.evaluate(item):
                    continue
                wanted = satisfying(self.where, True, item)
                if wanted:
                    ops += [op("replace", below(at, index, *field.split(".")), plain(value), document) for field, value in wanted.items()]
                    short -= 1
        ops += [op("add", below(at, "-"), item, document) for item in new_items(self.collection, items, short)]
        text = words.t(
            "remedy.count_at_least", n=params(self.minimum) - verdict.observed["count"], collection=words.label(self.collection),
            minimum=params(self.minimum), count=verdict.observed["count"],
        )
        return change(text, ops, finding=words.t("remedy.count_at_least.finding", collection=words.label(self.collection),
                                                 minimum=params(self.minimum), count=verdict.observed["count"]))


class EachItemHas(CheckBase):
    kind: Literal["each_item_has"]
    reports: ClassVar[frozenset[str]] = frozenset({"items", "incomplete"})
    collection: str
    elements: dict[str, Annotated[list[Annotated[str, Field(pattern=r"^[a-z_]+$")]], Field(min_length=1)]] = Field(
        min_length=1, description="Element name -> fields of the item (plain names), any of which states it."
    )

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read = reader(self.collection)
        # every item stating every element by its first field (the common case) is seen in C: one
        # attrgetter per item; anything else is judged field by field (:meth:`_incomplete`)
        firsts = [fields[0] for fields in self.elements.values()]
        getter = itemgetter(*firsts) if len(firsts) > 1 else None
        incomplete_of = self._incomplete

        def complete(items: Any) -> bool:
            if getter is None:
                return False
            try:  # a model keeps its fields in __dict__, read as the loop of _incomplete reads them
                return all(map(all, map(getter, map(vars, items))))
            except (TypeError, KeyError):  # an item that is a dict, or lacks a field: field by field
                return False

        def verdict(context: Context, params: Params) -> Verdict:
            items = read(context)
            if items is None:
                return Verdict("unknown", incomplete={}, items=0)
            incomplete = {} if complete(items) else incomplete_of(items)
            return Verdict("failed" if incomplete else "passed", incomplete=incomplete, items=len(items))

        def outcome(context: Context, params: Params) -> str:
            items = read(context)
            if items is None:
                return "unknown"
            return "passed" if complete(items) or not incomplete_of(items) else "failed"

        return Runner(verdict, outcome)

    def _incomplete(self, items: Any) -> dict[str, list[str]]:
        """Item id (or index) -> the elements it does not state."""
        incomplete = {}
        elements = list(self.elements.items())
        for index, item in enumerate(items):
            values = item if isinstance(item, dict) else vars(item)  # models keep their fields in __dict__
            lacking = []
            for element, fields in elements:
                for field in fields:  # is_stated, inlined: this loop runs items x elements times
                    value = values.get(field)
                    # stated: a true value (most are), or a false one that is not empty (0, False)
                    if value or (value is not None and not isinstance(value, SIZED)):
                        break
                else:
                    lacking.append(element)
            if lacking:
                incomplete[str(getattr(item, "id", index))] = lacking
        return incomplete

    def check_against(self, checker: FormChecker) -> None:
        item = checker.collection(("collection",), self.collection)
        for element, names in self.elements.items():
            for index, name in enumerate(names):
                checker.item_field(("elements", element, index), item, name)

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([self.collection], words)
        items = resolve(context, self.collection) or []
        document, at = pointer(self.collection)
        incomplete = verdict.observed.get("incomplete") or {}
        ops = []
        for index, item in enumerate(items):
            for element in incomplete.get(str(getattr(item, "id", index)), []):
                field = self.elements[element][0]
                value = sibling_value(items, field)
                if value is None:
                    value = placeholder(type_of(f"{self.collection}.0.{field}"))
                ops.append(op("replace", below(at, index, field), value, document))
        return change(words.t("remedy.each_item", items=self.shown("incomplete", incomplete, words)), ops)

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key == "incomplete" and isinstance(value, dict):  # item -> the elements it lacks
            return l10n.listed(  # at most ``l10n.MAX_LISTED`` items named, then how many more
                list(value.items()), words.lang,
                lambda pair: f"{words.t('element.activity', activity=words.activity(pair[0]))}: {words.join(words.catalogue(e, 'element') for e in pair[1])}",
                "; ",
            )
        return super().shown(key, value, words)


_NONE = type(None)
_NOT_STATED_IF_FALSE = (_NONE, *SIZED)
"""The types of the false values :func:`~clusterpolicy.checks.fields.is_stated` takes as not stated
(None, and "", [], {}, () of :data:`~clusterpolicy.checks.fields.SIZED`); a false value of any other
type (0, False, a zero Decimal) is stated."""


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
    per_item: ClassVar[bool] = True
    collection: str
    elements: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], Annotated[list[str], Field(min_length=1)]] = Field(min_length=1)
    years: Param[Years] = None
    years_before: str | None = None
    yearly_list: str | None = None
    year_field: str = "year"
    yearly_fields: list[str] = Field(default_factory=list)
    not_before: str | None = None
    years_due: Param[DayOfYear] = None
    """With ``years`` a number N: the day (``MM-DD``) by which a year's annual figures are due in
    the next year. The N years then end with the last year whose figures were due before the
    date of ``years_before`` (without it, with the year before that date's year)."""

    def item_reads(self) -> set[str]:
        return {path for path in (self.years_before,) if path}

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
            if isinstance(anchor, dt.datetime):
                day = anchor.astimezone(ALMATY).date() if anchor.tzinfo is not None else anchor.date()
            else:
                day = anchor
            month, day_of_month = (int(part) for part in str(due).split("-"))
            if not dt.date(year, month, day_of_month) < day:
                last -= 1
        return list(range(last - years + 1, last + 1))

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read = reader(self.collection)
        required_years, missing_of = self.required_years, self._missing
        complete = self._complete()

        def lacking_of(items: Any, years: list[int], first: bool) -> dict[str, list[str]]:
            lacking: dict[str, list[str]] = {}
            for index, item in enumerate(items):
                if complete(item, years):  # every field and year stated, as read in C
                    continue
                missing = missing_of(item, years)
                if missing:
                    lacking[str(getattr(item, "id", None) or getattr(item, "number", None) or index)] = missing
                    if first:
                        break
            return lacking

        def verdict(context: Context, params: Params) -> Verdict:
            items = read(context)
            years = required_years(context, params)
            if items is None or years is None:
                return Verdict("unknown", items=0, lacking={}, years=years)
            lacking = lacking_of(items, years, False)
            return Verdict("failed" if lacking else "passed", items=len(items), lacking=lacking, years=years)

        def outcome(context: Context, params: Params) -> str:
            items = read(context)
            years = required_years(context, params)
            if items is None or years is None:
                return "unknown"
            return "failed" if lacking_of(items, years, True) else "passed"

        return Runner(verdict, outcome)

    def _complete(self) -> Any:
        """A test of an item that is true only where it states every field of every element and
        every yearly field of each required year, read by attrgetters (in C); false where
        :meth:`_missing` must look field by field (a value not stated, or stated but false: 0, a
        no; a dict or a list on the way; a missing row)."""
        paths = [path for paths in self.elements.values() for path in paths]
        count = len(paths)
        # the item's fields, then its rows of ``yearly_list`` and its ``not_before``, in one attrgetter
        # (an item without one of them is looked at field by field, as any the getter cannot read)
        extra = [path for path in (self.yearly_list, self.not_before) if path]
        every = [*paths, *extra]
        item_reads = attrgetter(*every) if len(every) > 1 else (lambda item, get=attrgetter(every[0]): (get(item),))
        rows_at = count if self.yearly_list else None
        founded_at = count + len(extra) - 1 if self.not_before else None
        yearly = self.yearly_fields
        row_fields = (attrgetter(*yearly) if len(yearly) > 1 else (lambda row, get=attrgetter(yearly[0]): (get(row),))) if yearly else (lambda row: ())
        year_of_row = attrgetter(self.year_field)
        date = dt.date

        def complete(item: Any, years: list[int]) -> bool:
            # is_stated of each value: given, and not an empty text, list or mapping. Not ``"" in
            # values`` and the like: a Decimal compared with a text or a list asks isinstance of
            # numbers.Rational, an ABC (1,500 such checks in one evaluation). A true value is
            # stated; of the false ones (a 0, a no: most rows of figures have one) those not stated
            # are None and the empty texts, lists and mappings: one isinstance each, in C. The
            # item's fields and its rows' are read together (``years`` is sorted: those up to the
            # year of ``not_before`` are a prefix)
            try:
                read = item_reads(item)
                values = read[:count] if extra else read
                if years and rows_at is not None:
                    if founded_at is None:
                        asked = years
                    else:
                        founded = read[founded_at]
                        founded = founded.year if type(founded) is date else _year_of(founded)
                        asked = years if founded is None else years[bisect_right(years, founded):]
                    rows = read[rows_at] or []
                    by_year = dict(zip(map(year_of_row, rows), rows))
                    found = list(map(by_year.get, asked))
                    if _NONE in map(type, found):  # a year without its row
                        return False
                    values = [*values, *chain.from_iterable(map(row_fields, found))]
                return all(values) or not any(map(isinstance, filterfalse(None, values), repeat(_NOT_STATED_IF_FALSE)))
            except (AttributeError, TypeError):  # a dict or a list on the way: field by field
                return False

        return complete

    def _missing(self, item: Any, years: list[int]) -> list[str]:
        """The elements (and years) ``item`` does not state, in order, read field by field."""
        # the paths split once per path and process, the loops inlined (no call per field): this
        # check reads every field of every item and year; a step through a model is one getattr
        elements = [(name, [split_path(path) for path in paths]) for name, paths in self.elements.items()]
        yearly = self.yearly_fields
        year_field = self.year_field
        rows_of = accessor(self.yearly_list) if years and self.yearly_list else None
        founded_of = accessor(self.not_before) if self.not_before else None
        missing = []
        for name, paths in elements:
            for steps in paths:
                value = item
                for step in steps:
                    if value is None:
                        break
                    if isinstance(value, (dict, list)):
                        value = resolve(value, step)
                    else:
                        value = getattr(value, step, None)
                if not value and (value is None or isinstance(value, SIZED)):  # not stated
                    missing.append(name)
                    break
        if rows_of is not None:
            founded = _year_of(founded_of(item)) if founded_of is not None else None
            rows = {getattr(row, year_field, None): row for row in rows_of(item) or []}
            for year in years:
                if founded is not None and year <= founded:
                    continue
                row = rows.get(year)
                if row is None:
                    missing.append(str(year))
                    continue
                for field in yearly:
                    value = row.get(field) if isinstance(row, dict) else getattr(row, field, None)
                    if not value and (value is None or isinstance(value, SIZED)):
                        missing.append(str(year))
                        break
        return missing

    def check_against(self, checker: FormChecker) -> None:
        item = checker.collection(("collection",), self.collection)
        core = unwrap(item)
        for element, names in self.elements.items():
            for index, name in enumerate(names):
                checker.below(("elements", element, index), core, name)
        for key in ("not_before", "yearly_list"):
            if getattr(self, key) is not None:
                checker.below((key,), core, getattr(self, key))
        if self.years_before is not None:
            checker.path(("years_before",), self.years_before)
        if self.yearly_list is not None:
            row = unwrap(item_type(field_type(core, self.yearly_list, in_context=False)) if is_model(core) else ANY)
            for index, name in enumerate([self.year_field, *self.yearly_fields]):
                checker.below(("yearly_fields", index) if index else ("year_field",), row, name)

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([path for path in (self.collection, self.years_before) if path and resolve(context, path) is None], words)
        items = resolve(context, self.collection) or []
        document, at = pointer(self.collection)
        lacking = verdict.observed.get("lacking") or {}
        ops: list[dict[str, Any]] = []
        # what another item states is the same for every item lacking it: looked up once per path
        # (per item it was quadratic: 12,000 participants lacking their cards took minutes)
        known: dict[Any, Any] = {}

        def sibling(path: str) -> Any:
            if path not in known:
                known[path] = sibling_value(items, path)
            return known[path]

        def made_up(path: str) -> Any:  # a placeholder of the path's type, made once per path
            if ("placeholder", path) not in known:
                known["placeholder", path] = placeholder(type_of(f"{self.collection}.0.{path}"))
            return known["placeholder", path]

        # each element's paths read and written as pointers once, not once per item (a remedy for
        # 12,000 participants writes 200,000 operations: each is one dict and one string join)
        paths_of = {
            element: [
                (path.split(".")[0], path, accessor(path), accessor(path.split(".")[0]) if "." in path else None,
                 below("", path.split(".")[0]), below("", *path.split(".")))
                for path in paths
            ]
            for element, paths in self.elements.items()
        }
        seen: set[tuple[str, str, str]] = set()  # the operations without repeats (two elements reading one path state it once)

        def add(operation: dict[str, Any]) -> None:
            key = (operation["document"], operation["path"], operation["op"])
            if key not in seen or operation["path"].endswith("/-"):
                seen.add(key)
                ops.append(operation)

        rows_below = below("", *self.yearly_list.split(".")) if self.yearly_list else ""
        rows_of = accessor(self.yearly_list) if self.yearly_list else None
        base = at.rstrip("/")
        template: list[Any] = []
        text = words.t("remedy.each_item", items=self.shown("lacking", lacking, words))
        for index, item in enumerate(items):
            key = str(getattr(item, "id", None) or getattr(item, "number", None) or index)
            wanting = lacking.get(key)
            if not wanting:
                continue
            if len(ops) > MAX_PATCH_OPS:  # a patch too long to be written: the text alone (``change``)
                return change(text, [])
            prefix = f"{base}/{index}"
            for element in wanting:
                if element.isdigit():  # a year's row of ``yearly_list``
                    if not template:
                        template.append(self._year_template(items))
                    for operation in self._year_ops(rows_of(item) or [], int(element), prefix + rows_below, document, template[0]):
                        add(operation)
                    continue
                for head, path, read, read_head, head_pointer, path_pointer in paths_of[element]:
                    if is_stated(read(item)):
                        continue
                    if read_head is not None and read_head(item) is None:  # the part it sits in is not there: take it whole
                        add({"op": "replace", "path": prefix + head_pointer, "document": document, "value": sibling(head) or made_up(head)})
                        continue
                    value = sibling(path)
                    add({"op": "replace", "path": prefix + path_pointer, "document": document,
                         "value": made_up(path) if value is None else value})
        return change(text, ops)

    def _year_template(self, items: list[Any]) -> dict[str, Any] | None:
        """The first complete row of ``yearly_list`` of any item (a missing year is filled as it is)."""
        return next((plain(row) for other in items for row in resolve(other, self.yearly_list) or []
                     if all(is_stated(resolve(row, name)) for name in self.yearly_fields)), None)

    def _year_ops(self, rows: list[Any], year: int, at: str, document: str, template: dict[str, Any] | None) -> list[dict[str, Any]]:
        """The operations that give the item whose rows of ``yearly_list`` are ``rows`` (at the
        pointer ``at``) a complete row for ``year``."""
        for position, row in enumerate(rows):
            if getattr(row, self.year_field, None) == year:
                return [
                    op("replace", below(at, position, name), (template or {}).get(name, 1), document)
                    for name in self.yearly_fields if not is_stated(resolve(row, name))
                ]
        new = {**(template or {name: 1 for name in self.yearly_fields}), self.year_field: year}
        return [op("add", at + "/-", new, document)]

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key == "lacking" and isinstance(value, dict):  # item -> its elements and years lacking
            named: dict[str, str] = {}  # each element's words, made once (not once per item)

            def element(e: str) -> str:
                if e not in named:
                    named[e] = words.t("element.year", year=e) if e.isdigit() else words.catalogue(e, "element")
                return named[e]

            return l10n.listed(  # at most ``l10n.MAX_LISTED`` items named, then how many more (all in ``observed``)
                list(value.items()), words.lang,
                lambda pair: f"{words.item(pair[0], self.collection)}: {words.join(element(e) for e in pair[1])}",
                "; ",
            )
        return super().shown(key, value, words)


class AllListed(CheckBase):
    """Every item of ``collection`` that matches ``where`` is a row of ``among``: the same value of a
    key of ``by`` (tried in order). A ``name`` is compared as :func:`identifiers.names.name_key`
    reads it: the legal form in kk, ru or en, short or in full words, before or after the name,
    in any quotes and case (a form stated on one side only does not part them). The rows no item
    matched are reported beside the items not listed, so that both spellings are seen."""

    kind: Literal["all_listed"]
    reports: ClassVar[frozenset[str]] = frozenset({"not_listed", "checked", "unmatched_rows"})
    per_item: ClassVar[bool] = True

    def item_reads(self) -> set[str]:
        return {self.among}
    collection: str
    where: Condition | None = None
    among: str
    by: list[Annotated[str, Field(pattern=r"^[a-z_]+$")]] = Field(min_length=1)

    def run(self, context: Context, params: Params) -> Verdict:
        items, rows = reader(self.collection)(context) or [], reader(self.among)(context)
        if rows is None:
            return Verdict("unknown", checked=0, not_listed=[], unmatched_rows=[])
        index, matched_rows = RowIndex(list(rows), self.by), set()
        checked, not_listed, undecided = 0, [], False
        verdicts = self.where.verdicts()(items) if self.where is not None else [True] * len(items)
        for item, verdict in zip(items, verdicts):
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
        unmatched = [getattr(row, "name", None) for number, row in enumerate(rows) if number not in matched_rows]
        outcome: Outcome = "failed" if not_listed else ("unknown" if undecided else "passed")
        return Verdict(outcome, checked=checked, not_listed=not_listed, unmatched_rows=[name for name in unmatched if name])

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        items, rows = resolve(context, self.collection) or [], resolve(context, self.among)
        if verdict.outcome == "unknown":
            if rows is None:
                return self.facts([self.among], words)
            undecided = [index for index, item in enumerate(items) if self.where is not None and self.where.evaluate(item) is None]
            return self.facts([f"{self.collection}.{index}.{field}" for index in undecided for field in self.where.fields()
                               if resolve(items[index], field) is None], words)
        not_listed = set(verdict.observed.get("not_listed") or [])
        document, at = pointer(self.among)
        row_type = type_of(f"{self.among}.0")
        ops = []
        blank = placeholder(row_type) if is_model(unwrap(row_type)) else {}  # made once; each row a copy
        for item in items:
            if (getattr(item, "name", None) or getattr(item, "id", None)) not in not_listed:
                continue
            row = dict(blank)
            row.update({key: plain(getattr(item, key)) for key in self.by if getattr(item, key, None) is not None})
            ops.append(op("add", below(at, "-"), row, document))
        # a region (other_cluster_regions) by its name in the language: «Ақмола облысы», not «akmola»
        names = sorted(words.value(name, "region") if name in REGIONS else str(name) for name in not_listed)
        text = words.t("remedy.all_listed", among=words.label(self.among), items=words.join(names))
        return change(text, settable(ops))  # rows of a list the form gathers from others: the text alone

    def check_against(self, checker: FormChecker) -> None:
        item = unwrap(checker.collection(("collection",), self.collection))
        row = unwrap(checker.collection(("among",), self.among))
        if self.where is not None and is_model(item):
            checker.condition(("where",), self.where, item, in_context=False)
        for index, name in enumerate(self.by):
            checker.below(("by", index), item, name)
            checker.below(("by", index), row, name)


class CoversValues(CheckBase):
    """The items of a collection take, in ``field``, each value of ``values`` at least once."""

    kind: Literal["covers_values"]
    reports: ClassVar[frozenset[str]] = frozenset({"uncovered", "found"})
    collection: str
    field: str = Field(pattern=r"^[a-z_]+$")
    values: Param[ValueList]

    def run(self, context: Context, params: Params) -> Verdict:
        items, wanted = resolve(context, self.collection), params(self.values)
        if items is None:
            return Verdict("unknown", found=[], uncovered=list(wanted))
        found = sorted({plain(resolve(item, self.field)) for item in items} - {None})
        uncovered = [value for value in wanted if value not in found]
        return Verdict("failed" if uncovered else "passed", found=found, uncovered=uncovered)

    def check_against(self, checker: FormChecker) -> None:
        item = unwrap(checker.collection(("collection",), self.collection))
        checker.below(("field",), item, self.field)
        value, param = checker.value(self.values)
        if is_model(item) and isinstance(value, list):
            checker.compare(("values",), field_type(item, self.field, in_context=False), value, f"{self.collection}.{self.field}", param)

    def values_family(self) -> str | None:
        return family_of(f"{self.collection}.0.{self.field}")

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([self.collection], words)
        items = resolve(context, self.collection) or []
        uncovered = verdict.observed.get("uncovered") or []
        document, at = pointer(self.collection)
        made = new_items(self.collection, items, len(uncovered))
        ops = [op("add", below(at, "-"), {**item, self.field: value}, document) for item, value in zip(made, uncovered)]
        text = words.t("remedy.covers_values", collection=words.label(self.collection), field=words.label(f"{self.collection}.{self.field}"),
                       values=words.show(uncovered, self.values_family()))
        return change(text, ops)


def sibling_value(items: list[Any], path: str) -> Any:
    """The value of ``path`` in the first item that states it (a remedy fills a gap as another item does)."""
    for item in items:
        value = resolve(item, path)
        if is_stated(value):
            return plain(value)
    return None


def new_items(collection: str, items: list[Any], n: int) -> list[dict[str, Any]]:
    """``n`` new items for ``collection``: copies of its last item (or minimal items of its type)
    with a new ``id`` and ``number`` where the items have them."""
    if n <= 0:
        return []
    template = plain(items[-1]) if items else placeholder(type_of(f"{collection}.0"))
    if not isinstance(template, dict):
        return [template] * n
    made = []
    ids = {str(getattr(item, "id", "")) for item in items}
    numbers = [getattr(item, "number", 0) for item in items]
    top = max([number for number in numbers if isinstance(number, int)] or [0])
    for count in range(1, n + 1):
        item = dict(template)
        if "id" in item:
            index = count
            while f"{item['id']}-{index}" in ids:
                index += 1
            item["id"] = f"{template['id']}-{index}"
            ids.add(item["id"])
        if isinstance(item.get("number"), int):
            item["number"] = top + count
        made.append(item)
    return made


__all__ = ["AllListed", "CountAtLeast", "CoversValues", "EachItemComplete", "EachItemHas"]
