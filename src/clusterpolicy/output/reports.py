"""Documents for officials, in Kazakh, Russian and English, as Markdown or HTML.

- :func:`return_notice` / :func:`return_notices`: the written notice returning an application
  (the act grants return only, not rework), one row per missing or faulty item with its provision and the message;
- :func:`completeness_protocol`: the organiser's protocol of the completeness check: who goes
  on, who is returned and why, who is not accepted, and whom the check could not decide for
  lack of data;
- :func:`evaluation_protocol`: points per block of the applications admitted to the
  evaluation (the others listed apart, with why), the expert marks not counted and why, the
  Commission's minimum score, the ranking, and the outcome: held, or failed with the date by
  which a new competition is due. At a stage whose procedure names a ``review`` (stage 2 of
  Decree 535: p.36-38) the evaluation document is instead :func:`review_protocol`, the
  organiser's review of the admitted applications that goes to the Commission.

A notice is addressed to the applicant by name, with the application's registration number
and date and the competition's title; dates and durations are written as people write them
(«8 маусым 2017 ж., 19:30»). A competition without applications is refused (``InputError``
``no_applications``) unless ``allow_empty=True``: a competition file given instead of its
folder must not produce a "competition failed" protocol.

Every provision these documents cite, and the events whose dates are their default dates,
come from the procedure of the pack the result was evaluated under (its ``procedure.yaml``),
and each provision names the act it belongs to.

The language is that of the result the document is made from (``lang`` of
:func:`~clusterpolicy.competition.run_competition` or :func:`~clusterpolicy.evaluation.evaluate`).
No document reads the clock: its date is the ``date`` argument, or else the date of the
matching event of the competition (the protocol signed), or else a blank ``____``. HTML is
escaped, styled inline, with no external assets, and prints on A4 (``@page``), each notice on
its own sheets, with a signature block and a serif font stack that has every Kazakh letter;
:meth:`OfficialDocument.to_pdf` makes a PDF of it (the ``pdf`` extra: WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from ..competition import CompetitionReport
from ..core.errors import InputError, UsageError
from ..core import l10n
from ..core.i18n import Language, gettext

BLANK_DATE = "____"
Kind = Literal["notice", "completeness-protocol", "evaluation-protocol"]
# Serif faces that carry every Kazakh letter (ә ғ қ ң ө ұ ү һ і) on Linux (DejaVu Serif, Liberation
# Serif 2, Noto Serif), Windows (Times New Roman since Windows Vista, Cambria) and macOS (Times New
# Roman, PT Serif): a face that lacks one makes the browser mix faces inside a word.
FONTS = "'DejaVu Serif','Liberation Serif','Noto Serif','Times New Roman','PT Serif',Cambria,serif"
KINDS: tuple[Kind, ...] = ("notice", "completeness-protocol", "evaluation-protocol")

CSS = (
    "@page{size:A4;margin:20mm 10mm 20mm 25mm}"
    f"body{{font-family:{FONTS};font-size:12pt;max-width:60em;margin:2em auto;line-height:1.35;color:#000}}"
    "h1{font-size:14pt;text-align:center;margin:0 0 1em}h2{font-size:12pt;margin:1.2em 0 .4em}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}"
    "th,td{border:1px solid #444;padding:.2em .3em;vertical-align:top;text-align:left;font-size:10pt;"
    "overflow-wrap:break-word;hyphens:auto}"
    "th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}"
    ".meta td{border:none;padding:0 .5em 0 0}"
    ".document{margin-bottom:3em}.document+.document{break-before:page;page-break-before:always}"
    ".signature{margin-top:3em;border:none;width:100%;table-layout:fixed;break-inside:avoid;page-break-inside:avoid}"
    ".signature td{border:none;padding:0 .6em 0 0;vertical-align:bottom}.signature td:first-child{width:28%}"
    ".signature .line{border-bottom:1px solid #000;height:2.2em}"
    ".signature .caption td{font-size:9pt;text-align:center;vertical-align:top}"
    "h2{break-after:avoid;page-break-after:avoid}.meta td:first-child{width:32%}"
    "@media print{body{max-width:none;margin:0}.document{margin-bottom:0}}"
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


@dataclass(frozen=True)
class Signature:
    """Who signs (the competition organiser) and the blanks: position, name, signature."""

    who: str
    captions: tuple[str, str, str]


Block = Union[Heading, Paragraph, Table, Fields, Signature]


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
                elif isinstance(block, Signature):
                    blanks = " ".join(f"____________ ({_md(caption)})" for caption in block.captions)
                    lines += [f"{_md(block.who)}: {blanks}", ""]
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
                    rows = "".join(
                        f"<tr><td><strong>{_h(k)}:</strong></td><td>{_h(v).replace(chr(10), '<br>')}</td></tr>"
                        for k, v in block.items
                    )
                    body.append(f'<table class="meta">{rows}</table>')
                elif isinstance(block, Signature):
                    lines_ = "".join('<td class="line"></td>' for _ in block.captions)
                    captions = "".join(f"<td>{_h(c)}</td>" for c in block.captions)
                    body.append(
                        f'<table class="signature"><tr><td><strong>{_h(block.who)}</strong></td>{lines_}</tr>'
                        f'<tr class="caption"><td></td>{captions}</tr></table>'
                    )
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

    def to_pdf(self) -> bytes:
        """The HTML page as an A4 PDF with its fonts embedded (the ``pdf`` extra: WeasyPrint)."""
        from .pdf import html_to_pdf

        return html_to_pdf(self.to_html())


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


def _according(pack: Any, citation: Any, lang: Language) -> str:
    """«In accordance with <provision> of <the document, approved by the act>», as the pack's citation
    style phrases it (``phrases.according``); else the provision and the act's title."""
    style = getattr(pack, "citation_style", None)
    phrase = style.phrase("according", citation.provision, lang) if style is not None else None
    return phrase or _t("report.according", lang, paragraph=_cite(pack, citation, lang), act=_act(pack, citation, lang))


