"""The streaming batch: JSON Lines in, one result per line out (clusterpolicy.evaluate_lines and
``clusterpolicy evaluate --jsonl``), bad lines reported with their line number, nothing kept."""

from __future__ import annotations

import gc
import itertools
import json
import subprocess
import sys

import pytest

import clusterpolicy
from clusterpolicy import UsageError, evaluate, evaluate_lines, load_pack
from clusterpolicy.input.decree535_form import Application
from clusterpolicy.output.cli import main
from clusterpolicy.testing import application_data

PACK = "kz-2015-decree-535"


def line(stage: int = 1, **changes) -> str:
    data = {**application_data(stage), **changes}
    return json.dumps(data, ensure_ascii=False)


def test_each_line_gives_the_result_evaluate_gives():
    lines = [line(1, id="a"), line(2, id="b"), line(1, id="c", applicant={**application_data(1)["applicant"], "type": "cluster_association"})]
    items = list(evaluate_lines(lines, pack=PACK, lang="kk"))
    assert [item.line for item in items] == [1, 2, 3] and all(item.ok for item in items)
    for text, item in zip(lines, items):
        expected = evaluate(Application.model_validate_json(text), pack=load_pack(PACK), lang="kk")
        assert item.result.to_json() == expected.to_json()
    assert items[2].result.status == "returned" and "eligibility.stage1-applicant-type" in items[2].result.reasons


def test_bad_lines_are_located_and_the_batch_goes_on():
    lines = [line(id="a"), "", '{"id": "x",', json.dumps({"id": "y", "stage": 0}), '{"a": 1, "a": 2}', "[1]", b"\xff", line(id="z")]
    items = list(evaluate_lines(lines, pack=PACK, source="batch.jsonl"))
    assert [(item.line, item.ok) for item in items] == [(1, True), (3, False), (4, False), (5, False), (6, False), (7, False), (8, True)]
    codes = [item.error.code for item in items if not item.ok]
    assert codes[0] == "syntax" and codes[2:] == ["duplicate_key", "model_type", "not_utf8"]
    for item in items[1:-1]:
        assert item.error.location.file == "batch.jsonl" and item.error.location.line == item.line
        assert str(item.error).startswith(f"batch.jsonl:{item.line}:")
    assert items[2].error.details[0].location.path == ("stage",)
    record = json.loads(items[1].to_json_line())
    assert record["line"] == 3 and record["error"]["line"] == 3 and record["error"]["code"] == "syntax"


def test_the_generator_streams():
    """An endless input yields its first results: nothing waits for the end of the input."""
    endless = (line(id=f"a{n}") for n in itertools.count())
    first = list(itertools.islice(evaluate_lines(endless, pack=PACK), 3))
    assert [item.result.application_id for item in first] == ["a0", "a1", "a2"]


def test_the_pack_must_be_decided_before_the_first_line():
    with pytest.raises(UsageError, match="one pack"):
        next(evaluate_lines([line()]))
    with pytest.raises(UsageError):
        next(evaluate_lines([line()], pack=PACK, lang="fr"))
    import datetime as dt

    item = next(evaluate_lines([line()], as_of=dt.date(2017, 6, 1)))
    assert item.result.pack.id == "kz-2017-kiri-methodology"  # the pack in force on that day


def test_it_is_public():
    assert {"evaluate_lines", "BatchItem"} <= set(clusterpolicy.__all__)


def test_cli_jsonl_file_and_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(line(1, id="a") + "\n" + line(2, id="b") + "\n", "utf-8")
    code = main(["evaluate", "--jsonl", str(good), "--pack", PACK])
    written = capsys.readouterr().out.splitlines()
    assert len(written) == 2 and [json.loads(text)["application_id"] for text in written] == ["a", "b"]
    statuses = {json.loads(text)["status"] for text in written}
    assert code == (0 if statuses == {"admitted"} else 1)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line(id="a") + "\nnot json\n", "utf-8")
    assert main(["evaluate", "--jsonl", str(bad), "--pack", PACK]) == 2
    written = capsys.readouterr().out.splitlines()
    assert json.loads(written[1])["error"]["line"] == 2
    assert main(["evaluate", "--jsonl", str(tmp_path / "none.jsonl"), "--pack", PACK]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["evaluate", "--jsonl", str(good)]) == 2  # no pack: a usage error, not a traceback


@pytest.mark.slow
def test_cli_jsonl_reads_standard_input():
    done = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "evaluate", "--jsonl", "-", "--as-of", "2017-06-01", "--lang", "ru"],
        input=(line(id="a") + "\n\n" + line(id="b") + "\n").encode("utf-8"),
        capture_output=True,
        check=False,
    )
    written = done.stdout.decode("utf-8").splitlines()
    assert done.returncode in (0, 1), done.stderr
    assert [json.loads(text)["application_id"] for text in written] == ["a", "b"]
    assert all(json.loads(text)["language"] == "ru" for text in written)


def test_evaluation_pauses_the_collector_and_restores_it():
    from clusterpolicy.evaluation import gc_paused

    assert gc.isenabled()
    list(evaluate_lines([line()], pack=PACK))
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with gc_paused():
            assert not gc.isenabled()
            1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize("stage", [1, 2])
