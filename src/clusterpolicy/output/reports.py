"""Documents for officials, in Kazakh, Russian and English, as Markdown or HTML.

- :func:`return_notice` / :func:`return_notices`: the written notice returning an application
  for completion, one row per missing or faulty item with its provision and the message;
- :func:`completeness_protocol`: the organiser's protocol of the completeness check: who goes
  on, who is returned and why, who is not accepted, and whom the check could not decide for
  lack of data;
- :func:`evaluation_protocol`: points per block per application, the Commission's minimum
  score, the ranking, and the outcome: held, or failed with the date by which a new
  competition is due.

Every provision these documents cite, and the events whose dates are their default dates,
come from the procedure of the pack the result was evaluated under (its ``procedure.yaml``),
and each provision names the act it belongs to.

The language is that of the result the document is made from (``lang`` of
:func:`~clusterpolicy.competition.run_competition` or :func:`~clusterpolicy.engine.evaluate`).
No document reads the clock: its date is the ``date`` argument, or else the date of the
matching event of the competition (the protocol signed), or else a blank ``____``. HTML is
escaped, styled inline, with no external assets.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from ..core.errors import UsageError
from ..core import l10n
from ..core.i18n import Language, gettext

BLANK_DATE = "____"
Kind = Literal["notice", "completeness-protocol", "evaluation-protocol"]
KINDS: tuple[Kind, ...] = ("notice", "completeness-protocol", "evaluation-protocol")

CSS = (
    "body{font-family:'Times New Roman',serif;max-width:60em;margin:2em auto;line-height:1.4}"
    "h1{font-size:1.3em;text-align:center}h2{font-size:1.1em;margin-top:1.5em}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}"
    "th,td{border:1px solid #444;padding:.25em .5em;vertical-align:top;text-align:left}"
    "th{background:#eee}.meta td{border:none;padding:0 .5em 0 0}"
    ".document{page-break-after:always;margin-bottom:3em}.signature{margin-top:3em}"
)


# --------------------------------------------------------------------------- document model


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    role: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Fields:
    """Label: value lines at the head of a document (date, competition, application...)."""

    items: list[tuple[str, str]]


Block = Union[Heading, Paragraph, Table, Fields]


@dataclass(frozen=True)
class Section:
    """One document: a title and its blocks."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialDocument:
    """One or more documents (e.g. one notice per returned application) in one language."""

    language: Language
    sections: list[Section]

    @property
    def title(self) -> str:
        return self.sections[0].title if self.sections else ""

    def to_markdown(self) -> str:
        """Markdown: headings, ``|`` tables with ``|`` and line breaks in cells escaped."""
        parts = []
        for section in self.sections:
            lines = [f"# {_md(section.title)}", ""]
            for block in section.blocks:
                if isinstance(block, Heading):
                    lines += [f"## {_md(block.text)}", ""]
                elif isinstance(block, Paragraph):
                    lines += [_md(block.text), ""]
                elif isinstance(block, Fields):
                    lines += [f"**{_md(label)}:** {_md(value)}  " for label, value in block.items] + [""]
                else:
                    lines.append("| " + " | ".join(_cell(h) for h in block.headers) + " |")
                    lines.append("|" + "---|" * len(block.headers))
                    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
                    lines.append("")
            parts.append("\n".join(lines).rstrip("\n") + "\n")
        return "\n---\n\n".join(parts)

    def to_html(self) -> str:
        """A standalone HTML page, every text escaped, a small inline style, no external assets."""
        body = []
        for section in self.sections:
            body.append(f'<section class="document"><h1>{_h(section.title)}</h1>')
            for block in section.blocks:
                if isinstance(block, Heading):
                    body.append(f"<h2>{_h(block.text)}</h2>")
                elif isinstance(block, Paragraph):
                    role = f' class="{_h(block.role)}"' if block.role else ""
                    body.append(f"<p{role}>{_h(block.text)}</p>")
                elif isinstance(block, Fields):
                    rows = "".join(f"<tr><td><strong>{_h(k)}:</strong></td><td>{_h(v)}</td></tr>" for k, v in block.items)
                    body.append(f'<table class="meta">{rows}</table>')
                else:
                    head = "".join(f"<th>{_h(h)}</th>" for h in block.headers)
                    rows = "".join(
                        "<tr>" + "".join(f"<td>{_h(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
                        for row in block.rows
                    )
                    body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            body.append("</section>")
        return (
            f'<!DOCTYPE html>\n<html lang="{self.language}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_h(self.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )


def _h(text: str) -> str:
    return html.escape(str(text), quote=True)


_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]+")


def _md(text: str) -> str:
    """Markdown text on one line, with the characters that would start markup escaped: a line
    break in a name or a title (``"x\\n# ADMITTED BY DECISION OF THE COMMISSION"``) must not
    put a heading or a forged row into an official document."""
    escaped = _LINE_BREAKS.sub(" ", str(text))
    for char in "\\`*[]<>|#":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _cell(text: str) -> str:
    """A table cell: each line escaped, the lines joined by ``<br>`` (findings of one application)."""
    return "<br>".join(_md(line) for line in str(text).split("\n"))


# --------------------------------------------------------------------------- helpers


def _pack(source: Any, pack: Any = None) -> Any:
    """The rule pack ``source`` (a result or report) was evaluated under, and its procedure.

    A result read back from JSON carries only the pack's id: give the pack as ``pack``.
    """
    pack = pack or source.pack.rule_pack
    if pack is None:
        raise UsageError(
            f"the result carries no rule pack (read back from JSON?): pass pack=, the pack {source.pack.id} it was evaluated under",
            code="usage",
        )
    return pack, pack.require_procedure()


def _cite(pack: Any, citation: Any, lang: Language) -> str:
    """A provision inside a sentence, as its act writes it in ``lang`` (п.16 Правил)."""
    return pack.cite(citation.provision, lang, short=True)


def _act(pack: Any, citation: Any, lang: Language) -> str:
    """The title of the act the provision belongs to (by the pack's declared inheritance)."""
    return citation.act or pack.act_of(citation.provision).title.get(lang)


def _date(date: dt.date | str | None, default: dt.date | None, lang: Language = "en") -> str:
    """The document's date as people write it in ``lang`` (a text that is not a date: as given)."""
    if date is not None:
        return l10n.date(date, lang)
    return l10n.date(default, lang) if default else BLANK_DATE


def _t(key: str, lang: Language, **values: Any) -> str:
    text = gettext(key, lang)
    return text.format(**values) if values else text


def _signature(lang: Language) -> Paragraph:
    return Paragraph(_t("report.signature", lang), role="signature")


# --------------------------------------------------------------------------- the notice


def return_notice(
    result: Any, *, competition_id: str | None = None, date: dt.date | str | None = None, pack: Any = None
) -> OfficialDocument:
    """The notice returning one application for completion, from its :class:`ApplicationResult`."""
    lang = result.language
    return OfficialDocument(lang, [_notice_section(result, competition_id, date, lang, pack)])


def return_notices(report: Any, *, date: dt.date | str | None = None, pack: Any = None) -> OfficialDocument:
    """One notice per application the completeness check returns, from a :class:`CompetitionReport`.

    Default date: that of the completeness protocol (the notices go out with it).
    """
    lang = report.language
    pack, procedure = _pack(report, pack)
    day = _date(date, report.event_date(procedure.stage(report.stage).events.completeness_protocol_signed), lang)
    returned = [a for a in report.completeness.applications if a.status == "returned"]
    if not returned:
        title = _t("report.notice.title", lang)
        fields = Fields([(_t("report.date", lang), day), (_t("report.competition", lang), report.competition_id)])
        return OfficialDocument(lang, [Section(title, [fields, Paragraph(_t("report.notice.none", lang))])])
    return OfficialDocument(lang, [_notice_section(a, report.competition_id, day, lang, pack) for a in returned])


def _notice_section(result: Any, competition_id: str | None, date: Any, lang: Language, pack: Any = None) -> Section:
    title = _t("report.notice.title", lang)
    fields = [(_t("report.date", lang), _date(date, None, lang))]
    if competition_id:
        fields.append((_t("report.competition", lang), competition_id))
    fields += [
        (_t("report.application", lang), result.application_id),
        (_t("report.cluster", lang), result.cluster_name),
        (_t("report.stage", lang), str(result.stage)),
    ]
    blocks: list[Block] = [
        Fields(fields),
        Paragraph(_t("report.notice.to", lang, application=result.application_id, cluster=result.cluster_name)),
    ]
    if result.status != "returned":
        status = gettext(f"status.{result.status}", lang)
        blocks.append(Paragraph(_t("report.notice.not_returned", lang, application=result.application_id, status=status)))
        return Section(title, blocks)
    grounds = [r for r in result.results if r.outcome == "failed" and r.severity in ("disqualifying", "return")]
    remarks = [r for r in result.results if r.outcome == "failed" and r.severity == "warning"]
    pack, procedure = _pack(result, pack)
    returned = procedure.stage(result.stage).status.returned
    blocks.append(Paragraph(_t("report.notice.body", lang, paragraph=_cite(pack, returned, lang), act=_act(pack, returned, lang))))
    blocks.append(_findings_table(grounds, lang))
    if remarks:
        blocks += [Heading(_t("report.notice.remarks", lang)), _findings_table(remarks, lang)]
    blocks.append(_signature(lang))
    return Section(title, blocks)


def _findings_table(findings: list[Any], lang: Language) -> Table:
    headers = [_t("report.number", lang), _t("report.requirement", lang), _t("report.provision", lang), _t("report.finding", lang)]
    rows = [[str(i), f.title, f.citation.text, f.message or ""] for i, f in enumerate(findings, start=1)]
    return Table(headers, rows)


# --------------------------------------------------------------------------- completeness protocol


def _protocol_header(report: Any, day: str) -> Fields:
    """Date, competition, stage and rule pack: the head of both protocols."""
    lang = report.language
    title = report.competition_id + (f" — {report.title}" if report.title else "")
    return Fields(
        [
            (_t("report.date", lang), day),
            (_t("report.competition", lang), title),
            (_t("report.stage", lang), str(report.stage)),
            (_t("report.rule_pack", lang), f"{report.pack.id} {report.pack.version}"),
        ]
    )


def completeness_protocol(report: Any, *, date: dt.date | str | None = None, pack: Any = None) -> OfficialDocument:
    """The organiser's protocol of the completeness check from a :class:`CompetitionReport`."""
    lang, stage = report.language, report.stage
    applications = report.completeness.applications
    pack, procedure = _pack(report, pack)
    steps = procedure.stage(stage)
    day = _date(date, report.event_date(steps.events.completeness_protocol_signed), lang)
    closes_at = report.acceptance_closes_at
    timed = isinstance(closes_at, dt.datetime)
    closes = l10n.date(closes_at, lang) if lang != "en" or not timed else closes_at.isoformat(sep=" ", timespec="minutes")
    blocks: list[Block] = [
        _protocol_header(report, day),
        Paragraph(
            _t(
                "report.completeness.intro",
                lang,
                paragraph=_cite(pack, steps.completeness_check, lang),
                act=_act(pack, steps.completeness_check, lang),
                count=len(applications),
                closes=closes,
                requirements=_cite(pack, steps.requirements, lang),
            )
        ),
    ]
    number, application, cluster = _t("report.number", lang), _t("report.application", lang), _t("report.cluster", lang)
    admitted = [a for a in applications if a.status == "admitted"]
    next_step = _t(f"report.next.stage{stage}", lang, paragraph=_cite(pack, steps.next_step, lang))
    blocks.append(Heading("1. " + _t("report.completeness.admitted", lang, next=next_step)))
    blocks.append(_or_none(Table([number, application, cluster], [[str(i), a.application_id, a.cluster_name] for i, a in enumerate(admitted, 1)]), lang))

    sections = (
        ("returned", "report.completeness.returned", _cite(pack, steps.status.returned, lang)),
        ("not_accepted", "report.completeness.not_accepted", _cite(pack, steps.status.not_accepted, lang)),
        ("undetermined", "report.completeness.undetermined", None),
    )
    for index, (status, key, where) in enumerate(sections, start=2):
        chosen = [a for a in applications if a.status == status]
        blocks.append(Heading(f"{index}. " + _t(key, lang, paragraph=where)))
        rows = []
        for i, a in enumerate(chosen, start=1):
            decisive = [r for r in a.results if r.rule_id in a.reasons]
            rows.append(
                [
                    str(i),
                    a.application_id,
                    a.cluster_name,
                    "\n".join(r.citation.text for r in decisive),
                    "\n".join(r.message or r.title for r in decisive),
                ]
            )
        headers = [number, application, cluster, _t("report.provision", lang), _t("report.finding", lang)]
        blocks.append(_or_none(Table(headers, rows), lang))
    blocks.append(_signature(lang))
    return OfficialDocument(lang, [Section(_t("report.completeness.title", lang, stage=stage), blocks)])


def _or_none(table: Table, lang: Language) -> Block:
    return table if table.rows else Paragraph("— " + _t("report.none", lang))


# --------------------------------------------------------------------------- evaluation protocol


def evaluation_protocol(report: Any, *, date: dt.date | str | None = None, pack: Any = None) -> OfficialDocument:
    """Points per block, the minimum score, the ranking and the outcome, from a :class:`CompetitionReport`."""
    lang, stage = report.language, report.stage
    pack, procedure = _pack(report, pack)
    day = _date(date, report.event_date(procedure.stage(stage).events.evaluation_protocol_signed), lang)
    cited = procedure.citations
    blocks: list[Block] = [
        _protocol_header(report, day),
        Paragraph(
            _t("report.evaluation.intro", lang, paragraph=_cite(pack, cited.criteria, lang), pack=report.pack.id)
        ),
    ]
    number, application, cluster = _t("report.number", lang), _t("report.application", lang), _t("report.cluster", lang)
    scores = [s for s in report.scores]
    outcome = report.outcome
    ranks = {entry.application_id: entry for entry in (outcome.ranking if outcome else [])}

    blocks.append(Heading("1. " + _t("report.evaluation.scores", lang)))
    if scores:
        block_list = [(b.number, b.title.get(lang)) for b in scores[0].blocks]
        blocks += [Paragraph(_t("report.evaluation.block", lang, number=n, title=t)) for n, t in block_list]
        headers = [number, application, cluster, *(str(n) for n, _ in block_list), _t("report.total", lang), _t("report.rank", lang)]
        rows = []
        for i, s in enumerate(scores, start=1):
            points = [_figure(b.points) for b in s.blocks]
            rank = ranks.get(s.application_id)
            rows.append([str(i), s.application_id, s.cluster_name, *points, _figure(s.total), str(rank.rank) if rank else "—"])
        blocks.append(Table(headers, rows))
    else:
        blocks.append(Paragraph(_t("report.evaluation.no_scores", lang)))

    minimum = report.minimum_score
    value = str(minimum) if minimum is not None else _t("report.evaluation.minimum_not_set", lang)
    blocks.append(Heading("2. " + _t("report.minimum_score", lang)))
    blocks.append(Paragraph(_t("report.evaluation.minimum", lang, paragraph=_cite(pack, cited.minimum_score, lang), value=value)))

    blocks.append(Heading("3. " + _t("report.evaluation.ranking", lang)))
    if outcome is not None and outcome.ranking:
        yes, no = _t("report.yes", lang), _t("report.no", lang)
        headers = [_t("report.rank", lang), application, cluster, _t("report.total", lang), _t("report.above_minimum", lang)]
        rows = [
            [str(e.rank), e.application_id, e.cluster_name, _figure(e.total), "—" if e.admitted is None else (yes if e.admitted else no)]
            for e in outcome.ranking
        ]
        blocks.append(Table(headers, rows))
    else:
        blocks.append(Paragraph("— " + _t("report.none", lang)))
    if outcome is not None and outcome.unranked:
        blocks.append(Heading(_t("report.evaluation.unranked", lang)))
        rows = [[str(i), u.application_id, _t(f"report.unranked.{u.reason}", lang)] for i, u in enumerate(outcome.unranked, 1)]
        blocks.append(Table([number, application, _t("report.finding", lang)], rows))

    blocks.append(Heading("4. " + _t("report.evaluation.outcome", lang)))
    if outcome is not None:
        blocks += _outcome_paragraphs(outcome, lang, _cite(pack, cited.failed, lang), _cite(pack, cited.reannouncement, lang))
    else:
        blocks.append(Paragraph(_t("report.evaluation.no_scores", lang)))
    blocks.append(_signature(lang))
    return OfficialDocument(lang, [Section(_t("report.evaluation.title", lang, stage=stage), blocks)])


def _outcome_paragraphs(outcome: Any, lang: Language, p41: str, p42: str) -> list[Block]:
    """Held or failed (``p41``: where the act says so), and when it is announced again (``p42``)."""
    values = {"count": outcome.compliant_count, "minimum": outcome.minimum_compliant_participants}
    if outcome.status == "held":
        return [Paragraph(_t("report.outcome.held", lang, paragraph=p41, **values))]
    if outcome.status == "undetermined":
        undetermined = len(outcome.undetermined_ids)
        return [Paragraph(_t("report.outcome.undetermined", lang, paragraph=p41, undetermined=undetermined, **values))]
    result: list[Block] = [Paragraph(_t("report.outcome.failed", lang, paragraph=p41, **values))]
    if outcome.reannouncement_due is not None:
        result.append(Paragraph(_t("report.outcome.reannouncement_due", lang, due=l10n.date(outcome.reannouncement_due, lang), paragraph=p42)))
    else:
        result.append(Paragraph(_t("report.outcome.reannouncement_term", lang, months=outcome.reannouncement_months, paragraph=p42)))
    return result


def _figure(value: Any) -> str:
    return "—" if value is None else str(value)


# --------------------------------------------------------------------------- dispatch


def make_report(kind: Kind, source: Any, *, date: dt.date | str | None = None, pack: Any = None) -> OfficialDocument:
    """The document of ``kind`` from a :class:`CompetitionReport` (any kind) or an :class:`ApplicationResult` (notice)."""
    if kind not in KINDS:
        raise UsageError(f"unknown report kind {kind!r}; one of: {', '.join(KINDS)}", code="usage")
    is_competition = type(source).__name__ == "CompetitionReport"
    if kind == "notice":
        return return_notices(source, date=date, pack=pack) if is_competition else return_notice(source, date=date, pack=pack)
    if not is_competition:
        raise UsageError(f"a {kind} is made for a whole competition, not for one application", code="usage")
    if kind == "completeness-protocol":
        return completeness_protocol(source, date=date, pack=pack)
    return evaluation_protocol(source, date=date, pack=pack)


__all__ = [
    "OfficialDocument",
    "completeness_protocol",
    "evaluation_protocol",
    "make_report",
    "return_notice",
    "return_notices",
]
