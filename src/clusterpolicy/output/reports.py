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
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from ..checks.affiliation import group_links, tie_holder
from ..competition import CompetitionReport
from ..core.errors import InputError, UsageError
from ..core import l10n
from ..core.i18n import Language, gettext
from ..scoring.marks import excluded_marks

BLANK_NUMBER = "____"
"""A number the official fills in (a registration the input does not give)."""
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
    # tables stay inside the margins: a cell may break a word that is wider than its column
    # (overflow-wrap:anywhere lets the table shrink to the page), but nothing is hyphenated
    # automatically (hyphens:manual: no split proper names, and a large notice lays out in
    # seconds where hyphens:auto took minutes)
    "table{border-collapse:collapse;width:100%;max-width:100%;margin:.5em 0}"
    "th,td{border:1px solid #444;padding:.2em .3em;vertical-align:top;text-align:left;font-size:10pt;"
    "overflow-wrap:break-word;word-break:normal;hyphens:manual;-webkit-hyphens:manual}"
    "th.main{width:33%}th.half{width:50%}td.text{overflow-wrap:anywhere}th.short,td.short{white-space:nowrap}table.wide th,table.wide td{font-size:9pt;padding:.2em .2em}"
    "th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}"
    ".meta td{border:none;padding:0 .5em 0 0}"
    ".document{margin-bottom:3em}.document+.document{break-before:page;page-break-before:always}"
    ".letterhead{text-align:center;margin:0 0 1.2em;padding-bottom:.4em;border-bottom:1.5px solid #000}"
    ".letterhead .organiser{font-weight:bold;font-size:12pt}.letterhead .address{font-size:9pt}"
    ".register{border:none;width:100%;margin:0 0 1.2em}.register td{border:none;padding:0;font-size:11pt}"
    ".register td+td{text-align:right}"
    ".addressee{margin:0 0 1.2em 50%;font-size:11pt}"
    ".signature{margin-top:3em;border:none;width:100%;table-layout:fixed;break-inside:avoid;page-break-inside:avoid;"
    "break-before:avoid;page-break-before:avoid}"
    ".signature td{border:none;padding:0 .6em 0 0;vertical-align:bottom}.signature td:first-child{width:28%}"
    ".signature .line{border-bottom:1px solid #000;height:2.2em}"
    ".signature .caption td{font-size:9pt;text-align:center;vertical-align:top}"
    ".closing{break-inside:avoid;page-break-inside:avoid}"
    ".stand-in{border-left:3px solid #000;padding-left:.6em;font-size:10.5pt}"
    ".annex{break-before:page;page-break-before:always}.annex h1{font-size:12pt;text-align:right}"
    # the result's digest: one unbroken token of 71 characters, kept inside the margins
    ".record-digest{font-size:7pt;overflow-wrap:anywhere;word-break:break-all;margin-top:1.5em}"
    "h2{break-after:avoid;page-break-after:avoid}.meta td:first-child{width:32%}"
    "@media print{body{max-width:none;margin:0}.document{margin-bottom:0}}"
)


def _page_css(lang: Language) -> str:
    """Page numbers in the bottom margin of every printed page, as the language writes them
    («3-бет», «стр. 3 из 5», «Page 3 of 5»): CSS page counters (Chromium, WeasyPrint)."""
    parts = re.split(r"(\{page\}|\{pages\})", _t("report.page", lang))
    content = " ".join(
        "counter(page)" if part == "{page}" else "counter(pages)" if part == "{pages}" else '"' + part.replace('"', "") + '"'
        for part in parts
        if part
    )
    return f"@page{{@bottom-right{{content:{content};font-family:{FONTS};font-size:9pt}}}}"


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
    """Who signs (the competition organiser) and the blanks: position, name, signature; the
    position and the name filled in when the competition names the organiser's signatory."""

    who: str
    captions: tuple[str, str, str]
    position: str = ""
    name: str = ""


@dataclass(frozen=True)
class Letterhead:
    """The head of an official document: the issuing body (its name and address, if the
    competition gives them) and the register line, the number (blank for the registry to fill
    in, after the organiser's prefix) and the date."""

    organiser: str
    address: str
    number_label: str
    number: str
    date_label: str
    date: str


@dataclass(frozen=True)
class Addressee:
    """Whom a letter is addressed to (the applicant and its head), at the right of the page."""

    lines: list[str]


Block = Union[Heading, Paragraph, Table, Fields, Signature, Letterhead, Addressee]