def _requirements(pack: Any, citation: Any, lang: Language) -> str:
    """The requirements a provision sets, in the case «на соответствие …» needs (``phrases.requirements``)."""
    style = getattr(pack, "citation_style", None)
    phrase = style.phrase("requirements", citation.provision, lang) if style is not None else None
    return phrase or _cite(pack, citation, lang)


def _stage_name(stage: int, lang: Language) -> str:
    """The stage as a word: «первый этап», «бірінші кезең»."""
    return _t(f"report.stage_name.{stage}", lang) if l10n.has(f"report.stage_name.{stage}", lang) else str(stage)


def _date(date: dt.date | str | None, default: dt.date | None, lang: Language = "en") -> str:
    """The document's date as people write it in ``lang`` (a text that is not a date: as given)."""
    if date is not None:
        return l10n.written(date, lang)
    return l10n.written(default, lang) if default else BLANK_DATE


def _t(key: str, lang: Language, **values: Any) -> str:
    text = gettext(key, lang)
    return text.format(**values) if values else text


def _signature(lang: Language) -> Signature:
    captions = (_t("report.signature.position", lang), _t("report.signature.name", lang), _t("report.signature.sign", lang))
    return Signature(_t("report.signature.organiser", lang), captions)


def _registration(result: Any, lang: Language) -> str:
    """The application's registration number and date («№ КО-2017/008 от 8 июня 2017 г.»); else its id."""
    if getattr(result, "registration_number", None):
        day = l10n.written(result.registration_date, lang) if result.registration_date else BLANK_DATE
        return _t("report.registration_value", lang, number=result.registration_number, date=day)
    return result.application_id


def _who(result: Any, lang: Language) -> str:
    """An application in a protocol's table: its applicant and its registration (two lines)."""
    applicant = getattr(result, "applicant", None)
    return f"{applicant}\n{_registration(result, lang)}" if applicant else _registration(result, lang)


def _competition_name(report: Any) -> str:
    return report.title or report.competition_id


