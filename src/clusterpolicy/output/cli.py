"""The ``clusterpolicy`` command (also ``python -m clusterpolicy``): argparse only.

Commands: ``evaluate``, ``deadlines``, ``packs`` (``packs show``), ``explain``, ``schema``,
``report``, ``serve`` (the HTTP service, :mod:`clusterpolicy.output.server`), and for pack
authors ``test`` and ``check`` (a pack folder's YAML cases and load-time checks). ``--pack``
takes a shipped pack's id or a pack folder; a PATH of ``-`` reads standard input. Exit codes:
0 nothing to report, 1 findings (an application not admitted, a late
step), 2 a usage or input error, printed as ``error: <file:line: field: message>`` on stderr
(``қате:``/``ошибка:`` and the catalogue's words under ``--lang kk/ru``; docs/errors.md),
never as a traceback. Output is UTF-8 whatever the terminal's encoding. Nothing depends on
the wall clock: the day pending steps are judged on is ``--as-of``, when given.

This module keeps the parser, the text tables (terminal-safe: :func:`terminal_safe`) and the
writing of files; the use cases themselves are :mod:`clusterpolicy.output.operations`, shared
with the HTTP service.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, TextIO

from ..core.errors import ClusterPolicyError, Location, UsageError

if TYPE_CHECKING:
    from ..core.i18n import Language

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Later:
    """A module imported when first used: the command line starts without the models and
    catalogues a command may not need, and :func:`main` imports them with the collector paused."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name, __package__), attribute)


l10n: Any = _Later("..core.l10n")


def gettext(key: str, lang: Language = "en") -> str:
    """:func:`clusterpolicy.core.i18n.gettext` (imported when first used)."""
    from ..core.i18n import gettext as word

    return word(key, lang)


def provision_text(*args: Any, **kwargs: Any) -> str:
    """:func:`clusterpolicy.core.citations.provision_text` (imported when first used)."""
    from ..core.citations import provision_text as text

    return text(*args, **kwargs)


# --------------------------------------------------------------------------- entry point


_BOUNDED: list[bool] = [False]
"""Whether the last command :func:`main` ran was one of bounded work (the collector stayed paused)."""


def run() -> None:
    """The ``clusterpolicy`` command (and ``python -m clusterpolicy``): :func:`main`, then the
    process ends.

    After a command of bounded work (the collector paused: not ``serve``, ``evaluate --jsonl``,
    ``report``, ``test``, ``check``) the process ends at once, its output flushed, without
    taking down the models, packs and results one object at a time and a last collection over
    all of them (``os._exit``): that teardown was 60 ms of a one-application ``evaluate`` and
    85 ms of the 2017 competition. Files the commands write are closed before they return;
    nothing of the library waits for the interpreter's exit."""
    code = main()
    if not _BOUNDED[0]:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the interpreter's own exit would report it
        sys.exit(code)
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    Python's cyclic garbage collector is paused while a command of bounded work runs (restored
    after it, also after an error): starting one imports the models and reads the packs and the
    input, hundreds of thousands of objects none of which is a cycle to collect, and the collector
    walked them again and again (16 ms of a one-application ``evaluate``, 42 ms of the 2017
    competition). A command that runs long or builds large documents (``serve``, ``evaluate
    --jsonl``, ``report``, ``test``, ``check``) collects as usual once it is chosen."""
    collecting = gc.isenabled()
    gc.disable()
    _BOUNDED[0] = False
    try:
        _utf8(sys.stdout)
        _utf8(sys.stderr)
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version, or an argparse usage error (already printed)
            return exc.code if isinstance(exc.code, int) else EXIT_ERROR
        if not getattr(args, "handler", None):
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        bounded = not (getattr(args, "collects", False) or getattr(args, "jsonl", None))
        if collecting and not bounded:
            gc.enable()
        try:
            code = args.handler(args, sys.stdout)
            _BOUNDED[0] = bounded
            return code
        except ClusterPolicyError as exc:
            lang = getattr(args, "lang", None) or "en"
            print(f"{gettext('cli.error', lang)}: {terminal_safe(l10n.error_text(_located(exc, args), lang), keep_newlines=True)}", file=sys.stderr)
            return EXIT_ERROR
    finally:
        if collecting:
            gc.enable()


def _located(exc: ClusterPolicyError, args: argparse.Namespace) -> ClusterPolicyError:
    """An error that names a field but no file (found after loading: a term outside the working
    calendar, a header contradicting itself) gets the file and line of that field.

    The operations (:mod:`.operations`) name a field by its place in the request:
    ``competition.…`` is in ``--competition FILE`` if given, else in PATH; ``application.…`` in
    PATH; ``announced`` and ``closes`` are the options ``--announced`` and ``--closes``. A path
    without such a root is a field of PATH."""
    location = exc.location
    if location is None or location.file is not None or not location.path:
        return exc
    from .operations import ROOTS

    field, source = tuple(location.path), getattr(args, "path", None)
    if field[0] in ("announced", "closes"):
        exc.location = Location(f"--{field[0]}", None, field[1:])
        return exc
    if field[0] in ROOTS:
        source = (getattr(args, "competition", None) or source) if field[0] == "competition" else source
        field = field[1:]
        exc.location = Location(None, location.line, field)
    if not source or source == "-":
        return exc
    from ..input.loading import locate

    try:
        exc.location = locate(source, field)
    except ClusterPolicyError:  # the input cannot be read again: the field alone still says where
        pass
    return exc


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_KEEPING_NEWLINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def terminal_safe(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character (C0 with CR, LF and tab, DEL, C1, the Unicode line
    and paragraph separators) written as its escape (``\\r``, ``\\x1b``, ``\\u2028``): an id or a
    name of the input cannot move the cursor, overwrite a line of a table or colour the
    terminal. ``keep_newlines``: the line breaks of a text of several lines stay."""
    pattern = _UNSAFE_KEEPING_NEWLINES if keep_newlines else _UNSAFE
    return pattern.sub(lambda m: _ESCAPES.get(m.group()) or m.group().encode("unicode_escape").decode("ascii"), text)


def _safe_writer(out: TextIO) -> Any:
    """``out.write`` of terminal-safe lines (:func:`_safe_lines`)."""
    return lambda text: out.write(_safe_lines(text))


def _safe_lines(text: str) -> str:
    """A table or a text of lines made terminal-safe: each line's controls escaped, the line breaks kept."""
    return terminal_safe(text, keep_newlines=True)


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
    """``day``, if an input may name it (the same bounds as a file's dates: ``input.values.within_range``)."""
    from ..input.values import within_range

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


