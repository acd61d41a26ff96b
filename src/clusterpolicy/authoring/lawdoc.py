"""The law beside the code: the act's own text, unit by unit, with what encodes each unit.

For a pack that ships its act's text and cuts it into units (``law.yaml``, read by
:mod:`clusterpolicy.core.act_text`), :func:`render_html` and :func:`render_markdown` show every
paragraph, criterion and appendix item in the act's language and, beside it, the requirements
of ``requirements.yaml`` it holds (encoded, or the reason it is not), the rules, time limits,
parameters and scoring entries that cite it (with their notes), and the tests that exercise
them: the YAML cases of each rule and the test functions each requirement names. Each unit has
an anchor (its id); ``clusterpolicy explain RULE`` names the anchors of the rule's provision, and
docs/traceability.md links each provision to its unit. :func:`problems` lists what breaks the
correspondence: a unit with no entry, a requirement or citation that names no unit.

    python docs/generate_law.py     # writes docs/law.html (en), law.kk.html, law.ru.html and law.md
    clusterpolicy law DIR -o FILE --lang ru   # the same page for a pack folder of your own

The commentary (headings, the titles and notes of rules, time limits and parameters, the
requirements where requirements.yaml words them in kk/ru) is in the page's language; the act's
text is its own, in its own language, on every page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.act_text import ActText, TextUnit, read_act_text, read_source
from ..core.errors import Location, RulePackError
from ..core.i18n import LANGUAGES, Language, gettext
from ..core.errors import UsageError
from ..packs import RulePack, load_pack, load_pack_from
from .rule_cases import discover, read_cases
from .traceability import Requirement, read_requirements


LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian"}
"""The languages an act's authentic text may be in (``Act.source_language``), named in English."""


@dataclass
class Entry:
    """What the pack says about one unit of the text."""

    unit: TextUnit
    text: str
    requirements: list[Requirement] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    time_limits: list[Any] = field(default_factory=list)
    parameters: list[tuple[str, Any]] = field(default_factory=list)
    scoring: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Law:
    pack: RulePack
    act_text: ActText
    entries: list[Entry]
    cases: dict[str, list[tuple[str, int | None, str, str]]]
    """Rule id -> (case file, line, case name, expected outcome)."""
    unplaced: list[str]
    """Citations of the act that name no unit of its text."""
    folder: str = ""
    """The pack's folder as the page names it (``rules/<id>`` for a shipped pack)."""

    @property
    def lang(self) -> str:
        """The language of the act's authentic text (``act.source_language`` of ``pack.yaml``):
        the text, titles and notes are shown in it."""
        return self.pack.header.act.source_language

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES[self.lang]


def _folder(pack_id: str) -> Any:
    return resources.files("clusterpolicy.rules").joinpath(pack_id)


def collect(pack_id: str, *, rules_dir: str | Path | None = None) -> Law:
    """The units of the act's text with what encodes each (``rules_dir``: where the YAML cases are)."""
    pack = load_pack(pack_id)
    cases: list[Any] = []
    if rules_dir is not None:
        cases = [loaded for loaded in discover(rules_dir) if loaded.pack == pack_id]
    return _collect(pack, _folder(pack_id), f"rules/{pack_id}", read_requirements(pack_id), cases)


def collect_folder(folder: str | Path) -> Law:
    """:func:`collect` for a pack folder of your own (a compliance team's copy): its pack, its
    ``law.yaml`` and text, its ``requirements.yaml`` and its own YAML cases (``tests/*.yaml``)."""
    folder = Path(folder)
    pack = load_pack_from(folder)
    cases = [loaded for file in sorted(folder.glob("tests/*.yaml")) for loaded in read_cases(file, pack=pack.id)]
    return _collect(pack, folder, str(folder), read_requirements(pack.id, folder=folder), cases)