def _require_applications(report: Any, allow_empty: bool) -> None:
    """A document of a competition with no application is a mistake unless the caller says otherwise."""
    if not report.completeness.applications and not allow_empty:
        raise InputError(
            f"competition {report.competition_id!r} has no application: no document is drafted for it "
            "(a competition file given instead of its folder?); pass allow_empty=True (--allow-empty) if this is intended",
            code="no_applications",
        )


# --------------------------------------------------------------------------- the notice


def return_notice(
    result: Any,
    *,
    competition_id: str | None = None,
    date: dt.date | str | None = None,
    pack: Any = None,
    competition_title: str | None = None,
) -> OfficialDocument:
    """The notice returning one application (the act grants return, not rework), from its :class:`ApplicationResult`.

    ``competition_title`` (else ``competition_id``) names the competition in the notice.
    """
    lang = result.language
    return OfficialDocument(lang, [_notice_section(result, competition_title or competition_id, date, lang, pack)])


def return_notices(
    report: Any, *, date: dt.date | str | None = None, pack: Any = None, allow_empty: bool = False
) -> OfficialDocument:
    """One notice per application the completeness check returns, from a :class:`CompetitionReport`.

    Default date: that of the completeness protocol (the notices go out with it).
    """
    _require_applications(report, allow_empty)
    lang = report.language
    pack, procedure = _pack(report, pack)
    day = _date(date, report.event_date(procedure.stage(report.stage).events.completeness_protocol_signed), lang)
    returned = [a for a in report.completeness.applications if a.status == "returned"]
    if not returned:
        title = _t("report.notice.title", lang)
        fields = Fields([(_t("report.date", lang), day), (_t("report.competition", lang), _competition_name(report))])
        return OfficialDocument(lang, [Section(title, [fields, Paragraph(_t("report.notice.none", lang))])])
    return OfficialDocument(lang, [_notice_section(a, _competition_name(report), day, lang, pack) for a in returned])


def _notice_section(result: Any, competition: str | None, date: Any, lang: Language, pack: Any = None) -> Section:
    title = _t("report.notice.title", lang)
    applicant = getattr(result, "applicant", None) or result.application_id
    fields = [(_t("report.date", lang), _date(date, None, lang))]
    if competition:
        fields.append((_t("report.competition", lang), competition))
    fields += [
        (_t("report.applicant", lang), applicant),
        (_t("report.registration", lang), _registration(result, lang)),
    ]
    if getattr(result, "submitted_at", None) is not None:
        fields.append((_t("report.received", lang), l10n.written(result.submitted_at, lang)))
    fields += [(_t("report.cluster", lang), result.cluster_name), (_t("report.stage", lang), str(result.stage))]
    blocks: list[Block] = [Fields(fields), Paragraph(_t("report.notice.addressee", lang, applicant=applicant))]
    if result.status != "returned":
        status = gettext(f"status.{result.status}", lang)
        blocks.append(Paragraph(_t("report.notice.not_returned", lang, application=_registration(result, lang), status=status)))
        return Section(title, blocks)
    grounds = [r for r in result.results if r.outcome == "failed" and r.severity in ("disqualifying", "return")]
    remarks = [r for r in result.results if r.outcome == "failed" and r.severity == "warning"]
    pack, procedure = _pack(result, pack)
    returned = procedure.stage(result.stage).status.returned
    blocks.append(Paragraph(_t("report.notice.body", lang, according=_according(pack, returned, lang))))
    blocks.append(Heading(_t("report.notice.what_to_fix", lang)))
    blocks.append(_findings_table(grounds, lang))
    for finding in grounds:
        blocks += _affiliation_blocks(finding, lang)
    if remarks:
        blocks += [Heading(_t("report.notice.remarks", lang)), _findings_table(remarks, lang)]
    blocks.append(_signature(lang))
    return Section(title, blocks)


def _findings_table(findings: list[Any], lang: Language) -> Table:
    headers = [_t("report.number", lang), _t("report.requirement", lang), _t("report.provision", lang), _t("report.finding", lang)]
    rows = [[str(i), f.title, f.citation.text, _finding_text(f)] for i, f in enumerate(findings, start=1)]
    return Table(headers, rows)


