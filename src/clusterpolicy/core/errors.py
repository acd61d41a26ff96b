"""The library's own exceptions: each carries a stable code and, where known, a location.

Every error a user can cause (a malformed application, a typo in a rule pack, an invalid BIN)
is one of these, never a bare ``KeyError`` or ``ValidationError``, so that callers can catch
``ClusterPolicyError`` and the CLI can print one located line instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

ErrorCode = Literal[
    # the base codes of the exception classes below
    "clusterpolicy_error",
    "invalid_input",
    "invalid_rule_pack",
    "calendar_error",
    "usage_error",
    "invalid_identifier",
    "invalid_length",
    "invalid_format",
    "invalid_component",
    "invalid_checksum",
    # reading a file
    "file_not_found",
    "not_a_file",
    "unreadable",
    "too_large",
    "number_too_large",
    "not_utf8",
    "syntax",
    "too_deep",
    "tag",
    "duplicate_key",
    "model_type",
    "invalid_structure",
    # a rule pack
    "pack_id",
    "outside_pack",
    "bad_extends",
    "duplicate_id",
    "inherited_id",
    "unknown_inherited",
    "merge_directive",
    "extends_cycle",
    "unknown_parameter",
    "unknown_event",
    "no_procedure",
    "bad_argument",
    "unknown_stage",
    "bad_file",
    "unknown_field",
    "unknown_value",
    "unknown_placeholder",
    "bad_placeholder",
    "bad_parameter",
    "wrong_field_type",
    "bad_value",
    # an application, a competition, marks, indicators
    "duplicate_event",
    "bad_event",
    "duplicate_expert",
    "duplicate_application",
    "duplicate_year",
    "naive_datetime",
    "incomplete_score",
    "no_indicators",
    "inconsistent",
    "duplicate_header",
    "no_applications",
    "not_validated",
    # the working calendar and terms
    "outside_calendar",
    "not_a_weekend_day",
    "duplicate_date",
    "bad_years",
    "not_a_calendar",
    "not_a_date",
    "not_an_integer",
    "length_mismatch",
    "negative_term",
    "bad_months",
    "bad_unit",
    "bad_rolling",
    "bad_time",
    # calls and commands
    "unknown_pack",
    "unknown_rule",
    "no_pack_in_force",
    "invalid_argument",
    "bad_weights",
    "too_many_combinations",
    "no_table",
    "missing_extra",
    "usage",
    "bad_output",
    # the HTTP service (clusterpolicy serve)
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "internal_error",
    "request_timeout",
    "busy",
    "pdf_limit",
]
"""Every code the library's own errors carry: a closed list, each explained in docs/errors.md
(a test keeps the three in step: this list, the codes used in the source, the document).

A validation error of a file (pydantic's checks of an application, a competition or a pack)
carries pydantic's own error type as its code instead, e.g. ``missing``, ``extra_forbidden``,
``int_parsing``, ``union_tag_invalid``; see pydantic's documentation of validation errors.
"""

ERROR_CODES: tuple[str, ...] = get_args(ErrorCode)


def format_path(path: tuple[Any, ...] | list[Any] | None) -> str:
    """Render a field path as ``participants[3].founded``.

    A key that is not a plain name (empty, or with blanks, dots or control characters, as a
    hostile input may have) is shown quoted, so that a message stays on one line:

    >>> format_path(("participants", 3, "founded"))
    'participants[3].founded'
    >>> format_path(("a\\nb", ""))
    "'a\\\\nb'.''"
    """
    text = ""
    for part in path or ():
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            part = str(part)
            if not part or not part.isprintable() or any(char in part for char in " .[]"):
                part = repr(part)
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a 1-based line, and a field path inside the document."""

    file: str | None = None
    line: int | None = None
    path: tuple[Any, ...] = ()

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        field = format_path(self.path)
        return f"{where}: {field}" if field else where


class ClusterPolicyError(Exception):
    """Base class of every error the library raises on purpose."""

    code = "clusterpolicy_error"

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        code: str | None = None,
        details: list[ClusterPolicyError] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        if code is not None:
            self.code = code
        self.details = details or []
        self.parts: tuple[tuple[str, dict[str, Any]], ...] = ()
        """The message as catalogue texts (key, values), joined by a space, for
        ``core.l10n.error_text`` in kk and ru; empty where the message is English only (a
        parser's own detail)."""

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        if len(self.details) > 1:
            return head + "".join(f"\n  {detail}" for detail in self.details)
        return head

    def worded(self, *parts: tuple[str, dict[str, Any]]) -> "ClusterPolicyError":
        """This error, whose message is also the catalogue's ``parts`` (so that
        ``core.l10n.error_text`` can give it in kk and ru); returns itself."""
        self.parts = parts
        return self

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description of the error, for other systems."""
        loc = self.location or Location()
        return {
            "code": self.code,
            "message": self.message,
            "file": loc.file,
            "line": loc.line,
            "path": format_path(loc.path),
            "details": [detail.to_dict() for detail in self.details],
        }


class InWords(dict):
    """A value named in each language (``kk``, ``ru``, ``en``), e.g. a region's name."""

    def in_language(self, lang: str) -> str:
        return self.get(lang) or self["en"]


class OneOf(str):
    """The allowed values as pydantic words them in English (``'a', 'b' or 'c'``); in kk and ru
    the last "or" is the language's own."""

    def in_language(self, lang: str) -> str:
        if lang == "en" or " or " not in self:
            return str(self)
        head, _, last = self.rpartition(" or ")
        return f"{head} {'немесе' if lang == 'kk' else 'или'} {last}"


class WordedValueError(ValueError):
    """A model validator's refusal that is also the catalogue's ``key`` with ``values``, so that a
    located error shows it in kk, ru or en (``core.l10n.TextError`` words it from the catalogue);
    pydantic reports it as a ``value_error``."""

    def __init__(self, key: str, message: str, values: dict[str, Any]) -> None:
        self.key, self.values = key, values
        super().__init__(message)


class InputError(ClusterPolicyError):
    """An application, competition or calendar file that cannot be read or is invalid."""

    code = "invalid_input"


class RulePackError(ClusterPolicyError):
    """A rule pack that does not load: unknown key or kind, missing translation, duplicate id."""

    code = "invalid_rule_pack"


class CalendarError(ClusterPolicyError):
    """A date the working calendar cannot answer for, or an invalid calendar override."""

    code = "calendar_error"


class UsageError(ClusterPolicyError):
    """A call or command line that asks for something impossible (unknown pack, rule id...)."""

    code = "usage_error"


class IdentifierError(ClusterPolicyError, ValueError):
    """A BIN or IIN that is not valid (see the subclasses for why)."""

    code = "invalid_identifier"


class InvalidLength(IdentifierError):
    """The number does not have 12 digits."""

    code = "invalid_length"


class InvalidFormat(IdentifierError):
    """The number contains something other than digits, or a digit with no meaning there."""

    code = "invalid_format"


class InvalidComponent(IdentifierError):
    """A part of the number is impossible: a month 13, a birth date that does not exist."""

    code = "invalid_component"


class InvalidChecksum(IdentifierError):
    """The check digit does not match (or the number can have no check digit at all)."""

    code = "invalid_checksum"