def _collect(pack: RulePack, folder: Any, shown_as: str, requirements: list[Requirement], loaded_cases: list[Any]) -> Law:
    act_text = read_act_text(folder, shown_as=shown_as)
    if act_text is None:
        raise RulePackError(f"pack {pack.id} has no law.yaml (the act's text cut into units)", location=Location(shown_as), code="file_not_found")
    segments = act_text.segments(read_source(folder, act_text), file=f"{shown_as}/{act_text.source}")
    entries = [Entry(unit, text) for unit, text in segments]
    by_id = {entry.unit.id: entry for entry in entries}
    unplaced: list[str] = []

    def place(provision: str, what: str, item: Any, attribute: str) -> None:
        units = act_text.units_of(provision)
        if not units:
            unplaced.append(f"{what}: {provision!r} names no unit of the text")
        for unit in units:
            getattr(by_id[unit.id], attribute).append(item)

    for requirement in requirements:
        place(requirement.provision, "requirement", requirement, "requirements")
    own = pack.header.act
    for rule in pack.rules:
        if rule.citation.act is None and pack.act_of(rule.citation.provision) == own:
            place(rule.citation.provision, f"rule {rule.id}", rule, "rules")
    for limit in pack.time_limits:
        if limit.citation.act is None:
            place(limit.citation.provision, f"time limit {limit.id}", limit, "time_limits")
    for name, parameter in sorted(pack.parameters.items()):
        if parameter.citation.act is None:
            place(parameter.citation.provision, f"parameter {name}", (name, parameter), "parameters")
    scoring = pack.scoring
    if scoring is not None:
        for name in type(scoring).model_fields:
            value = getattr(scoring, name)
            if hasattr(value, "citation") and value.citation.act is None:
                place(value.citation.provision, f"scoring {name}", (name, value), "scoring")
        for block in scoring.blocks:
            place(block.citation.provision, f"scoring {block.id}", (block.id, block), "scoring")
            for sub in block.sub_criteria:
                place(sub.citation.provision, f"scoring {sub.id}", (sub.id, sub), "scoring")
    cases: dict[str, list[tuple[str, int | None, str, str]]] = {}
    for loaded in loaded_cases:
        for rule_id, outcome in loaded.case.expect.outcomes.items():
            cases.setdefault(rule_id, []).append((Path(loaded.file).name, loaded.line, loaded.case.name, outcome))
    return Law(pack, act_text, entries, cases, unplaced, shown_as)


_STATUS = re.compile(r"^procedure:stages\.(\d+)\.status\.(\w+)$")
_SEVERITY_OF = {"returned": "return", "not_accepted": "disqualifying"}


def resting_rules(law: Law, reference: str) -> list[str]:
    """The rules whose failure gives the status a ``procedure:stages.<n>.status.<status>``
    reference names: the rules of that stage with the severity of that status."""
    match = _STATUS.match(reference)
    if not match or match[2] not in _SEVERITY_OF:
        return []
    stage, severity = int(match[1]), _SEVERITY_OF[match[2]]
    return [rule.id for rule in law.pack.rules if rule.severity == severity and stage in rule.stages]


def problems(law: Law) -> list[str]:
    """What breaks the correspondence of text and code: a unit (not a heading) with no entry in
    requirements.yaml, a requirement or citation that names no unit."""
    found = [f"unit {e.unit.id} ({e.unit.provision}) has no entry in requirements.yaml" for e in law.entries if not e.unit.heading and not e.requirements]
    return found + law.unplaced


# --------------------------------------------------------------------------- shared pieces


def _plain(text: str) -> str:
    """The published text without its Markdown marks (headings, bold, escapes)."""
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = text.replace("\\_", "_").replace("**", "")
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _severity(requirement: Requirement) -> str:
    return next(_SEVERITY_OF[m[2]] for ref in requirement.encoded_by if (m := _STATUS.match(ref)) and m[2] in _SEVERITY_OF)


def _heading(text: str) -> str:
    """A heading's title: its Markdown heading line where it has one (the Rules' title below the
    approval stamp), else its first line."""
    marked = [line for line in text.split("\n") if line.lstrip().startswith("#")]
    return _plain(marked[0] if marked else text.split("\n", 1)[0])


def _rule_place(law: Law, rule_id: str) -> tuple[str, int | None]:
    file, line = law.pack.lines.get(rule_id, (None, None))
    return (str(file) if file else ""), line


def _term(limit: Any) -> str:
    return f"{limit.kind} {limit.amount} {limit.unit.value if hasattr(limit.unit, 'value') else limit.unit}"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _note(note: Any, lang: str) -> str | None:
    if note is None:
        return None
    if isinstance(note, str):
        return " ".join(note.split())
    return " ".join(note.get(lang).split()) if hasattr(note, "get") else str(note)