def _finding_text(finding: Any) -> str:
    """The finding's message, and the requirement not met with what was found (its remedy's
    ``finding``: never the change, since nothing is resubmitted after the close)."""
    shown = (finding.remedy.finding if finding.remedy is not None else None) or ""
    capital = shown[:1].upper() + shown[1:]
    return "\n".join(text for text in (finding.message or "", f"{capital}." if shown else "") if text)


def _affiliation_blocks(finding: Any, lang: Language) -> list[Block]:
    """For a count of unaffiliated legal entities: the groups counted as one entity and why
    (who holds what share, which official is shared), and the participants not counted as
    legal entities, in the reader's language (from the check's ``observed.affiliation``)."""
    affiliation = finding.observed.get("affiliation") if isinstance(finding.observed, dict) else None
    if not isinstance(affiliation, dict):
        return []
    names = {m["participant_id"]: m["name"] for g in affiliation.get("groups", []) for m in g.get("members", [])}
    blocks: list[Block] = []
    rows = []
    for group in affiliation.get("groups", []):
        if len(group.get("members", [])) < 2:
            continue
        members = "\n".join(m["name"] + (f" ({m['bin']})" if m.get("bin") else "") for m in group["members"])
        why = "\n".join(_tie(tie, names, lang) for link in group.get("links", []) for tie in _link_ties(link))
        rows.append([str(group["number"]), members, why])
    if rows:
        provision = finding.citation.text
        blocks.append(Heading(f"{_t('report.affiliation.groups', lang)} ({provision})"))
        headers = [_t("report.affiliation.group", lang), _t("report.affiliation.members", lang), _t("report.affiliation.why", lang)]
        blocks.append(Table(headers, rows))
    excluded = affiliation.get("excluded", [])
    if excluded:
        blocks.append(Heading(_t("report.affiliation.not_counted", lang)))
        headers = [_t("report.number", lang), _t("report.affiliation.participant", lang), _t("report.affiliation.reason", lang)]
        rows = [
            [str(i), names.get(e["participant_id"], e["participant_id"]), _exclusion(e, lang)]
            for i, e in enumerate(excluded, start=1)
        ]
        blocks.append(Table(headers, rows))
    return blocks


def _link_ties(link: dict[str, Any]) -> list[dict[str, Any]]:
    return list(link.get("ties") or [])


def _tie(tie: dict[str, Any], names: dict[str, str], lang: Language) -> str:
    """One stated fact behind an affiliation, in ``lang``: «АО X владеет 60% в ТОО Y»."""
    holder = names.get(tie["holder"], tie["holder"])
    participant = names.get(tie["participant_id"], tie["participant_id"])
    role = tie.get("role")
    if role == "owner":
        share = tie.get("share_percent")
        if share is None:
            return _t("report.tie.owner_no_share", lang, holder=holder, participant=participant)
        return _t("report.tie.owner", lang, holder=holder, participant=participant, share=_percent(share))
    if role == "controller":
        return _t("report.tie.controller", lang, holder=holder, participant=participant)
    if role == "official":
        if tie.get("position"):
            return _t("report.tie.official", lang, holder=holder, participant=participant, position=tie["position"])
        return _t("report.tie.official_no_position", lang, holder=holder, participant=participant)
    return _t("report.tie.declared", lang, holder=holder, participant=participant)


def _percent(value: Any) -> str:
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _exclusion(exclusion: dict[str, Any], lang: Language) -> str:
    reason = exclusion.get("reason")
    return _t(f"report.exclusion.{reason}", lang) if l10n.has(f"report.exclusion.{reason}", lang) else str(exclusion.get("message", ""))


# --------------------------------------------------------------------------- completeness protocol


def _protocol_header(report: Any, day: str) -> Fields:
    """Date, competition, stage and rule pack: the head of the protocols."""
    lang = report.language
    return Fields(
        [
            (_t("report.date", lang), day),
            (_t("report.competition", lang), _competition_name(report)),
            (_t("report.stage", lang), str(report.stage)),
            (_t("report.rule_pack", lang), _pack_name(report.pack, lang)),
        ]
    )


