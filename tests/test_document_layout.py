"""The documents' layout: the organiser's letterhead and signature, the addressee, page numbers,
no automatic hyphenation, no-break spaces, long lists continued in annexes; and how the command
line delivers them (one notice per file, what it wrote and its warnings on standard error).

The printed pages themselves are checked in tests/test_documents_print.py (browser, slow)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clusterpolicy import run_competition
from clusterpolicy.output import cli
from clusterpolicy.core.errors import InputError
from clusterpolicy.core.i18n import gettext
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.input.loading import load_competition
from clusterpolicy.output.reports import (
    ANNEX_LINES,
    ANNEX_ROWS,
    CSS,
    completeness_protocol,
    evaluation_protocol,
    notice_addressees,
    return_notices,
)
from clusterpolicy.testing import application_data, competition_data

ROOT = Path(__file__).resolve().parents[1]
STAGE1 = ROOT / "examples" / "competition-2017"
ORGANISER = {
    "name": {"kk": "Инвестициялар және даму министрлігі", "ru": "Министерство по инвестициям и развитию"},
    "address": "010000, Астана",
    "signatory": {"position": {"kk": "Вице-министр", "ru": "Вице-министр", "en": "Vice Minister"}, "full_name": "А.Б. Сериков"},
    "outgoing_prefix": "07-2/",
}


def competition(*, organiser: dict | None = ORGANISER, returned: int = 1, participants: int | None = None) -> Competition:
    header = competition_data(1)
    header["events"] = [{"event": "completeness_protocol_signed", "date": "2017-06-14"}]
    if organiser is not None:
        header["organiser"] = organiser
    applications = [application_data(1) | {"id": "ok-1"}]
    for index in range(returned):
        data = application_data(1)
        data["id"] = f"back-{index + 1}"
        data["submission_format"]["paper_copies"] = 0
        data["applicant"]["signatory"] = {"position": "Председатель правления", "full_name": "Кузнецова Марина Юрьевна"}
        applications.append(data)
    if participants is not None:  # one returned application with many participants of one holding
        data = applications[-1]
        template = data["participants"][0]
        data["participants"] = [
            template | {"id": f"p{i:04d}", "name": f"ТОО «Участник {i}»", "bin": None, "owners": [{"owner_id": "Холдинг", "share_percent": "60"}]}
            for i in range(participants)
        ]
    header["applications"] = applications
    return Competition.model_validate(header)


# --------------------------------------------------------------------------- the organiser block


def test_the_organiser_block_is_optional_and_one_text_serves_every_language():
    assert competition(organiser=None).organiser is None
    organiser = competition().organiser
    assert organiser.name.get("kk") == "Инвестициялар және даму министрлігі"
    assert organiser.name.get("en") == "Министерство по инвестициям и развитию"  # no English: the Russian
    assert organiser.address.get("kk") == organiser.address.get("ru") == "010000, Астана"


def test_an_organiser_without_a_name_in_any_language_is_refused():
    with pytest.raises(ValueError, match="at least one language"):
        competition(organiser={"name": {}})
    with pytest.raises(ValueError):
        competition(organiser={"name": "X", "fax": "1"})  # unknown fields are errors


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_letterhead_the_number_and_the_signature_come_from_the_organiser(lang):
    report = run_competition(competition(), lang=lang)
    notice = return_notices(report).to_markdown()
    organiser = report.organiser
    assert notice.startswith(f"**{organiser.name.get(lang)}**")
    assert f"**{gettext('report.letterhead.outgoing', lang)}** 07-2/____" in notice  # the registry fills in the number
    assert organiser.signatory.position.get(lang) in notice and "А.Б. Сериков" in notice
    protocol = completeness_protocol(report).to_markdown()
    assert protocol.startswith(f"**{organiser.name.get(lang)}**")
    assert f"**{gettext('report.letterhead.number', lang)}** ____" in protocol  # a protocol: no letter index
    assert f"**{gettext('report.date', lang)}:**" in protocol


def test_without_an_organiser_the_documents_keep_their_blanks():
    report = run_competition(competition(organiser=None), lang="ru")
    notice = return_notices(report).to_markdown()
    assert notice.startswith("**Исх. №** ____")
    assert "____________ (должность) ____________ (Ф.И.О.) ____________ (подпись)" in notice


def test_the_notice_is_addressed_to_the_applicants_head():
    page = return_notices(run_competition(competition(), lang="ru")).to_html()
    addressee = re.search(r'<div class="addressee">(.*?)</div>', page).group(1)
    assert "Председатель правления Кузнецова Марина Юрьевна" in addressee


def test_the_result_carries_the_organiser_in_its_language():
    import json

    document = json.loads(run_competition(competition(), lang="kk").to_json())
    assert document["organiser"]["name"] == "Инвестициялар және даму министрлігі"
    assert document["organiser"]["signatory"]["position"] == "Вице-министр"


# --------------------------------------------------------------------------- the page


def test_no_automatic_hyphenation_anywhere():
    assert "hyphens:auto" not in CSS
    assert "hyphens:manual" in CSS


@pytest.mark.parametrize(("lang", "label"), [("kk", '"-парақ, барлығы "'), ("ru", '"стр. " counter(page) " из " counter(pages)'), ("en", '"Page "')])
def test_every_printed_page_is_numbered_in_the_documents_language(lang, label):
    page = evaluation_protocol(run_competition(competition(), lang=lang)).to_html()
    rule = re.search(r"@page\{@bottom-right\{content:([^;]*);", page).group(1)
    assert label in rule and "counter(page)" in rule and "counter(pages)" in rule


def test_the_signature_is_kept_with_the_last_lines():
    page = return_notices(run_competition(competition(), lang="kk")).to_html()
    closing = re.search(r'<div class="closing">(.*?)</div>', page, re.S).group(1)
    assert closing.count("<table") == 2 and 'class="signature"' in closing  # the last table, then the signature
    assert ".closing{break-inside:avoid" in page


def test_no_break_spaces_before_the_year_word_inside_numbers_and_after_the_number_sign():
    page = return_notices(run_competition(competition(), lang="ru")).to_html()
    assert "2017\u00a0г." in page and "2017 г." not in page.split("<body>")[1]
    assert "№\u00a0" in page
    from clusterpolicy.output.reports import _nbsp

    assert _nbsp("3 070 млн тенге, 2017 ж., № 535, п. 16, 1 ч 30 мин") == "3\u00a0070\u00a0млн тенге, 2017\u00a0ж., №\u00a0535, п.\u00a016, 1\u00a0ч 30\u00a0мин"


def test_a_short_cell_never_wraps_and_a_long_word_may_break_rather_than_leave_the_page():
    from clusterpolicy.output.reports import _fit

    assert _fit("21.33") == ' class="short"'
    assert _fit("https://clusters.example/a/very/long/address/of/a/page") == ' class="text"'
    assert _fit("ТОО «Ертіс Полимер» (100640398824)") == ""


# --------------------------------------------------------------------------- annexes


def test_a_list_too_long_for_a_table_continues_in_an_annex_of_the_same_document():
    report = run_competition(competition(participants=ANNEX_ROWS + 20), lang="ru")
    document = return_notices(report)
    notice = document.sections[-1]
    assert notice.annexes, "the long list has an annex"
    text = document.to_markdown()
    for i in range(ANNEX_ROWS + 20):  # every participant is in the document: nothing only in the JSON
        assert f"ТОО «Участник {i}»" in text
    assert "продолжение – в приложении 1" in text
    assert "# Приложение 1." in text
    page = document.to_html()
    assert page.index('class="signature"') < page.index('<div class="annex">')  # the annex follows the signature


def test_a_long_table_keeps_its_first_rows_and_numbers_its_annex_rows_on():
    from clusterpolicy.output.reports import Table, _section

    rows = [[str(i), f"строка {i}"] for i in range(1, ANNEX_ROWS + 6)]
    section = _section("Протокол", [Table(["№", "Заявка"], rows)], "ru")
    assert len(section.blocks[0].rows) == ANNEX_ROWS
    assert section.blocks[1].text == "Продолжение перечня – в приложении 1."
    annex = section.annexes[0].blocks[0]
    assert annex.rows[0][0] == str(ANNEX_ROWS + 1) and len(annex.rows) == 5
    cell = "\n".join(f"участник {i}" for i in range(ANNEX_LINES + 3))
    section = _section("Протокол", [Table(["№", "Участники"], [["1", cell]])], "kk")
    assert section.blocks[0].rows[0][1].endswith("(жалғасы 1-қосымшада)")
    assert len(section.annexes[0].blocks[0].rows) == ANNEX_LINES + 3
    finding = "Не указаны в заключении: " + ", ".join(f"ТОО «Участник {i}»" for i in range(200))
    section = _section("Уведомление", [Table(["№", "Выявлено"], [["1", finding]])], "ru")
    shown = section.blocks[0].rows[0][1]
    assert shown.endswith("ТОО «Участник 24» … (продолжение – в приложении 1)") or "… (продолжение – в приложении 1)" in shown
    assert len(shown) < 600 and ", ТОО «Уча…" not in shown  # cut between the list's items
    assert section.annexes[0].blocks[0].text == finding  # in full


# --------------------------------------------------------------------------- delivery on the command line


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_notices_to_a_folder_one_file_per_addressee_named_by_the_application(capsys, tmp_path):
    code, out, err = run(capsys, "report", str(STAGE1), "--kind", "notice", "--lang", "kk", "--format", "html", "-o", f"{tmp_path}/")
    assert code == 0 and out == ""
    names = sorted(path.name for path in tmp_path.iterdir())
    report = run_competition(load_competition(STAGE1))
    returned = sorted(a.application_id for a in report.completeness.applications if a.status == "returned")
    assert names == [f"{name}.html" for name in returned]
    for name in names:
        assert f"{gettext('cli.wrote', 'kk')}: {tmp_path / name}" in err
        page = (tmp_path / name).read_text("utf-8")
        assert page.count('<section class="document">') == 1


@pytest.mark.slow
def test_a_name_ending_in_a_slash_is_a_folder_made_if_missing(capsys, tmp_path):
    folder = tmp_path / "notices"
    code, _, err = run(capsys, "report", str(STAGE1), "--kind", "notice", "-o", f"{folder}/")
    assert code == 0 and (folder / "08-pavlodar-chemical.md").is_file()
    code, _, err = run(capsys, "report", str(STAGE1), "--kind", "notice", "-o", f"{tmp_path}/no/such/")
    assert code == 2 and "cannot make this folder" in err


def test_a_folder_takes_only_notices(capsys, tmp_path):
    code, _, err = run(capsys, "report", str(STAGE1), "--kind", "completeness-protocol", "-o", f"{tmp_path}/")
    assert code == 2 and "one file each" in err


def test_notice_addressees_pairs_each_notice_with_its_application():
    report = run_competition(load_competition(STAGE1), lang="ru")
    pairs = notice_addressees(return_notices(report), report)
    assert [name for name, _ in pairs] == [a.application_id for a in report.completeness.applications if a.status == "returned"]
    assert all(len(document.sections) == 1 for _, document in pairs)


@pytest.mark.slow
def test_report_to_a_file_says_what_it_wrote_and_warnings_stay_out_of_the_document(capsys, tmp_path):
    target = tmp_path / "protocol.md"
    code, out, err = run(capsys, "report", str(STAGE1), "--kind", "completeness-protocol", "--lang", "ru", "-o", str(target))
    assert code == 0 and out == ""
    assert f"записано: {target}" in err
    assert "предупреждение: применённый акт утратил силу" in err  # no Latin-script code in Russian
    code, out, err = run(capsys, "report", str(STAGE1), "--kind", "completeness-protocol", "--lang", "en")
    assert "warning" not in out and "warning [pack_repealed]: " in err


def test_evaluate_writes_its_warnings_to_standard_error_with_their_code(capsys):
    code, out, err = run(capsys, "evaluate", str(STAGE1), "--lang", "en")
    assert "warning" not in out
    assert "warning [pack_repealed]:" in err


def test_evaluate_of_a_competition_without_applications_warns_with_a_code(capsys):
    code, out, err = run(capsys, "evaluate", str(STAGE1 / "competition.yaml"))
    assert "warning [no_applications]:" in err
    report = run_competition(load_competition(STAGE1 / "competition.yaml"))
    assert "no_applications" in {w.code for w in report.warnings}
    with pytest.raises(InputError):  # and no document is drafted for it
        completeness_protocol(report)


@pytest.mark.slow
def test_the_calendar_is_named_after_the_competition(capsys, tmp_path):
    ics = tmp_path / "deadlines.ics"
    code, _, err = run(capsys, "deadlines", str(STAGE1), "--ics", str(ics))
    unfolded = ics.read_bytes().decode("utf-8").replace("\r\n ", "")
    title = load_competition(STAGE1).title_in("en")
    assert f"X-WR-CALNAME:{title}" in unfolded
    assert f"{ics}" in err


# --------------------------------------------------------------------------- for analysts


def test_tables_of_parts_of_a_result_keep_its_language_and_returned_totals_are_marked():
    from clusterpolicy.core.tables import rows

    report = run_competition(load_competition(STAGE1), lang="kk")
    titles = {row["block_title"] for row in rows(report.scores)}
    assert titles == {block.title.get("kk") for block in report.scores[0].blocks}
    assert rows(report.scores, "ru")[0]["block_title"] == report.scores[0].blocks[0].title.get("ru")  # asked: given
    table = {row["application_id"]: row for row in rows(report)}
    assert table["01-karaganda-construction"]["total_counts"] is True
    assert table["08-pavlodar-chemical"]["status"] == "returned" and table["08-pavlodar-chemical"]["total"] is not None
    assert table["08-pavlodar-chemical"]["total_counts"] is False  # its marks do not count


@pytest.mark.slow
def test_the_timeline_chart_ticks_at_month_starts_and_names_clusters_in_full():
    pytest.importorskip("matplotlib")
    from matplotlib.dates import num2date

    from clusterpolicy.output.notebook import plot_timeline

    report = run_competition(load_competition(STAGE1), lang="ru")
    figure = plot_timeline(report)
    ax = figure.axes[0]
    assert {num2date(tick).day for tick in ax.get_xticks()} == {1}
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert not any("…" in label for label in labels)  # wrapped, not cut
    flat = [label.replace("\n", " ") for label in labels]
    assert any("[Химический кластер Павлодарской области]" in label for label in flat)
    assert not any("[08-pavlodar-chemical]" in label for label in flat)