def _scoring_value(item: Any) -> str:
    value = getattr(item, "value", None)
    if value is not None:
        return _value(value)
    for name in ("method", "mode", "minimum", "weight"):
        if getattr(item, name, None) is not None:
            return f"{name} {getattr(item, name)}"
    return ""


# --------------------------------------------------------------------------- HTML

_CSS = """
:root { --rule: #c9c3b6; --muted: #5b5548; --accent: #7a1f1f; --code-bg: #f4f1ea; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 78rem; padding: 1.5rem 2rem 4rem; color: #1d1b17; background: #fffdf8;
  font: 15px/1.55 "Noto Sans", "DejaVu Sans", "PT Sans", "Segoe UI", Arial, sans-serif; }
.act, h1, h2, h3 { font-family: "Noto Serif", "DejaVu Serif", "PT Serif", "Times New Roman", serif; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
header p { margin: .2rem 0; color: var(--muted); }
nav { columns: 4 11rem; font-size: .85rem; margin: 1rem 0 2rem; padding: .8rem 1rem; border: 1px solid var(--rule); background: #faf7f0; }
nav a { display: block; color: var(--accent); text-decoration: none; }
nav a.head { font-weight: bold; margin-top: .3rem; }
h2.heading { font-size: 1.15rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent); }
section.unit { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 1.6rem; padding: .9rem 0; border-top: 1px solid var(--rule); }
section.unit > h3 { grid-column: 1 / -1; margin: 0 0 .4rem; font-size: 1rem; }
h3 a.self { color: var(--accent); text-decoration: none; }
h3 .id { font: .75rem "DejaVu Sans Mono", "Noto Sans Mono", monospace; color: var(--muted); margin-left: .6rem; }
.act { white-space: pre-wrap; font-size: 1rem; line-height: 1.5; }
.code { font-size: .86rem; }
.code h4 { margin: .5rem 0 .15rem; font-size: .74rem; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
.code h4:first-child { margin-top: 0; }
.code ul { margin: 0; padding-left: 1.1rem; }
.code li { margin: .12rem 0; }
code { font: .8rem "DejaVu Sans Mono", "Noto Sans Mono", monospace; background: var(--code-bg); padding: 0 .2rem; overflow-wrap: anywhere; }
.not-encoded { color: var(--accent); }
.note { color: var(--muted); font-size: .82rem; }
.outcome-failed { color: var(--accent); }
.cases { color: var(--muted); font-size: .8rem; }
a { color: #1f4f7a; }
@media (max-width: 50rem) { section.unit { grid-template-columns: 1fr; } nav { columns: 2; } }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; background: #fff; }
  nav { display: none; }
  section.unit { break-inside: avoid; page-break-inside: avoid; grid-template-columns: 1fr 1fr; }
  h2.heading { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  code { background: none; }
  @page { size: A4; margin: 14mm 12mm; }
}
"""


PAGES: dict[str, str] = {"en": "law.html", "kk": "law.kk.html", "ru": "law.ru.html"}
"""docs/: the page of each language of the commentary (the act's text is the same on all three)."""


def _w(key: str, lang: Language, **values: Any) -> str:
    """A word of the page (``law.*`` of the catalogue) in ``lang``."""
    text = gettext(f"law.{key}", lang)
    return text.format(**values) if values else text


def requirement_text(requirement: Requirement, lang: Language) -> tuple[str, str]:
    """The requirement's text in ``lang`` where requirements.yaml words it so (``kk:``, ``ru:``),
    else its English ``text``; with the language it is in."""
    worded = getattr(requirement, lang, None) if lang != "en" else None
    return (worded, lang) if worded else (requirement.text, "en")


def not_encoded_text(requirement: Requirement, lang: Language) -> tuple[str, str]:
    """Why nothing encodes the requirement, in ``lang`` where requirements.yaml words it so
    (``not_encoded_kk:``, ``not_encoded_ru:``), else in English; with the language it is in."""
    worded = getattr(requirement, f"not_encoded_{lang}", None) if lang != "en" else None
    return (worded, lang) if worded else (requirement.not_encoded or "", "en")


