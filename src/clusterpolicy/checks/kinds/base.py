"""The protocol every check kind implements, and what a kind is given to implement it.

A check kind is one class (a :class:`CheckBase`) that owns its whole life:

- :meth:`~CheckBase.run`: the verdict on an application (:class:`Verdict`: the outcome and the
  values it looked at, which a rule's message may use as ``{placeholders}``: ``reports``);
- :meth:`~CheckBase.check_against`: its load-time check against the form (paths, the values a
  field can take), told through a :class:`FormChecker` that locates every problem in the pack;
- :meth:`~CheckBase.not_stated`: what was missing when it could not decide (``unknown``);
- :meth:`~CheckBase.shown`: how its observed values read in a message, in a language
  (:class:`Words`: field labels, and enumeration values by the pack's words).

The values it computes with are fields typed ``Param[T]`` (:mod:`clusterpolicy.checks.params`):
the rule checker tests each against ``T``, written in the rule or given by the pack's parameter.
- :meth:`~CheckBase.remedy`: what would change a failed or unknown verdict (a :class:`Remedy`):
  a sufficient change to the input that makes the rule pass, as text and as a patch of the
  application's JSON (:mod:`clusterpolicy.checks.patch`), or the facts needed to decide it.
"""
from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Iterator, Literal, Protocol

from pydantic import BaseModel

from ..fields import compiled, plain
from ..form_types import ANY, PathProblem, choices, family, field_type, is_model, unwrap
from ..params import ParamRef, Params
from ..patch import op, pointer
from ..results import Remedy
from ...input.decree535_form import Application
from ...input.organiser import LocalText
from ...input.regions import REGIONS
from ...core import l10n
from ...core.i18n import Language
from ...core.law import Strict

Outcome = Literal["passed", "failed", "not_applicable", "unknown"]

PROTOCOL = ("run", "check_against", "not_stated", "shown", "remedy")
"""The methods every kind implements itself (a test holds each kind to them)."""


class Verdict:
    """What a check found: the outcome and the values it looked at, already JSON-friendly
    (each check passes what it read from the application through :func:`plain`)."""

    __slots__ = ("outcome", "observed")

    def __init__(self, outcome: Outcome, **observed: Any) -> None:
        self.outcome, self.observed = outcome, observed


class Runner:
    """A check compiled (:meth:`CheckBase.compiled`): ``verdict(context, params)`` is :meth:`CheckBase.run`,
    the outcome with the values a message shows; ``outcome(context, params)`` the outcome alone,
    computing nothing for an explanation (``evaluate(..., explain=False)``)."""

    __slots__ = ("verdict", "outcome")

    def __init__(self, verdict: Any, outcome: Any) -> None:
        self.verdict, self.outcome = verdict, outcome


class FormChecker(Protocol):
    """What a kind's :meth:`~CheckBase.check_against` is given (:class:`clusterpolicy.checks.rule.RuleChecker`
    below the rule's ``check``): ``where`` is a path below the check (``("field",)``), where the
    pack is blamed; a ``root`` of None is the application (``competition.`` paths its competition)."""

    form: Any
    """The model of the application (the root of a rule's paths)."""

    def fail(self, where: tuple[Any, ...], message: str, *, code: str, guess: str | None = None) -> Exception: ...

    def path(self, where: tuple[Any, ...], path: str, root: Any = None, in_context: bool = True) -> Any: ...

    def value(self, value: Any) -> tuple[Any, str | None]: ...

    def compare(self, where: tuple[Any, ...], annotation: Any, values: list[Any], field: str, param: str | None) -> None: ...

    def condition(self, where: tuple[Any, ...], condition: Any, root: Any = None, in_context: bool = True) -> None: ...

    def relative(self, where: tuple[Any, ...], base: Any, name: str) -> None: ...

    def below(self, where: tuple[Any, ...], model: Any, name: str) -> None: ...

    def collection(self, where: tuple[Any, ...], path: str) -> Any: ...

    def item_field(self, where: tuple[Any, ...], item: Any, name: str) -> None: ...


_FAMILY_KEYS = {"document_kinds": "document_kind", "applicant_types": "applicant_type"}
"""Pack vocabulary family -> catalogue prefix (used only when the pack has no word for a value)."""


