"""run_competition and the documents for officials: notice, completeness and evaluation protocols."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hypothesis import given, settings

from clusterpolicy import run_competition
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.output.reports import (
    BLANK_DATE,
    completeness_protocol,
    evaluation_protocol,
    make_report,
    return_notice,
    return_notices,
)
from clusterpolicy.core.errors import UsageError
from clusterpolicy.packs import load_pack
from clusterpolicy.evaluation import evaluate
from clusterpolicy.testing import application_data, competition_data, near_valid_applications, valid_competition

PACK = "kz-2015-decree-535"
LANGS = ("kk", "ru", "en")
SUB_CRITERIA = [sub.id for _, sub in load_pack(PACK).scoring.sub_criteria()]


def paragraph(number: int, lang: str) -> str:
    """Paragraph ``number`` of the Rules as a sentence cites it (п.16 Правил), by the pack's style."""
    return load_pack(PACK).cite(f"Rules p.{number}", lang, short=True)


def according(number: int, lang: str) -> str:
    """«In accordance with paragraph ``number`` of the Rules, approved by Decree 535», the pack's phrase."""
    return load_pack(PACK).citation_style.phrase("according", f"Rules p.{number}", lang)


def cited(number: int, lang: str, text: str) -> bool:
    """Whether ``text`` cites paragraph ``number``: inside a sentence, as the ground of what it does, or
    as the requirements it sets (the pack's phrases)."""
    style = load_pack(PACK).citation_style
    forms = (paragraph(number, lang), according(number, lang), style.phrase("requirements", f"Rules p.{number}", lang))
    return any(form in text for form in forms)


def provision_text(provision: str, lang: str) -> str:
    return load_pack(PACK).cite(provision, lang)


def marks(value: int) -> list[dict]:
    return [
        {"expert_id": f"e{i}", "years_of_experience": "8", "marks": {sub: str(value) for sub in SUB_CRITERIA}}
        for i in range(1, 4)
    ]


def competition(*, stage: int = 1, returned: int = 1, late: int = 0, admitted: int = 2, events=None, scored: bool = True) -> Competition:
    header = competition_data(stage)
    header["events"] = events if events is not None else [
        {"event": "completeness_protocol_signed", "date": "2017-06-14"},
        {"event": "review_protocol_signed", "date": "2017-08-01"},
    ]
    applications = []
    for index in range(admitted):
        data = application_data(stage)
        data["id"] = f"ok-{index + 1}"
        if scored:
            data["expert_marks"] = marks(4 - index % 2)
        applications.append(data)
    for index in range(returned):
        data = application_data(stage)
        data["id"] = f"back-{index + 1}"
        data["submission_format"]["paper_copies"] = 0
        data["binding"]["inventory_bound_first"] = False
        applications.append(data)
    for index in range(late):
        data = application_data(stage)
        data["id"] = f"late-{index + 1}"
        data["submitted_at"] = "2017-06-08T19:30:00+06:00"
        applications.append(data)
    for data in applications:  # each applicant by its own name: documents name applicants, not file ids
        data["applicant"]["name"] = f"ТОО «{data['id']}»"
    header["applications"] = applications
    return Competition.model_validate(header)


# --------------------------------------------------------------------------- run_competition


def test_run_competition_combines_check_timeline_scores_and_outcome():
    report = run_competition(competition(returned=1, late=1))
    assert [a.status for a in report.completeness.applications] == ["admitted", "admitted", "returned", "not_accepted"]
    assert [s.application_id for s in report.scores] == ["ok-1", "ok-2"]
    assert [e.application_id for e in report.outcome.ranking] == ["ok-1", "ok-2"]
    assert report.outcome.status == "held" and report.outcome.minimum_score == Decimal("60")
    p15 = next(e for e in report.timeline.entries if e.limit_id == "rules-p15-completeness-check")
    assert p15.start_date == dt.date(2017, 6, 8) and p15.status == "on_time"  # close of acceptance derived
    assert report.has_findings