def _pack_name(pack: Any, lang: Language) -> str:
    """The rule pack as a protocol names it: in English its id and version (what a script reads
    back); in Kazakh and Russian its title (which names the act it encodes) and the version (no
    English id in a kk or ru document). A result read back from JSON without its pack: the id."""
    rule_pack = getattr(pack, "rule_pack", None)
    if lang == "en" or rule_pack is None:
        return f"{pack.id} {pack.version}"
    return rule_pack.header.title.get(lang)


def completeness_protocol(
    report: Any, *, date: dt.date | str | None = None, pack: Any = None, allow_empty: bool = False
) -> OfficialDocument:
    """The organiser's protocol of the completeness check from a :class:`CompetitionReport`.

    The applications received by the close of acceptance are counted and decided apart from
    those received after it, which are not accepted nor considered (listed last, with how late).
    """
    _require_applications(report, allow_empty)
    lang, stage = report.language, report.stage
    applications = report.completeness.applications
    pack, procedure = _pack(report, pack)
    steps = procedure.stage(stage)
    day = _date(date, report.event_date(steps.events.completeness_protocol_signed), lang)
    on_time = [a for a in applications if a.status != "not_accepted"]
    late = [a for a in applications if a.status == "not_accepted"]
    blocks: list[Block] = [
        _protocol_header(report, day),
        Paragraph(
            _t(
                "report.completeness.intro",
                lang,
                according=_according(pack, steps.completeness_check, lang),
                count=l10n.count(len(on_time), "unit.applications", lang),
                closes=l10n.written(report.acceptance_closes_at, lang),
                requirements=_requirements(pack, steps.requirements, lang),
            )
        ),
    ]
    if late:
        form = l10n.plural_form(len(late), lang) if lang == "ru" else ("one" if len(late) == 1 else "many")
        blocks.append(Paragraph(_t(f"report.completeness.late_count.{form}", lang, count=len(late), paragraph=_cite(pack, steps.status.not_accepted, lang))))
    number, application, cluster = _t("report.number", lang), _t("report.application", lang), _t("report.cluster", lang)
    admitted = [a for a in on_time if a.status == "admitted"]
    next_step = _t(f"report.next.stage{stage}", lang, paragraph=_cite(pack, steps.next_step, lang))
    blocks.append(Heading("1. " + _t("report.completeness.admitted", lang, next=next_step)))
    blocks.append(_or_none(Table([number, application, cluster], [[str(i), _who(a, lang), a.cluster_name] for i, a in enumerate(admitted, 1)]), lang))

    provision, finding = _t("report.provision", lang), _t("report.finding", lang)
    sections = (
        ("returned", "report.completeness.returned", _cite(pack, steps.status.returned, lang)),
        ("undetermined", "report.completeness.undetermined", None),
    )
    for index, (status, key, where) in enumerate(sections, start=2):
        chosen = [a for a in on_time if a.status == status]
        blocks.append(Heading(f"{index}. " + _t(key, lang, paragraph=where)))
        rows = []
        for i, a in enumerate(chosen, start=1):
            decisive = [r for r in a.results if r.rule_id in a.reasons]
            rows.append(
                [
                    str(i),
                    _who(a, lang),
                    a.cluster_name,
                    "\n".join(r.citation.text for r in decisive),
                    "\n".join(r.message or r.title for r in decisive),
                ]
            )
        blocks.append(_or_none(Table([number, application, cluster, provision, finding], rows), lang))

    blocks.append(Heading("4. " + _t("report.completeness.not_accepted", lang, paragraph=_cite(pack, steps.status.not_accepted, lang))))
    rows = []
    for i, a in enumerate(late, start=1):
        received = l10n.written(a.submitted_at, lang) if a.submitted_at else "—"
        if a.submitted_at is not None:
            late_by = a.submitted_at - report.acceptance_closes_at
            if late_by.total_seconds() >= 1:
                received += "\n" + _t("report.completeness.late_by", lang, duration=l10n.duration(late_by, lang))
            else:
                received += "\n" + _t("report.completeness.late_at_close", lang)
        rows.append([str(i), _who(a, lang), a.cluster_name, received])
    blocks.append(_or_none(Table([number, application, cluster, _t("report.received", lang)], rows), lang))
    blocks.append(_signature(lang))
    title = _t("report.completeness.title", lang, stage=stage, stage_name=_stage_name(stage, lang), requirements=_requirements(pack, steps.requirements, lang))
    return OfficialDocument(lang, [Section(title, blocks)])


