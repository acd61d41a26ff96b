"""Reading YAML and JSON documents safely, remembering where each value came from.

Applications, competitions, calendars and rule packs are all read here, so the hazards are
handled once: a size limit, UTF-8 only, no non-standard tags (nothing is ever constructed but
plain data), a limit on nesting and on alias expansion (YAML "billion laughs"), and duplicate
keys, which PyYAML would otherwise silently resolve to the last one, hiding data.

Every value's line is kept in a :class:`Document`, so that a pydantic validation error at
``participants[3].founded`` becomes ``examples/x.yaml:42: participants[3].founded: ...``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from collections.abc import Collection, Iterable
from typing import Any, Callable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ClusterPolicyError, InputError, Location, OneOf, WordedValueError

MAX_BYTES = 10 * 1024 * 1024
"""Largest input file read (10 MiB): a real application with 500 participants is far smaller."""
MAX_DEPTH = 64
"""Deepest nesting accepted; the application model itself is less than 10 levels deep."""
MAX_NODES = 500_000
MAX_ITEMS = 100_000
"""At most this many items in one list (participants, activities, mark sheets...)."""
"""Most values a document may expand to, aliases included (stops alias expansion bombs)."""
MAX_NUMBER_DIGITS = 100
"""Longest number read, in digits as written: a longer one is refused with its line (the input
models take at most 30 digits; Python itself refuses to read an integer of over 4,300)."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

NO_CONTROL = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]*$"
"""The pattern every text of the input matches: no control character (they would clear a
terminal, colour it or forge lines in a protocol, ``\\x1b[2J``); tab, line feed and carriage
return stay allowed in free text. ``input.values.Str`` applies it; a mismatch reads as such."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")

Path_ = tuple[Any, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class Document:
    """Plain data read from a file, with the 1-based line of every value by field path."""

    data: Any
    file: str | None = None
    lines: dict[Path_, int] = field(default_factory=dict)
    find_lines: Callable[[], dict[Path_, int]] | None = field(default=None, repr=False, compare=False)
    """Computes ``lines`` the first time a line is asked for."""
    find_some_lines: Callable[[Collection[Path_] | None], dict[Path_, int]] | None = field(default=None, repr=False, compare=False)
    """Computes the lines of the given paths (and their parents) only, or of every path for
    ``None`` (JSON: only when an error is reported, and only for the fields it names: a 10 MiB
    document with 400,000 wrong values is located in one pass, not parsed again whole)."""
    _asked: set[Path_] = field(default_factory=set, repr=False, compare=False)

    def line_of(self, path: Path_) -> int | None:
        """Line of the value at ``path``, or of its nearest parent that has one."""
        path = tuple(path)
        self.prefetch([path])
        lines = self._lines()
        while True:
            if path in lines:
                return lines[path]
            if not path:
                return None
            path = path[:-1]

    def prefetch(self, paths: Iterable[Path_]) -> None:
        """Find the lines of ``paths`` at once (one pass over the text for all of them)."""
        if self.find_some_lines is None:
            return
        wanted = {tuple(path) for path in paths} - self._asked
        if wanted:
            self.lines.update(self.find_some_lines(wanted))
            self._asked |= wanted

    def _lines(self) -> dict[Path_, int]:
        if self.find_lines is not None:
            self.lines, self.find_lines = self.find_lines(), None
        return self.lines

    def _all_lines(self) -> dict[Path_, int]:
        if self.find_some_lines is not None:
            self.lines, self.find_some_lines = self.find_some_lines(None), None
        return self._lines()

    def location(self, path: Path_ = ()) -> Location:
        return Location(self.file, self.line_of(path), tuple(path))

    def sub(self, key: Any) -> Document:
        """The part of the document under ``key``, keeping file and lines."""
        prefix = (key,)
        lines = {p[1:]: n for p, n in self._all_lines().items() if p[:1] == prefix}
        return Document(self.data[key], self.file, lines)


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES, error: type[ClusterPolicyError] = InputError) -> str:
    """Read a UTF-8 text file no larger than ``max_bytes``, with a located error otherwise."""
    path = Path(path)
    try:
        # Opened without blocking and checked before reading: a named pipe, a device or a socket
        # given as an input would otherwise block forever or never end.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if stat.S_ISDIR(os.fstat(handle.fileno()).st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise error(
                    "is not a regular file (a pipe, a device or a socket), expected a file",
                    location=Location(str(path)),
                    code="not_a_file",
                )
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise error("file not found", location=Location(str(path)), code="file_not_found").worded(("input_error.file_not_found", {})) from None
    except IsADirectoryError:
        raise error("is a folder, expected a file", location=Location(str(path)), code="not_a_file").worded(("input_error.folder", {})) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", location=Location(str(path)), code="unreadable") from None
    except ValueError:  # a NUL in the name: no file can be called that
        raise error("is not a valid file name (it contains a NUL character)", location=Location(repr(str(path))), code="file_not_found") from None
    if len(raw) > max_bytes:
        raise error(
            f"file is larger than the limit of {max_bytes} bytes",
            location=Location(str(path)),
            code="too_large",
        ).worded(("input_error.file_too_large", {"limit": max_bytes}))
    return decode_utf8(raw, str(path), error=error)


def decode_utf8(raw: bytes, file: str | None = None, *, error: type[ClusterPolicyError] = InputError) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = f"0x{raw[exc.start]:02x}"
        raise error(
            f"not valid UTF-8 (byte {byte} at offset {exc.start}); save the file as UTF-8",
            location=Location(file, line),
            code="not_utf8",
        ).worded(("input_error.not_utf8", {"byte": byte, "offset": exc.start})) from None
    return text.removeprefix("\ufeff")


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES, error: type[ClusterPolicyError] = InputError) -> Document:
    """Read a ``.yaml``/``.yml``/``.json`` file into a :class:`Document`."""
    text = read_text(path, max_bytes=max_bytes, error=error)
    if str(path).lower().endswith(".json"):
        return parse_json(text, str(path), error=error)
    return parse_yaml(text, str(path), error=error)


def parse_json(text: str, file: str | None = None, *, error: type[ClusterPolicyError] = InputError) -> Document:
    """Parse JSON strictly (duplicate keys, NaN, infinity and lone surrogates rejected), with lines."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise _JsonProblem(f"duplicate key {key!r}: each key may appear once", code="duplicate_key", line=_duplicate_line(text, key))
            result[key] = value
        return result

    def reject_constant(name: str) -> Any:
        raise _JsonProblem(f"{name} is not a number JSON allows", code="syntax", line=_token_line(text, re.escape(name)))

    def number(written: str) -> Any:  # from its text: 9.99999999999999999 stays itself, never a float's 10.0
        try:
            return _checked_number(written)
        except _DigitsError as exc:
            line = _token_line(text, r"(?<![0-9.eE+-])" + re.escape(written) + r"(?![0-9.eE+-])")
            raise _JsonProblem(str(exc), code="number_too_large", line=line) from None

    # an integer needs more than MAX_NUMBER_DIGITS digits in a row to be refused: without such a
    # run anywhere in the text, integers are read by ``int`` itself, not by a Python call each
    # (3.5 million of them took 4 s)
    integer = number if _DIGIT_RUN.search(text) else int
    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=reject_constant, parse_float=number, parse_int=integer)
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON: {exc.msg}", location=Location(file, exc.lineno), code="syntax").worded(("input_error.invalid_json", {"detail": exc.msg})) from None
    except _JsonProblem as exc:
        raise error(exc.message, location=Location(file, exc.line), code=exc.code) from None
    except RecursionError:
        raise error(f"nesting deeper than {MAX_DEPTH} levels", location=Location(file, _too_deep_line(text)), code="too_deep") from None
    except ValueError as exc:
        raise error(str(exc), location=Location(file), code="syntax") from None
    shape: list[bool] = []
    depth, values = _shape(data, shape)
    if depth > MAX_DEPTH:
        raise error(f"nesting deeper than {MAX_DEPTH} levels", location=Location(file, _too_deep_line(text)), code="too_deep")
    if values > MAX_NODES:
        raise error(_TOO_MANY, location=Location(file), code="too_large")
    long = _long_list(data) if shape else None  # the walk above saw a list over the limit: where it is
    if long is not None:
        line = json_lines(text, [long]).get(long)
        raise error(_TOO_LONG, location=Location(file, line, long), code="too_large")
    # a lone surrogate is in the data only if the text holds one or its escape; numbers are read as
    # ints and Decimals, never floats: without either, no walk over every value (18 % of a request)
    problem = _unwritable(data, text) if _SURROGATE.search(text) or _SURROGATE_ESCAPE.search(text) else None
    if problem is not None:
        raise error(problem.message, location=Location(file, problem.line), code=problem.code)

    return Document(data, file, find_some_lines=lambda paths: json_lines(text, paths))


