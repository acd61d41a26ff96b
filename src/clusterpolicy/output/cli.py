"""The ``clusterpolicy`` command (also ``python -m clusterpolicy``): argparse only.

Commands: ``evaluate``, ``deadlines``, ``packs`` (``packs show``), ``explain``, ``schema``,
``report``. Exit codes: 0 nothing to report, 1 findings (an application not admitted, a late
step), 2 a usage or input error, printed as ``error: <file:line: field: message>`` on stderr,
never as a traceback. Output is UTF-8 whatever the terminal's encoding. Nothing depends on
the wall clock: the day pending steps are judged on is ``--as-of``, when given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence, TextIO

from ..core.errors import ClusterPolicyError, UsageError
from ..core import l10n
from ..core.citations import provision_text
from ..core.i18n import LANGUAGES, Language, gettext

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or an argparse usage error (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.handler(args, sys.stdout)
    except ClusterPolicyError as exc:
        print(f"error: {_located(exc, args)}", file=sys.stderr)
        return EXIT_ERROR


def _located(exc: ClusterPolicyError, args: argparse.Namespace) -> ClusterPolicyError:
    """An error that names a field of the competition but no file (found after loading, e.g. a
    term outside the working calendar) gets the file and line of that field in PATH."""
    location, path = exc.location, getattr(args, "path", None)
    if location is None or location.file is not None or not location.path or not path:
        return exc
    from ..input.loading import locate

    try:
        exc.location = locate(path, location.path)
    except ClusterPolicyError:  # the input cannot be read again: the field alone still says where
        pass
    return exc


def _utf8(stream: TextIO) -> None:
    """Make a text stream write UTF-8 (Kazakh and Russian letters) even on a non-UTF-8 terminal."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # a stream that cannot change encoding keeps its own
            pass
    if hasattr(stream, "reconfigure"):
        try:  # a file name that is not UTF-8 must not cost the message ("lost sys.stderr")
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass


# --------------------------------------------------------------------------- parser