def _or_none(table: Table, lang: Language) -> Block:
    return table if table.rows else Paragraph("— " + _t("report.none", lang))


def _not_evaluated(report: Any, pack: Any, lang: Language) -> Table:
    """The applications the completeness check did not admit: status and the provision it rests on."""
    headers = [_t("report.number", lang), _t("report.application", lang), _t("report.cluster", lang), _t("report.status", lang), _t("report.provision", lang)]
    others = [a for a in report.completeness.applications if a.status != "admitted"]
    rows = [
        [
            str(i),
            _who(a, lang),
            a.cluster_name,
            gettext(f"status.{a.status}", lang),
            pack.cite(a.status_citation, lang) if a.status_citation else "—",
        ]
        for i, a in enumerate(others, start=1)
    ]
    return Table(headers, rows)


# --------------------------------------------------------------------------- evaluation protocol


def evaluation_protocol(
    report: Any, *, date: dt.date | str | None = None, pack: Any = None, allow_empty: bool = False
) -> OfficialDocument:
    """Points per block of the admitted applications, the minimum score, the ranking and the
    outcome, from a :class:`CompetitionReport`; at a stage the act closes with the organiser's
    review (its procedure names ``review``), that review (:func:`review_protocol`)."""
    _require_applications(report, allow_empty)
    lang, stage = report.language, report.stage
    pack, procedure = _pack(report, pack)
    steps = procedure.stage(stage)
    if steps.review is not None:
        return review_protocol(report, date=date, pack=pack, allow_empty=allow_empty)
    day = _date(date, report.event_date(steps.events.evaluation_protocol_signed), lang)
    cited = procedure.citations
    blocks: list[Block] = [
        _protocol_header(report, day),
        Paragraph(
            _t("report.evaluation.intro", lang, paragraph=_cite(pack, cited.criteria, lang), pack=_pack_name(report.pack, lang))
        ),
        Paragraph(_t("report.evaluation.admitted_only", lang, paragraph=_cite(pack, steps.completeness_check, lang))),
    ]
    number, application, cluster = _t("report.number", lang), _t("report.application", lang), _t("report.cluster", lang)
    results = {a.application_id: a for a in report.completeness.applications}
    admitted = {a.application_id for a in report.completeness.applications if a.status == "admitted"}
    scores = [s for s in report.scores if s.application_id in admitted]
    outcome = report.outcome
    ranks = {entry.application_id: entry for entry in (outcome.ranking if outcome else [])}

    def who(application_id: str) -> str:
        return _who(results[application_id], lang) if application_id in results else application_id

    def cluster_of(entry: Any) -> str:  # the cluster's name in the reader's language, as the check's result gives it
        found = results.get(entry.application_id)
        return found.cluster_name if found is not None else entry.cluster_name

    blocks.append(Heading("1. " + _t("report.evaluation.scores", lang)))
    if scores:
        block_list = [(b.number, b.title.get(lang)) for b in scores[0].blocks]
        blocks += [Paragraph(_t("report.evaluation.block", lang, number=n, title=t)) for n, t in block_list]
        headers = [number, application, cluster, *(str(n) for n, _ in block_list), _t("report.total", lang), _t("report.rank", lang)]
        rows = []
        for i, s in enumerate(scores, start=1):
            points = [_figure(b.points, lang) for b in s.blocks]
            rank = ranks.get(s.application_id)
            rows.append([str(i), who(s.application_id), cluster_of(s), *points, _figure(s.total, lang), str(rank.rank) if rank else "—"])
        blocks.append(Table(headers, rows))
    else:
        blocks.append(Paragraph(_t("report.evaluation.no_scores", lang)))
    excluded = excluded_marks(scores, lang)
    if excluded:
        blocks.append(Heading(_t("report.evaluation.excluded", lang)))
        headers = [number, application, _t("report.evaluation.expert", lang), _t("report.finding", lang)]
        rows = [[str(i), who(a), expert, why] for i, (a, expert, why) in enumerate(excluded, start=1)]
        blocks.append(Table(headers, rows))
    if len(admitted) < len(results):
        blocks.append(Heading(_t("report.evaluation.not_evaluated", lang)))
        blocks.append(_not_evaluated(report, pack, lang))

    minimum = report.minimum_score
    value = l10n.number(minimum, lang) if minimum is not None else _t("report.evaluation.minimum_not_set", lang)
    blocks.append(Heading("2. " + _t("report.minimum_score", lang)))
    blocks.append(Paragraph(_t("report.evaluation.minimum", lang, paragraph=_cite(pack, cited.minimum_score, lang), value=value)))

    blocks.append(Heading("3. " + _t("report.evaluation.ranking", lang)))
    if outcome is not None and outcome.ranking:
        yes, no = _t("report.yes", lang), _t("report.no", lang)
        headers = [_t("report.rank", lang), application, cluster, _t("report.total", lang), _t("report.above_minimum", lang)]
        rows = [
            [str(e.rank), who(e.application_id), cluster_of(e), _figure(e.total, lang), "—" if e.admitted is None else (yes if e.admitted else no)]
            for e in outcome.ranking
        ]
        blocks.append(Table(headers, rows))
    else:
        blocks.append(Paragraph("— " + _t("report.none", lang)))
    unranked = [u for u in (outcome.unranked if outcome is not None else []) if u.application_id in admitted]
    if unranked:  # the applications not admitted are listed above, with why
        blocks.append(Heading(_t("report.evaluation.unranked", lang)))
        rows = [[str(i), who(u.application_id), _t(f"report.unranked.{u.reason}", lang)] for i, u in enumerate(unranked, 1)]
        blocks.append(Table([number, application, _t("report.finding", lang)], rows))

    blocks.append(Heading("4. " + _t("report.evaluation.outcome", lang)))
    if outcome is not None:
        blocks += _outcome_paragraphs(outcome, lang, _cite(pack, cited.failed, lang), _cite(pack, cited.reannouncement, lang))
    else:
        blocks.append(Paragraph(_t("report.evaluation.no_scores", lang)))
    blocks.append(_signature(lang))
    return OfficialDocument(lang, [Section(_t("report.evaluation.title", lang, stage=stage, stage_name=_stage_name(stage, lang)), blocks)])