class Words:
    """How a rule's values read in one language: field paths by their labels, an enumeration's
    values by the pack's words (``vocabulary.yaml``) or the catalogue's, dates as people write
    them, durations in hours and minutes, booleans as yes/no."""

    def __init__(self, lang: Language, vocabulary: Any = None, application: Any = None) -> None:
        self.lang, self.vocabulary, self.application = lang, vocabulary or {}, application
        self._participants: dict[Any, Any] | None = None

    def activity(self, activity_id: str) -> str:
        """A roadmap activity by its title (what the applicant wrote), not its id."""
        roadmap = getattr(self.application, "roadmap", None)
        for activity in getattr(roadmap, "activities", None) or []:
            if activity.id == activity_id:
                return activity.title
        return activity_id

    def item(self, item_id: str, collection: str | None = None) -> str:
        """An item of a collection as its reader names it, not by its id: a participant by its name
        and BIN, a volume by its number («папка (том) № 2»)."""
        if collection == "binding.volumes":
            return self.t("element.volume", number=item_id)
        if self._participants is None:  # by id, the first of an id (one pass, not one per item named)
            self._participants = {}
            for participant in getattr(self.application, "participants", None) or []:
                self._participants.setdefault(participant.id, participant)
        participant = self._participants.get(item_id)
        if participant is not None:
            return f"{participant.name} ({participant.bin})" if participant.bin else participant.name
        return item_id

    def label(self, path: str) -> str:
        """The label of a field path of the application."""
        return l10n.field_label(path, self.lang)

    def labels(self, paths: Any) -> str:
        return l10n.join((self.label(path) for path in paths), self.lang)

    def value(self, value: Any, family_: str | None) -> str:
        """An enumeration's value of ``family_`` (``document_kinds``, ``applicant_types``...) by its label."""
        vocabulary = self.vocabulary.get(family_) if family_ else None
        if family_ == "region" and not vocabulary and isinstance(value, str) and value in REGIONS:
            return getattr(REGIONS[value], self.lang)  # «Қарағанды облысы», not «karaganda»
        return l10n.label(value, _FAMILY_KEYS.get(family_ or "", family_ or ""), self.lang, vocabulary)

    def catalogue(self, value: Any, prefix: str) -> str:
        """A value by the catalogue's word for it (``<prefix>.<value>``), as written if it has none."""
        return l10n.label(value, prefix, self.lang)

    def show(self, value: Any, family_: str | None = None, *, labelled: bool = True) -> str:
        """A value placed into a message; a text is read as a value of ``family_`` when ``labelled``."""
        value = plain(value)
        if isinstance(value, list):  # at most ``l10n.MAX_LISTED`` items, then how many more
            return l10n.listed(value, self.lang, lambda item: self.show(item, family_, labelled=labelled))
        if isinstance(value, dict):
            return l10n.listed(list(value.items()), self.lang, lambda pair: f"{pair[0]}: {self.show(pair[1], labelled=False)}", "; ")
        if value is None:
            return "-"
        if isinstance(value, bool):
            return l10n.yes_no(value, self.lang)
        if l10n.is_duration(value):
            return l10n.duration(value, self.lang)
        if l10n.is_date(value):
            return l10n.dated(value, self.lang)  # ``{day:loc}`` in a message gives its Kazakh case ending
        if labelled and isinstance(value, str):
            return self.value(value, family_)
        return l10n.number(value, self.lang)  # a decimal comma in kk/ru

    def join(self, texts: Any) -> str:
        """Texts as a list in a message: at most ``l10n.MAX_LISTED``, then how many more."""
        return l10n.listed(texts, self.lang)

    def has(self, key: str) -> bool:
        return l10n.has(key, self.lang)

    def t(self, key: str, **values: Any) -> str:
        return l10n.t(key, self.lang, **values)


_BOUNDS = frozenset({"minimum", "maximum", "count"})
"""Observed values that are numbers as written, never an enumeration's value."""