_DIGIT_RUN = re.compile(r"[0-9]{%d}" % (MAX_NUMBER_DIGITS + 1))


class _Closer(Exception):
    """The text needs :func:`parse_json`'s close look."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Closer  # a duplicate key: parse_json names it and its line
    return result


def _constant(name: str) -> Any:
    raise _Closer  # NaN or Infinity: refused, with its line, by parse_json


def _plain_decimal(written: str) -> Decimal:
    if len(written) > MAX_NUMBER_DIGITS or "e" in written or "E" in written:
        raise _Closer  # possibly over the digits or the magnitude parse_json reads
    return Decimal(written)


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_DIGITS_RUN = b"0" * (MAX_NUMBER_DIGITS + 1)


def quick_json(raw: bytes) -> tuple[str, Any] | None:
    """The text of UTF-8 ``raw`` and the value :func:`parse_json` reads from it (the same values:
    ints, Decimals from their text, dicts in order), when nothing in it needs parse_json's close
    look; else None (then parse_json reads it, and says what is wrong, with its line).

    Read by ``json.loads`` with hooks only for what it must refuse (duplicate keys, NaN and
    infinity, numbers parse_json reads from their text), without parse_json's walks over every
    value: the limits are bounded from the text's punctuation (the value count, a list's length)
    and its digits (a run of more than :data:`MAX_NUMBER_DIGITS`), and a lone surrogate can only
    come from its escape (UTF-8 holds none). Depth is not bounded here: a caller whose model does
    not bound it measures it (:func:`nesting_depth` against :data:`MAX_DEPTH`)."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    if len(raw) >= MAX_ITEMS or len(raw) + 1 > MAX_NODES:  # a shorter text holds fewer: each counted character is a byte
        commas = raw.count(b",")  # the bytes' count is the text's: each is one byte in UTF-8
        if commas >= MAX_ITEMS or commas + raw.count(b":") + raw.count(b"[") + raw.count(b"{") + 1 > MAX_NODES:
            return None
    if (b"\\" in raw and _SURROGATE_ESCAPE.search(text)) or _DIGITS_RUN in raw.translate(_DIGITS_AS_ZERO):
        return None  # an escape needs a backslash: a text without one (found by memchr) is not searched for them
    try:
        data = json.loads(text, object_pairs_hook=_unique, parse_constant=_constant, parse_float=_plain_decimal)
    except (_Closer, ValueError, RecursionError):
        return None
    return text, data


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,\n]|[^\s{}\[\]:,"]+')


def json_lines(text: str, paths: Collection[Path_] | None = None) -> dict[Path_, int]:
    """The 1-based line where each value of a JSON text starts, by field path: of ``paths`` and
    their parents only, or of every value for ``None``. One pass over the tokens, stopping when
    every path asked for is found (``json.loads`` gives no positions; parsing the text again as
    YAML for them took minutes and gigabytes on a 10 MiB document).

    >>> json_lines('{"a": [1,\\n 2], "b": {"c": null}}', [("a", 1), ("b", "c")])
    {(): 1, ('a',): 1, ('a', 1): 2, ('b',): 2, ('b', 'c'): 2}
    """
    wanted: set[Path_] | None = None
    if paths is not None:
        wanted = {tuple(path)[:end] for path in paths for end in range(len(tuple(path)) + 1)}
    found: dict[Path_, int] = {}
    line = 1
    keys: list[Any] = []  # the path of the value being read
    frames: list[list[Any]] = []  # per open container: [is_object, expecting_key]

    def value_starts() -> None:
        path = tuple(keys)
        if (wanted is None or path in wanted) and path not in found:
            found[path] = line

    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
            continue
        frame = frames[-1] if frames else None
        if first == '"' and frame is not None and frame[0] and frame[1]:
            keys.append(token[1:-1] if "\\" not in token else json.loads(token))
            frame[1] = False
        elif first == ":":
            continue
        elif first == ",":
            if frame is not None and frame[0]:
                keys.pop()
                frame[1] = True
            elif frame is not None:
                keys[-1] += 1
        elif first in "}]":
            if frame is not None and frame[0] and not frame[1]:
                keys.pop()  # the last key of the object
            elif frame is not None and not frame[0]:
                keys.pop()  # the array's index
            frames.pop()
        else:  # a value starts: a string, a number, a literal, an object or an array
            value_starts()
            if first == "{":
                frames.append([True, True])
            elif first == "[":
                frames.append([False, False])
                keys.append(0)
        if wanted is not None and len(found) == len(wanted):
            break
    return found


class _JsonProblem(Exception):
    def __init__(self, message: str, code: str, line: int | None) -> None:
        super().__init__(message)
        self.message, self.code, self.line = message, code, line


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _outside_strings(text: str) -> str:
    """The JSON text with the insides of strings blanked (same offsets; strings hold no newline)."""
    return _JSON_STRING.sub(lambda match: '"' + " " * (len(match.group()) - 2) + '"', text)


def _line_at(text: str, offset: int | None) -> int | None:
    return None if offset is None else text.count("\n", 0, offset) + 1


def _token_line(text: str, pattern: str) -> int | None:
    match = re.search(pattern, _outside_strings(text))
    return _line_at(text, match.start() if match else None)


def _too_deep_line(text: str) -> int | None:
    depth = 0
    for offset, char in enumerate(_outside_strings(text)):
        depth += 1 if char in "[{" else -1 if char in "]}" else 0
        if depth > MAX_DEPTH:
            return _line_at(text, offset)
    return None


def _duplicate_line(text: str, key: str) -> int | None:
    """Line of the second ``"key":`` (best effort: the first repeated key of that name)."""
    quoted = json.dumps(key, ensure_ascii=False)
    seen = [match.start() for match in re.finditer(re.escape(quoted) + r"\s*:", text)]
    return _line_at(text, seen[1] if len(seen) > 1 else None)


def _digit_count(written: str) -> int:
    """Digits of a number as written (its exponent's excluded)."""
    mantissa = re.split("[eE]", written, maxsplit=1)[0]
    return sum(char.isdigit() for char in mantissa)


def _too_many_digits(digits: int) -> str:
    return (
        f"a number written with {digits:,} digits: numbers are read up to {MAX_NUMBER_DIGITS} digits "
        "(amounts, shares and marks take at most 30)"
    )


def _checked_number(written: str) -> Any:
    """A JSON number from its text: an ``int``, or the :class:`~decimal.Decimal` written; a
    :class:`_DigitsError` for more than :data:`MAX_NUMBER_DIGITS` digits or a magnitude beyond them."""
    digits = _digit_count(written)
    if digits > MAX_NUMBER_DIGITS:
        raise _DigitsError(_too_many_digits(digits))
    if not any(char in written for char in ".eE"):
        return int(written)
    return _in_range(Decimal(written), written)


def _in_range(number: Decimal, written: str) -> Decimal:
    if number and abs(number.adjusted()) > MAX_NUMBER_DIGITS:
        raise _DigitsError(
            f"the number {_shorten(written)} is out of range: numbers are read up to {MAX_NUMBER_DIGITS} digits "
            "before or after the point (amounts, shares and marks take at most 30)"
        )
    return number


def _yaml_number(tag: str, written: str) -> Any:
    """A YAML plain scalar's number from its text: an integer as the safe loader reads it, a
    float as the :class:`~decimal.Decimal` written (never a binary float's rounding), ``.inf`` and
    ``.nan`` as floats (refused by the callers); a :class:`ValueError` for what is not a number
    and for more than :data:`MAX_NUMBER_DIGITS` digits."""
    value = written.replace("_", "").lower()
    if _digit_count(value.split("x", 1)[-1] if value.lstrip("+-").startswith("0x") else value) > MAX_NUMBER_DIGITS:
        raise _DigitsError(_too_many_digits(_digit_count(value)))
    if tag == _INT_TAG:
        return yaml.constructor.SafeConstructor.construct_yaml_int(_SCALAR_READER, yaml.ScalarNode(tag, written))
    sign = -1 if value[:1] == "-" else 1
    value = value.lstrip("+-")
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    try:
        if ":" in value:  # sexagesimal (YAML 1.1): 1:30.5 is 90.5
            total = Decimal(0)
            for part in value.split(":"):
                total = total * 60 + Decimal(part)
            number = total
        else:
            number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"could not convert string to a number: {written!r}") from None
    return _in_range(-number if sign < 0 else number, written)


