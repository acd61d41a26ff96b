"""Loading applications and competitions from YAML or JSON files, with located errors.

A competition is either one file, or a folder holding ``competition.yaml`` (or ``.json``)
and one file per application beside it. Every error names the file, the line, the field
path and what was expected, e.g.
``examples/x.yaml:42: participants[3].founded: Input should be a valid date (got '2015-13-01')``.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from ..core.errors import InputError, Location, UsageError
from .decree535_form import Application, Competition, cross_field_problems
from .values import day_of
from ..core.sources import MAX_BYTES, Document, decode_utf8, parse_json, parse_yaml, read_document, validate

SUFFIXES = (".yaml", ".yml", ".json")
COMPETITION_FILE_STEM = "competition"


def load_application(path: str | Path) -> Application:
    """Read and validate one application file."""
    return validate(Application, _mapping(read_document(path)))


def parse_application(text: str | bytes, *, name: str = "<input>", json: bool | None = None) -> Application:
    """Validate an application given as YAML or JSON, text or UTF-8 bytes (for systems that hold
    it in memory). ``json``: True JSON (strict), False YAML, None (default) JSON if it starts
    with ``{``, else YAML. Errors name ``name`` as the file."""
    return validate(Application, _mapping(_parse(text, name, json)))


def parse_competition(text: str | bytes, *, name: str = "<input>", json: bool | None = None) -> Competition:
    """Validate a competition given in one document (its applications inside), as
    :func:`parse_application` reads an application."""
    document = _mapping(_parse(text, name, json))
    return _consistent(validate(Competition, document), lambda index: (document, ("applications", index)), document)


def parse(text: str | bytes, *, name: str = "<input>", json: bool | None = None) -> Application | Competition:
    """An application or a competition, whichever the document holds (as :func:`load` decides)."""
    document = _mapping(_parse(text, name, json))
    if "applications" in document.data or "announced_on" in document.data:
        return _consistent(validate(Competition, document), lambda index: (document, ("applications", index)), document)
    return validate(Application, document)


def _parse(text: str | bytes, name: str, json: bool | None) -> Document:
    if isinstance(text, (bytes, bytearray, memoryview)):
        raw = bytes(text)
        if len(raw) > MAX_BYTES:
            raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", location=Location(name), code="too_large")
        text = decode_utf8(raw, name)
    elif not isinstance(text, str):
        raise UsageError(f"text must be str or bytes (YAML or JSON), not {type(text).__name__} {text!r:.60}", code="bad_argument")
    elif len(text) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", location=Location(name), code="too_large")
    if json is None:
        json = text.lstrip("\ufeff \t\r\n").startswith("{")
    return parse_json(text, name) if json else parse_yaml(text, name)


def load_competition(path: str | Path) -> Competition:
    """Read a competition from a file, or from a folder of ``competition.yaml`` + application files."""
    path = Path(path)
    if not _is_folder(path):
        document = _mapping(read_document(path))
        return _consistent(validate(Competition, document), lambda index: (document, ("applications", index)), document)
    header = _competition_file(path)
    document = _mapping(read_document(header))
    files = application_files(path)
    documents = [_mapping(read_document(file)) for file in files]
    applications = [validate(Application, application) for application in documents]
    competition = validate(Competition, document)
    own = len(competition.applications)
    if applications:
        competition = competition.model_copy(update={"applications": [*competition.applications, *applications]})
        # Validate again, so that repeated application ids across files are reported: the header
        # as written back, the applications as they are (instances are taken without validating them again).
        again = competition.model_dump(mode="python", exclude={"applications"})
        validate(Competition, Document({**again, "applications": list(competition.applications)}, str(path)))

    def where(index: int) -> tuple[Document, tuple]:
        return (document, ("applications", index)) if index < own else (documents[index - own], ())

    return _consistent(competition, where, document)


def locate(path: str | Path, field: tuple) -> Location:
    """Where the competition at ``path`` (a file or a folder) writes ``field``: the file and line.

    For errors found after loading (a term that runs outside the working calendar), which know
    the field but not the file. ``applications[i]`` counts the header's own applications first,
    then the folder's application files in order, as :func:`load_competition` does.
    """
    path = Path(path)
    if not _is_folder(path):
        return _mapping(read_document(path)).location(field)
    header = _mapping(read_document(_competition_file(path)))
    own = header.data.get("applications") if isinstance(header.data, dict) else None
    own_count = len(own) if isinstance(own, list) else 0
    if len(field) >= 2 and field[0] == "applications" and isinstance(field[1], int) and field[1] >= own_count:
        files = application_files(path)
        index = field[1] - own_count
        if index < len(files):
            return _mapping(read_document(files[index])).location(field[2:])
    return header.location(field)


def competition_problems(competition: Competition) -> list[tuple[tuple[Any, ...], str]]:
    """The one consistency check of a competition, whichever way it arrives (a file, a folder,
    standard input, :func:`parse_competition`, the HTTP service, or a header beside one
    application: ``output.operations``), as (field path, message): its header contradicting
    itself (announced after the close of acceptance), then what
    :func:`~clusterpolicy.input.decree535_form.cross_field_problems` finds across its applications."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    closes = day_of(competition.acceptance_closes_at)
    if closes < competition.announced_on:
        problems.append(
            (
                ("acceptance_closes_at",),
                f"acceptance closes on {closes.isoformat()}, before the competition was announced "
                f"({competition.announced_on.isoformat()})",
            )
        )
    return problems + cross_field_problems(competition)


def _consistent(competition: Competition, where: Any, header: Document) -> Competition:
    """The competition, if :func:`competition_problems` finds nothing; else the first problem,
    located in the file that holds it."""
    for path, message in competition_problems(competition):
        if path[0] == "applications":
            document, prefix = where(path[1])
            location = document.location((*prefix, *path[2:]))
        else:
            location = header.location(path)
        raise InputError(message, location=location, code="inconsistent")
    return competition


def application_files(folder: Path) -> list[Path]:
    """The application files of a competition folder, in name order (the header excluded).

    Hidden entries (``.x.yaml``, macOS ``._x.yaml``) are not applications. An entry that looks
    like one but cannot be read as a file (a dangling link, a link loop, a pipe, a socket, a
    device, a folder named ``x.yaml``) is an error naming it: never silently left out.
    """
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise InputError(f"cannot list the folder ({exc.strerror})", location=Location(str(folder)), code="unreadable") from None
    files = []
    for entry in entries:
        if entry.name.startswith(".") or entry.suffix.lower() not in SUFFIXES or entry.stem == COMPETITION_FILE_STEM:
            continue
        try:
            mode = entry.stat().st_mode
        except OSError as exc:  # dangling link, link loop, no permission
            reason = exc.strerror or type(exc).__name__
            raise InputError(f"cannot be read as an application ({reason})", location=Location(str(entry)), code="unreadable") from None
        if not stat.S_ISREG(mode):
            raise InputError(
                "looks like an application file but is not a regular file (a folder, a pipe, a socket or a device)",
                location=Location(str(entry)),
                code="not_a_file",
            )
        files.append(entry)
    return files


def load(path: str | Path) -> Application | Competition:
    """An application or a competition, whichever the file or folder holds."""
    path = Path(path)
    if _is_folder(path):
        return load_competition(path)
    document = _mapping(read_document(path))
    if "applications" in document.data or "announced_on" in document.data:
        return _consistent(validate(Competition, document), lambda index: (document, ("applications", index)), document)
    return validate(Application, document)


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; a path that is missing or cannot be looked at is a located error."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError("no such file or folder", location=Location(str(path)), code="file_not_found").worded(("input_error.no_such_path", {})) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or type(exc).__name__})", location=Location(str(path)), code="unreadable") from None
    except ValueError:  # a NUL in the name
        raise InputError("is not a valid file name (it contains a NUL character)", location=Location(repr(str(path))), code="file_not_found") from None
    return stat.S_ISDIR(mode)


def _competition_file(folder: Path) -> Path:
    try:
        headers = [folder / f"{COMPETITION_FILE_STEM}{suffix}" for suffix in SUFFIXES]
        headers = [candidate for candidate in headers if candidate.is_file()]
    except OSError as exc:
        raise InputError(f"cannot search the folder ({exc.strerror})", location=Location(str(folder)), code="unreadable") from None
    if len(headers) > 1:
        raise InputError(
            f"more than one competition header ({', '.join(h.name for h in headers)}): keep one",
            location=Location(str(folder)),
            code="duplicate_header",
        )
    if headers:
        return headers[0]
    raise InputError(
        f"a competition folder needs a {COMPETITION_FILE_STEM}.yaml with the competition's dates",
        location=Location(str(folder)),
        code="file_not_found",
    )


def _mapping(document: Document) -> Document:
    if not isinstance(document.data, dict):
        kind = type(document.data).__name__ if document.data is not None else "nothing"
        raise InputError(f"expected a mapping of fields, found {kind}", location=document.location(), code="model_type")
    return document