def excluded_marks(scores: Any, lang: Language) -> list[tuple[str, str, str]]:
    """(application id, expert, why) for every expert whose marks did not count in a score:
    the expert's name (or id) and the findings about that expert, in ``lang``."""
    found = []
    for score in scores:
        for expert in score.experts:
            if expert.counted:
                continue
            # the expert by name (English adds the id its scripts read); the id only when no name is given
            name = (f"{expert.name} ({expert.expert_id})" if lang == "en" else expert.name) if expert.name else expert.expert_id
            why = "; ".join(f.message.get(lang) for f in score.findings if f.expert_id == expert.expert_id and f.severity == "error")
            found.append((score.application_id, name, why))
    return found


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
        result.append(Paragraph(_t("report.outcome.reannouncement_due", lang, due=l10n.written_dated(outcome.reannouncement_due, lang), paragraph=p42)))
    else:
        result.append(Paragraph(_t("report.outcome.reannouncement_term", lang, months=outcome.reannouncement_months, paragraph=p42)))
    return result


def _figure(value: Any, lang: Language = "en") -> str:
    """A number of points as written in ``lang`` (a decimal comma in kk/ru)."""
    return "—" if value is None else l10n.number(value, lang)


# --------------------------------------------------------------------------- the review protocol (stage 2)