def test_run_competition_is_deterministic_and_clock_free():
    first = run_competition(competition(), lang="ru").to_json()
    assert first == run_competition(competition(), lang="ru").to_json()
    assert '"as_of": null' in first


def test_as_of_lists_pending_steps_past_due():
    report = run_competition(competition(), as_of=dt.date(2017, 9, 1))
    assert "rules-p20-expert-evaluation" in report.overdue
    assert not run_competition(competition(), as_of=dt.date(2017, 7, 1)).overdue


def test_admitted_application_without_marks_counts_as_compliant_but_unranked():
    comp = competition()
    unmarked = comp.applications[1].model_copy(update={"expert_marks": []})
    comp = comp.model_copy(update={"applications": [comp.applications[0], unmarked, *comp.applications[2:]]})
    outcome = run_competition(comp).outcome
    assert outcome.compliant_count == 2 and outcome.status == "held"
    assert [(u.application_id, u.reason) for u in outcome.unranked] == [("ok-2", "no_total")]


def test_no_marks_no_ranking_but_an_outcome():
    # p.41 counts the participants that meet p.6 and p.7: the outcome needs no expert marks
    report = run_competition(competition(scored=False))
    assert report.scores == [] and report.outcome.ranking == []
    assert (report.outcome.status, report.outcome.compliant_count) == ("held", 2)
    assert any("no ranking" in w.message and w.code == "no_expert_marks" for w in report.warnings)


def test_failed_competition_with_reannouncement_date():
    events = [{"event": "competition_failed", "date": "2017-06-20"}]
    report = run_competition(competition(admitted=1, returned=2, events=events))
    assert report.outcome.status == "failed"
    assert report.outcome.reannouncement_due == dt.date(2017, 8, 21)  # 20 Aug 2017 is a Sunday (p.42)


# --------------------------------------------------------------------------- the documents


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ("md", "html"))
def test_every_document_names_its_paragraphs_and_applications(lang, fmt):
    report = run_competition(competition(returned=1, late=1), lang=lang)
    expected = {
        "notice": [16],
        "completeness-protocol": [15, 16, 13, 6, 20],
        "evaluation-protocol": [24, 41],
    }
    ids = {"notice": ["back-1"], "completeness-protocol": ["ok-1", "ok-2", "back-1", "late-1"], "evaluation-protocol": ["ok-1", "ok-2"]}
    for kind, numbers in expected.items():
        document = make_report(kind, report)
        text = document.to_markdown() if fmt == "md" else document.to_html().replace("\u00a0", " ")  # no-break spaces read as spaces
        for number in numbers:
            assert cited(number, lang, text), (kind, number)
        for application_id in ids[kind]:
            assert application_id in text, (kind, application_id)


@pytest.mark.parametrize("lang", LANGS)
def test_notice_lists_each_faulty_item_with_its_paragraph_and_message(lang):
    report = run_competition(competition(), lang=lang)
    result = next(a for a in report.completeness.applications if a.application_id == "back-1")
    text = return_notices(report).to_markdown()
    assert provision_text("Rules p.9", lang) in text and provision_text("Rules p.11", lang) in text
    for finding in result.failed():
        if finding.severity == "return":
            assert finding.message.replace("|", "\\|").split("(")[0].strip() in text


def test_stage_2_notice_and_protocol_cite_p32_and_p31():
    report = run_competition(competition(stage=2), lang="en")
    assert cited(32, "en", return_notices(report).to_markdown())
    text = completeness_protocol(report).to_markdown()
    assert cited(31, "en", text) and "Rules p.32" in text and "Rules p.7" in text and "Rules p.37" in text


@pytest.mark.parametrize("lang", LANGS)
def test_failed_competition_protocol_gives_p41_and_the_p42_due_date(lang):
    events = [{"event": "competition_failed", "date": "2017-06-20"}]
    report = run_competition(competition(admitted=1, returned=2, events=events), lang=lang)
    text = evaluation_protocol(report).to_markdown()
    due = {"kk": "2017 жылғы 21 тамыздан кешіктірілмей", "ru": "21 августа 2017 г."}.get(lang, "21 August 2017")
    assert paragraph(41, lang) in text and paragraph(42, lang) in text and due in text