class _Version(argparse.Action):
    """``--version``: the installed version, read when asked for (not by every command)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        from ..core.version import library_version

        formatter = parser._get_formatter()  # as argparse's own version action writes it
        formatter.add_text(f"clusterpolicy {library_version()}")
        parser._print_message(formatter.format_help(), sys.stdout)
        parser.exit()


COMMANDS = (
    "evaluate", "deadlines", "packs", "explain", "schema", "report", "law", "verify", "sign", "verify-signature",
    "serve", "diff", "sensitivity", "test", "check",
)  # fmt: skip


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``clusterpolicy`` command; with ``only``, of that command alone
    (:func:`main` of a command line naming one first): the same parse, errors and help of that
    command, without building the other 14 (their arguments, help and the server's options were
    2 % of a whole ``evaluate``'s instructions)."""
    from ..core.i18n import LANGUAGES

    def wanted(name: str) -> bool:
        return only is None or name == only

    parser = argparse.ArgumentParser(
        prog="clusterpolicy",
        description="Competitive selection of territorial clusters (Government Decree No. 535) as rules-as-code.",
        epilog="example:\n  clusterpolicy evaluate examples/competition-2017 --details --lang ru\n\n"
        "exit codes: 0 nothing to report, 1 findings, 2 usage or input error",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show program's version number and exit")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages (default: en)")
    pack = argparse.ArgumentParser(add_help=False)
    pack.add_argument(
        "--pack", metavar="ID|DIR", help="rule pack id, or a pack folder (default: the competition's, or the one in force)"
    )
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

    if wanted("evaluate"):
        evaluate = command(
            "evaluate",
            "check an application or a whole competition (completeness, timeline, scores, ranking)",
            "clusterpolicy evaluate examples/competition-2017 --details",
            [lang, pack],
        )
        evaluate.add_argument("path", metavar="PATH", help="an application file, or a competition file or folder")
        evaluate.add_argument(
            "--competition",
            metavar="FILE",
            help="for an application file: the competition it was submitted to (its dates decide p.13); "
            "never read implicitly, so the command and evaluate(application) give one answer",
        )
        evaluate.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
        evaluate.add_argument("--compact", action="store_true", help="with --format json: the same document on one line, without spaces (what the HTTP service answers)")
        evaluate.add_argument("--details", action="store_true", help="list every failed or unknown finding with its citation")
        evaluate.add_argument(
            "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE", dest="settings",
            help="evaluate with the pack's parameter NAME set to VALUE (read as YAML: 2, true, [1, 2]); repeatable. "
            "The result lists the parameters that differ from the act's pack",
        )
        evaluate.add_argument(
            "--jsonl",
            action="store_true",
            help="PATH (or - for standard input) holds one application per line (JSON Lines): write one result "
            "per line as JSON, a bad line as its located error, in flat memory (pack: --pack, or the one in force on --as-of)",
        )
        evaluate.add_argument(
            "--no-explain",
            dest="explain",
            action="store_false",
            help="with --jsonl: each rule's outcome only, without its message, values and parameters (faster, for statuses)",
        )
        evaluate.set_defaults(handler=_evaluate)

    if wanted("deadlines"):
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
        deadlines.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
        deadlines.add_argument("--compact", action="store_true", help="with --format json: the same document on one line, without spaces (what the HTTP service answers)")
        deadlines.set_defaults(handler=_deadlines)

    if wanted("packs"):
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
        show.add_argument("pack_id", metavar="ID|DIR", help="a shipped pack's id, or a pack folder")
        show.set_defaults(handler=_packs_show)

    if wanted("explain"):
        explain = command(
            "explain",
            "explain one rule: citation, quote, check, parameters, message, where it is defined",
            "clusterpolicy explain eligibility.unaffiliated-legal-entities --lang ru",
            [lang],
        )
        explain.add_argument("rule_id", metavar="RULE_ID")
        explain.add_argument(
            "--pack", metavar="ID|DIR", help="rule pack id or folder (default: the first shipped pack defining the rule)"
        )
        explain.set_defaults(handler=_explain)

    if wanted("schema"):
        schema = command(
            "schema",
            "JSON Schema of the input files and of the result documents (docs/output.md)",
            "clusterpolicy schema competition-result > competition-result.schema.json",
            [],
        )
        schema.add_argument(
            "name",
            nargs="?",
            choices=("application", "competition", "application-result", "competition-result", "timeline", "comparison", "sensitivity"),
            default="application",
        )
        schema.set_defaults(handler=_schema)

    if wanted("report"):
        report = command(
            "report",
            "documents for officials: return notices, completeness and evaluation protocols",
            "clusterpolicy report examples/competition-2017 --kind notice --lang kk --format html -o notices.html",
            [lang, pack],
        )
        report.add_argument("path", metavar="PATH", help="a competition folder (or file with its applications), or an application file")
        report.add_argument("--kind", required=True, choices=("notice", "completeness-protocol", "evaluation-protocol"))
        report.add_argument(
            "--format", choices=("md", "html", "pdf"), default="md", help="Markdown, HTML or an A4 PDF (the pdf extra) (default: md)"
        )
        report.add_argument("--date", metavar="DATE", type=_date, help="the document's date, YYYY-MM-DD (default: the event's date, or ____)")
        report.add_argument("--competition", metavar="FILE", help="for an application file: the competition it was submitted to")
        report.add_argument(
            "--allow-empty",
            action="store_true",
            help="draft the document even when the competition has no application (refused otherwise: exit 2)",
        )
        report.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write to FILE instead of standard output (- is standard output); the notices of a competition to a "
            "FOLDER/: one file per application, named by its id",
        )
        report.set_defaults(handler=_report, collects=True)

    if wanted("law"):
        law = command(
            "law",
            "the law beside the code of a pack folder: the act's text beside what encodes each unit, as one HTML page",
            "clusterpolicy law my-packs/kz-2015-decree-535 -o law.html --lang ru",
            [],
        )
        law.add_argument("folder", metavar="DIR", help="a rule pack folder with its law.yaml and the act's text")
        law.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the commentary (the act's text is its own) (default: en)")
        law.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- is standard output)")
        law.set_defaults(handler=_law)

    if wanted("verify"):
        verify = command(
            "verify",
            "check a result's decision record: its digests and, given the input, its verdicts re-evaluated (exit 0 the same, 1 different, 2 cannot check)",
            "clusterpolicy verify result.json examples/competition-2017",
            [],
        )
        verify.add_argument("result", metavar="RESULT", help="a result document (JSON) that carries a decision record")
        verify.add_argument("input", metavar="INPUT", nargs="?", help="the application or competition it was made from (to re-evaluate)")
        verify.add_argument("--competition", metavar="FILE", help="for an application: the competition header it was evaluated with")
        verify.add_argument("--pack", metavar="ID|DIR", help="evaluate under this pack instead of the shipped pack the record names")
        verify.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
        verify.set_defaults(handler=_verify)

    if wanted("sign"):
        sign = command(
            "sign",
            "sign a PDF document the library made (PAdES, an RSA key and its certificate; the sign extra)",
            "clusterpolicy sign notice.pdf --key official.key --cert official.pem -o notice-signed.pdf",
            [],
        )
        sign.add_argument("document", metavar="DOCUMENT.pdf")
        sign.add_argument("--key", required=True, metavar="FILE", help="the signer's private key (PEM or DER, RSA)")
        sign.add_argument("--cert", required=True, metavar="FILE", help="the signer's certificate (PEM or DER)")
        sign.add_argument("--chain", action="append", default=[], metavar="FILE", help="a CA certificate to embed (repeatable)")
        sign.add_argument("-o", "--output", metavar="FILE", help="the signed PDF (default: DOCUMENT-signed.pdf beside it)")
        sign.set_defaults(handler=_sign)

    if wanted("verify-signature"):
        check = command(
            "verify-signature",
            "check a signed PDF: its signature, and that the decision record it carries matches its digest line (exit 0 valid, 1 not)",
            "clusterpolicy verify-signature notice-signed.pdf --trust ca.pem",
            [],
        )
        check.add_argument("document", metavar="DOCUMENT.pdf")
        check.add_argument("--trust", action="append", default=[], metavar="FILE", help="a trusted root certificate (repeatable); without one the chain is not judged")
        check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
        check.set_defaults(handler=_verify_signature)

    if wanted("serve"):
        from .server import add_arguments as add_serve_arguments

        serve = command("serve", "run the HTTP service: the same answers as JSON over HTTP (the server extra)", "clusterpolicy serve --port 8000 --workers 2", [])
        add_serve_arguments(serve)
        serve.set_defaults(collects=True)
    if wanted("diff"):
        diff = command(
            "diff",
            "a competition under two packs, or under changed parameters: which applications, rules, scores and ranks change",
            "clusterpolicy diff examples/competition-2017 --set paper_copies=2",
            [lang],
        )
        diff.add_argument("path", metavar="COMPETITION", help="a competition file or folder")
        diff.add_argument("--pack", action="append", default=[], metavar="ID|DIR", dest="packs",
                          help="the pack before, then the pack after (default: the competition's, or the one in force)")
        diff.add_argument("--set", action="append", type=_setting, default=[], metavar="NAME=VALUE", dest="settings",
                          help="a parameter of the pack after set to VALUE (read as YAML); repeatable")
        diff.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
        diff.add_argument("--compact", action="store_true", help="with --format json: on one line (what the HTTP service answers)")
        diff.set_defaults(handler=_diff)

    if wanted("sensitivity"):
        sensitivity = command(
            "sensitivity",
            "a competition under each reading of every choice the act leaves open: which verdicts depend on which",
            "clusterpolicy sensitivity examples/competition-2017 --lang ru",
            [lang, pack],
        )
        sensitivity.add_argument("path", metavar="COMPETITION", help="a competition file or folder")
        sensitivity.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
        sensitivity.add_argument("--compact", action="store_true", help="with --format json: on one line (what the HTTP service answers)")
        sensitivity.add_argument("--all-combinations", action="store_true",
                                 help="also every combination of the readings of the choices that decide a verdict (at most 256): "
                                 "the verdicts that depend on readings taken together")
        sensitivity.add_argument("--choice", action="append", default=[], metavar="NAME", dest="choices",
                                 help="with --all-combinations: combine the readings of this choice (repeatable; default: every choice that decides a verdict)")
        sensitivity.set_defaults(handler=_sensitivity)
    _add_pack_authoring_commands(command, wanted)
    return parser