def render_html(law: Law, lang: Language = "en", *, command: str = "python docs/generate_law.py", pages: dict[str, str] | None = None) -> str:
    """The law beside the code as a self-contained page, its commentary (headings, titles, notes,
    requirements) in ``lang`` beside the act's own text; the same bytes for the same pack.
    ``command`` is what made it (said on the page); ``pages``: the file of each language, linked
    from each page (docs/: :data:`PAGES`)."""
    if lang not in LANGUAGES:
        raise UsageError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r:.60}", code="bad_argument")
    e = html.escape
    pack = law.pack
    title = pack.header.act.title.get(lang)
    source = f"{law.folder}/{law.act_text.source}"
    intro = _w(
        "intro", lang, language=_w(f"language.{law.lang}", lang), source="\x00source\x00", pack="\x00pack\x00",
        version=pack.version, command="\x00command\x00",
    )
    intro = (
        html.escape(intro, quote=False)
        .replace("\x00source\x00", f"<code>{e(source)}</code>")
        .replace("\x00pack\x00", f"<code>{e(pack.id)}</code>")
        .replace("\x00command\x00", f"<code>{e(command)}</code>")
    )
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}: {e(_w('title', lang))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<h1 class="act">{e(title)}</h1>',
        f"<p>{intro}</p>",
    ]
    if pages:
        out.append(
            f'<p>{e(_w("docs_note", lang))} <a href="traceability.md">traceability.md</a></p>'
        )
        links = " · ".join(
            f"<strong>{e(_w('language_name', other))}</strong>" if other == lang else f'<a href="{e(pages[other])}" hreflang="{other}">{e(_w("language_name", other))}</a>'
            for other in LANGUAGES if other in pages
        )
        out.append(f'<p class="languages">{links}</p>')
    out += ["</header>", "<nav>"]
    for entry in law.entries:
        cls = ' class="head"' if entry.unit.heading else ""
        label = _heading(entry.text) if entry.unit.heading else entry.unit.provision
        out.append(f'<a{cls} href="#{entry.unit.id}">{e(label)}</a>')
    out.append("</nav>")
    out.append("<main>")
    for entry in law.entries:
        out += _html_entry(law, entry, lang)
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _provision(law: Law, provision: str, lang: Language) -> str:
    """A provision as the pack's citation style writes it in ``lang`` («пункт 10 Правил»); in English as written."""
    return provision if lang == "en" else law.pack.cite(provision, lang)