def test_without_the_explanation_the_outcomes_and_status_are_the_same(stage):
    """``explain=False``: every rule's outcome, the status and its reasons are those of the full
    evaluation; no message, values or parameters; still a valid result document."""
    from clusterpolicy.checks.results import ApplicationResult

    pack = load_pack(PACK)
    variants = [
        application_data(stage),
        {**application_data(stage), "participants": application_data(stage)["participants"][:3]},  # criterion 1.1 fails
        {**application_data(stage), "applicant": {**application_data(stage)["applicant"], "type": "cluster_association"}},
    ]
    for data in variants:
        application = Application.model_validate(data)
        for lang in ("kk", "en"):
            full = evaluate(application, pack=pack, lang=lang)
            bare = evaluate(application, pack=pack, lang=lang, explain=False)
            assert (bare.status, bare.reasons, bare.status_citation) == (full.status, full.reasons, full.status_citation)
            assert [(r.rule_id, r.outcome, r.severity, r.title, r.citation) for r in bare.results] == [
                (r.rule_id, r.outcome, r.severity, r.title, r.citation) for r in full.results
            ]
            assert all(r.message is None and r.observed == {} and r.parameters == {} for r in bare.results)
            assert ApplicationResult.model_validate_json(bare.to_json()) == bare
    outcomes = {r.outcome for data in variants for r in evaluate(Application.model_validate(data), pack=pack, explain=False).results}
    assert {"passed", "not_applicable"} | ({"failed"} if stage == 1 else set()) <= outcomes
    with pytest.raises(UsageError, match="explain"):
        evaluate(Application.model_validate(variants[0]), pack=pack, explain="no")


def test_cli_jsonl_without_the_explanation(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(line(1, id="a") + "\n" + line(2, id="b") + "\n", "utf-8")
    assert main(["evaluate", "--jsonl", str(good), "--pack", PACK]) in (0, 1)
    full = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert main(["evaluate", "--jsonl", str(good), "--pack", PACK, "--no-explain"]) in (0, 1)
    bare = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert [(d["status"], d["reasons"]) for d in bare] == [(d["status"], d["reasons"]) for d in full]
    assert [[r["outcome"] for r in d["results"]] for d in bare] == [[r["outcome"] for r in d["results"]] for d in full]
    assert all(r["message"] is None and r["observed"] == {} for d in bare for r in d["results"])
    assert main(["evaluate", str(tmp_path / "x.yaml"), "--no-explain"]) == 2
    assert "--no-explain is for --jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_written_line_has_the_digest_of_exactly_what_is_written(lang):
    """A result holding a multilingual text writes it as the string in the result's language, and
    the record's digest covers that line (the item was once dumped without the language, while the
    digest was taken with it)."""
    from clusterpolicy.batch import BatchItem
    from clusterpolicy.core.i18n import Text
    from clusterpolicy.core.record import document_digest, sealed

    (item,) = evaluate_lines([line(1, id="a")], pack=PACK, lang=lang)
    result = item.result
    first = result.results[0].model_copy(update={"observed": {"note": Text(kk="Қазақша", ru="По-русски", en="In English")}})
    result = sealed(result.model_copy(update={"results": [first, *result.results[1:]]}))
    written = json.loads(BatchItem(1, result=result).to_json_line())
    assert written["results"][0]["observed"]["note"] == Text(kk="Қазақша", ru="По-русски", en="In English").get(lang)
    assert written["decision_record"]["digest"] == document_digest(written) == result.decision_record.digest
    assert BatchItem(1, result=result).to_json_line() == result.to_json(compact=True)


def test_a_line_s_application_goes_when_the_next_line_is_read():
    """The decision record of a streamed result keeps its application only while the stream is on
    its line (core.record.HeldInput): line 1's application is freed, by reference counting alone,
    before line 2 is read, and line 1's input digest, asked for afterwards, reads its text again
    and is the digest :func:`evaluate` gives."""
    import weakref

    from clusterpolicy.core.record import HeldInput

    lines = [line(1, id="a"), line(2, id="b")]
    alive_when_asked = []

    def source():
        yield lines[0]
        alive_when_asked.append(application() is not None)
        yield lines[1]

    stream = evaluate_lines(source(), pack=PACK)
    gc.disable()
    try:
        first = next(stream)
        held = first.result.decision_record.input.__pydantic_private__["_pending"][1][0]
        assert type(held) is HeldInput
        application = weakref.ref(held.model())
        assert application() is not None
        second = next(stream)
    finally:
        gc.enable()
    assert alive_when_asked == [False]  # freed before line 2 was asked for: nothing else held it, not even in a cycle
    pack = load_pack(PACK)
    for text, item in zip(lines, (first, second)):
        expected = evaluate(Application.model_validate_json(text), pack=pack)
        assert item.result.decision_record.input.digest == expected.decision_record.input.digest
        assert item.to_json_line() == expected.to_json(compact=True)
    assert held.model() is not held.model()  # read again each time it is asked for, kept by nobody


def test_a_line_written_at_once_and_one_written_later_are_the_same_bytes():
    lines = [line(1, id="a"), line(1, id="c", participants=application_data(1)["participants"][:3]), line(2, id="b")]
    at_once = [item.to_json_line() for item in evaluate_lines(lines, pack=PACK, lang="ru")]
    later = [item.to_json_line() for item in list(evaluate_lines(lines, pack=PACK, lang="ru"))]
    assert at_once == later and len(set(at_once)) == 3
