"""Kinds on an application's documents: a document of a kind is listed, a document's sections are stated."""
from __future__ import annotations

import difflib
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import Context, accessor, is_stated, memo, plain, reader, resolve
from ..form_types import choices, field_type
from ..params import Params
from ..patch import op, pointer
from ..results import Remedy
from .base import CheckBase, FormChecker, Outcome, Runner, Verdict, Words, change, placeholder, type_of

_DOCUMENT_KINDS = "document_kinds"
"""The family of the document kinds' words (a pack's ``vocabulary.yaml``)."""


class AllStated(CheckBase):
    kind: Literal["all_stated"]
    reports: ClassVar[frozenset[str]] = frozenset({"missing", "not_stated", "checked"})
    base: str | None = Field(None, description="Path the fields are relative to, e.g. concept.conditions.")
    fields: list[str] = Field(min_length=1)

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read_base = reader(self.base) if self.base else None
        # below the base, each field read from it; without one, from the context
        fields = [(field, accessor(field) if self.base else reader(field)) for field in self.fields]
        checked = len(self.fields)

        def found(context: Context) -> tuple[list[str], list[str]]:
            missing, not_stated = [], []
            base = read_base(context) if read_base is not None else context
            for field, read in fields:
                value = None if base is None else read(base)
                if value is None:
                    not_stated.append(field)
                elif value is False or not is_stated(value):
                    missing.append(field)
            return missing, not_stated

        def decided(missing: list[str], not_stated: list[str]) -> Outcome:
            return "failed" if missing else ("unknown" if not_stated else "passed")

        def verdict(context: Context, params: Params) -> Verdict:
            missing, not_stated = found(context)
            return Verdict(decided(missing, not_stated), checked=checked, missing=missing, not_stated=not_stated)

        def outcome(context: Context, params: Params) -> str:
            return decided(*found(context))

        return Runner(verdict, outcome)

    def check_against(self, checker: FormChecker) -> None:
        base = checker.path(("base",), self.base) if self.base else None
        for index, name in enumerate(self.fields):
            if base is None:
                checker.path(("fields", index), name)
            else:
                checker.relative(("fields", index), base, name)

    def _label(self, field: str, words: Words) -> str:
        """A field's label, read below ``base``."""
        return words.label(f"{self.base}.{field}" if self.base else field)

    def not_stated(self, observed: dict[str, Any], words: Words) -> list[str]:
        return [self._label(field, words) for field in observed.get("not_stated") or []]

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        full = [f"{self.base}.{field}" if self.base else field for field in verdict.observed.get("missing") or []]
        if verdict.outcome == "unknown":
            return self.facts([f"{self.base}.{field}" if self.base else field for field in verdict.observed.get("not_stated") or []], words)
        ops = []
        if self.base and resolve(context, self.base) is None:  # the section itself is not there: state it
            document, at = pointer(self.base)
            value = placeholder(type_of(self.base))
            ops.append(op("replace", at, value if isinstance(value, dict) else {}, document))
        for path in full + [f"{self.base}.{field}" if self.base else field for field in verdict.observed.get("not_stated") or []]:
            document, at = pointer(path)
            ops.append(op("replace", at, placeholder(type_of(path)), document))
        return change(words.t("remedy.all_stated", fields=words.labels(full) or "-"), ops)

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key in ("missing", "not_stated") and isinstance(value, list):
            return words.join(self._label(field, words) for field in value)
        return super().shown(key, value, words)


class DocumentRequired(CheckBase):
    kind: Literal["document_required"]
    reports: ClassVar[frozenset[str]] = frozenset({"document", "documents_listed"})
    reads_also: ClassVar[tuple[str, ...]] = ("documents",)
    document: str

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        document = self.document

        def verdict(context: Context, params: Params) -> Verdict:
            kinds, listed = memo(context, "document_kinds", _document_kinds)  # five rules of a pack ask
            return Verdict("passed" if document in kinds else "failed", document=document, documents_listed=list(listed))

        def outcome(context: Context, params: Params) -> str:
            return "passed" if document in memo(context, "document_kinds", _document_kinds)[0] else "failed"

        return Runner(verdict, outcome)

    def check_against(self, checker: FormChecker) -> None:
        kinds = choices(field_type(checker.form, "documents.0.kind"))
        if self.document not in kinds:
            guess = difflib.get_close_matches(self.document, kinds, n=1)
            raise checker.fail(
                ("document",),
                f"{self.document!r} is not a document kind; the kinds are: {', '.join(kinds)}",
                code="unknown_value", guess=guess[0] if guess else None,
            )

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        item = {"kind": self.document}
        text = words.t("remedy.document_required", document=words.show(self.document, _DOCUMENT_KINDS))
        return change(text, [op("add", "/documents/-", item)])

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key in ("document", "documents_listed"):  # document kinds, by the pack's words for them
            return words.show(value, _DOCUMENT_KINDS)
        return super().shown(key, value, words)


def _document_kinds(context: Context) -> tuple[set[Any], list[Any]]:
    """The kinds of the documents the application lists, and the same sorted (read once per evaluation)."""
    kinds = {plain(doc.kind) for doc in reader("documents")(context) or []}
    return kinds, sorted(kinds)


__all__ = ["AllStated", "DocumentRequired"]