def _html_entry(law: Law, entry: Entry, lang: Language) -> list[str]:
    e = html.escape
    unit = entry.unit
    text = _plain(entry.text)
    if unit.heading:
        return [f'<h2 class="heading act" lang="{law.lang}" id="{unit.id}">{e(" ".join(text.split()))}</h2>']
    out = [
        f'<section class="unit" id="{unit.id}">',
        f'<h3><a class="self" href="#{unit.id}">{e(_provision(law, unit.provision, lang))}</a><span class="id">#{unit.id}</span></h3>',
        f'<div class="act" lang="{law.lang}">{e(text)}</div>',
        f'<div class="code" lang="{lang}">',
    ]
    if entry.requirements:
        out.append(f"<h4>{e(_w('requirements', lang))}</h4><ul>")
        for requirement in entry.requirements:
            worded, shown = requirement_text(requirement, lang)
            said = f'<span lang="en">{e(worded)}</span> <span class="note">({e(_w("in_english", lang))})</span>' if shown != lang else e(worded)
            if requirement.not_encoded:
                why, why_lang = not_encoded_text(requirement, lang)
                reason = e(why) if why_lang == lang else f'<span lang="en">{e(why)}</span> <span class="note">({e(_w("in_english", lang))})</span>'
                out.append(f'<li>{said} <span class="not-encoded">{e(_w("not_encoded", lang))} {reason}</span></li>')
            else:
                refs = ", ".join(f"<code>{e(ref)}</code>" for ref in requirement.encoded_by)
                tests = "".join(f"<br><span class=\"cases\">{e(_w('test', lang))} <code>{e(test)}</code></span>" for test in requirement.tests)
                resting = list(dict.fromkeys(rule for ref in requirement.encoded_by for rule in resting_rules(law, ref)))
                if resting:
                    severity = gettext(f"severity.{_severity(requirement)}", lang)
                    tests += (
                        f'<br><span class="cases">{e(_w("resting", lang, severity=severity, count=len(resting)))} '
                        + ", ".join(f"<code>{e(rule)}</code>" for rule in resting) + "</span>"
                    )
                out.append(f"<li>{said} {e(_w('encoded_by', lang))} {refs}.{tests}</li>")
        out.append("</ul>")
    if entry.rules:
        out.append(f"<h4>{e(_w('checks', lang))}</h4><ul>")
        for rule in entry.rules:
            file, line = _rule_place(law, rule.id)
            base = "../" if law.folder.startswith("rules/") else ""  # docs/ sits beside rules/; a folder's page names the file as given
            href = f"{base}{file}#L{line}" if file and line else f"{base}{file}"
            cases = law.cases.get(rule.id, [])
            # a case's description is the test's own English; marked so on a kk or ru page
            described = (lambda case: e(case)) if lang == "en" else (lambda case: f'<span lang="en">{e(case)}</span>')
            shown = "".join(
                f'<br><span class="cases">{e(_w("case", lang))} <code>{e(name)}:{line_}</code> {described(case)} → '
                f'<span class="outcome-{e(outcome)}">{e(gettext("outcome." + outcome, lang))}</span></span>'
                for name, line_, case, outcome in cases
            )
            stages = ", ".join(map(str, rule.stages))
            out.append(
                f'<li><a href="{e(href)}"><code>{e(rule.id)}</code></a> {e(rule.title.get(lang))} '
                f"({e(gettext('severity.' + rule.severity, lang))}; {e(_w('stage', lang, stages=stages))}; {e(_provision(law, rule.citation.provision, lang))}){shown}</li>"
            )
        out.append("</ul>")
    if entry.time_limits:
        out.append(f"<h4>{e(_w('time_limits', lang))}</h4><ul>")
        for limit in entry.time_limits:
            note = _note(limit.parameter.note, lang) if limit.parameter else None
            extra = f'<br><span class="note">{e(_w("parameter", lang))} <code>{e(limit.parameter.name)}</code>: {e(note)}</span>' if note else ""
            out.append(
                f"<li><code>{e(limit.id)}</code> {e(limit.title.get(lang))} "
                f"({e(_term(limit))}: <code>{e(limit.start_event)}</code> → <code>{e(limit.end_event)}</code>){extra}</li>"
            )
        out.append("</ul>")
    if entry.parameters:
        out.append(f"<h4>{e(_w('parameters', lang))}</h4><ul>")
        for name, parameter in entry.parameters:
            note = _note(parameter.note, lang)
            extra = f'<br><span class="note">{e(note)}</span>' if note else ""
            out.append(f"<li><code>{e(name)}</code> = <code>{e(_value(parameter.value))}</code> {e(parameter.title.get(lang))}{extra}</li>")
        out.append("</ul>")
    if entry.scoring:
        out.append(f"<h4>{e(_w('scoring', lang))}</h4><ul>")
        for name, item in entry.scoring:
            note = _note(getattr(item, "note", None), lang)
            value = _scoring_value(item)
            title = getattr(item, "title", None)
            shown = f" {e(title.get(lang))}" if title is not None else ""
            extra = f'<br><span class="note">{e(note)}</span>' if note else ""
            out.append(f"<li><code>{e(name)}</code>{(' = <code>' + e(value) + '</code>') if value else ''}{shown}{extra}</li>")
        out.append("</ul>")
    out += ["</div>", "</section>"]
    return out


# --------------------------------------------------------------------------- Markdown