def _in_range(day: dt.date, text: str) -> dt.date:
    """``day``, if an input may name it (the same bounds as a file's dates: ``input.models.within_range``)."""
    from ..input.models import within_range

    try:
        return within_range(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return _in_range(day, text)


def _closes(text: str) -> dt.date:
    """A date, or a date and time (its day in Asia/Almaty is what the terms count from)."""
    try:
        return _in_range(dt.date.fromisoformat(text), text)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or date-time (ISO 8601): {text!r}") from None
    from ..calendar.terms import ALMATY

    try:
        day = moment.astimezone(ALMATY).date() if moment.tzinfo else moment.date()
    except OverflowError:
        raise argparse.ArgumentTypeError(f"{text!r} is outside the calendar once read in Almaty time") from None
    return _in_range(day, text)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``clusterpolicy`` command."""
    from ..core.version import library_version

    parser = argparse.ArgumentParser(
        prog="clusterpolicy",
        description="Competitive selection of territorial clusters (Government Decree No. 535) as rules-as-code.",
        epilog="example:\n  clusterpolicy evaluate examples/competition-2017 --details --lang ru\n\n"
        "exit codes: 0 nothing to report, 1 findings, 2 usage or input error",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"clusterpolicy {library_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages (default: en)")
    pack = argparse.ArgumentParser(add_help=False)
    pack.add_argument("--pack", metavar="ID", help="rule pack id (default: the competition's, or the one in force)")
    pack.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="choose the pack in force on DATE instead of the announcement date; judge pending steps on DATE",
    )

    def command(name: str, help_text: str, example: str, parents: list[argparse.ArgumentParser]) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=_Formatter,
            parents=parents,
        )

    evaluate = command(
        "evaluate",
        "check an application or a whole competition (completeness, timeline, scores, ranking)",
        "clusterpolicy evaluate examples/competition-2017 --details",
        [lang, pack],
    )
    evaluate.add_argument("path", metavar="PATH", help="an application file, or a competition file or folder")
    evaluate.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    evaluate.add_argument("--details", action="store_true", help="list every failed or unknown finding with its citation")
    evaluate.add_argument(
        "--jsonl",
        action="store_true",
        help="PATH (or - for standard input) holds one application per line (JSON Lines): write one result "
        "per line as JSON, a bad line as its located error, in flat memory (pack: --pack, or the one in force on --as-of)",
    )
    evaluate.set_defaults(handler=_evaluate)

    deadlines = command(
        "deadlines",
        "the procedure's time limits, due dates and late steps",
        "clusterpolicy deadlines --announced 2017-04-10 --closes 2017-06-08 --ics deadlines.ics",
        [lang, pack],
    )
    deadlines.add_argument("path", metavar="PATH", nargs="?", help="a competition file or folder (its events)")
    deadlines.add_argument("--announced", type=_date, metavar="DATE", help="announcement date")
    deadlines.add_argument("--closes", type=_closes, metavar="DATE", help="close of acceptance (of the first stage)")
    deadlines.add_argument("--all", action="store_true", help="also list steps whose starting event has not happened")
    deadlines.add_argument("--ics", metavar="FILE", help="also write the due dates as an iCalendar file")
    deadlines.set_defaults(handler=_deadlines)

    packs = command("packs", "list the shipped rule packs, or show one", "clusterpolicy packs show kz-2015-decree-535", [lang])
    packs.set_defaults(handler=_packs)
    packs_commands = packs.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    show = packs_commands.add_parser(
        "show",
        help="a pack's rules and parameters",
        description="a pack's rules (ids, severities, citations) and parameters (values, notes)",
        epilog="example:\n  clusterpolicy packs show kz-2017-kiri-methodology --lang kk",
        formatter_class=_Formatter,
        parents=[lang],
    )
    show.add_argument("pack_id", metavar="ID")
    show.set_defaults(handler=_packs_show)

    explain = command(
        "explain",
        "explain one rule: citation, quote, check, parameters, message, where it is defined",
        "clusterpolicy explain eligibility.unaffiliated-legal-entities --lang ru",
        [lang],
    )
    explain.add_argument("rule_id", metavar="RULE_ID")
    explain.add_argument("--pack", metavar="ID", help="rule pack id (default: the first shipped pack defining the rule)")
    explain.set_defaults(handler=_explain)

    schema = command("schema", "JSON Schema of the input files", "clusterpolicy schema competition > competition.schema.json", [])
    schema.add_argument("name", nargs="?", choices=("application", "competition"), default="application")
    schema.set_defaults(handler=_schema)

    report = command(
        "report",
        "documents for officials: return notices, completeness and evaluation protocols",
        "clusterpolicy report examples/competition-2017 --kind notice --lang kk --format html -o notices.html",
        [lang, pack],
    )
    report.add_argument("path", metavar="PATH", help="an application file, or a competition file or folder")
    report.add_argument("--kind", required=True, choices=("notice", "completeness-protocol", "evaluation-protocol"))
    report.add_argument("--format", choices=("md", "html"), default="md", help="Markdown or HTML (default: md)")
    report.add_argument("--date", metavar="DATE", type=_date, help="the document's date (default: the event's date, or ____)")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- is standard output)")
    report.set_defaults(handler=_report)
    return parser


# --------------------------------------------------------------------------- evaluate


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    if args.jsonl:
        from ..batch import run_jsonl

        return run_jsonl(args.path, out, pack=args.pack, lang=args.lang, as_of=args.as_of)
    from ..input.loading import load
    from ..input.models import Competition

    subject = load(args.path)
    if isinstance(subject, Competition):
        from ..competition import run_competition  # scoring and the timeline: not needed for one application

        report = run_competition(subject, pack=args.pack, lang=args.lang, as_of=args.as_of)
        out.write(report.to_json() if args.format == "json" else _competition_table(report, args.details))
        return EXIT_FINDINGS if report.has_findings else EXIT_OK
    result = _evaluate_application(subject, Path(args.path), args)
    out.write(result.to_json() if args.format == "json" else _application_table([result], args.details, args.lang))
    return EXIT_OK if result.status == "admitted" else EXIT_FINDINGS


def _evaluate_application(application: Any, path: Path, args: argparse.Namespace) -> Any:
    """One application, in the context of the competition header beside it if there is one.

    Without a competition the pack is chosen for ``--as-of`` or the submission date, and the
    checks that need the competition's dates (p.13) are unknown.
    """
    from ..evaluation import evaluate

    competition = _competition_beside(path)
    return evaluate(application, competition=competition, pack=args.pack, lang=args.lang, as_of=args.as_of)


def _competition_beside(path: Path) -> Any:
    """The competition header (``competition.yaml``) in the application file's folder, if any."""
    from ..input.loading import COMPETITION_FILE_STEM, SUFFIXES, load_competition

    for suffix in SUFFIXES:
        header = path.parent / f"{COMPETITION_FILE_STEM}{suffix}"
        if header.is_file() and header != path:
            return load_competition(header)
    return None


def _status_word(status: str, lang: Language) -> str:
    return gettext(f"status.{status}", lang)


def _application_table(results: list[Any], details: bool, lang: Language) -> str:
    lines = []
    for warning in sorted({w for result in results for w in result.warnings}):
        lines.append(f"{gettext('cli.warning', lang)}: {warning}")
    width = max((len(r.application_id) for r in results), default=0)
    for result in results:
        status = _status_word(result.status, lang)
        style = result.pack.rule_pack.citation_style if result.pack.rule_pack else None
        why = f" ({provision_text(result.status_citation, lang, style)})" if result.status_citation else ""
        reasons = f": {', '.join(result.reasons)}" if result.reasons else ""
        lines.append(f"{result.application_id.ljust(width)}  {status}{why}{reasons}")
        if details:
            for finding in result.results:
                if finding.outcome in ("failed", "unknown"):
                    outcome = gettext(f"outcome.{finding.outcome}", lang)
                    severity = gettext(f"severity.{finding.severity}", lang)
                    lines.append(
                        f"    - {finding.rule_id} [{outcome}, {severity}] {finding.citation.text}: "
                        f"{finding.message or finding.title}"
                    )
    return "\n".join(lines) + "\n"


def _competition_table(report: Any, details: bool) -> str:
    lang = report.language
    rule_pack = report.pack.rule_pack  # the pack the report was made under: never reloaded by id
    act = report.pack.act if lang == "en" or rule_pack is None else rule_pack.header.act.title.get(lang)
    head = f"{report.competition_id} — {report.pack.id} {report.pack.version} ({act})"
    lines = [head, *(f"{gettext('cli.warning', lang)}: {warning}" for warning in report.warnings), ""]
    lines.append(_application_table(report.completeness.applications, details, lang).rstrip("\n"))
    if report.late_steps:
        lines += ["", gettext("cli.late_steps", lang) + ":"]
        style = report.pack.rule_pack.citation_style if report.pack.rule_pack else None
        lines += [f"  {_step(entry, report.as_of, lang, style)}" for entry in report.late_steps]
    outcome = report.outcome
    if outcome is not None:
        lines += ["", f"{gettext('cli.ranking', lang)} ({gettext('report.minimum_score', lang)}: {outcome.minimum_score or '—'}):"]
        width = max((len(entry.application_id) for entry in outcome.ranking), default=0)
        for entry in outcome.ranking:
            mark = "" if entry.admitted is None else ("  ≥" if entry.admitted else "  <")
            lines.append(f"  {entry.rank:>2}. {entry.application_id.ljust(width)}  {entry.total:>6}{mark}")
        lines.append(f"{gettext('cli.outcome', lang)}: {gettext('competition.' + outcome.status, lang)}")
        lines += [f"  {note.get(lang)}" for note in outcome.notes]
    return "\n".join(lines) + "\n"


def _step(entry: Any, as_of: dt.date | None, lang: Language, style: Any = None) -> str:
    values = {
        "citation": provision_text(entry.citation, lang, style),
        "limit": entry.limit_id if lang == "en" else entry.title.get(lang),
        "due": l10n.date(entry.due_date, lang),
        "as_of": l10n.date(as_of, lang),
    }
    values["who"] = f" [{entry.application_id}]" if entry.application_id else ""
    if entry.status == "late":
        return gettext("cli.step_late", lang).format(
            done=l10n.date(entry.actual_date, lang),
            working=l10n.count(entry.late_working_days, "unit.working_days", lang),
            calendar=l10n.count(entry.late_calendar_days, "unit.calendar_days", lang),
            **values,
        )
    return gettext("cli.step_overdue", lang).format(**values)


# --------------------------------------------------------------------------- deadlines


def _deadlines(args: argparse.Namespace, out: TextIO) -> int:
    from ..competition import overdue_entries, procedure_events, timeline_of
    from ..evaluation import choose_pack_for
    from ..input.loading import load
    from ..input.models import Competition, ProcedureEvent
    from ..packs import choose_pack
    from ..procedure.timeline import compute_timeline

    inputs: list[Path] = []
    if args.path:
        if args.announced or args.closes:
            raise UsageError("give either a competition PATH or --announced/--closes, not both", code="usage")
        competition = load(args.path)
        if not isinstance(competition, Competition):
            raise UsageError(f"{args.path}: deadlines needs a competition, not an application", code="usage")
        pack, warnings = choose_pack_for(args.pack, competition=competition, as_of=args.as_of, lang=args.lang)
        events = procedure_events(competition, pack)
        inputs = _input_files(Path(args.path))
    elif args.announced or args.closes:
        day = args.as_of or args.announced or args.closes
        pack, warnings = choose_pack(day, args.pack, lang=args.lang)
        procedure = pack.require_procedure()
        events = [ProcedureEvent(event=procedure.events.announcement, date=args.announced)] if args.announced else []
        first = procedure.stage(min(procedure.stages)).events.acceptance_closed
        events += [ProcedureEvent(event=first, date=args.closes)] if args.closes else []
    else:
        raise UsageError("give a competition PATH, or --announced and/or --closes", code="usage")

    timeline = timeline_of(competition, pack, events) if args.path else compute_timeline(pack.time_limits, events)
    overdue = set(overdue_entries(timeline, args.as_of))
    if args.ics is not None:
        if not args.ics:
            raise UsageError("--ics needs a file name", code="bad_output")
        _write_atomically(Path(args.ics), timeline.to_ics(args.lang, calendar_name=f"clusterpolicy {pack.id}", style=pack.citation_style), inputs)
    lang = args.lang
    for warning in [*warnings, *(w.message.get(lang) for w in timeline.warnings)]:
        out.write(f"{gettext('cli.warning', lang)}: {warning}\n")
    shown = [e for e in timeline.entries if args.all or e.status != "not_started"]
    english = lang == "en"  # English keeps the ids and ISO dates its scripts read
    table = [
        [
            e.citation if english else pack.cite(e.citation, lang),
            (e.limit_id if english else e.title.get(lang)) + (f" [{e.application_id}]" if e.application_id else ""),
            l10n.term(e.amount, e.unit, lang) + (" ~" if e.indicative else ""),
            l10n.date(e.start_date, lang, short=True),
            l10n.date(e.due_date, lang, short=True),
            l10n.date(e.actual_date, lang, short=True),
            gettext("timeline.overdue" if e.uid in overdue else f"timeline.{e.status}", lang),
            "" if e.late_working_days is None else f"+{e.late_working_days}",
        ]
        for e in shown
    ]
    headers = [gettext(f"deadlines.{key}", lang) for key in ("provision", "limit", "term", "start", "due", "done", "status", "late")]
    out.write(_columns(headers, table))
    late = [e for e in timeline.entries if e.status == "late" or e.uid in overdue]
    return EXIT_FINDINGS if late else EXIT_OK


def _columns(headers: list[str], table: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [headers, *table]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- packs, explain, schema


def _packs(args: argparse.Namespace, out: TextIO) -> int:
    from ..packs import available_packs, load_pack

    table = []
    for pack_id in available_packs():
        pack = load_pack(pack_id)
        act = pack.header.act
        until = act.in_force_until.isoformat() if act.in_force_until else "…"
        table.append([pack.id, pack.version, act.title.get(args.lang), f"{act.in_force_from} – {until}", str(len(pack.rules))])
    out.write(_columns(["id", "version", "act", "in force", "rules"], table))
    return EXIT_OK


def _packs_show(args: argparse.Namespace, out: TextIO) -> int:
    from ..packs import load_pack

    pack = load_pack(args.pack_id)
    lang, act = args.lang, pack.header.act
    until = act.in_force_until.isoformat() if act.in_force_until else "…"
    lines = [
        f"{pack.id} {pack.version}: {pack.header.title.get(lang)}",
        f"{act.title.get(lang)}; in force {act.in_force_from} – {until}"
        + (f"; repealed by {act.repealed_by.get(lang)}" if act.repealed_by else ""),
    ]
    if pack.header.extends:
        lines.append(f"extends {pack.header.extends}")
    lines += ["", f"rules ({len(pack.rules)}):"]
    rule_table = [[rule.id, rule.severity, ",".join(map(str, rule.stages)), rule.citation.provision] for rule in pack.rules]
    lines.append(_columns(["id", "severity", "stages", "citation"], rule_table).rstrip("\n"))
    lines += ["", f"parameters ({len(pack.parameters)}):"]
    for name, parameter in sorted(pack.parameters.items()):
        choice = " [choice]" if parameter.choice else ""
        lines.append(f"  {name} = {_shown(parameter.value)}  ({parameter.citation.provision}){choice}")
        lines.append(f"      {parameter.title.get(lang)}")
        if parameter.note:
            lines.append(f"      note: {' '.join(parameter.note.split())}")
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from ..packs import available_packs, load_pack

    if args.pack:
        pack = load_pack(args.pack)
        rule = pack.rule(args.rule_id)
    else:
        having = [load_pack(p) for p in available_packs() if any(r.id == args.rule_id for r in load_pack(p).rules)]
        if not having:
            raise UsageError(f"no shipped pack has a rule {args.rule_id!r} (see: clusterpolicy packs show ID)", code="unknown_rule")
        pack = having[0]
        rule = pack.rule(args.rule_id)
    lang = args.lang
    file, line = pack.lines.get(rule.id, (None, None))
    citation = rule.citation
    lines = [
        f"{rule.id}: {rule.title.get(lang)}",
        f"pack:      {pack.id} {pack.version}",
        f"citation:  {citation.provision}, {citation.act or pack.act_of(citation.provision).title.get(lang)}",
    ]
    if citation.quote:
        lines.append(f"quote:     «{citation.quote}»")
    lines += [
        f"severity:  {rule.severity}",
        f"stages:    {', '.join(map(str, rule.stages))}",
    ]
    if rule.when is not None:
        lines.append(f"when:      {json.dumps(rule.when.model_dump(mode='json', by_alias=True, exclude_none=True), ensure_ascii=False)}")
    check = rule.check.model_dump(mode="json", by_alias=True, exclude_none=True)
    lines.append(f"check:     {json.dumps(check, ensure_ascii=False, sort_keys=True)}")
    for name in rule.parameter_names():
        parameter = pack.parameters[name]
        lines.append(f"parameter: {name} = {_shown(parameter.value)} ({parameter.citation.provision})")
        if parameter.note:
            lines.append(f"           note: {' '.join(parameter.note.split())}")
    lines.append(f"message:   {rule.message.get(lang)}")
    if rule.note:
        lines.append(f"note:      {' '.join(rule.note.split())}")
    lines.append(f"defined:   {file}:{line}")
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else str(value)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from ..input.models import json_schema

    out.write(json.dumps(json_schema(args.name), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------- report


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from ..competition import run_competition
    from ..input.loading import load
    from ..input.models import Competition
    from .reports import make_report

    subject = load(args.path)
    if isinstance(subject, Competition):
        source: Any = run_competition(subject, pack=args.pack, lang=args.lang, as_of=args.as_of)
    else:
        source = _evaluate_application(subject, Path(args.path), args)
    document = make_report(args.kind, source, date=args.date)
    text = document.to_html() if args.format == "html" else document.to_markdown()
    if args.output is not None and args.output != "-":
        if not args.output:
            raise UsageError("-o needs a file name (or - for standard output)", code="bad_output")
        _write_atomically(Path(args.output), text.encode("utf-8"), _input_files(Path(args.path)))
    else:
        out.write(text)
    return EXIT_OK


# --------------------------------------------------------------------------- files


def _input_files(path: Path) -> list[Path]:
    """The files a command read or may read: the file itself and the competition header beside
    it, or every data file of a competition folder. ``-o`` and ``--ics`` never replace one."""
    from ..input.loading import SUFFIXES

    folder = path if path.is_dir() else path.parent
    files = [file for file in folder.iterdir() if file.suffix.lower() in SUFFIXES] if path.is_dir() else [path]
    files += [folder / f"competition{suffix}" for suffix in SUFFIXES]
    return files


def _write_atomically(target: Path, data: bytes, inputs: list[Path]) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder and ``os.replace``.

    Refuses to overwrite one of the command's input files, and reports a folder that does not
    exist or cannot be written as a usage error.
    """
    mode = None
    if target.exists() or target.is_symlink():
        if target.is_dir():
            raise UsageError(f"{target}: is a folder, not a file", code="bad_output")
        if target.exists() and any(source.exists() and os.path.samefile(source, target) for source in inputs):
            raise UsageError(f"{target}: refusing to overwrite an input file", code="bad_output")
        if target.is_symlink() or not stat.S_ISREG(target.stat().st_mode):
            raise UsageError(
                f"{target}: is not a regular file (a link, a device or a pipe); refusing to replace it", code="bad_output"
            )
        mode = stat.S_IMODE(target.stat().st_mode)
    if mode is None:  # a new file gets what open() would give it: 0666 less the umask
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{target}: cannot write here ({exc.strerror})", code="bad_output") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if hasattr(os, "fchmod"):  # mkstemp makes 0600 whatever the umask
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write ({exc.strerror})", code="bad_output") from None
    finally:  # also on Ctrl-C: no temporary file is left behind
        Path(temporary).unlink(missing_ok=True)


if __name__ == "__main__":  # pragma: no cover - python -m clusterpolicy.cli
    sys.exit(main())