class CheckBase(Strict):
    """A check kind: its keys are the model's fields, its values to compute with ``Param[T]``."""

    reports: ClassVar[frozenset[str]] = frozenset()
    """The keys :meth:`run` may put into its verdict: what a rule's message may use as ``{placeholders}``
    (besides the parameters the rule uses). A test runs every kind and keeps this in step."""

    per_item: ClassVar[bool] = False
    """Whether the kind judges each item of its ``collection`` on its own and passes only where every
    item does: items appended to a collection it passed leave it passing exactly where the new
    items alone pass (a remedy's patch that appends items is judged on them alone, ``also_fails``)."""

    def item_reads(self) -> set[str]:
        """The paths besides its ``collection`` a :attr:`per_item` kind reads (none may be the collection)."""
        return set()

    @classmethod
    def kind_name(cls) -> str:
        """The name a rule gives this kind (``kind: value_in_set``)."""
        (name,) = cls.model_fields["kind"].annotation.__args__
        return name

    # --------------------------------------------------------------- the protocol

    def run(self, context: Any, params: Params) -> Verdict:  # pragma: no cover - abstract
        """The verdict on the application and competition of ``context``."""
        raise NotImplementedError

    def compiled(self) -> Runner:
        """The check compiled (its paths resolved to accessors, its loops over the items fixed),
        made on first use and kept with this check object (:func:`clusterpolicy.checks.fields.compiled`),
        whatever loaded the pack."""
        return compiled(self, type(self).compile)

    def compile(self) -> Runner:
        """The kind's :class:`Runner`; a kind without its own runs :meth:`run` for both."""
        run = self.run
        return Runner(run, lambda context, params: run(context, params).outcome)

    def check_against(self, checker: FormChecker) -> None:  # pragma: no cover - abstract
        """Check the kind's paths and values against the form when the pack loads (``checker.fail``)."""
        raise NotImplementedError

    def not_stated(self, observed: dict[str, Any], words: Words) -> list[str]:
        """What an unknown verdict lacked, in words: the labels of the fields it found empty."""
        found = []
        for key, value in observed.items():
            if value is not None or key in ("minimum", "maximum"):  # an absent bound is not a missing value
                continue
            path = getattr(self, "field" if key == "value" else key, None)
            found.append(path if isinstance(path, str) else key)
        return [words.label(path) for path in found]

    def shown(self, key: str, value: Any, words: Words) -> str:
        """An observed value (or a parameter's) as a failure message shows it."""
        return words.show(value, self.values_family(), labelled=key not in _BOUNDS)

    def remedy(self, verdict: Verdict, context: Any, params: Params, words: Words) -> Remedy | None:  # pragma: no cover - abstract
        """What would change a failed or unknown ``verdict``: a sufficient change to the input that
        makes the check pass (text and patch), or the facts needed to decide it (:meth:`facts`)."""
        raise NotImplementedError

    # --------------------------------------------------------------- helpers of the protocol

    def values_family(self) -> str | None:
        """The family of the values the check compares (the enumeration of its field), if any."""
        return None

    def facts(self, paths: list[str], words: Words) -> Remedy:
        """The remedy of an unknown verdict: state the fields of ``paths`` (dotted, as rules write them)."""
        return Remedy(
            kind="facts",
            text=words.t("remedy.state", fields=words.labels(paths) or "-"),
            needs=[pointer(path)[1] if pointer(path)[0] == "application" else "competition:" + pointer(path)[1] for path in paths],
        )

    def missing_paths(self, observed: dict[str, Any]) -> list[str]:
        """The field paths of the observed values found empty (what :meth:`not_stated` names)."""
        found = []
        for key, value in observed.items():
            if value is not None or key in ("minimum", "maximum"):
                continue
            path = getattr(self, "field" if key == "value" else key, None)
            if isinstance(path, str):
                found.append(path)
        return found

    reads_also: ClassVar[tuple[str, ...]] = ()
    """Top-level fields of the application a kind reads without naming them in a path (``documents``)."""

    def read_roots(self) -> set[str]:
        """The top-level fields of the application (or ``competition``) the check reads: the first
        step of every path-like text among its values, and :attr:`reads_also`."""
        found = set(self.reads_also)
        for text in _texts(self):
            head, _, rest = text.partition(".")
            if head == "application" and rest:
                head = rest.split(".")[0]
            if head == "competition" or head in Application.model_fields:
                found.add(head)
        return found

    def parameter_names(self) -> Iterator[str]:
        for value in self.__dict__.values():
            if isinstance(value, ParamRef):
                yield value.param


