"""Loading applications and competitions from YAML or JSON files, with located errors.

A competition is either one file, or a folder holding ``competition.yaml`` (or ``.json``)
and one file per application beside it. Every error names the file, the line, the field
path and what was expected, e.g.
``examples/x.yaml:42: participants[3].founded: Input should be a valid date (got '2015-13-01')``.
"""

from __future__ import annotations

from pathlib import Path
from ..core.errors import InputError, Location
from .models import Application, Competition
from ..core.sources import Document, parse_json, parse_yaml, read_document, validate

SUFFIXES = (".yaml", ".yml", ".json")
COMPETITION_FILE_STEM = "competition"


def load_application(path: str | Path) -> Application:
    """Read and validate one application file."""
    return validate(Application, _mapping(read_document(path)))


def parse_application(text: str, *, name: str = "<input>", json: bool = False) -> Application:
    """Validate an application given as YAML or JSON text (for systems that hold it in memory)."""
    document = parse_json(text, name) if json else parse_yaml(text, name)
    return validate(Application, _mapping(document))


def load_competition(path: str | Path) -> Competition:
    """Read a competition from a file, or from a folder of ``competition.yaml`` + application files."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", location=Location(str(path)), code="file_not_found")
    if path.is_file():
        return validate(Competition, _mapping(read_document(path)))
    header = _competition_file(path)
    document = _mapping(read_document(header))
    applications = [load_application(file) for file in application_files(path)]
    competition = validate(Competition, document)
    if applications:
        competition = competition.model_copy(update={"applications": [*competition.applications, *applications]})
        # Validate again, so that repeated application ids across files are reported.
        validate(Competition, Document(competition.model_dump(mode="python"), str(path)))
    return competition


def application_files(folder: Path) -> list[Path]:
    """The application files of a competition folder, in name order (the header excluded)."""
    return sorted(
        file
        for file in folder.iterdir()
        if file.is_file() and file.suffix.lower() in SUFFIXES and file.stem != COMPETITION_FILE_STEM
    )


def load(path: str | Path) -> Application | Competition:
    """An application or a competition, whichever the file or folder holds."""
    path = Path(path)
    if path.is_dir():
        return load_competition(path)
    document = _mapping(read_document(path))
    if "applications" in document.data or "announced_on" in document.data:
        return validate(Competition, document)
    return validate(Application, document)


def _competition_file(folder: Path) -> Path:
    for suffix in SUFFIXES:
        candidate = folder / f"{COMPETITION_FILE_STEM}{suffix}"
        if candidate.is_file():
            return candidate
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