class _DigitsError(ValueError):
    """A number of more than :data:`MAX_NUMBER_DIGITS` digits."""


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_SCALAR_READER = yaml.constructor.SafeConstructor()


def _unwritable(data: Any, text: str) -> _JsonProblem | None:
    """A lone surrogate escape (a number is read as written, never as an infinite float)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            line = _token_line(text, r"-?\d+(\.\d+)?[eE][+-]?\d{3,}")
            return _JsonProblem("a number too large to hold (it reads as infinity)", code="syntax", line=line)
        elif isinstance(item, str) and _SURROGATE.search(item):
            match = _SURROGATE_ESCAPE.search(text)
            return _JsonProblem(_SURROGATE_MESSAGE, code="syntax", line=_line_at(text, match.start() if match else None))
    return None


_SURROGATE_MESSAGE = "text holds a lone surrogate (\\ud800-\\udfff), which is not a character"


def nesting_depth(value: Any) -> int:
    """How deep ``value`` nests (a scalar 0, ``{"a": 1}`` 1), as :func:`parse_json` measures it
    against :data:`MAX_DEPTH`."""
    return _shape(value)[0]


_TOO_LONG = (
    f"a list of more than {MAX_ITEMS:,} items: the limit of one list (each wrong item of a longer one "
    "would be reported, taking gigabytes)"
)


def _long_list(data: Any) -> Path_ | None:
    """The path of the first list longer than MAX_ITEMS, or None."""
    stack: list[tuple[Path_, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in reversed(value.items()) if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                return path
            stack.extend((path + (index,), item) for index, item in reversed(list(enumerate(value))) if isinstance(item, (dict, list)))
    return None


def _shape(value: Any, long: list[bool] | None = None) -> tuple[int, int]:
    """Nesting depth and number of values (keys count as values, as YAML's nodes do); ``long``, if
    given, gets ``True`` appended when a list of more than :data:`MAX_ITEMS` items is met."""
    depth, level, count = 0, [value], 0
    while level:
        depth += 1
        count += len(level)
        if depth > MAX_DEPTH:
            return depth, count
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                count += len(item)
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
                if long is not None and len(item) > MAX_ITEMS:
                    long.append(True)
        level = nxt
    return depth - 1, count


def parse_yaml(
    text: str, file: str | None = None, *, error: type[ClusterPolicyError] = InputError, shipped: bool = False
) -> Document:
    """Parse one YAML document into plain data (never objects), recording lines.

    Every file is first read from libyaml's event stream (never its composer, which
    recurses in C and which hostile input could crash), one event at a time, by a loop that
    keeps no recursion and checks every hazard as it goes (:func:`_parse_with_libyaml`). It
    accepts only plain documents: a control character (or text the two scanners read
    differently, see ``_PARSERS_DIFFER``), a list longer than ``MAX_ITEMS``, an alias to what is not yet
    complete, an explicit tag, a merge key, a duplicate key, a key that is not a scalar, nesting beyond the limit, more
    values than the limit, NaN, a lone surrogate, a second document or any error of libyaml
    sends the text to the pure-Python parser, which gives the located error (or the data) exactly
    as before (for ``shipped=True``, the library's own files, libyaml's C composer, which is
    safe on them). Both give the same data and lines for a plain document (tested).
    """
    if _CLoader is not None:
        try:
            return _parse_with_libyaml(text, file)
        except _Unusual:
            pass  # read again by the pure-Python parser below, which locates the problem
        except _TooMany as exc:  # a flood of values (no alias): the pure-Python parser would stop at the same node
            raise error(_TOO_MANY, location=Location(file, exc.line), code="too_large") from None
        except _TooLong as exc:  # a list over the limit in a plain document: where the pure-Python builder stops
            raise error(_TOO_LONG, location=Location(file, exc.line, exc.path), code="too_large") from None
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if shipped else _CountingLoader
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:  # a control character such as NUL, checked up front
        line = text[: exc.position].count("\n") + 1
        raise error(
            f"invalid YAML: character U+{exc.character:04X} is not allowed", location=Location(file, line), code="syntax"
        ) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            raise error(f"invalid YAML: {problem}", location=Location(file, line), code="syntax") from None
        except yaml.YAMLError as exc:
            raise error(f"invalid YAML: {exc}", location=Location(file), code="syntax") from None
        except RecursionError:
            raise error(f"nesting deeper than {MAX_DEPTH} levels", location=Location(file), code="too_deep") from None
        except _TooMany as exc:
            raise error(_TOO_MANY, location=Location(file, exc.line), code="too_large") from None
        builder = _Builder(loader, file, error)
        data = builder.build(root, (), 0) if root is not None else None
        return Document(data, file, builder.lines)
    finally:
        loader.dispose()


_CLoader: Any = getattr(yaml, "CSafeLoader", None)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
"""What the pure-Python reader refuses up front; libyaml is given only text it would accept."""
_PARSERS_DIFFER = re.compile(r"\t|[|>][-+0-9]*#")
"""What libyaml reads but the pure-Python scanner refuses (found by comparing the two on random
text): some tabs, and a block scalar's indicator followed by ``#`` without a space."""
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = _STANDARD_TAGS - {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


_ASCII_PRINTABLE_AND_MULTIBYTE = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


def _plainly_printable(text: str) -> bool:
    """Whether ``text`` certainly holds no character ``_NON_PRINTABLE`` finds, judged from its UTF-8
    bytes by string methods (a few instructions a character, where the expression takes some
    hundred on Cyrillic text); ``False`` when it may hold one (the expression then decides).

    The characters refused are the C0 controls but tab, line feed and carriage return, DEL, the C1
    controls but U+0085, the surrogates and U+FFFE, U+FFFF: in UTF-8 a byte below 0x20 or 0x7F;
    ``C2 80``-``C2 9F``; no encoding at all; ``EF BF BE`` and ``EF BF BF``."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    if raw.translate(None, _ASCII_PRINTABLE_AND_MULTIBYTE) or b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw:
        return False
    at = raw.find(b"\xc2")  # a lead byte only: U+0080 to U+00BF ("«", "»", "§" and the no-break space among them)
    while at >= 0:
        if raw[at + 1] < 0xA0 and raw[at + 1] != 0x85:
            return False
        at = raw.find(b"\xc2", at + 2)
    return True


class _Unusual(Exception):
    """The document is not plain data the event loop reads: the pure-Python parser reads it."""


def _parse_with_libyaml(text: str, file: str | None) -> Document:
    """One plain YAML document from libyaml's event stream, with the line of every value.

    The same data and lines as the pure-Python path (:class:`_CountingLoader` then
    :class:`_Builder`) for every document it accepts; raises :class:`_Unusual` for anything else.
    """
    if not _plainly_printable(text) and _NON_PRINTABLE.search(text):
        raise _Unusual
    if ("\t" in text or "|" in text or ">" in text) and _PARSERS_DIFFER.search(text):
        raise _Unusual
    loader = _CLoader(text)
    try:
        return _build_from_events(loader, file)
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
        raise _Unusual from None
    finally:
        loader.dispose()


def _build_from_events(loader: Any, file: str | None) -> Document:
    get_event = loader.get_event
    ScalarEvent, MappingStart, SequenceStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    AliasEvent, MappingEnd, SequenceEnd = yaml.AliasEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent
    max_nodes, max_depth, max_items, no_key = MAX_NODES, MAX_DEPTH, MAX_ITEMS, _NO_KEY  # locals: read per event
    surrogate = _SURROGATE.search
    plain: dict[str, Any] = {}  # a plain scalar's text -> its value, within this document
    lines: dict[Path_, int] = {}
    order: list[Path_] = []  # the paths of ``lines`` as they were added (an anchor's part is a slice)
    anchors: dict[str, Any] = {}  # name -> (value, its lines relative to it, its values, its depth); None while open
    if type(get_event()) is not yaml.StreamStartEvent:
        raise _Unusual
    event = get_event()
    if type(event) is yaml.StreamEndEvent:
        return Document(None, file, lines)
    if type(event) is not yaml.DocumentStartEvent:
        raise _Unusual
    # One frame per open collection: [container, path, the path of a mapping's pending key (or _NO_KEY), anchor, where it began]
    stack: list[list[Any]] = []
    root: Any = None
    nodes = 0
    too_long: tuple[int, int, Path_] | None = None  # the first list over MAX_ITEMS in document order: (start, line, path)
    while True:
        event = get_event()
        kind = type(event)
        alias = kind is AliasEvent
        if kind is ScalarEvent or kind is MappingStart or kind is SequenceStart or alias:
            anchor = event.anchor
            if alias:
                found = anchors.get(anchor)
                if found is None or not stack:  # undefined, or still open (a recursive alias)
                    raise _Unusual
                value, relative, count, depth = found
                nodes += count
                if len(stack) + depth > max_depth or nodes > max_nodes:
                    raise _Unusual
                value = _copy(value)
            else:
                nodes += 1
                if nodes > max_nodes:  # where the composer stops too: it counts the same nodes in the same order
                    raise _TooMany(event.start_mark.line + 1) if not anchors else _Unusual
                if event.tag is not None or len(stack) > max_depth or (anchor is not None and anchor in anchors):
                    raise _Unusual
                if kind is ScalarEvent:
                    value = event.value
                    if event.implicit[0]:  # plain: its type is told by its text (the same text, the same value)
                        known = plain.get(value, plain)
                        if known is plain:
                            known = plain[value] = _plain_scalar(loader, value)
                        value = known
                    elif surrogate(value):  # quoted, or a block scalar: a string
                        raise _Unusual
                else:
                    value = {} if kind is MappingStart else []
            if not stack:
                if kind is ScalarEvent and not event.value:  # an empty document ("---"): libyaml puts it a line lower
                    raise _Unusual
                path: Path_ = ()
                line = lines[path] = event.start_mark.line + 1
                order.append(path)
                root = value
            else:
                frame = stack[-1]
                container = frame[0]
                if type(container) is list:
                    line = event.start_mark.line + 1
                    if len(container) >= max_items:  # a list over the limit: refused where the pure-Python builder
                        # stops (the first such list in document order, at its own line), unless the value
                        # limit is passed first or the rest of the document is not plain (then as before)
                        began, start = frame[4][0], frame[4][2]
                        if too_long is None or start < too_long[0]:
                            too_long = (start, began, frame[1])
                    path = frame[1] + (len(container),)
                    container.append(value)
                elif frame[2] is no_key:  # this node is a key
                    if kind is not ScalarEvent or anchor is not None or value in container:
                        raise _Unusual
                    frame[2] = path = frame[1] + (value,)
                    lines[path] = event.start_mark.line + 1
                    order.append(path)
                    continue
                else:  # the value of the key read before it: their line is the key's, recorded with it
                    path = frame[2]
                    container[path[-1]] = value
                    frame[2] = no_key
                    if kind is ScalarEvent and anchor is None:  # the commonest event: nothing more to record
                        continue
                    line = event.start_mark.line + 1
                if alias:
                    line = relative[0][1]  # the anchored node's own line, as the composer shares the node
                if path not in lines:
                    lines[path] = line
                    order.append(path)
            if alias:
                for suffix, at in relative[1:]:
                    lines[path + suffix] = at
                    order.append(path + suffix)
            elif kind is not ScalarEvent:
                if anchor is not None:
                    anchors[anchor] = None
                stack.append([value, path, no_key, anchor, (line, len(order), nodes)])
            elif anchor is not None:
                anchors[anchor] = (value, [((), line)], 1, 0)
        elif kind is MappingEnd or kind is SequenceEnd:
            value, path, _, anchor, (line, first, counted) = stack.pop()
            if anchor is not None:
                size = len(path)
                relative = [((), line)] + [(p[size:], lines[p]) for p in order[first:] if len(p) > size]
                depth = max(len(suffix) for suffix, _ in relative)
                anchors[anchor] = (value, relative, nodes - counted + 1, depth)
        elif kind is yaml.DocumentEndEvent:
            if type(get_event()) is not yaml.StreamEndEvent:  # a second document
                raise _Unusual
            if too_long is not None:
                if anchors:  # an alias may repeat a long list: the pure-Python path decides
                    raise _Unusual
                raise _TooLong(too_long[1], too_long[2])
            return Document(root, file, lines)
        else:
            raise _Unusual


_PLAIN_INT = re.compile(r"[1-9][0-9]{0,17}|0")
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,18}\.[0-9]{1,18}")
_PLAIN_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain_scalar(loader: Any, value: str) -> Any:
    """The value of a plain scalar, as the safe loader resolves and constructs it.

    The commonest forms are read directly (the same values: ``tests/test_yaml_fast_path.py``):
    an unsigned decimal integer without underscores or a leading zero (YAML 1.1 reads ``012``
    as octal), a plain decimal fraction (a :class:`~decimal.Decimal`, as :func:`_yaml_number`),
    a date ``YYYY-MM-DD`` (a date that does not exist raises ``ValueError`` as the constructor does)."""
    if "0" <= value[:1] <= "9":
        if _PLAIN_INT.fullmatch(value):
            return int(value)
        if _PLAIN_DECIMAL.fullmatch(value):
            return Decimal(value)
        if _PLAIN_DAY.fullmatch(value):
            return _dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    resolvers = loader.yaml_implicit_resolvers.get(value[:1])
    tag = _STR_TAG
    if resolvers:
        tag = loader.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR_TAG:
        if _SURROGATE.search(value):
            raise _Unusual
        return value
    if tag not in _PLAIN_TAGS:  # a merge key ("<<"), a value key ("=")
        raise _Unusual
    if tag == _INT_TAG or tag == _FLOAT_TAG:  # from its text, as the pure-Python builder reads it
        constructed = _yaml_number(tag, value)
    else:
        constructed = loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, value))
    if isinstance(constructed, float) and not math.isfinite(constructed):
        raise _Unusual
    return constructed


def _copy(value: Any) -> Any:
    """A copy of plain data (an alias is a new value, as the composer's node is built again)."""
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_copy(item) for item in value]
    return value


_NO_KEY = object()


class _KeyPlace:
    """The place of a mapping's key in a path while the key is read: written ``<key>``, equal to
    nothing but itself (a key written ``<key>`` is a key like any other)."""

    def __str__(self) -> str:
        return "<key>"

    __repr__ = __str__


_KEY = _KeyPlace()


_TOO_MANY = (
    f"more than {MAX_NODES} values (keys, items and scalars; an alias counts as what it repeats): "
    "the limit of one document"
)


class _TooMany(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TooLong(Exception):
    """A list over ``MAX_ITEMS`` in an otherwise plain document: its line and path."""

    def __init__(self, line: int, path: Path_) -> None:
        self.line, self.path = line, path


class _CountingLoader(yaml.SafeLoader):
    """The safe loader, counting nodes while it composes them: a document over the limit stops
    there, before its whole node tree is in memory (10 MiB of YAML composed took gigabytes)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.composed = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise _TooMany(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


class _Builder:
    """Turns a composed YAML node tree into plain data, checking each hazard."""

    def __init__(self, loader: yaml.SafeLoader, file: str | None, error: type[ClusterPolicyError]) -> None:
        self.loader, self.file, self.error = loader, file, error
        self.lines: dict[Path_, int] = {}
        self.nodes = 0

    def fail(self, message: str, node: yaml.Node, code: str, path: Path_ = ()) -> ClusterPolicyError:
        return self.error(message, location=Location(self.file, node.start_mark.line + 1, path), code=code)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(_TOO_MANY, node, code="too_large")
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node, code="too_deep")
        if node.tag not in _STANDARD_TAGS:
            raise self.fail(f"tag {node.tag!r} is not allowed: only plain YAML data is read", node, code="tag")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            merge = next((key for key, _ in node.value if key.tag == "tag:yaml.org,2002:merge"), node)
            try:
                self.loader.flatten_mapping(node)
            except yaml.MarkedYAMLError as exc:  # a merge key ("<<") whose value is not a mapping
                line = merge.start_mark.line + 1
                raise self.error(f"invalid YAML: {exc.problem}", location=Location(self.file, line, path), code="syntax") from None
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path + (_KEY,), depth + 1)
                if isinstance(key, (dict, list)):
                    raise self.fail("a mapping key must be a plain value", key_node, code="syntax")
                if key in result:
                    raise self.fail(f"duplicate key {key!r}: each key may appear once", key_node, code="duplicate_key", path=path + (key,))
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, path + (key,), depth + 1)
            self.lines.pop(path + (_KEY,), None)
            return result
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) > MAX_ITEMS:
                raise self.fail(_TOO_LONG, node, code="too_large", path=path)
            return [self.build(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        try:
            if node.tag in (_INT_TAG, _FLOAT_TAG) and isinstance(node, yaml.ScalarNode):
                value = _yaml_number(node.tag, node.value)  # a float from its text, a Decimal
            else:
                value = self.loader.construct_object(node, deep=True)
        except _DigitsError as exc:
            raise self.fail(str(exc), node, code="number_too_large", path=path) from None
        except ValueError as exc:
            if node.tag == "tag:yaml.org,2002:timestamp" and _END_OF_DAY.match(node.value):
                raise self.fail(_end_of_day_message(node.value), node, code="syntax", path=path) from None
            raise self.fail(f"invalid value {_shorten(node.value)!r}: {exc}"[:_MAX_MESSAGE], node, code="syntax", path=path) from None
        except (yaml.YAMLError, ValueError, KeyError, AttributeError) as exc:  # e.g. "!!bool maybe", "!!timestamp x"
            reason = f": {exc}" if isinstance(exc, (yaml.YAMLError, ValueError)) else ""
            raise self.fail(f"invalid value {_shorten(node.value)!r}{reason}"[:_MAX_MESSAGE], node, code="syntax", path=path) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(f"{node.value!r} is not a number: NaN and infinity are refused", node, code="syntax", path=path)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise self.fail(_SURROGATE_MESSAGE, node, code="syntax", path=path)
        return value


_MAX_MESSAGE = 200
MAX_DETAILS = 100
"""At most this many validation errors of one document are located and listed; the rest are counted."""


_END_OF_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})[Tt ]\s*24:00(?::00(?:\.0*)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?\s*$")
"""A moment written at ``24:00`` (as the Civil Code words the end of a term's last day)."""


def _end_of_day_message(written: str) -> str:
    """Refusing ``2017-06-08T24:00`` in plain words (docs/choices.md, "A close written 24:00")."""
    values = _end_of_day_values(written)
    return (
        f"24:00 is not a time of day (got {values['shown']}): for the end of {values['day']} write the date alone, "
        f"{values['day']}, whose whole day is open (to 24:00 Asia/Almaty), or a time up to 23:59:59"
    )


def _end_of_day_values(written: str) -> dict[str, str]:
    match = _END_OF_DAY.match(written)
    return {"shown": repr(_shorten(written)), "day": match.group(1) if match else "the day"}


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validate(model: type[ModelT], document: Document, *, error: type[ClusterPolicyError] = InputError) -> ModelT:
    """Validate ``document.data`` as ``model``; every pydantic error becomes a located one."""
    total = 0
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        if exc.error_count() <= MAX_DETAILS:
            raise validation_error(exc, document, error=error) from None
        total = exc.error_count()
    # Hundreds of thousands of errors: converting them all to Python took gigabytes. The same
    # document with every list cut to its first MAX_DETAILS items gives the first errors with
    # the same paths; the total is the first validation's count.
    try:
        model.model_validate(_pruned(document.data))
    except ValidationError as exc:
        raise validation_error(exc, document, error=error, total=total) from None
    raise error(  # every error was beyond the first items of a list: say so rather than list nothing
        f"{total} values are not what the model expects, all beyond the first {MAX_DETAILS} items of a list",
        location=Location(document.file),
        code="invalid_structure",
    )


def _pruned(data: Any) -> Any:
    """``data`` with every list cut to its first MAX_DETAILS items (same paths for those)."""
    if isinstance(data, dict):
        return {key: _pruned(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_pruned(value) for value in data[:MAX_DETAILS]]
    return data


def validation_error(
    exc: ValidationError, document: Document, *, error: type[ClusterPolicyError] = InputError, total: int = 0
) -> ClusterPolicyError:
    """Convert a pydantic ``ValidationError`` into the library's located error."""
    items = [(_error_path(item, document.data), item) for item in exc.errors(include_url=False)]
    missing: dict[Path_, list[str]] = {}
    for path, item in items:
        if item["type"] == "missing" and path:
            missing.setdefault(path[:-1], []).append(str(path[-1]))
    # A misspelled key gives "unknown field" and "field required": the first is more precise.
    items.sort(key=lambda pair: pair[1]["type"] != "extra_forbidden")
    # 400,000 wrong values give 400,000 errors: the first MAX_DETAILS are located and listed,
    # the rest counted (locating them all took minutes on a 10 MiB document).
    total, items = max(total, len(items)), items[:MAX_DETAILS]
    document.prefetch([path for path, _ in items])
    details = []
    for path, item in items:
        message, parts = item["msg"], _worded(item)
        if item["type"] not in ("missing", "extra_forbidden") and "input" in item:
            shown = item["input"]
            if isinstance(shown, str):
                shown = repr(_shorten(shown))
            elif isinstance(shown, (int, float)) or shown is None:
                shown = _shorten(repr(shown))
            else:
                shown = None
            if shown is not None:
                message += f" (got {shown})"
                parts += (("input_error.got", {"shown": shown}),)
        if isinstance(item.get("input"), str) and item["type"].startswith(("datetime", "date")) and _END_OF_DAY.match(item["input"]):
            message, parts = _end_of_day_message(item["input"]), (("input_error.end_of_day", _end_of_day_values(item["input"])),)
        if item["type"] == "string_pattern_mismatch" and item.get("ctx", {}).get("pattern") == NO_CONTROL:
            found = _CONTROL.search(str(item.get("input", "")))
            character = f"U+{ord(found.group()):04X}" if found else "a control character"
            message = f"contains the control character {character}, which no text may carry (got {_shorten(str(item['input']))!r})"
            parts = (("input_error.control_character", {"character": character, "shown": repr(_shorten(str(item["input"])))}),)
        if item["type"] == "extra_forbidden":
            guess = difflib.get_close_matches(str(path[-1]), missing.get(path[:-1], []), n=1)
            message = f"unknown field (did you mean {guess[0]!r}?)" if guess else "unknown field (check its spelling)"
            parts = (("input_error.unknown_field_guess", {"guess": repr(guess[0])}),) if guess else (("input_error.unknown_field", {}),)
        details.append(error(message, location=document.location(path), code=item["type"]).worded(*parts))
    first = details[0]
    summary = first.message if total == 1 else f"{first.message} (and {total - 1} more)"
    summary_parts = first.parts if total == 1 or not first.parts else (*first.parts, ("input_error.and_more", {"count": total - 1}))
    if total > len(details):
        not_listed = total - len(details)
        details.append(
            error(f"... and {not_listed} more errors not listed", location=Location(document.file), code=first.code).worded(
                ("input_error.not_listed", {"count": not_listed})
            )
        )
    return error(summary, location=first.location, code=first.code, details=details).worded(*summary_parts)


WORDED_TYPES = (
    "missing", "list_type", "dict_type", "model_type", "string_type", "string_too_short", "string_too_long",
    "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "decimal_type", "decimal_parsing",
    "bool_type", "bool_parsing", "date_type", "date_parsing", "date_from_datetime_parsing",
    "date_from_datetime_inexact", "datetime_type", "datetime_parsing", "datetime_from_date_parsing",
    "timezone_aware", "literal_error", "enum", "greater_than", "greater_than_equal", "less_than",
    "less_than_equal", "too_short", "too_long", "union_tag_invalid", "union_tag_not_found",
)  # fmt: skip
"""pydantic's error types whose message the catalogue words in kk and ru (``pydantic_error.<type>``,
its English text pydantic's own); any other keeps pydantic's English message in every language."""


def _worded(item: Any) -> tuple[tuple[str, dict[str, Any]], ...]:
    """The catalogue's wording of one pydantic error: its type's text with its context's values,
    or a refusal's own key (``core.l10n.TextError``); none for a type the catalogue does not word."""
    kind, context = item["type"], item.get("ctx") or {}
    if kind == "value_error" and isinstance(context.get("error"), WordedValueError):
        return ((context["error"].key, dict(context["error"].values)),)
    if kind not in WORDED_TYPES:
        return ()
    values = {name: OneOf(value) if name in ("expected", "expected_tags") else value for name, value in context.items() if name != "error"}
    if "error" in context:
        values["error"] = str(context["error"])
    return ((f"pydantic_error.{kind}", values),)


def _error_path(item: Any, data: Any = None) -> Path_:
    path: Path_ = ()
    for part in item["loc"]:
        is_key = isinstance(data, dict) and part in data
        if is_key or (isinstance(data, list) and isinstance(part, int) and part < len(data)):
            path += (part,)
            data = data[part]
        elif data is not None and not isinstance(data, (dict, list)):
            continue  # below a plain value only a union member's tag can follow (a moment or a day)
        elif not _is_union_tag(part):  # a key of the data is kept even if it looks like a tag
            path += (part,)
            data = None
    if item["type"] == "union_tag_invalid":  # point at the tag itself, e.g. check.kind
        path += (item["ctx"]["discriminator"].strip("'"),)
    return path


def _is_union_tag(part: Any) -> bool:
    """pydantic puts the name of a union member or a function validator in ``loc``."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))