def test_failed_competition_without_a_declared_day_states_the_term():
    report = run_competition(competition(admitted=1, returned=2, events=[]), lang="en")
    text = evaluation_protocol(report).to_markdown()
    assert "no later than 2 months after the competition is declared failed (Rules p.42)" in text


def test_document_date_is_a_parameter_or_the_event_or_blank():
    report = run_competition(competition())
    assert "**Date:** 14 June 2017" in completeness_protocol(report).to_markdown()  # completeness_protocol_signed
    assert "**Date:** 1 August 2017" in evaluation_protocol(report).to_markdown()  # review_protocol_signed
    assert "**Date:** 2 January 2018" in completeness_protocol(report, date=dt.date(2018, 1, 2)).to_markdown()
    bare = run_competition(competition(events=[]))
    assert f"**Date:** {BLANK_DATE}" in completeness_protocol(bare).to_markdown()
    assert f"**Date:** {BLANK_DATE}" in return_notice(bare.completeness.applications[2]).to_markdown()


def test_html_is_escaped_and_self_contained():
    comp = competition()
    hostile = comp.applications[2].model_copy(update={"cluster_name": '<script>alert("x")</script> & | co'})
    comp = comp.model_copy(update={"applications": [*comp.applications[:2], hostile]})
    report = run_competition(comp)
    for document in (return_notices(report), completeness_protocol(report), evaluation_protocol(report)):
        page = document.to_html()
        assert "<script" not in page and "<style>" in page
        assert "<link" not in page and "src=" not in page and "url(" not in page
    for document in (return_notices(report), completeness_protocol(report)):
        page = document.to_html()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | co" in page
    markdown = return_notices(report).to_markdown()
    assert "\\<script\\>" in markdown and "\\|" in markdown


def test_notice_for_an_admitted_application_says_it_is_not_returned():
    report = run_competition(competition(returned=0))
    assert "No application is returned" in return_notices(report).to_markdown()
    text = return_notice(report.completeness.applications[0]).to_markdown()
    assert "is not returned: its status is" in text


def test_protocols_need_a_competition():
    report = run_competition(competition())
    with pytest.raises(UsageError):
        make_report("evaluation-protocol", report.completeness.applications[0])
    with pytest.raises(UsageError):
        make_report("letter", report)


def test_documents_are_identical_across_runs():
    def render() -> str:
        report = run_competition(competition(late=1), lang="kk")
        return "".join(make_report(kind, report).to_html() for kind in ("notice", "completeness-protocol", "evaluation-protocol"))

    assert render() == render()


@settings(max_examples=40, deadline=None)
@given(near_valid_applications())
def test_a_notice_names_the_broken_rule_whenever_it_returns(case):
    rule_id, application = case
    result = evaluate(application, competition=valid_competition(application.stage), pack=PACK, lang="kk")
    broken = next(r for r in result.results if r.rule_id == rule_id)
    text = return_notice(result).to_markdown()
    if result.status == "returned":
        assert broken.title in text and broken.citation.text in text
        assert cited(16 if application.stage == 1 else 32, "kk", text)
    else:
        assert "қайтарылмайды" in text


def test_a_line_break_in_a_name_cannot_forge_a_heading_or_a_row():
    """A cluster name with "\\n# ADMITTED BY DECISION OF THE COMMISSION" put a real heading into a protocol."""
    from clusterpolicy.output.reports import Fields, OfficialDocument, Paragraph, Section, Table

    forged = "Cluster\n# ADMITTED BY DECISION OF THE COMMISSION\n| x | forged |"
    document = OfficialDocument(
        "en", [Section(forged, [Fields([("Cluster", forged)]), Paragraph(forged), Table(["name"], [[forged]])])]
    )
    text = document.to_markdown()
    assert not any(line.startswith(("#  ", "# ADMITTED", "| x")) for line in text.splitlines())
    assert "\\# ADMITTED BY DECISION OF THE COMMISSION" in text
    assert len([line for line in text.splitlines() if line.startswith("# ")]) == 1