# --------------------------------------------------------------------------- evaluate


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    if args.jsonl:
        from ..batch import run_jsonl

        if getattr(args, "competition", None):
            raise UsageError("--competition is not read with --jsonl: each line is an application judged on its own", code="usage")
        if settings(args):
            raise UsageError("--set is not read with --jsonl: give a pack folder with the changed parameters (--pack DIR)", code="usage")
        return run_jsonl(args.path, out, pack=args.pack, lang=args.lang, as_of=args.as_of, explain=args.explain)
    if not args.explain:
        raise UsageError("--no-explain is for --jsonl: a table or document of one application shows the explanation", code="usage")
    from ..input.decree535_form import Competition
    from . import operations

    subject = _load_input(args.path)
    if isinstance(subject, Competition):
        _no_competition_option(args)
        report = operations.evaluate_competition(subject, pack=args.pack, lang=args.lang, as_of=args.as_of, parameters=settings(args))
        if args.format != "json":
            _warn(sorted(report.warnings), args.lang)
        out.write(report.to_json(compact=args.compact) if args.format == "json" else _safe_lines(_competition_table(report, args.details)))
        return EXIT_FINDINGS if report.has_findings else EXIT_OK
    result = _evaluate_application(subject, args)
    if args.format != "json":
        _warn(sorted(result.warnings), args.lang)
    table = "".join(line + "\n" for line in changed_lines(result.pack, args.lang)) + _application_table([result], args.details, args.lang)
    if args.details:
        table += "".join(f"\n{note}\n" for note in _stand_in_lines([result], args.lang))
    out.write(result.to_json(compact=args.compact) if args.format == "json" else _safe_lines(table))
    return EXIT_OK if result.status in ("admitted", "withdrawn") else EXIT_FINDINGS


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.errors import InputError
    from ..core.sources import read_text
    from ..input.decree535_form import Competition
    from . import operations

    try:
        data = json.loads(read_text(args.result))
    except ValueError as exc:
        raise InputError(f"not JSON: {exc}", location=Location(args.result), code="syntax") from None
    subject = _load_input(args.input) if args.input else None
    if isinstance(subject, Competition):
        _no_competition_option(args)
    elif subject is None and args.competition:
        raise UsageError("--competition goes with an application INPUT", code="usage")
    found = operations.verify(data, subject, _header(args) if subject is not None else None, pack=args.pack)
    if args.format == "json":
        out.write(json.dumps(found.to_dict(), ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n")
        return found.exit_code
    lines = [found.message]
    if found.checked:
        lines.append("checked: " + ", ".join(found.checked))
    if found.differences:
        lines.append("differs:")
        lines += [f"  {terminal_safe(d.what)}: recorded {terminal_safe(str(d.recorded))}, now {terminal_safe(str(d.found))}" for d in found.differences]
    if found.reasons:
        lines.append("not as recorded:")
        lines += [f"  {terminal_safe(d.what)}: recorded {terminal_safe(str(d.recorded))}, now {terminal_safe(str(d.found))}" for d in found.reasons]
    out.write("\n".join(lines) + "\n")
    return found.exit_code


def _read_bytes(path: str) -> bytes:
    from ..core.errors import InputError
    from ..core.sources import MAX_BYTES

    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=Location(path), code="unreadable") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", location=Location(path), code="too_large")
    return data


def _sign(args: argparse.Namespace, out: TextIO) -> int:
    from . import operations

    signed = operations.sign_document(_read_bytes(args.document), args.key, args.cert, chain=args.chain)
    target = args.output or str(Path(args.document).with_name(Path(args.document).stem + "-signed.pdf"))
    _write_atomically(Path(target), signed, [Path(args.document), Path(args.key), Path(args.cert)])
    out.write(f"{terminal_safe(target)}\n")
    return EXIT_OK


def _verify_signature(args: argparse.Namespace, out: TextIO) -> int:
    from . import operations

    found = operations.check_document_signature(_read_bytes(args.document), trust=args.trust)
    if args.format == "json":
        out.write(json.dumps(found.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return found.exit_code
    trusted = {True: "trusted", False: "NOT trusted", None: "chain not judged (give --trust)"}[found.trusted]
    lines = [
        ("valid" if found.valid else "NOT valid") + (f": signed by {terminal_safe(found.signer)}, {trusted}" if found.signer else ""),
        f"record: {found.record_digest or '-'} ({'whole' if found.record_whole else 'not whole'})",
        *(f"  {terminal_safe(problem)}" for problem in found.problems),
    ]
    out.write("\n".join(lines) + "\n")
    return found.exit_code


def _header(args: argparse.Namespace) -> Any:
    """The competition ``--competition FILE`` gives, if any (never read implicitly)."""
    from ..input.loading import load_competition

    return load_competition(args.competition) if getattr(args, "competition", None) else None


def _evaluate_application(application: Any, args: argparse.Namespace) -> Any:
    """One application, in the competition given by ``--competition`` if any: exactly what
    ``evaluate(application, competition=...)`` gives, once the header and the application are
    consistent (:func:`.operations.evaluate_application`). A ``competition.yaml`` beside the
    file is never read implicitly. Without a competition the pack is chosen for ``--as-of`` or
    the submission date, and the checks that need the competition's dates (p.13) are unknown.
    """
    from . import operations

    return operations.evaluate_application(
        application, _header(args), pack=args.pack, lang=args.lang, as_of=args.as_of, parameters=settings(args)
    )


def _setting(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` of ``--set``: the value read as YAML (``2``, ``true``, ``[1, 2]``, a word)."""
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    try:
        return name.strip(), yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError:
        raise argparse.ArgumentTypeError(f"the value of {name.strip()!r} is not a YAML value: {value!r}") from None


def settings(args: argparse.Namespace) -> dict[str, Any]:
    """The parameters ``--set`` changes, by name (a name given twice: the last value)."""
    from . import operations

    return operations.changed(dict(getattr(args, "settings", None) or []), "--set")


def _no_competition_option(args: argparse.Namespace) -> None:
    if getattr(args, "competition", None):
        raise UsageError("--competition is for an application file; PATH is already a competition", code="usage")


def _status_word(status: str, lang: Language) -> str:
    return gettext(f"status.{status}", lang)


def _warn(warnings: Any, lang: Language) -> None:
    """Warnings go to standard error, never into the document or table on standard output (which
    a script or a reader takes as it is); in English each with its code (``pack_repealed``), in
    Kazakh and Russian the message alone (no Latin-script ids in kk/ru text; the JSON result
    carries the code in every language)."""
    seen = set()
    for warning in warnings:
        code = getattr(warning, "code", None)
        message = getattr(warning, "message", warning)
        message = message.get(lang) if hasattr(message, "get") else str(message)
        if (code, message) not in seen:
            seen.add((code, message))
            tag = f" [{code}]" if code and lang == "en" else ""
            print(_safe_lines(f"{gettext('cli.warning', lang)}{tag}: {message}"), file=sys.stderr)


def _label(result: Any, lang: Language) -> str:
    """An application as a reader names it: in English its id (what scripts read); in Kazakh and
    Russian its registration number and cluster (no internal id in a kk or ru text)."""
    if lang == "en":
        return terminal_safe(result.application_id)
    number = getattr(result, "registration_number", None)
    cluster = getattr(result, "cluster_name", None) or getattr(result, "applicant", None) or result.application_id
    return terminal_safe(l10n.numbered(number, cluster))


def _application_table(results: list[Any], details: bool, lang: Language) -> str:
    lines = []
    english = lang == "en"  # English keeps rule and application ids; kk and ru name them
    width = max((len(_label(r, lang)) for r in results), default=0)
    for result in results:
        status = _status_word(result.status, lang)
        style = result.pack.rule_pack.citation_style if result.pack.rule_pack else None
        why = f" ({provision_text(result.status_citation, lang, style)})" if result.status_citation else ""
        titles = {r.rule_id: r.title for r in result.results}
        reasons = f": {'; '.join(r if english else titles.get(r, r) for r in result.reasons)}" if result.reasons else ""
        lines.append(f"{_label(result, lang).ljust(width)}  {status}{why}{reasons}")
        if details:
            for finding in result.results:
                if finding.outcome in ("failed", "unknown"):
                    outcome = gettext(f"outcome.{finding.outcome}", lang)
                    severity = gettext(f"severity.{finding.severity}", lang)
                    lines.append(
                        f"    - {finding.rule_id if english else finding.title} [{outcome}, {severity}] {finding.citation.text}: "
                        f"{finding.message or finding.title}"
                    )
                    lines += [f"      → {text}" for text in remedy_lines(finding.remedy, lang)]
    return "\n".join(lines) + "\n"


def changed_lines(pack: Any, lang: Language) -> list[str]:
    """A line per parameter that differs from the act's pack (a reform)."""
    rule_pack = getattr(pack, "rule_pack", None)

    def named(name: str) -> str:  # no internal name in a kk or ru text: the parameter's title
        parameter = rule_pack.parameters.get(name) if rule_pack is not None and lang != "en" else None
        return f"«{parameter.title.get(lang)}»" if parameter is not None else name

    return [
        gettext("cli.changed_parameter", lang).format(name=named(name), act=_shown(change["act"]), used=_shown(change["used"]))
        for name, change in pack.changed_parameters.items()
    ]


def remedy_lines(remedy: Any, lang: Language) -> list[str]:
    """A finding's remedy as lines: the change (or the facts to state), then each alternative."""
    if remedy is None:
        return []
    return [remedy.text, *(gettext("remedy.or", lang).format(first="", second=option.text).lstrip("; ") for option in remedy.alternatives)]


def score_shortfall(entry: Any, minimum: Any, lang: Language) -> str:
    """«X points short of the minimum of 60; the largest gaps are in block 2» for a total below the minimum."""
    blocks = l10n.join((gettext("remedy.score.block", lang).format(n=n) for n in entry.largest_gaps), lang)
    return gettext("remedy.score", lang).format(
        short=l10n.number(entry.short_of_minimum, lang), minimum=l10n.number(minimum, lang), blocks=blocks
    )


def _competition_table(report: Any, details: bool) -> str:
    lang = report.language
    rule_pack = report.pack.rule_pack  # the pack the report was made under: never reloaded by id
    act = report.pack.act if lang == "en" or rule_pack is None else rule_pack.header.act.title.get(lang)
    if lang == "en" or rule_pack is None:
        head = f"{terminal_safe(report.competition_id)} — {report.pack.id} {report.pack.version} ({act})"
    else:  # no internal id in a kk or ru text: the competition's title and the act applied
        head = f"{terminal_safe(report.title or report.competition_id)} — {act}"
    labels = {a.application_id: _label(a, lang) for a in report.completeness.applications}
    lines = [head, *changed_lines(report.pack, lang), ""]  # the warnings go to standard error (_warn)
    lines.append(_application_table(report.completeness.applications, details, lang).rstrip("\n"))
    excluded = _excluded(report, lang)
    if details and excluded:
        lines += ["", gettext("report.evaluation.excluded", lang) + ":"]
        lines += [f"  {labels.get(application) or terminal_safe(application)}: {terminal_safe(expert)}: {why}" for application, expert, why in excluded]
    if report.late_steps:
        lines += ["", gettext("cli.late_steps", lang) + ":"]
        style = report.pack.rule_pack.citation_style if report.pack.rule_pack else None
        lines += [f"  {_step(entry, report.as_of, lang, style, labels)}" for entry in report.late_steps]
    if report.record_findings:
        lines += ["", gettext("cli.record_findings", lang) + ":", *(f"  {finding.message}" for finding in report.record_findings)]
    decision = report.records.stage2_decision
    if decision is not None and decision.winners:
        cited = rule_pack.procedure.citations.winners if rule_pack is not None and rule_pack.procedure else None
        where = f" ({rule_pack.cite(cited.provision, lang)})" if cited is not None else ""
        lines += ["", f"{gettext('cli.winners', lang)}{where}: {'; '.join(labels.get(w) or terminal_safe(w) for w in decision.winners)}"]
    outcome = report.outcome
    if outcome is not None:
        lines.append("")
    if outcome is not None and outcome.ranking:
        minimum = l10n.number(outcome.minimum_score, lang) if outcome.minimum_score else "—"
        lines.append(f"{gettext('cli.ranking', lang)} ({gettext('report.minimum_score', lang)}: {minimum}):")
    if outcome is not None:
        width = max((len(labels.get(entry.application_id) or terminal_safe(entry.application_id)) for entry in outcome.ranking), default=0)
        not_counted: dict[str, list[str]] = {}
        for application, expert, _ in excluded:
            not_counted.setdefault(application, []).append(expert)
        for entry in outcome.ranking:
            mark = "" if entry.admitted is None else ("  ≥" if entry.admitted else "  <")
            experts = not_counted.get(entry.application_id)
            note = f"  ({gettext('cli.marks_not_counted', lang)}: {', '.join(map(terminal_safe, experts))})" if experts else ""
            name = labels.get(entry.application_id) or terminal_safe(entry.application_id)
            lines.append(f"  {entry.rank:>2}. {name.ljust(width)}  {l10n.number(entry.total, lang):>6}{mark}{note}")
            if details and entry.short_of_minimum is not None:
                lines.append(f"      → {score_shortfall(entry, outcome.minimum_score, lang)}")
        lines.append(f"{gettext('cli.outcome', lang)}: {gettext('competition.' + outcome.status, lang)}")
        lines += [f"  {note.get(lang)}" for note in outcome.notes]
    if details:
        notes = _stand_in_lines(report.completeness.applications, lang, [entry.citation for entry in report.late_steps])
        lines += ["", *notes] if notes else []
    return "\n".join(lines) + "\n"


def _stand_in_lines(results: list[Any], lang: Language, provisions: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    """The details' note on the provisions cited from an act that stands in for another (the KIRI
    pack's Rules of Decree 535): said plainly, as the documents say it."""
    rule_pack = results[0].pack.rule_pack if results else None
    if rule_pack is None or not rule_pack.header.stand_ins:
        return []
    from .reports import stand_in_notes

    cited = [*provisions]
    for result in results:
        cited.append(result.status_citation)
        cited += [finding.citation.provision for finding in result.results if finding.outcome in ("failed", "unknown")]
    return stand_in_notes(rule_pack, cited, lang)


def _excluded(report: Any, lang: Language) -> list[tuple[str, str, str]]:
    """(application, expert, why) for each expert whose marks were not counted in an admitted application's score."""
    from ..scoring.marks import excluded_marks

    admitted = {a.application_id for a in report.completeness.applications if a.status == "admitted"}
    return excluded_marks([s for s in report.scores if s.application_id in admitted], lang)


def _step(entry: Any, as_of: dt.date | None, lang: Language, style: Any = None, labels: dict[str, str] | None = None) -> str:
    values = {
        "citation": provision_text(entry.citation, lang, style),
        "limit": entry.limit_id if lang == "en" else entry.title.get(lang),
        "due": l10n.date(entry.due_date, lang),
        "as_of": l10n.date(as_of, lang),
    }
    who = (labels or {}).get(entry.application_id, entry.application_id) if lang != "en" else entry.application_id
    values["who"] = f" [{terminal_safe(who)}]" if entry.application_id else ""
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
    from ..input.loading import load
    from ..input.decree535_form import Competition
    from . import operations

    inputs: list[Path] = []
    if args.path:
        if args.announced or args.closes:
            raise UsageError("give either a competition PATH or --announced/--closes, not both", code="usage")
        competition = load(args.path)
        if not isinstance(competition, Competition):
            raise UsageError(f"{args.path}: deadlines needs a competition, not an application", code="usage")
        found = operations.deadlines(competition, pack=args.pack, lang=args.lang, as_of=args.as_of)
        inputs = _input_files(Path(args.path))
    elif args.announced or args.closes:
        found = operations.deadlines(announced=args.announced, closes=args.closes, pack=args.pack, lang=args.lang, as_of=args.as_of)
    else:
        raise UsageError("give a competition PATH, or --announced and/or --closes", code="usage")

    pack, timeline, overdue = found.pack, found.timeline, found.overdue
    if args.ics is not None:
        if not args.ics:
            raise UsageError("--ics needs a file name", code="bad_output")
        _write_atomically(Path(args.ics), found.ics(), inputs)
        print(_safe_lines(f"{gettext('cli.wrote', args.lang)}: {args.ics}"), file=sys.stderr)
    lang = args.lang
    english = lang == "en"  # English keeps the ids and ISO dates its scripts read
    late = found.late
    if args.format == "json":
        out.write(found.result().to_json(compact=args.compact))
        return EXIT_FINDINGS if late else EXIT_OK
    if english:
        lines = [f"{gettext('report.rule_pack', lang)}: {pack.id} {pack.reported_version} ({pack.header.act.title.get(lang)})\n"]
    else:  # the act applied, by its title: no pack id in a kk or ru text
        lines = [f"{gettext('report.rule_pack', lang)}: {pack.header.title.get(lang)}\n"]
    _warn([*found.warnings, *timeline.warnings], lang)
    shown = [e for e in timeline.entries if args.all or e.status != "not_started"]
    labels = {a.id: a.cluster_name_in(lang) for a in competition.applications} if args.path and not english else {}
    table = [
        [
            e.citation if english else pack.cite(e.citation, lang),
            (e.limit_id if english else e.title.get(lang)) + (f" [{terminal_safe(labels.get(e.application_id, e.application_id))}]" if e.application_id else ""),
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
    lines.append(_columns(headers, table))
    out.write(_safe_lines("".join(lines)))
    return EXIT_FINDINGS if late else EXIT_OK


def _columns(headers: list[str], table: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [headers, *table]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- packs, explain, schema


def _packs(args: argparse.Namespace, out: TextIO) -> int:
    from .operations import pack_summaries

    table = [
        [pack["id"], pack["version"], pack["act"], f"{pack['in_force_from']} – {pack['in_force_until'] or '…'}", str(len(pack["rules"]))]
        for pack in pack_summaries(args.lang)
    ]
    out.write(_safe_lines(_columns(["id", "version", "act", "in force", "rules"], table)))
    return EXIT_OK


def _packs_show(args: argparse.Namespace, out: TextIO) -> int:
    from .operations import show_pack

    pack = show_pack(args.pack_id)
    lang, act = args.lang, pack.header.act
    english = lang == "en"  # English keeps ids, ISO dates and provisions as written (what scripts read)
    until = (act.in_force_until.isoformat() if english else l10n.date(act.in_force_until, lang)) if act.in_force_until else "…"
    since = act.in_force_from.isoformat() if english else l10n.date(act.in_force_from, lang)
    lines = [
        f"{pack.id} {pack.reported_version}: {pack.header.title.get(lang)}",
        f"{act.title.get(lang)}; {gettext('cli.in_force', lang)} {since} – {until}"
        + (f"; {gettext('cli.repealed_by', lang)} {act.repealed_by.get(lang)}" if act.repealed_by else ""),
    ]
    if pack.origin == "folder":
        lines.append(f"folder {pack.folder}; {pack.digest}" + ("" if pack.official else "; not the shipped pack"))
    if pack.header.extends:
        lines.append(gettext("cli.extends", lang).format(base=pack.header.extends))
    lines += ["", f"{gettext('cli.rules', lang)} ({len(pack.rules)}):"]
    rule_table = [
        [
            rule.id,
            rule.severity if english else gettext(f"severity.{rule.severity}", lang),
            ",".join(map(str, rule.stages)),
            rule.citation.provision if english else pack.cite(rule.citation.provision, lang),
        ]
        for rule in pack.rules
    ]
    headers = ["id", "severity", "stages", "citation"] if english else [
        "id", gettext("cli.severity", lang), gettext("report.stage", lang), gettext("report.provision", lang)
    ]
    lines.append(_columns(headers, rule_table).rstrip("\n"))
    lines += ["", f"{gettext('cli.parameters', lang)} ({len(pack.parameters)}):"]
    for name, parameter in sorted(pack.parameters.items()):
        choice = f" {gettext('cli.choice', lang)}" if parameter.choice else ""
        provision = parameter.citation.provision if english else pack.cite(parameter.citation.provision, lang)
        lines.append(f"  {name} = {_shown(parameter.value)}  ({provision}){choice}")
        reading = next((r for r in parameter.readings if r.value == parameter.value), None)
        # a choice's value by its reading's name: an enumeration's value is no word of kk or ru
        lines.append(f"      {parameter.title.get(lang)}" + (f": {reading.title.get(lang)}" if reading is not None else ""))
        if parameter.note:
            lines.append(f"      {gettext('cli.note', lang)}: {_note(parameter.note, lang)}")
    out.write(_safe_lines("\n".join(lines) + "\n"))
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from ..packs import resolve_pack
    from .operations import find_rule

    pack, rule = find_rule(args.rule_id, resolve_pack(args.pack) if args.pack else None)
    lang = args.lang
    file, line = pack.lines.get(rule.id, (None, None))
    citation = rule.citation
    lines = [
        f"{rule.id}: {rule.title.get(lang)}",
        f"pack:      {pack.id} {pack.reported_version}",
        f"citation:  {citation.provision}, {citation.act or pack.act_of(citation.provision).title.get(lang)}",
    ]
    if citation.quote:
        lines.append(f"quote:     «{citation.quote}»")
    lines += [
        f"severity:  {rule.severity if lang == 'en' else gettext(f'severity.{rule.severity}', lang)}",
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
            lines.append(f"           {gettext('cli.note', lang)}: {_note(parameter.note, lang)}")
    lines.append(f"message:   {rule.message.get(lang)}")
    lines.append(f"remedy:    {gettext('remedy.kind.' + rule.check.kind_name(), lang)}")
    if rule.note:
        lines.append(f"note:      {_note(rule.note, lang)}")
    lines.append(f"defined:   {file}:{line}")
    for unit_id, provision in _law_anchors(pack, citation.provision):
        lines.append(f"law:       docs/law.html#{unit_id} ({provision})")
    out.write(_safe_lines("\n".join(lines) + "\n"))
    return EXIT_OK


def _note(note: Any, lang: Language) -> str:
    """A parameter's note in ``lang`` (a note the pack gives in one language only: as given)."""
    text = note.get(lang) if hasattr(note, "get") else str(note)
    return " ".join(text.split())


def _law_anchors(pack: Any, provision: str) -> list[tuple[str, str]]:
    """The anchors of docs/law.html that show the text of ``provision``: from the ``law.yaml`` of
    the pack whose act the provision belongs to (the pack itself or a pack it extends)."""
    from ..core.act_text import read_act_text
    from ..packs import load_pack

    act = pack.act_of(provision)
    seen = set()
    while pack is not None and pack.id not in seen:
        seen.add(pack.id)
        if pack.header.act == act and pack.folder is not None:
            text = read_act_text(pack.folder, shown_as=f"rules/{pack.id}")
            return [(unit.id, unit.provision) for unit in text.units_of(provision)] if text else []
        pack = load_pack(pack.header.extends) if pack.header.extends else None
    return []


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else str(value)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from ..input.decree535_form import json_schema
    from .schemas import RESULT_NAMES, schema_text

    if args.name in RESULT_NAMES:
        out.write(schema_text(args.name))
        return EXIT_OK
    out.write(json.dumps(json_schema(args.name), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------- report


def _competition_only(path: str, command: str) -> Any:
    from ..input.decree535_form import Competition

    subject = _load_input(path)
    if not isinstance(subject, Competition):
        raise UsageError(f"{command} needs a competition (a file or folder with its applications), not one application", code="usage")
    return subject


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    from . import operations

    competition = _competition_only(args.path, "diff")
    comparison = operations.compare_competition(competition, list(args.packs), parameters=settings(args), lang=args.lang)
    labels = _input_labels(competition, args.lang, comparison.before.rule_pack)
    table = comparison_table(comparison, args.lang, labels, title=competition.title_in(args.lang))
    out.write(comparison.to_json(compact=args.compact) if args.format == "json" else _safe_lines(table))
    return EXIT_FINDINGS if comparison.changed or comparison.outcome_before != comparison.outcome_after else EXIT_OK


def _input_labels(competition: Any, lang: Language, pack: Any = None) -> dict[str, str]:
    """Each application of a competition as a kk or ru reader names it: the registration number
    of the document that registers it (by ``pack``'s procedure) and its cluster, as :func:`_label`
    names a result's; empty in English, which keeps the ids."""
    if lang == "en":
        return {}
    procedure = getattr(pack, "procedure", None)
    labels = {}
    for application in competition.applications:
        registering = procedure.registration_document(application.stage) if procedure is not None else None
        form = application.document(registering) if registering else None
        number = getattr(form, "registration_number", None)
        cluster = application.cluster_name_in(lang)
        labels[application.id] = terminal_safe(l10n.numbered(number, cluster))
    return labels


def _head(competition_id: str, title: str | None, before: Any, after: Any, lang: Language) -> str:
    """The first line of diff and sensitivity: in English the competition's id and the packs' ids
    and versions (what a script reads back); in Kazakh and Russian the competition's title and the
    act as it is cited, once when both sides apply the same act (no internal id in a kk or ru text)."""
    if lang == "en":
        packs = f"{before.id} {before.version}" + ("" if after is None else f" → {after.id} {after.version}")
        return f"{terminal_safe(competition_id)}{': ' if after is not None else ' — '}{packs}"
    acts = before.act if after is None or after.act == before.act else f"{before.act} → {after.act}"
    return f"{terminal_safe(title or competition_id)} — {acts}"


def _rule_name(rule_id: str, lang: Language, *packs: Any) -> str:
    """A rule as the reader names it: in English its id, in Kazakh and Russian its title."""
    if lang != "en":
        for ref in packs:
            rule_pack = getattr(ref, "rule_pack", None)
            found = next((rule for rule in rule_pack.rules if rule.id == rule_id), None) if rule_pack is not None else None
            if found is not None:
                return found.title.get(lang)
    return rule_id


def comparison_table(comparison: Any, lang: Language, labels: dict[str, str] | None = None, *, title: str | None = None) -> str:
    """``clusterpolicy diff`` as text: the packs, each application judged differently, the outcome
    (``labels``: the applications' names in kk/ru, :func:`_input_labels`; ``title``: the
    competition's title in ``lang``)."""
    labels = labels or {}
    lines = [_head(comparison.competition_id, title, comparison.before, comparison.after, lang)]
    lines += changed_lines(comparison.after, lang)
    lines.append("")
    if not comparison.changed:
        lines.append(gettext("diff.none", lang))
    packs = (comparison.after, comparison.before)
    for change in comparison.changed:
        lines.append(f"{labels.get(change.application_id) or terminal_safe(change.application_id)}  {_status_word(change.status_before, lang)} → {_status_word(change.status_after, lang)}")
        lines += [f"    {_rule_name(rule.rule_id, lang, *packs)} ({rule.citation}): {gettext('outcome.' + rule.before, lang) if rule.before != 'absent' else '—'} → "
                  f"{gettext('outcome.' + rule.after, lang) if rule.after != 'absent' else '—'}" for rule in change.rules]
        if change.score_before != change.score_after or change.rank_before != change.rank_after:
            lines.append("    " + gettext("diff.score", lang).format(
                before=l10n.number(change.score_before, lang), after=l10n.number(change.score_after, lang),
                rank_before=_or_dash(change.rank_before), rank_after=_or_dash(change.rank_after),
            ))
    lines += ["", f"{gettext('cli.outcome', lang)}: {_outcome_word(comparison.outcome_before, lang)} → {_outcome_word(comparison.outcome_after, lang)}"]
    return "\n".join(lines) + "\n"


def _or_dash(value: Any) -> str:
    return "—" if value is None else str(value)


def _outcome_word(status: str | None, lang: Language) -> str:
    return "—" if status is None else gettext("competition." + status, lang)


def _sensitivity(args: argparse.Namespace, out: TextIO) -> int:
    from . import operations

    competition = _competition_only(args.path, "sensitivity")
    if args.choices and not args.all_combinations:
        raise UsageError("sensitivity: --choice names the choices to combine: add --all-combinations", code="usage")
    found = operations.competition_sensitivity(
        competition, pack=args.pack, lang=args.lang, all_combinations=args.all_combinations, choices=args.choices or None
    )
    labels = _input_labels(competition, args.lang, found.pack.rule_pack)
    table = sensitivity_table(found, args.lang, labels, title=competition.title_in(args.lang))
    out.write(found.to_json(compact=args.compact) if args.format == "json" else _safe_lines(table))
    return EXIT_FINDINGS if found.depends else EXIT_OK


def _verdict_changes(found: Any, labels: dict[str, str], lang: Language) -> list[str]:
    """The lines of a reading's (or a combination of readings') changes: each application's status
    and rank, then the competition's outcome."""
    lines = []
    for change in found.applications:
        lines.append(f"    {labels.get(change.application_id) or terminal_safe(change.application_id)}: {_status_word(change.status_before, lang)} → {_status_word(change.status_after, lang)}"
                     + (f"; {gettext('diff.rank', lang).format(before=_or_dash(change.rank_before), after=_or_dash(change.rank_after))}"
                        if change.rank_before != change.rank_after else ""))
    if found.outcome_before != found.outcome_after:
        lines.append(f"    {gettext('cli.outcome', lang)}: {_outcome_word(found.outcome_before, lang)} → {_outcome_word(found.outcome_after, lang)}")
    return lines


def sensitivity_table(found: Any, lang: Language, labels: dict[str, str] | None = None, *, title: str | None = None) -> str:
    """``clusterpolicy sensitivity`` as text: for each reading that changes a verdict, what it
    changes (``labels``: the applications' names in kk/ru, :func:`_input_labels`; ``title``: the
    competition's title in ``lang``)."""
    labels = labels or {}
    lines = [_head(found.competition_id, title, found.pack, None, lang), ""]
    for effect in found.readings:
        provision = provision_text(effect.provision, lang, _style(found))
        if lang == "en":
            lines.append(gettext("sensitivity.reading", lang).format(
                parameter=effect.parameter, provision=provision, value=_shown(effect.value), reading=effect.reading
            ))
        else:  # no internal name nor value in a kk or ru text: the parameter's title and the reading's name
            lines.append(f"«{effect.title}» ({provision}): {effect.reading}")
        if not effect.depends:
            lines.append("    " + gettext("sensitivity.no_change", lang))
        lines += _verdict_changes(effect, labels, lang)
        lines += ["    " + sensitivity_step(step, lang) for step in effect.steps]
    if found.combinations_tried:  # asked for (an empty product is one combination, the default)
        lines += ["", gettext("sensitivity.combinations", lang).format(choices=len(found.combined), count=found.combinations_tried)]
        if not found.combinations:
            lines.append("    " + gettext("sensitivity.combinations.none", lang))
    for combination in found.combinations:
        if lang == "en":
            lines.append(" + ".join(f"{part.parameter} ({provision_text(part.provision, lang, _style(found))}) = {_shown(part.value)}"
                                    for part in combination.readings))
        else:
            lines.append(" + ".join(f"«{part.title}» ({provision_text(part.provision, lang, _style(found))}): {part.reading}"
                                    for part in combination.readings))
        lines += _verdict_changes(combination, labels, lang)
    lines += ["", gettext("sensitivity.depends" if found.depends else "sensitivity.none", lang)]
    return "\n".join(lines) + "\n"


def sensitivity_step(step: Any, lang: Language) -> str:
    """A step of the timeline judged otherwise under a reading: its provision, due dates and statuses."""
    def day(value: Any) -> str:
        return l10n.date(value, lang) if value is not None else "—"

    return gettext("sensitivity.step", lang).format(
        step=terminal_safe(step.citation), due_before=day(step.due_before), due_after=day(step.due_after),
        status_before=gettext(f"timeline.{step.status_before}", lang), status_after=gettext(f"timeline.{step.status_after}", lang),
    )


def _style(found: Any) -> Any:
    return found.pack.rule_pack.citation_style if found.pack.rule_pack else None


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from ..input.decree535_form import Competition
    from . import operations

    subject = _load_input(args.path)
    header = None
    if isinstance(subject, Competition):
        _no_competition_option(args)
    else:
        header = _header(args)
    source = operations.evaluate_input(subject, header, pack=args.pack, lang=args.lang, as_of=args.as_of, for_document=True)
    if args.format == "pdf" and (args.output is None or args.output == "-"):
        raise UsageError("--format pdf writes a file: give -o FILE.pdf", code="bad_output")
    document = operations.make_document(args.kind, source, date=args.date, allow_empty=args.allow_empty, competition=header)
    _warn(sorted(source.warnings), args.lang)
    inputs = _input_files(Path(args.path)) + ([Path(args.competition)] if args.competition else [])
    if args.output and args.output != "-" and (args.output.endswith(("/", os.sep)) or Path(args.output).is_dir()):
        # one file per addressee, named by the application: each notice is sent separately
        if args.kind != "notice" or not isinstance(subject, Competition):
            raise UsageError(f"{args.output}: a folder takes the notices of a competition, one file each; give a file name", code="bad_output")
        from .reports import notice_addressees

        folder = Path(args.output)
        try:  # a name ending in / is a folder: made if it is not there yet (its parent must be)
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{folder}: cannot make this folder ({exc.strerror})", code="bad_output") from None
        for name, part in notice_addressees(document, source):
            target = folder / f"{name}.{args.format}"
            _write_atomically(target, _rendered(part, args.format), inputs)
            print(_safe_lines(f"{gettext('cli.wrote', args.lang)}: {target}"), file=sys.stderr)
        return EXIT_OK
    data = _rendered(document, args.format)
    if args.output is not None and args.output != "-":
        if not args.output:
            raise UsageError("-o needs a file name (or - for standard output)", code="bad_output")
        _write_atomically(Path(args.output), data, inputs)
        print(_safe_lines(f"{gettext('cli.wrote', args.lang)}: {args.output}"), file=sys.stderr)
    else:
        out.write(data.decode("utf-8"))
    return EXIT_OK


# --------------------------------------------------------------------------- law


def _law(args: argparse.Namespace, out: TextIO) -> int:
    """The page of the folder; a break between its text and its entries is a warning on standard
    error and exit 1 (the page is written all the same, the break visible on it)."""
    from . import operations
    from ..packs import is_pack_folder

    folder = Path(args.folder)
    if not is_pack_folder(args.folder) or not folder.is_dir():
        raise UsageError(f"{args.folder}: not a pack folder (clusterpolicy law reads a folder; a shipped pack's page is docs/law.html)", code="usage")
    page, problems = operations.law_page(folder, args.lang)
    data = page.encode("utf-8")
    if args.output is not None and args.output != "-":
        if not args.output:
            raise UsageError("-o needs a file name (or - for standard output)", code="bad_output")
        _write_atomically(Path(args.output), data, [path for path in folder.rglob("*") if path.is_file()])
        print(f"wrote {terminal_safe(args.output)} ({len(data)} bytes)", file=sys.stderr)
    else:
        out.write(page)
    for problem in problems:
        print(f"warning: {terminal_safe(problem)}", file=sys.stderr)
    return EXIT_FINDINGS if problems else EXIT_OK


def _rendered(document: Any, fmt: str) -> bytes:
    if fmt == "pdf":
        return document.to_pdf()
    return (document.to_html() if fmt == "html" else document.to_markdown()).encode("utf-8")


# --------------------------------------------------------------------------- test, check (pack authors)


def _add_pack_authoring_commands(command: Any, wanted: Any) -> None:
    """``test`` and ``check``: a pack's YAML rule tests, and its load-time checks, from the
    installed command alone (no checkout, no pytest)."""
    if wanted("test"):
        _add_test_command(command)
    if wanted("check"):
        check = command(
            "check",
            "check a rule pack without running its cases: everything checked when it loads, then its case files",
            "clusterpolicy check my-packs/kz-2015-decree-535",
            [],
        )
        check.add_argument("path", metavar="DIR", help="a pack folder, or a shipped pack's id")
        check.set_defaults(handler=_check, collects=True)


def _add_test_command(command: Any) -> None:
    test = command(
        "test",
        "run the YAML rule tests of rule packs (exit 0 all hold, 1 some fail, 2 bad input)",
        "clusterpolicy test my-packs/kz-2015-decree-535",
        [],
    )
    test.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        help="a pack folder (all its cases and inherited ones), a case file or tests folder of one, or a shipped pack's id",
    )
    test.add_argument("-q", "--quiet", action="store_true", help="print only failing cases and the totals")
    test.set_defaults(handler=_test, collects=True)


def _pack_line(pack: Any) -> str:
    where = f" ({pack.folder})" if pack.origin == "folder" else ""
    return f"{pack.id} {pack.reported_version}{where}"


def _test(args: argparse.Namespace, out: TextIO) -> int:
    from ..authoring.suite import packs_to_test, run_suite

    worst = EXIT_OK
    write = _safe_writer(out)
    for pack, files in packs_to_test(args.paths):
        run = run_suite(pack, files=files)
        write(f"{_pack_line(pack)}: {len(run.cases)} case(s)\n")
        for case in run.cases:
            if case.ok:
                if not args.quiet:
                    write(f"ok    {case.where}: {case.name}\n")
                continue
            write(f"{'ERROR' if case.error else 'FAIL'}  {case.where}: {case.name}\n")
            for line in [case.error] if case.error else case.mismatches:
                write(f"      {line}\n")
        for problem in run.coverage:
            write(f"FAIL  {problem}\n")
        passed = len(run.cases) - len(run.failed) - len(run.errors)
        totals = f"{passed} passed, {len(run.failed)} failed, {len(run.errors)} error(s)"
        write(totals + (f", {len(run.coverage)} rule(s) without a passing and a failing case" if run.coverage else "") + "\n")
        worst = max(worst, run.exit_code)
    return worst


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from ..authoring.suite import check_pack

    found = check_pack(args.path)
    write = _safe_writer(out)
    if found.pack is not None:
        write(f"{_pack_line(found.pack)}: {len(found.pack.rules)} rule(s), {found.cases} case(s)\n")
    for error in found.errors:
        write(f"error: {error}\n")
    if found.pack is not None:
        write(f"quotes: {found.quotes} checked against the act's text\n")
    for reason in found.unchecked:
        write(f"unchecked: {reason}\n")
    for note in found.notes:
        write(f"note: {note}\n")
    write("ok\n" if not found.errors else f"{len(found.errors)} error(s)\n")
    return found.exit_code


# --------------------------------------------------------------------------- files


def _load_input(path: str) -> Any:
    """The application or competition at ``path``; ``-`` reads one document (YAML or JSON) from standard input."""
    from ..core.errors import InputError
    from ..core.sources import MAX_BYTES
    from ..input.loading import load, parse

    if path != "-":
        return load(path)
    data = sys.stdin.buffer.read(MAX_BYTES + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    if len(data) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", code="too_large")
    return parse(data, name="<stdin>")



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


if __name__ == "__main__":  # pragma: no cover - python -m clusterpolicy.output.cli
    sys.exit(main())