def review_protocol(
    report: Any, *, date: dt.date | str | None = None, pack: Any = None, allow_empty: bool = False
) -> OfficialDocument:
    """The organiser's protocol of its review of the admitted applications, which goes to the
    Commission (Decree 535, stage 2: p.36-38, as the stage's ``review``, ``next_step`` and
    ``decision`` in the pack's procedure): the applications reviewed, with the remarks the
    checks noted; those not reviewed and why; when the protocol is due at the Commission."""
    _require_applications(report, allow_empty)
    lang, stage = report.language, report.stage
    pack, procedure = _pack(report, pack)
    steps = procedure.stage(stage)
    if steps.review is None:
        raise UsageError(f"the act has no organiser's review at stage {stage}: use evaluation_protocol", code="usage")
    signed = steps.events.evaluation_protocol_signed
    day = _date(date, report.event_date(signed), lang)
    blocks: list[Block] = [
        _protocol_header(report, day),
        Paragraph(
            _t(
                "report.review.intro",
                lang,
                according=_according(pack, steps.review, lang),
                check=_cite(pack, steps.completeness_check, lang),
            )
        ),
    ]
    number, application, cluster = _t("report.number", lang), _t("report.application", lang), _t("report.cluster", lang)
    admitted = [a for a in report.completeness.applications if a.status == "admitted"]
    rows = []
    for i, a in enumerate(admitted, start=1):
        remarks = [r for r in a.results if r.outcome == "failed" and r.severity == "warning"]
        rows.append([str(i), _who(a, lang), a.cluster_name, "\n".join(f"{r.citation.text}: {r.message or r.title}" for r in remarks) or "—"])
    blocks.append(Heading("1. " + _t("report.review.reviewed", lang)))
    blocks.append(_or_none(Table([number, application, cluster, _t("report.review.remarks", lang)], rows), lang))
    blocks.append(Heading("2. " + _t("report.review.not_reviewed", lang)))
    others = _not_evaluated(report, pack, lang)
    blocks.append(_or_none(others, lang))

    blocks.append(Heading("3. " + _t("report.review.to_commission", lang)))
    entry = next((e for e in report.timeline.entries if e.start_event == signed and e.application_id is None), None)
    term = l10n.term(entry.amount, entry.unit, lang, case="gen") if entry is not None else "—"
    due = l10n.written_dated(entry.due_date, lang) if entry is not None and entry.due_date else l10n.DatedText(BLANK_DATE, None, lang)
    blocks.append(Paragraph(_t("report.review.sent", lang, term=term, paragraph=_cite(pack, steps.next_step, lang), due=due)))
    if steps.decision is not None:
        blocks.append(Paragraph(_t("report.review.decision", lang, paragraph=_cite(pack, steps.decision, lang))))
    blocks.append(_signature(lang))
    return OfficialDocument(lang, [Section(_t("report.review.title", lang, stage=stage, stage_name=_stage_name(stage, lang)), blocks)])


# --------------------------------------------------------------------------- dispatch


def make_report(
    kind: Kind, source: Any, *, date: dt.date | str | None = None, pack: Any = None, allow_empty: bool = False
) -> OfficialDocument:
    """The document of ``kind`` from a :class:`CompetitionReport` (any kind) or an :class:`ApplicationResult` (notice).

    A competition without applications raises ``InputError`` (``no_applications``) unless
    ``allow_empty``. The ``evaluation-protocol`` of a stage the act closes with the organiser's
    review is that review (:func:`review_protocol`)."""
    if kind not in KINDS:
        raise UsageError(f"unknown report kind {kind!r}; one of: {', '.join(KINDS)}", code="usage")
    is_competition = isinstance(source, CompetitionReport)
    if kind == "notice":
        if is_competition:
            return return_notices(source, date=date, pack=pack, allow_empty=allow_empty)
        return return_notice(source, date=date, pack=pack)
    if not is_competition:
        raise UsageError(f"a {kind} is made for a whole competition, not for one application", code="usage")
    if kind == "completeness-protocol":
        return completeness_protocol(source, date=date, pack=pack, allow_empty=allow_empty)
    return evaluation_protocol(source, date=date, pack=pack, allow_empty=allow_empty)


__all__ = [
    "OfficialDocument",
    "completeness_protocol",
    "evaluation_protocol",
    "excluded_marks",
    "make_report",
    "return_notice",
    "return_notices",
    "review_protocol",
]
