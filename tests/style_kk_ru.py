"""The style guide of Kazakh and Russian documents (docs/style-kk-ru.md) as checks.

Each check takes the text of a rendered document (Markdown, HTML or terminal output) and its
language, and returns the faults it finds as ``(rule, excerpt)``. HTML is read as its visible
text (tags, the style sheet and entities taken out); Markdown's markup characters are left, as
they never form a fault by themselves.

The rules:

- ``latin``: no Latin-script word: internal ids (``a4``, ``p01``, ``e5``, application slugs,
  rule and pack ids) and English words are not Kazakh or Russian. Exceptions: a quote of the act
  (the act is Kazakh and Russian: none needed today) and a decision record's digest line
  (``sha256:`` and its hex), which is a machine check, not prose.
- ``decimal``: a decimal comma («86,71»), not a point. Dates (08.06.2017), versions (1.0.0) and
  the numbers of the Criteria («1.1-тармағы», «пункт 1.1 Критериев») are not decimals.
- ``kk-date``: in Kazakh, year first («2017 жылғы 15 маусым»), never «15 маусым 2017 ж.»; a
  date before a verb or participle takes its case ending («2017 жылғы 30 мамырда берілген»).
- ``banned``: none of the words the act does not use for what the documents do: пысықтау and
  «доработку» (the act only returns applications: «өтінімдерді қайтарады»), «пакет» (a pack has no
  legal force; the act does), «толықтығ»/«на полноту» (the p.15/p.31 check is one of
  conformity with p.6/p.7), «в записях заявки» / «өтінімнің жазбаларында» (software records: the
  application's materials are «материалы заявки» / «өтінім материалдары»). The act's own
  «толықтығы» (p.12, quoted) is the exception. «әкімдік» / «акимат»: the decree says «жергілікті
  атқарушы орган» / «местный исполнительный орган».
- ``punctuation``: no doubled punctuation («г..», «,,», «: :», «,.»); «г., 19:30» is right.
"""

from __future__ import annotations

import html
import re

KK_MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
_MONTH = "(?:" + "|".join(KK_MONTHS) + ")"

DIGEST = re.compile(r"sha256:[0-9a-f]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")
CRITERIA_NUMBER = re.compile(r"Критери|Өлшемшарт|критери|өлшемшарт|\d-тармақ|-тармағ|Блок|блок")
KK_DATE_RUSSIAN_ORDER = re.compile(r"\b\d{1,2} " + _MONTH + r"\w* \d{4}|\d{4} ж\.(?!\w)")
# a nominative date followed by a word (a verb, a participle, a postposition) needs a case ending;
# «2017 жылғы 18 ақпан күні», «… күнінен» (the date names the day) and «… деп» are right
KK_DATE_NO_CASE = re.compile(r"\d{4} жылғы \d{1,2} " + _MONTH + r"(?:, сағат \d\d:\d\d)?(?= (?!күн|деп\b)[а-яәғқңөұүһі])")
BANNED = re.compile(r"пысықта\w*|доработк\w*|пакет\w*|толықтығ\w*|на полноту|записях? заяв\w*|өтінімнің жазбалар\w*|өтінім берушінің жазбалар\w*|әкімді[гк]\w*|акимат\w*", re.I)
BANNED_EXCEPTIONS = re.compile(r"ақпараттың толықтығы және анықтығы")  # the act's p.12, quoted
# the same mark twice (an ellipsis «...» aside), or a mark before a full stop; «г., 19:30» is right
PUNCTUATION = re.compile(r"(?<!\.)\.\s*\.(?!\.)|,\s*,|;\s*;|:\s*:|[,;:]\s*\.(?!\.)")

_TAGS = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<(style|title)>.*?</\1>", re.S)


def visible(text: str) -> str:
    """The words a reader sees: HTML without its style sheet, tags and entities; other text as is."""
    if "<html" in text or "<section" in text or "<br>" in text:
        text = _STYLE.sub(" ", text)
        text = _TAGS.sub("\n", text)
        text = html.unescape(text)
    return text.replace("\\", "")  # Markdown escapes


def faults(text: str, lang: str) -> list[tuple[str, str]]:
    """Every fault of the style guide in ``text`` (a document in ``lang``), as (rule, excerpt)."""
    text = visible(text)
    found: list[tuple[str, str]] = []
    prose = DIGEST.sub(" ", text)
    found += [("latin", m.group()) for m in LATIN.finditer(prose)]
    for m in DECIMAL.finditer(text):
        around = text[max(0, m.start() - 25): m.end() + 12]
        if CRITERIA_NUMBER.search(around) or re.match(r"\d\.\d\d\.\d{4}", text[max(0, m.start() - 3): m.end() + 5]):
            continue
        found.append(("decimal", around.strip()))
    if lang == "kk":
        found += [("kk-date", m.group()) for m in KK_DATE_RUSSIAN_ORDER.finditer(text)]
        found += [("kk-date", text[m.start(): m.end() + 15]) for m in KK_DATE_NO_CASE.finditer(text)]
    for m in BANNED.finditer(BANNED_EXCEPTIONS.sub(" ", text)):
        found.append(("banned", m.group()))
    for m in PUNCTUATION.finditer(text):
        found.append(("punctuation", text[max(0, m.start() - 10): m.end() + 5]))
    return found


def by_rule(found: list[tuple[str, str]]) -> dict[str, list[str]]:
    rules: dict[str, list[str]] = {}
    for rule, excerpt in found:
        rules.setdefault(rule, []).append(excerpt)
    return rules