def _texts(value: Any) -> Iterator[str]:
    """Every text of ``value`` as its JSON dump (``by_alias``) would hold it, keys included: a
    model's field names (or aliases) and the texts of its values, those of enumerations too.
    Walked here rather than dumped: a kind's serializer, built by pydantic on the first dump, was
    made only for this (13 kinds, 1 % of a competition's evaluation)."""
    if isinstance(value, str):
        yield value.value if isinstance(value, Enum) else value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            yield field.serialization_alias or field.alias or name
            yield from _texts(getattr(value, name))
    elif isinstance(value, Enum):
        yield from _texts(value.value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _texts(item)


MAX_PATCH_OPS = 5_000
"""The most operations a remedy's patch holds. A longer patch is not written: the remedy's text
alone says what to change (as where the form derives the value). The cards of 12,000 participants
were 228,000 operations, 20 MiB of output, and building, checking and writing them took more than
the second of CPU an evaluation may take (docs/guarantees.md); 5,000 are the whole cards of
about 450 participants."""


def change(text: str, ops: list[dict[str, Any]], finding: str | None = None, alternatives: list[Any] | None = None) -> Remedy:
    """The remedy of a failed verdict: ``text`` says the change, ``ops`` make it (none if more
    than :data:`MAX_PATCH_OPS`)."""
    return Remedy(kind="change", text=text, ops=ops if len(ops) <= MAX_PATCH_OPS else [], finding=finding, alternatives=alternatives or [])


def set_field(path: str, value: Any) -> dict[str, Any]:
    """The operation that puts ``value`` at a rule's dotted ``path`` (in the application or the competition)."""
    document, at = pointer(path)
    return op("replace", at, plain(value), document)


def settable(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The operations, if every one sets a field of the input; none if one would set a value the
    form derives from others (a property such as ``named_sources``): the text alone says what must
    hold, since the patch cannot be written without knowing which of its sources to change."""
    return ops if all(_is_field(operation) for operation in ops) else []


def _is_field(operation: dict[str, Any]) -> bool:
    from ...input.decree535_form import Competition

    parts = [part for part in operation["path"].split("/")[1:] if part != "-"]
    model: Any = Competition if operation.get("document") == "competition" else Application
    for part in parts:
        core = unwrap(model)
        if typing.get_origin(core) in (list, tuple, dict):
            args = [arg for arg in typing.get_args(core) if arg is not Ellipsis]
            model = args[-1] if args else ANY
            continue
        if not is_model(core):
            return True  # below a value the form does not describe: nothing derived
        if part not in core.model_fields:
            return False
        model = core.model_fields[part].annotation
    return True


def type_of(path: str, root: Any = Application) -> Any:
    """The type of a rule's dotted path (``ANY`` where the form does not describe it)."""
    try:
        return field_type(root, path, in_context=root is Application)
    except PathProblem:
        return ANY


def placeholder(annotation: Any) -> Any:
    """A value of a type that states it (a remedy's patch: true for a yes/no, the first of an
    enumeration, an ellipsis for a text the applicant writes, a minimal item of a model)."""
    core = unwrap(annotation)
    allowed = choices(core)
    if allowed:
        return plain(allowed[0])
    origin = typing.get_origin(core)
    if origin is dict:
        key, item = typing.get_args(core)
        return {"2000" if unwrap(key) is int else "…": placeholder(item)}
    if origin in (list, tuple):
        args = [arg for arg in typing.get_args(core) if arg is not Ellipsis]
        return [placeholder(args[0])] if args else ["…"]
    if origin is not None:  # a union: its first type that is not None
        args = [arg for arg in typing.get_args(core) if arg is not type(None)]
        return placeholder(args[0]) if args else True
    if core is bool or core is ANY:
        return True
    if isinstance(core, type) and issubclass(core, bool):
        return True
    if isinstance(core, type) and issubclass(core, (int, Decimal, float)):
        return 1
    if isinstance(core, type) and issubclass(core, dt.date):
        return "2000-01-01"
    if core is LocalText:  # a text that may be given per language: one text serves every language
        return "…"
    if is_model(core):
        return {name: placeholder(info.annotation) for name, info in core.model_fields.items() if info.is_required()}
    if isinstance(core, type) and issubclass(core, Enum):
        return next(iter(core)).value
    return "…"


def family_of(path: str | None) -> str | None:
    """The family of the values of a field path (``applicant.type`` -> ``applicant_types``)."""
    return family(path or "")