@dataclass(frozen=True)
class Annex:
    """A part of the document printed after its signature, on its own sheets: a list too long
    for the table that refers to it."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """One document: a title, its blocks and its annexes."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialDocument:
    """One or more documents (e.g. one notice per returned application) in one language."""

    language: Language
    sections: list[Section]
    record: dict[str, Any] | None = None
    """The decision record of the result the document was made from (docs/output.md): the HTML
    page's metadata and a footer line of each document hold it and its digest, the PDF's metadata
    and an embedded ``decision-record.json`` too."""
    date: dt.date | None = None
    """The document's own date: the PDF's creation and modification dates (never the time of rendering)."""

    @property
    def title(self) -> str:
        return self.sections[0].title if self.sections else ""

    def to_markdown(self) -> str:
        """Markdown: headings, ``|`` tables with ``|`` and line breaks in cells escaped."""
        parts = []
        for section in self.sections:
            lines: list[str] = []
            for block in section.blocks[:1]:  # the letterhead comes before the title
                if isinstance(block, Letterhead):
                    lines += _md_block(block)
            lines += [f"# {_md(section.title)}", ""]
            for block in section.blocks:
                if not isinstance(block, Letterhead):
                    lines += _md_block(block)
            for annex in section.annexes:
                lines += ["---", "", f"# {_md(annex.title)}", ""]
                for block in annex.blocks:
                    lines += _md_block(block)
            parts.append("\n".join(lines).rstrip("\n") + "\n")
        return "\n---\n\n".join(parts)

    def to_html(self) -> str:
        """A standalone HTML page, every text escaped, a small inline style, no external assets."""
        body = []
        for number, section in enumerate(self.sections, 1):
            body.append('<section class="document">')
            blocks = list(section.blocks)
            if blocks and isinstance(blocks[0], Letterhead):  # the letterhead comes before the title
                body.append(_html_block(blocks.pop(0)))
            body.append(f"<h1>{_h(section.title)}</h1>")
            # the signature is kept on one sheet with the last lines before it (never alone on a page)
            tail = 2 if blocks and isinstance(blocks[-1], Signature) and len(blocks) > 1 and _short(blocks[-2]) else 1
            closing = blocks[-tail:] if blocks and isinstance(blocks[-1], Signature) else []
            body += [_html_block(block) for block in blocks[: len(blocks) - len(closing)]]
            if closing:
                body.append('<div class="closing">' + "".join(_html_block(block) for block in closing) + "</div>")
            for annex in section.annexes:
                body.append(f'<div class="annex"><h1>{_h(annex.title)}</h1>' + "".join(_html_block(b) for b in annex.blocks) + "</div>")
            if self.record is not None:  # the one Latin-script line of a kk/ru document: the result's digest
                anchor = f'result-{self.record["digest"].removeprefix("sha256:")}-{number}'  # a named destination of the PDF
                body.append(f'<p class="record-digest" id="{_h(anchor)}">{_h(self.record["digest"])}</p>')
            body.append("</section>")
        return (
            f'<!DOCTYPE html>\n<html lang="{self.language}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_h(self.title)}</title>\n{self._record_meta()}<style>{CSS}{_page_css(self.language)}</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )

    def _record_meta(self) -> str:
        """The page's metadata of the record and the date (WeasyPrint puts them in the PDF)."""
        meta = []
        if self.date is not None:
            meta += [f'<meta name="dcterms.created" content="{self.date.isoformat()}">', f'<meta name="dcterms.modified" content="{self.date.isoformat()}">']
        if self.record is not None:
            record = json.dumps(self.record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            meta += [f'<meta name="ResultDigest" content="{_h(self.record["digest"])}">', f'<meta name="DecisionRecord" content="{_h(record)}">']
        return "".join(line + "\n" for line in meta)

    def to_pdf(self) -> bytes:
        """The HTML page as an A4 PDF with its fonts embedded (the ``pdf`` extra: WeasyPrint)."""
        from .pdf import html_to_pdf

        return html_to_pdf(self.to_html())


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"## {_md(block.text)}", ""]
    if isinstance(block, Paragraph):
        return [_md(block.text), ""]
    if isinstance(block, Fields):
        return [f"**{_md(label)}:** {_md(value)}  " for label, value in block.items] + [""]
    if isinstance(block, Letterhead):
        head = [f"**{_md(block.organiser)}**  "] if block.organiser else []
        head += [f"{_md(block.address)}  "] if block.address else []
        return head + ([""] if head else []) + [f"**{_md(block.number_label)}** {_md(block.number)}  ", f"**{_md(block.date_label)}:** {_md(block.date)}", ""]
    if isinstance(block, Addressee):
        return [f"{_md(line)}  " for line in block.lines] + [""]
    if isinstance(block, Signature):
        position = _md(block.position) if block.position else f"____________ ({_md(block.captions[0])})"
        name = _md(block.name) if block.name else f"____________ ({_md(block.captions[1])})"
        return [f"{_md(block.who)}: {position} {name} ____________ ({_md(block.captions[2])})", ""]
    lines = ["| " + " | ".join(_cell(h) for h in block.headers) + " |", "|" + "---|" * len(block.headers)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows] + [""]


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h2>{_h(block.text)}</h2>"
    if isinstance(block, Paragraph):
        role = f' class="{_h(block.role)}"' if block.role else ""
        return f"<p{role}>{_h(block.text)}</p>"
    if isinstance(block, Fields):
        rows = "".join(
            f"<tr><td><strong>{_h(k)}:</strong></td><td>{_h(v).replace(chr(10), '<br>')}</td></tr>" for k, v in block.items
        )
        return f'<table class="meta">{rows}</table>'
    if isinstance(block, Letterhead):
        head = ""
        if block.organiser or block.address:
            address = f'<div class="address">{_h(block.address)}</div>' if block.address else ""
            head = f'<div class="letterhead"><div class="organiser">{_h(block.organiser)}</div>{address}</div>'
        number = f"{block.number_label} {block.number}"
        return head + f'<table class="register"><tr><td>{_h(number)}</td><td>{_h(block.date)}</td></tr></table>'
    if isinstance(block, Addressee):
        return '<div class="addressee">' + "<br>".join(_h(line) for line in block.lines) + "</div>"
    if isinstance(block, Signature):
        filled = (block.position, block.name, "")
        lines_ = "".join(f'<td class="line">{_h(text)}</td>' for text in filled)
        captions = "".join(f"<td>{_h(c)}</td>" for c in block.captions)
        return (
            f'<table class="signature"><tr><td><strong>{_h(block.who)}</strong></td>{lines_}</tr>'
            f'<tr class="caption"><td></td>{captions}</tr></table>'
        )
    # the column of the longest texts (the findings) gets the room it needs, not what is left over
    lengths = [sum(len(str(row[i])) for row in block.rows if i < len(row)) for i in range(len(block.headers))]
    main = max(range(len(lengths)), key=lengths.__getitem__) if lengths else -1
    longest = max((len(str(row[main])) for row in block.rows if main < len(row)), default=0) if main >= 0 else 0
    main = main if longest > 80 else -1
    share = "main" if len(block.headers) > 4 else "main half"  # a third of the width beside many columns, else a half
    head = "".join(f'<th class="{share}">{_h(h)}</th>' if i == main else f"<th{_fit(h)}>{_h(h)}</th>" for i, h in enumerate(block.headers))
    rows = "".join(
        "<tr>" + "".join(f"<td{_fit(c)}>{_h(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>" for row in block.rows
    )
    wide = ' class="wide"' if len(block.headers) > 4 else ""  # many columns: smaller type to stay in the margins
    return f"<table{wide}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _fit(cell: str) -> str:
    """How a cell may wrap so that its table stays inside the margins: a short word or number
    (a row number, points, a rank) never wraps; a text with a word longer than any column (an
    address of a site, a run of digits) may break it anywhere; any other text wraps between words,
    so that names are never cut. Neither is hyphenated."""
    text = str(cell)
    if len(text) <= 8 and not any(char.isspace() for char in text):
        return ' class="short"'
    return ' class="text"' if any(len(word) > 24 for word in text.split()) else ""


def _short(block: Block) -> bool:
    """A block small enough to be carried to the next sheet with the signature."""
    return isinstance(block, (Paragraph, Heading)) or (isinstance(block, Table) and len(block.rows) <= 3)


NBSP = "\u00a0"
_NO_BREAK = (
    # «2017 г.», «2017 ж.», «2017 жылғы», «16 июля 2015 года»: the year stays with its word
    (re.compile(r"(?<=\d) (?=(?:г\.|гг\.|ж\.|жылғы|жылы|года|году)(?!\w))"), NBSP),
    # digit groups of one number: «3 070», «1 234 567»
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NBSP),
    # «№ 535», «п. 16», «ч. 2»: the sign stays with its number
    (re.compile(r"(?<=№) (?=\S)|(?<=\bп\.) (?=\d)|(?<=\bпп\.) (?=\d)"), NBSP),
    # a number and its unit: «3 рабочих дня» is fine broken, «1 ч 30 мин» and «86,71 балла» are not
    (re.compile(r"(?<=\d) (?=(?:ч|мин|с|сағ|сек|%|млн|млрд|тыс\.|тенге|теңге|балл\w*|ұпай\w*)(?!\w))"), NBSP),
)


def _nbsp(text: str) -> str:
    """No line break before «г.»/«ж.», inside a number, after «№», between a number and its unit."""
    for pattern, replacement in _NO_BREAK:
        text = pattern.sub(replacement, text)
    return text


def _h(text: str) -> str:
    return html.escape(_nbsp(str(text)), quote=True)


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


def stand_in_notes(pack: Any, provisions: Any, lang: Language) -> list[str]:
    """What a document of a competition under ``pack`` must say plainly when it cites provisions
    of an act that stands in for one not among the pack's sources (``pack.yaml`` ``stand_ins``:
    the KIRI methodology's pack takes the Rules of Decree 535, repealed in 2016, in place of the
    authorized body's order): one sentence per stand-in, naming the cited ``provisions`` (as the
    pack writes them: "Rules p.16") that belong to it, the act they come from and its repeal, the
    act they stand in for, and why. Nothing for a pack without stand-ins or a document citing none."""
    declared = list(getattr(getattr(pack, "header", None), "stand_ins", None) or [])
    if not declared:
        return []
    own = pack.header.act
    by_act: dict[int, tuple[Any, list[str]]] = {}
    for provision in dict.fromkeys(p for p in provisions if p):
        act = pack.act_of(provision)
        if act is own or act == own:
            continue
        by_act.setdefault(id(act), (act, []))[1].append(provision)
    notes = []
    for act, cited in by_act.values():
        stand_in = next(
            (item for item in declared if any(pack.act_of(pack.rule(rule).citation.provision) == act for rule in item.rules if _has_rule(pack, rule))),
            declared[0],
        )
        repealed = act.repealed_by.get(lang) if act.repealed_by is not None else None
        notes.append(
            _t(
                "report.stand_in.repealed" if repealed else "report.stand_in.in_force",
                lang,
                provisions="; ".join(pack.cite(provision, lang) for provision in cited),  # a provision may hold a comma
                source=stand_in.source.get(lang),
                repealed_by=repealed or "",
                stands_for=stand_in.stands_for.get(lang),
                reason=stand_in.reason.get(lang).rstrip("."),
                citation=pack.cite(stand_in.citation.provision, lang),
            )
        )
    return notes


def _has_rule(pack: Any, rule_id: str) -> bool:
    return any(rule.id == rule_id for rule in pack.rules)


def _stand_in_blocks(pack: Any, provisions: Any, lang: Language) -> list[Block]:
    return [Paragraph(note, role="stand-in") for note in stand_in_notes(pack, provisions, lang)]


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


def _signature(lang: Language, organiser: Any = None) -> Signature:
    """The organiser's signature block: the position and the name filled in when the competition
    names who signs (``organiser.signatory``), blanks otherwise."""
    captions = (_t("report.signature.position", lang), _t("report.signature.name", lang), _t("report.signature.sign", lang))
    signatory = getattr(organiser, "signatory", None)
    position = signatory.position.get(lang) if signatory is not None and signatory.position is not None else ""
    name = signatory.full_name.get(lang) if signatory is not None and signatory.full_name is not None else ""
    return Signature(_t("report.signature.organiser", lang), captions, position, name)


def _letterhead(organiser: Any, day: str, lang: Language, *, letter: bool) -> Letterhead:
    """The issuing body and the register line: a letter (a notice) gets the organiser's outgoing
    number (its prefix, then a blank for the registry), a protocol its number (a blank)."""
    name = organiser.name.get(lang) if organiser is not None else ""
    address = organiser.address.get(lang) if organiser is not None and organiser.address is not None else ""
    prefix = (organiser.outgoing_prefix or "") if organiser is not None and letter else ""
    label = _t("report.letterhead.outgoing" if letter else "report.letterhead.number", lang)
    return Letterhead(name, address, label, f"{prefix}{BLANK_DATE}", _t("report.date", lang), day)


def _addressee(result: Any, lang: Language) -> Addressee:
    """The applicant and its head (``applicant.signatory``: position and full name), to whom the notice goes."""
    applicant = getattr(result, "applicant", None) or result.application_id
    lines = [_t("report.notice.addressee", lang, applicant=applicant)]
    signatory = getattr(result, "signatory", None)
    if signatory is not None and (signatory.position or signatory.full_name):
        lines.append(" ".join(part for part in (signatory.position, signatory.full_name) if part))
    return Addressee(lines)


ANNEX_ROWS = 30
"""Rows of a table printed in the body of a document; the rest continue in an annex."""
ANNEX_LINES = 12
"""Lines of one table cell printed in the body (e.g. the members of an affiliated group); the rest in an annex."""
ANNEX_CHARS = 1200
"""Characters of one table cell printed in the body (a finding that names a long list); beyond, it is cut
between list items (at a comma) about :data:`ANNEX_KEEP` characters in and continues in full in an annex."""
ANNEX_KEEP = 500


def _section(title: str, blocks: list[Block], lang: Language) -> Section:
    """A document whose long lists continue in annexes after the signature: a table of more than
    :data:`ANNEX_ROWS` rows keeps its first rows and refers to an annex with the others (their
    numbers continue); a cell of more than :data:`ANNEX_LINES` lines keeps its first lines and
    refers to an annex that lists them all; a cell of one text longer than :data:`ANNEX_CHARS` (a
    finding naming a long list) keeps its beginning and continues, in full, in an annex. Nothing
    is left out of the document."""
    body: list[Block] = []
    annexes: list[Annex] = []
    heading = title
    for block in blocks:
        if isinstance(block, Heading):
            heading = block.text
        if not isinstance(block, Table):
            body.append(block)
            continue
        rows = []
        for row in block.rows:
            cells = []
            for column, cell in enumerate(row):
                lines = str(cell).split("\n")
                if len(lines) <= ANNEX_LINES and len(str(cell)) > ANNEX_CHARS:  # one long text: cut between items
                    number = len(annexes) + 1
                    annex_title = f"{_t('report.annex.title', lang, number=number)}. {heading}: {block.headers[column]} ({row[0]})"
                    annexes.append(Annex(annex_title, [Paragraph(line) for line in lines]))
                    text = str(cell)
                    cut = max(text.rfind(", ", 0, ANNEX_KEEP), text.rfind(" ", 0, ANNEX_KEEP // 2))
                    cells.append(text[: cut if cut > 0 else ANNEX_KEEP] + " " + _t("report.annex.cell_continued", lang, number=number))
                    continue
                if len(lines) <= ANNEX_LINES:
                    cells.append(cell)
                    continue
                number = len(annexes) + 1
                annex_title = f"{_t('report.annex.title', lang, number=number)}. {heading}: {block.headers[column]} ({row[0]})"
                listed = Table([_t("report.number", lang), block.headers[column]], [[str(i), line] for i, line in enumerate(lines, 1)])
                annexes.append(Annex(annex_title, [listed]))
                cells.append("\n".join(lines[:ANNEX_LINES] + [_t("report.annex.cell_continued", lang, number=number)]))
            rows.append(cells)
        if len(rows) > ANNEX_ROWS:
            number = len(annexes) + 1
            annexes.append(Annex(f"{_t('report.annex.title', lang, number=number)}. {heading}", [Table(block.headers, rows[ANNEX_ROWS:])]))
            body += [Table(block.headers, rows[:ANNEX_ROWS]), Paragraph(_t("report.annex.continued", lang, number=number))]
        else:
            body.append(Table(block.headers, rows))
    return Section(title, body, annexes)


def _registration(result: Any, lang: Language) -> str:
    """The application's registration number and date («№ КО-2017/008 от 8 июня 2017 г.»); without
    its registering document: in Kazakh and Russian blanks for the official to fill («№ ____»), never
    the file's id; in English its id."""
    if getattr(result, "registration_number", None):
        return _numbered(result.registration_number, result.registration_date, lang)
    if lang in ("kk", "ru"):
        return _numbered(BLANK_NUMBER, None, lang)
    return result.application_id


def _numbered(number: str, day: Any, lang: Language) -> str:
    """A number with its date as the language writes them: «№ 12 от 8 июня 2017 г.», in Kazakh
    the date first, qualifying the number («2017 жылғы 8 маусымдағы № 12»)."""
    return _t("report.registration_value", lang, number=number, date=l10n.written(day, lang, case="attr") if day else BLANK_DATE)


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
    organiser: Any = None,
) -> OfficialDocument:
    """The notice returning one application (the act grants return, not rework), from its :class:`ApplicationResult`.

    ``competition_title`` (else ``competition_id``) names the competition in the notice;
    ``organiser`` (the competition's :class:`~clusterpolicy.input.organiser.Organiser`) heads and signs it.
    """
    lang = result.language
    return OfficialDocument(lang, [_notice_section(result, competition_title or competition_id, date, lang, pack, organiser)])


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
    organiser = getattr(report, "organiser", None)
    if not returned:
        title = _t("report.notice.title", lang)
        fields = Fields([(_t("report.competition", lang), _competition_name(report))])
        blocks: list[Block] = [_letterhead(organiser, day, lang, letter=False), fields, Paragraph(_t("report.notice.none", lang))]
        return OfficialDocument(lang, [_section(title, blocks, lang)])
    return OfficialDocument(lang, [_notice_section(a, _competition_name(report), day, lang, pack, organiser) for a in returned])


def notice_addressees(document: OfficialDocument, report: Any) -> list[tuple[str, OfficialDocument]]:
    """The notices of ``document`` (from :func:`return_notices` of ``report``) one per addressee,
    each with the id of its application: each notice is sent separately."""
    returned = [a.application_id for a in report.completeness.applications if a.status == "returned"]
    if len(returned) != len(document.sections):
        return [("notice", document)]
    return [
        (application_id, OfficialDocument(document.language, [section], record=document.record, date=document.date))  # each carries the record
        for application_id, section in zip(returned, document.sections)
    ]


def _notice_section(
    result: Any, competition: str | None, date: Any, lang: Language, pack: Any = None, organiser: Any = None
) -> Section:
    title = _t("report.notice.title", lang)
    applicant = getattr(result, "applicant", None) or result.application_id
    fields = []
    if competition:
        fields.append((_t("report.competition", lang), competition))
    fields += [
        (_t("report.applicant", lang), applicant),
        (_t("report.registration", lang), _registration(result, lang)),
    ]
    if getattr(result, "submitted_at", None) is not None:
        fields.append((_t("report.received", lang), l10n.written(result.submitted_at, lang)))
    fields += [(_t("report.cluster", lang), result.cluster_name), (_t("report.stage", lang), str(result.stage))]
    blocks: list[Block] = [_letterhead(organiser, _date(date, None, lang), lang, letter=True), _addressee(result, lang), Fields(fields)]
    if result.status != "returned":
        status = gettext(f"status.{result.status}", lang)
        blocks.append(Paragraph(_t("report.notice.not_returned", lang, application=_registration(result, lang), status=status)))
        return _section(title, blocks, lang)
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
    blocks += _stand_in_blocks(pack, [returned.provision, *(r.citation.provision for r in grounds + remarks)], lang)
    blocks.append(_signature(lang, organiser))
    return _section(title, blocks, lang)


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
    participants = affiliation.get("participants", [])
    names = {p["participant_id"]: p["name"] for p in participants}
    members_of: dict[Any, list[dict[str, Any]]] = {}
    for participant in participants:  # sorted by id, as each group's members are written
        members_of.setdefault(participant.get("group"), []).append(participant)
    blocks: list[Block] = []
    rows = []
    for group in affiliation.get("groups", []):
        members = members_of.get(group["number"], [])
        if len(members) < 2:
            continue
        written = "\n".join(m["name"] + (f" ({m['bin']})" if m.get("bin") else "") for m in members)
        why = "\n".join(_tie(tie, link, names, lang) for link in group_links(group) for tie in _link_ties(link))
        rows.append([str(group["number"]), written, why])
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


def _tie(tie: dict[str, Any], link: dict[str, Any], names: dict[str, str], lang: Language) -> str:
    """One stated fact behind an affiliation (a tie of ``link``), in ``lang``: «АО X владеет 60% в ТОО Y»."""
    stated = tie_holder(tie, link)  # a tie names its holder only where the link names it otherwise
    holder = names.get(stated, stated)
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


def _protocol_header(report: Any, day: str) -> list[Block]:
    """The organiser's letterhead with the protocol's number and date, then the competition,
    stage and rule pack: the head of the protocols."""
    lang = report.language
    return [_letterhead(getattr(report, "organiser", None), day, lang, letter=False), Fields(
        [
            (_t("report.competition", lang), _competition_name(report)),
            (_t("report.stage", lang), str(report.stage)),
            (_t("report.rule_pack", lang), _pack_name(report.pack, lang)),
        ]
    )]


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
    on_time = [a for a in applications if a.status not in ("not_accepted", "withdrawn")]
    late = [a for a in applications if a.status == "not_accepted"]
    withdrawn = [a for a in applications if a.status == "withdrawn"]
    blocks: list[Block] = [
        *_protocol_header(report, day),
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
    if withdrawn:  # out of the competition by the applicant's own notice (p.10): not checked, listed apart
        where = steps.status.withdrawn.provision if steps.status.withdrawn is not None else withdrawn[0].status_citation
        heading = _t("report.completeness.withdrawn", lang, paragraph=pack.cite(where, lang, short=True) if where else "—")
        blocks.append(Heading("5. " + heading))
        rows = [
            [str(i), _who(a, lang), a.cluster_name, l10n.written(a.withdrawn_at, lang) if a.withdrawn_at is not None else "—"]
            for i, a in enumerate(withdrawn, start=1)
        ]
        blocks.append(Table([number, application, cluster, _t("report.withdrawn_at", lang)], rows))
    cited = [steps.completeness_check, steps.requirements, steps.next_step, steps.status.returned, steps.status.not_accepted]
    decisive = [r.citation.provision for a in on_time if a.status in ("returned", "undetermined") for r in a.results if r.rule_id in a.reasons]
    withdrawn_at = [steps.status.withdrawn.provision] if withdrawn and steps.status.withdrawn is not None else []
    blocks += _stand_in_blocks(pack, [c.provision for c in cited if c is not None] + decisive + withdrawn_at, lang)
    blocks += _sensitivity_blocks(report, pack, lang, scope="statuses")
    blocks.append(_signature(lang, getattr(report, "organiser", None)))
    title = _t("report.completeness.title", lang, stage=stage, stage_name=_stage_name(stage, lang), requirements=_requirements(pack, steps.requirements, lang))
    return OfficialDocument(lang, [_section(title, blocks, lang)])


def _sensitivity_blocks(report: Any, pack: Any, lang: Language, *, scope: str) -> list[Block]:
    """Whether the protocol's verdicts depend on a contested reading of the act (the choices
    its pack names, :func:`clusterpolicy.sensitivity`, each reading alone): the sentence that
    they do not, or which application (by its cluster), under which reading of which choice
    (its title and provision), is judged otherwise. ``scope``: ``statuses`` (the completeness
    check's protocol and the review's: the statuses it decides) or ``all`` (statuses, ranks and
    the outcome). None for a report read back from JSON (its input is not known)."""
    competition = getattr(report, "input_competition", None)
    if competition is None:
        return []
    from ..comparison import sensitivity

    found = getattr(report, "_sensitivity", None)
    if found is None or found.language != lang:  # once per report: its protocols, in each format, share it
        found = sensitivity(competition, lang=lang, baseline=report)
        report._sensitivity = found
    names = {a.application_id: a.cluster_name for a in report.completeness.applications}
    readings = []
    for effect in found.readings:
        changes = []
        for change in effect.applications:
            if change.status_before != change.status_after:
                changes.append(_t("report.sensitivity.change", lang, application=names.get(change.application_id, change.application_id),
                                  before=gettext(f"status.{change.status_before}", lang), after=gettext(f"status.{change.status_after}", lang)))
            elif scope == "all":
                changes.append(_t("report.sensitivity.change", lang, application=names.get(change.application_id, change.application_id),
                                  before=_rank(change.rank_before, lang), after=_rank(change.rank_after, lang)))
        if scope == "all" and effect.outcome_before != effect.outcome_after:
            changes.append(_t("report.sensitivity.outcome", lang, before=gettext(f"competition.{effect.outcome_before}", lang),
                              after=gettext(f"competition.{effect.outcome_after}", lang)))
        if changes:
            provision = pack.cite(effect.provision, lang, short=True)
            readings.append(Paragraph(_t("report.sensitivity.reading", lang, title=effect.title, provision=provision,
                                         reading=effect.reading, changes="; ".join(changes))))
    if not readings:
        return [Paragraph(_t("sensitivity.none", lang))]
    return [Paragraph(_t("report.sensitivity.depends", lang)), *readings]


def _rank(rank: int | None, lang: Language) -> str:
    return _t("report.sensitivity.rank", lang, rank=rank) if rank is not None else _t("report.sensitivity.unranked", lang)


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
        *_protocol_header(report, day),
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

    section = 2
    if steps.protocol_records is not None:  # p.22: the conclusions and expert conclusions reviewed
        evaluated = [results[s.application_id] for s in scores] or [a for a in report.completeness.applications if a.status == "admitted"]
        blocks.append(Heading(f"{section}. " + _t("report.records.heading", lang, paragraph=_cite(pack, steps.protocol_records, lang))))
        blocks.append(_or_none(_records_table(evaluated, steps.protocol_records.records, lang), lang))
        section += 1

    minimum = report.minimum_score
    value = l10n.number(minimum, lang) if minimum is not None else _t("report.evaluation.minimum_not_set", lang)
    blocks.append(Heading(f"{section}. " + _t("report.minimum_score", lang)))
    blocks.append(Paragraph(_t("report.evaluation.minimum", lang, paragraph=_cite(pack, cited.minimum_score, lang), value=value)))

    blocks.append(Heading(f"{section + 1}. " + _t("report.evaluation.ranking", lang)))
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

    blocks.append(Heading(f"{section + 2}. " + _t("report.evaluation.outcome", lang)))
    if outcome is not None:
        blocks += _outcome_paragraphs(outcome, lang, _cite(pack, cited.failed, lang), _cite(pack, cited.reannouncement, lang))
    else:
        blocks.append(Paragraph(_t("report.evaluation.no_scores", lang)))
    cited_here = [cited.criteria, steps.completeness_check, cited.minimum_score, cited.failed, cited.reannouncement, steps.protocol_records]
    statuses = [a.status_citation for a in report.completeness.applications if a.status != "admitted"] if len(admitted) < len(results) else []
    blocks += _stand_in_blocks(pack, [c.provision for c in cited_here if c is not None] + statuses, lang)
    blocks += _sensitivity_blocks(report, pack, lang, scope="all")
    blocks.append(_signature(lang, getattr(report, "organiser", None)))
    return OfficialDocument(lang, [_section(_t("report.evaluation.title", lang, stage=stage, stage_name=_stage_name(stage, lang)), blocks, lang)])


def _records_table(applications: list[Any], records: list[str], lang: Language, remarks: bool = False) -> Table:
    """One row per application: each of the procedure's ``records`` on it (a conclusion: its body,
    number and date, and its finding; an expert conclusion or analysis: its number and date, the
    points and its summary), and with ``remarks`` the warnings its checks noted."""
    headers = [_t("report.number", lang), _t("report.application", lang)]
    headers += [_capital(gettext(f"field.records.{name}", lang)) for name in records]
    if remarks:
        headers.append(_t("report.review.remarks", lang))
    rows = []
    for i, a in enumerate(applications, start=1):
        row = [str(i), f"{_who(a, lang)}\n{a.cluster_name}"]
        row += [_record(getattr(a.records, name, None), name, lang) for name in records]
        if remarks:
            row.append(_remarks(a, lang))
        rows.append(row)
    return Table(headers, rows)


def _record(record: Any, name: str, lang: Language) -> str:
    """One record as the protocol shows it (lines of a cell); not given: a dash."""
    if record is None:
        return "—"
    lines = []
    body = getattr(record, "body", None)
    if body:
        lines.append(body.get(lang) if hasattr(body, "get") else body)  # a conclusion's issuer in the protocol's language
    number, day = getattr(record, "number", None), getattr(record, "date", None)
    if number:
        lines.append(_numbered(number, day, lang))
    elif day:
        lines.append(l10n.written(day, lang))
    fits = getattr(record, "fits", None)
    if fits is not None and l10n.has(f"field.records.{name}.fits", lang):
        lines.append(f"{_capital(gettext(f'field.records.{name}.fits', lang))}: {_t('report.yes' if fits else 'report.no', lang)}")
    if getattr(record, "points", None) is not None:
        lines.append(l10n.points(record.points, lang))
    if getattr(record, "summary", None):
        lines.append(record.summary)
    return "\n".join(lines) or "—"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _remarks(result: Any, lang: Language) -> str:
    """The warnings the checks noted on an application (not grounds for return), each with its provision."""
    found = [r for r in result.results if r.outcome == "failed" and r.severity == "warning"]
    return "\n".join(f"{r.citation.text}: {r.message or r.title}" for r in found) or "—"


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
        *_protocol_header(report, day),
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
    scope = steps.review_scope
    if scope is not None:
        where = _cite(pack, steps.protocol_records or steps.review, lang)
        blocks.append(Paragraph(_t("report.review.scope", lang, paragraph=where, next=_cite(pack, steps.next_step, lang))))
    # the review concerns the applications its scope names (p.36: the participants that did not
    # take part in stage 1); the others go on with the results of the check alone
    reviewed = [a for a in admitted if scope is None or a.under_review is True]
    records = steps.protocol_records.records if steps.protocol_records is not None else []
    heading = scope.reviewed.get(lang) if scope is not None else _t("report.review.reviewed", lang)
    blocks.append(Heading(f"1. {heading} ({_cite(pack, steps.protocol_records or steps.review, lang)})"))
    blocks.append(_or_none(_records_table(reviewed, records, lang, remarks=True), lang))
    section = 2
    if scope is not None:
        others = [a for a in admitted if a.under_review is not True]
        blocks.append(Heading(f"{section}. {scope.others.get(lang)} ({_cite(pack, steps.next_step, lang)})"))
        rows = []
        for i, a in enumerate(others, start=1):
            remarks = _remarks(a, lang)
            if a.under_review is None:  # what decides the scope is not stated: said, not assumed
                unstated = l10n.t("unknown.not_stated", lang, fields=gettext(f"field.{scope.field}", lang))
                remarks = unstated if remarks == "—" else f"{unstated}\n{remarks}"
            rows.append([str(i), _who(a, lang), a.cluster_name, remarks])
        blocks.append(_or_none(Table([number, application, cluster, _t("report.review.remarks", lang)], rows), lang))
        section += 1
    blocks.append(Heading(f"{section}. " + _t("report.review.not_reviewed", lang)))
    blocks.append(_or_none(_not_evaluated(report, pack, lang), lang))

    blocks.append(Heading(f"{section + 1}. " + _t("report.review.to_commission", lang)))
    entry = next((e for e in report.timeline.entries if e.start_event == signed and e.application_id is None), None)
    term = l10n.term(entry.amount, entry.unit, lang, case="gen") if entry is not None else "—"
    due = l10n.written_dated(entry.due_date, lang) if entry is not None and entry.due_date else l10n.DatedText(BLANK_DATE, None, lang)
    blocks.append(Paragraph(_t("report.review.sent", lang, term=term, paragraph=_cite(pack, steps.next_step, lang), due=due)))
    if steps.decision is not None:
        blocks.append(Paragraph(_t("report.review.decision", lang, paragraph=_cite(pack, steps.decision, lang))))
    cited = [steps.review, steps.completeness_check, steps.protocol_records, steps.next_step, steps.decision]
    statuses = [a.status_citation for a in report.completeness.applications if a.status != "admitted"]
    blocks += _stand_in_blocks(pack, [c.provision for c in cited if c is not None] + statuses, lang)
    blocks += _sensitivity_blocks(report, pack, lang, scope="statuses")
    blocks.append(_signature(lang, getattr(report, "organiser", None)))
    return OfficialDocument(lang, [_section(_t("report.review.title", lang, stage=stage, stage_name=_stage_name(stage, lang)), blocks, lang)])


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
    return with_record(_made(kind, source, date=date, pack=pack, allow_empty=allow_empty), source, date)


def with_record(document: OfficialDocument, source: Any, date: dt.date | str | None = None) -> OfficialDocument:
    """``document`` carrying the decision record of the result it was made from, and its date:
    ``date``, else that of the competition's last event (of an application's registration)."""
    from dataclasses import replace

    record = getattr(source, "decision_record", None)
    day = dt.date.fromisoformat(date) if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else date
    if not isinstance(day, dt.date):
        if isinstance(source, CompetitionReport):
            day = max((event.date for event in source.events), default=source.announced_on)
        else:
            submitted = getattr(source, "submitted_at", None)
            day = getattr(source, "registration_date", None) or (submitted.date() if submitted else None)
    return replace(document, record=record.model_dump(mode="json") if record is not None else None, date=day)


def _made(kind: Kind, source: Any, *, date: dt.date | str | None, pack: Any, allow_empty: bool) -> OfficialDocument:
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
    "notice_addressees",
    "return_notice",
    "return_notices",
    "review_protocol",
    "stand_in_notes",
]