def render_markdown(law: Law) -> str:
    """docs/law.md: the same content as Markdown (anchors as ``<a id>``), for reading on a forge."""
    pack = law.pack
    lang = law.lang
    out = [
        f"# {pack.header.act.title.get(lang)}: the law beside the code",
        "",
        f"Each unit of the act's {law.language_name} text (`rules/{pack.id}/{law.act_text.source}`) and what encodes it in the rule pack "
        f"`{pack.id}` {pack.version}, or why nothing does. Generated by `python docs/generate_law.py` with "
        "[law.html](law.html); `tests/test_law.py` keeps both current. "
        "`clusterpolicy explain RULE` names the anchor of the rule's paragraph.",
        "",
    ]
    for entry in law.entries:
        out += _markdown_entry(law, entry)
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_entry(law: Law, entry: Entry) -> list[str]:
    lang = law.lang
    unit = entry.unit
    text = _plain(entry.text)
    if unit.heading:
        return [f'<a id="{unit.id}"></a>', "", f"## {' '.join(text.split())}", ""]
    out = [f'<a id="{unit.id}"></a>', "", f"### {unit.provision}", ""]
    lines = text.replace("*", "\\*").replace("_", "\\_").split("\n")
    for index, line in enumerate(lines):  # a line followed by another ends in a hard break
        following = index + 1 < len(lines) and lines[index + 1].strip()
        out.append(f"> {line}".rstrip() + ("\\" if line.strip() and following else ""))
    out.append("")
    for requirement in entry.requirements:
        if requirement.not_encoded:
            out.append(f"- **Requirement**: {_md(requirement.text)} *Not encoded*: {_md(requirement.not_encoded)}")
        else:
            refs = ", ".join(f"`{ref}`" for ref in requirement.encoded_by)
            out.append(f"- **Requirement**: {_md(requirement.text)} Encoded by {refs}.")
            out += [f"  - test `{test}`" for test in requirement.tests]
            resting = list(dict.fromkeys(rule for ref in requirement.encoded_by for rule in resting_rules(law, ref)))
            if resting:
                out.append(
                    f"  - the status of every rule of severity {_severity(requirement)} at this stage ({len(resting)}): "
                    + ", ".join(f"`{rule}`" for rule in resting)
                )
    for rule in entry.rules:
        file, line = _rule_place(law, rule.id)
        href = f"../{file}#L{line}" if file and line else f"../{file}"
        out.append(f"- **Rule** [`{rule.id}`]({href}) {rule.title.get(lang)} ({rule.severity}; stage {', '.join(map(str, rule.stages))})")
        out += [f"  - case `{name}:{line_}` {case} → {outcome}" for name, line_, case, outcome in law.cases.get(rule.id, [])]
    for limit in entry.time_limits:
        out.append(f"- **Time limit** `{limit.id}` {limit.title.get(lang)} ({_term(limit)}: `{limit.start_event}` → `{limit.end_event}`)")
        note = _note(limit.parameter.note, lang) if limit.parameter else None
        if note:
            out.append(f"  - parameter `{limit.parameter.name}`: {note}")
    for name, parameter in entry.parameters:
        out.append(f"- **Parameter** `{name}` = `{_value(parameter.value)}` {parameter.title.get(lang)}")
        note = _note(parameter.note, lang)
        if note:
            out.append(f"  - {note}")
    for name, item in entry.scoring:
        value = _scoring_value(item)
        title = getattr(item, "title", None)
        out.append(f"- **Scoring** `{name}`" + (f" = `{value}`" if value else "") + (f" {title.get(lang)}" if title is not None else ""))
        note = _note(getattr(item, "note", None), lang)
        if note:
            out.append(f"  - {note}")
    out.append("")
    return out


def generate(pack_id: str, root: str | Path) -> dict[Path, str]:
    """The files docs/law.html and docs/law.md of ``pack_id`` under ``root`` (the project), with
    their content; a :class:`RulePackError` when the text and the pack do not correspond."""
    root = Path(root)
    law = collect(pack_id, rules_dir=root / "rules")
    found = problems(law)
    if found:
        raise RulePackError("; ".join(found), location=Location(f"rules/{pack_id}/requirements.yaml"))
    files = {root / "docs" / page: render_html(law, lang, pages=PAGES) for lang, page in PAGES.items()}  # type: ignore[arg-type]
    files[root / "docs" / "law.md"] = render_markdown(law)
    return files


def law_page(folder: str | Path, lang: Language = "en") -> tuple[str, list[str]]:
    """The law beside the code of a pack folder of your own (``clusterpolicy law DIR``): the page,
    its commentary in ``lang``, and what breaks the correspondence of its text and its entries
    (:func:`problems`: the page is made all the same, so that the breaks can be seen on it)."""
    law = collect_folder(folder)
    return render_html(law, lang, command=f"clusterpolicy law {Path(folder).name} --lang {lang}"), problems(law)


__all__ = ["PAGES", "Entry", "Law", "collect", "collect_folder", "generate", "law_page", "problems", "render_html", "render_markdown", "requirement_text"]
