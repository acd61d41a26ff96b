"""The HTTP service (docs/service.md): the same answers as the command line, errors as RFC 9457
problems with the library's codes, bodies over the limit refused unread, and a real uvicorn
process started, asked and stopped by the test (slow).

The in-process tests call the ASGI application directly (``call`` of tests/_server.py: no HTTP client
library is needed), so they can also see how much of a body the service read.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic_core.core_schema import ErrorType
from typing import get_args

from clusterpolicy.core.errors import ERROR_CODES
from clusterpolicy.output import cli, server, service

from _cli import cli_run
from _server import Answer, assert_problem, call, encode, plain, request, running_server

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STAGE1 = EXAMPLES / "competition-2017"
STAGE2 = EXAMPLES / "competition-2017-stage2"
PACK = "kz-2015-decree-535"
PYDANTIC_CODES = get_args(ErrorType)


# --------------------------------------------------------------------------- helpers


def applications(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.yaml") if path.stem != "competition")


def whole_competition(folder: Path) -> dict:
    competition = plain(next(folder.glob("competition.*")))
    competition["applications"] = [plain(path) for path in applications(folder)]
    return competition


def run_cli(*argv: str) -> bytes:
    """What ``clusterpolicy ARGV`` prints, run in this process."""
    code, out = cli_run(*argv)
    assert code in (0, 1), (argv, code)
    return out.encode("utf-8")


@pytest.fixture(scope="module")
def app():
    return service.create_app()


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A competition folder of the 2017 header and two of its applications (fast to evaluate)."""
    folder = tmp_path_factory.mktemp("small") / "competition"
    folder.mkdir()
    kept = ("01-karaganda-construction", "02-almaty-furniture")
    for name in kept:
        (folder / f"{name}.yaml").write_bytes((STAGE1 / f"{name}.yaml").read_bytes())
    header = plain(STAGE1 / "competition.yaml")  # without the events of the applications left out
    header["events"] = [event for event in header["events"] if event.get("application_id") in (None, *kept)]
    (folder / "competition.json").write_bytes(encode(header))
    return folder


# --------------------------------------------------------------------------- reading endpoints


def test_health_names_the_version_and_every_shipped_pack(app):
    from clusterpolicy import __version__
    from clusterpolicy.packs import available_packs

    answer = call(app, "GET", "/v1/health")
    assert answer.status == 200 and answer.type == "application/json"
    health = answer.json()
    assert health["status"] == "ok" and health["library_version"] == __version__
    assert [pack["id"] for pack in health["packs"]] == available_packs()


def test_packs_list_in_the_language_asked(app):
    packs = call(app, "GET", "/v1/packs?lang=ru").json()
    decree = next(pack for pack in packs if pack["id"] == PACK)
    assert "Постановление" in decree["act"] and "eligibility.unaffiliated-legal-entities" in decree["rules"]
    assert decree["in_force_from"] == "2015-07-27"


def test_a_rule_is_explained_as_the_explain_command_does(app):
    rule = "eligibility.unaffiliated-legal-entities"
    shown = call(app, "GET", f"/v1/packs/{PACK}/rules/{rule}?lang=en").json()
    text = run_cli("explain", rule, "--pack", PACK, "--lang", "en").decode()
    assert shown["id"] == rule and shown["citation"]["provision"] == "Criteria 1.1"
    assert f"defined:   {shown['defined']['file']}:{shown['defined']['line']}" in text
    assert f"message:   {shown['message']}" in text
    assert f"quote:     «{shown['citation']['quote']}»" in text
    assert [f"parameter: {p['name']} = " in text for p in shown["parameters"]] == [True] * len(shown["parameters"]) != []


@pytest.mark.parametrize(
    ("path", "code"),
    [(f"/v1/packs/no-such-pack/rules/x", "unknown_pack"), (f"/v1/packs/{PACK}/rules/no.such.rule", "unknown_rule"), ("/v1/nothing", "not_found")],
)
def test_unknown_pack_rule_or_endpoint_is_404(app, path, code):
    assert_problem(call(app, "GET", path), 404, code)


def test_a_wrong_query_parameter_is_a_located_422(app):
    problem = assert_problem(call(app, "GET", "/v1/packs?lang=kz"), 422, "literal_error")
    assert problem["location"]["path"] == "query.lang"


def test_wrong_method_is_405_with_allow(app):
    answer = call(app, "GET", "/v1/evaluate")
    assert_problem(answer, 405, "method_not_allowed")
    assert answer.headers.get("allow") == "POST"


# --------------------------------------------------------------------------- the same bytes as the command line


def evaluate_body(path: Path, lang: str) -> bytes:
    return encode({"application": plain(path), "competition": plain(path.parent / "competition.yaml"), "lang": lang})


def test_evaluate_gives_the_bytes_of_the_command_line(app):
    path = STAGE1 / "02-almaty-furniture.yaml"
    answer = call(app, "POST", "/v1/evaluate", evaluate_body(path, "kk"))
    assert answer.status == 200 and answer.type == "application/json"
    assert answer.body == run_cli("evaluate", str(path), "--competition", str(STAGE1 / "competition.yaml"), "--format", "json", "--compact", "--lang", "kk")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("path", applications(STAGE1) + applications(STAGE2), ids=lambda path: path.stem)
def test_evaluate_gives_the_bytes_of_the_command_line_for_every_example(app, path, lang):
    answer = call(app, "POST", "/v1/evaluate", evaluate_body(path, lang))
    assert answer.body == run_cli("evaluate", str(path), "--competition", str(path.parent / "competition.yaml"), "--format", "json", "--compact", "--lang", lang)


def test_evaluate_without_a_competition_and_with_pack_and_as_of(app):
    path = STAGE1 / "01-karaganda-construction.yaml"
    body = encode({"application": plain(path), "pack": PACK, "as_of": "2017-06-08"})
    from clusterpolicy import evaluate, load_application

    result = evaluate(load_application(path), pack=PACK, as_of=dt.date(2017, 6, 8))
    assert call(app, "POST", "/v1/evaluate", body).body == result.to_json(compact=True).encode()
    # for people: ?pretty=1 gives the indented document the command line prints by default, the same data
    pretty = call(app, "POST", "/v1/evaluate?pretty=1", body).body
    assert pretty == result.to_json().encode() and json.loads(pretty) == json.loads(result.to_json(compact=True))


@pytest.mark.slow
def test_a_competition_gives_the_bytes_of_the_command_line(app, small):
    body = encode({"competition": whole_competition(small), "lang": "ru"})
    answer = call(app, "POST", "/v1/competitions/evaluate", body)
    assert answer.status == 200 and answer.type == "application/json"
    assert answer.body == run_cli("evaluate", str(small), "--format", "json", "--compact", "--lang", "ru")
    import jsonschema

    components = call(app, "GET", "/openapi.json").json()["components"]
    schema = {"components": components, "$ref": "#/components/schemas/CompetitionReport"}
    jsonschema.Draft202012Validator(schema).validate(answer.json())


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("folder", [STAGE1, STAGE2], ids=["stage1", "stage2"])
def test_every_example_competition_gives_the_bytes_of_the_command_line(app, folder, lang):
    body = encode({"competition": whole_competition(folder), "lang": lang})
    answer = call(app, "POST", "/v1/competitions/evaluate", body)
    assert answer.body == run_cli("evaluate", str(folder), "--format", "json", "--compact", "--lang", lang)


@pytest.mark.slow
def test_deadlines_as_the_icalendar_of_the_command_line(app, tmp_path):
    body = encode({"competition": whole_competition(STAGE1), "lang": "kk", "as_of": "2017-09-01"})
    ics = call(app, "POST", "/v1/deadlines", body, headers=[("accept", "text/calendar")])
    assert ics.status == 200 and ics.type == "text/calendar; charset=utf-8"
    run_cli("deadlines", str(STAGE1), "--lang", "kk", "--as-of", "2017-09-01", "--ics", str(tmp_path / "cli.ics"))
    assert ics.body == (tmp_path / "cli.ics").read_bytes()


def test_deadlines_as_json(app):
    body = encode({"competition": plain(STAGE1 / "competition.yaml"), "lang": "kk", "as_of": "2017-09-01"})
    answer = call(app, "POST", "/v1/deadlines", body)
    assert answer.status == 200 and answer.type == "application/json"
    document = answer.json()
    late = {entry["limit_id"] for entry in document["timeline"]["entries"] if entry["status"] == "late"}
    assert "rules-p5-announcement" in late and document["pack"]["id"] == PACK and document["language"] == "kk"
    # the timeline result document of the command line, byte for byte
    assert answer.body == run_cli("deadlines", str(STAGE1), "--format", "json", "--compact", "--lang", "kk", "--as-of", "2017-09-01")


def test_deadlines_from_dates_alone(app):
    body = encode({"announced": "2017-04-10", "closes": "2017-06-08T18:00:00+06:00", "pack": PACK})
    entries = call(app, "POST", "/v1/deadlines", body).json()["timeline"]["entries"]
    announcement = next(entry for entry in entries if entry["limit_id"] == "rules-p5-announcement")
    assert (announcement["actual_date"], announcement["start_date"], announcement["status"]) == ("2017-04-10", "2017-06-08", "late")
    problem = assert_problem(call(app, "POST", "/v1/deadlines", encode({"lang": "en"})), 422, "usage")
    assert "announced" in problem["detail"]


@pytest.mark.parametrize(
    ("accept", "flag"), [pytest.param("text/markdown", "md", marks=pytest.mark.slow), pytest.param("text/html", "html", marks=pytest.mark.slow), pytest.param("*/*", "html", marks=pytest.mark.slow)]
)
def test_reports_give_the_document_of_the_command_line(app, small, accept, flag):
    body = encode({"competition": whole_competition(small), "lang": "kk"})
    answer = call(app, "POST", "/v1/reports/completeness-protocol", body, headers=[("accept", accept)])
    assert answer.status == 200
    assert answer.type == ("text/markdown" if flag == "md" else "text/html") + "; charset=utf-8"
    assert answer.body == run_cli("report", str(small), "--kind", "completeness-protocol", "--lang", "kk", "--format", flag)


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "flag"), [("notice", "md"), ("completeness-protocol", "html"), ("evaluation-protocol", "md")])
def test_every_report_of_the_example_gives_the_document_of_the_command_line(app, kind, flag):
    body = encode({"competition": whole_competition(STAGE1), "lang": "ru", "date": "2017-06-15"})
    answer = call(app, "POST", f"/v1/reports/{kind}", body, headers=[("accept", "text/markdown" if flag == "md" else "text/html")])
    assert answer.body == run_cli("report", str(STAGE1), "--kind", kind, "--lang", "ru", "--format", flag, "--date", "2017-06-15")


def test_a_return_notice_for_one_application(app):
    path = STAGE1 / "02-almaty-furniture.yaml"
    answer = call(app, "POST", "/v1/reports/notice", evaluate_body(path, "ru"), headers=[("accept", "text/markdown")])
    assert answer.body == run_cli("report", str(path), "--competition", str(STAGE1 / "competition.yaml"), "--kind", "notice", "--lang", "ru")


@pytest.mark.slow  # two PDFs, each made by a child process
def test_pdf_when_the_library_makes_it_and_406_otherwise(app):
    body = evaluate_body(STAGE1 / "02-almaty-furniture.yaml", "ru")
    answer = call(app, "POST", "/v1/reports/notice", body, headers=[("accept", "application/pdf")])
    if service.pdf_available():
        assert answer.status in (200, 406)
        if answer.status == 200:
            assert answer.type == "application/pdf" and answer.body.startswith(b"%PDF")
        else:  # the library has PDF, this installation lacks what it needs: said, not a 500
            assert_problem(answer, 406, "not_acceptable")
    else:
        assert_problem(answer, 406, "not_acceptable")
    # PDF preferred but HTML acceptable: never a 406
    answer = call(app, "POST", "/v1/reports/notice", body, headers=[("accept", "application/pdf, text/html;q=0.5")])
    assert answer.status == 200 and answer.type.split(";")[0] in ("application/pdf", "text/html")


def test_unknown_report_kind_is_404(app):
    assert_problem(call(app, "POST", "/v1/reports/protocol", encode({})), 404, "not_found")


# --------------------------------------------------------------------------- errors


def test_malformed_json_is_400_with_its_line(app):
    problem = assert_problem(call(app, "POST", "/v1/evaluate", b'{\n  "application": {,\n}'), 400, "syntax")
    assert problem["location"]["line"] == 2


@pytest.mark.parametrize(
    ("body", "code"),
    [(b"", "syntax"), (b'{"a": 1, "a": 2}', "duplicate_key"), (b"\xff{}", "not_utf8"), (b'{"a": NaN}', "syntax"), (b"[" * 200 + b"]" * 200, "too_deep")],
)
def test_bodies_that_are_not_json_objects_are_400(app, body, code):
    assert_problem(call(app, "POST", "/v1/evaluate", body), 400, code)


def test_invalid_input_is_422_with_the_field_path_and_line(app):
    application = plain(STAGE1 / "01-karaganda-construction.yaml")
    application["participants"][3]["founded"] = "2015-13-01"
    body = json.dumps({"application": application}, indent=2, default=str).encode()
    problem = assert_problem(call(app, "POST", "/v1/evaluate", body), 422, "date_from_datetime_parsing")
    assert problem["location"]["path"] == "application.participants[3].founded"
    assert problem["location"]["pointer"] == "/application/participants/3/founded"
    line = body.decode().splitlines()[problem["location"]["line"] - 1]
    assert '"founded": "2015-13-01"' in line


def _evaluated_with(app, application: dict, with_header: bool, lang: str, **fields) -> tuple[bytes, Answer]:
    """The body of ``application`` (beside its competition's header if ``with_header``), indented
    (a field on its own line), and the service's answer in ``lang`` (Accept-Language)."""
    fields = {"application": application, **fields}
    if with_header:
        fields["competition"] = {key: value for key, value in plain(STAGE1 / "competition.yaml").items() if key != "applications"}
    body = json.dumps(fields, indent=2, default=str, ensure_ascii=False).encode()
    return body, call(app, "POST", "/v1/evaluate", body, [("accept-language", lang)])


@pytest.mark.parametrize("with_header", [False, True])
def test_a_stage_the_act_lacks_points_at_the_application_s_stage(app, with_header):
    """An application evaluated alone, or beside its competition's header, naming a stage the act
    does not have: the problem points at ``/application/stage`` in the body (alone it once pointed
    at ``/stage``, which is not in the body), on its line, worded in the language of Accept-Language."""
    application = {**plain(STAGE1 / "01-karaganda-construction.yaml"), "stage": 3}
    body, answer = _evaluated_with(app, application, with_header, "ru")
    problem = assert_problem(answer, 422, "unknown_stage")
    assert problem["location"]["pointer"] == "/application/stage"
    assert '"stage": 3' in body.decode().splitlines()[problem["location"]["line"] - 1]
    assert problem["detail"].startswith("этапа 3 нет в применённом акте")


@pytest.mark.parametrize("with_header", [False, True])
def test_a_date_outside_the_calendar_points_at_its_field(app, with_header):
    """A term counted from a date the working calendar does not hold: the problem points at that
    date in the body, under ``/application``, worded in the language of Accept-Language."""
    application = plain(STAGE1 / "01-karaganda-construction.yaml")
    application["akimat_conclusion"]["request_registered_on"] = "1970-01-01"
    body, answer = _evaluated_with(app, application, with_header, "kk", pack="kz-2015-decree-535")
    problem = assert_problem(answer, 422, "outside_calendar")
    assert problem["location"]["pointer"] == "/application/akimat_conclusion/request_registered_on"
    assert '"request_registered_on": "1970-01-01"' in body.decode().splitlines()[problem["location"]["line"] - 1]
    assert problem["detail"].startswith("1970 жылғы 1 қаңтар жұмыс күнтізбесінің шегінен тыс")


def test_a_misspelt_field_is_named_with_a_guess(app):
    body = encode({"applicaton": plain(STAGE1 / "01-karaganda-construction.yaml"), "lang": "ru"})
    problem = assert_problem(call(app, "POST", "/v1/evaluate", body), 422, "extra_forbidden")
    assert problem["location"]["path"] == "applicaton" and "'application'" in problem["detail"]


def test_unknown_pack_in_the_body_points_at_the_field(app):
    body = encode({"application": plain(STAGE1 / "01-karaganda-construction.yaml"), "pack": "kz-2099"})
    problem = assert_problem(call(app, "POST", "/v1/evaluate", body), 422, "unknown_pack")
    assert problem["location"]["pointer"] == "/pack"


@pytest.mark.parametrize("pack", ["rules/kz-2015-decree-535", "../../rules/kz-2015-decree-535", "/etc", "kz-2015-decree-535/"])
def test_a_pack_is_a_shipped_id_never_a_folder_of_the_server(app, pack):
    competition = {**plain(STAGE1 / "competition.yaml"), "pack": pack}
    body = encode({"application": plain(STAGE1 / "01-karaganda-construction.yaml"), "competition": competition})
    problem = assert_problem(call(app, "POST", "/v1/evaluate", body), 422, "unknown_pack")
    assert problem["location"]["pointer"] == "/competition/pack"
    body = encode({"announced": "2017-04-10", "pack": pack})
    assert assert_problem(call(app, "POST", "/v1/deadlines", body), 422, "unknown_pack")["location"]["pointer"] == "/pack"


def test_a_header_with_applications_is_refused_with_a_hint(app):
    header = {**plain(STAGE1 / "competition.yaml"), "applications": []}
    body = encode({"application": plain(STAGE1 / "01-karaganda-construction.yaml"), "competition": header})
    problem = assert_problem(call(app, "POST", "/v1/evaluate", body), 422, "extra_forbidden")
    assert "/v1/competitions/evaluate" in problem["detail"]


@pytest.mark.slow
def test_an_inconsistent_competition_is_located(app, small):
    competition = whole_competition(small)
    competition["events"].append({"event": "akimat_request_registered", "date": "2017-05-18", "application_id": "99-nobody"})
    problem = assert_problem(call(app, "POST", "/v1/competitions/evaluate", encode({"competition": competition})), 422, "inconsistent")
    assert problem["location"]["path"] == f"competition.events[{len(competition['events']) - 1}].application_id"


def test_a_body_over_the_limit_is_refused_from_its_length_without_being_read():
    small = service.create_app(max_body=1000)
    answer = call(small, "POST", "/v1/evaluate", b"{}", length=5_000_000)
    assert_problem(answer, 413, "too_large")
    assert answer.received == 0


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit():
    small = service.create_app(max_body=1000)
    answer = call(small, "POST", "/v1/evaluate", chunks=[b" " * 400] * 10)
    assert_problem(answer, 413, "too_large")
    assert answer.received == 1200  # three parts of ten: the rest was never read
    assert call(small, "POST", "/v1/evaluate", chunks=[b" " * 400, b"{}"]).status == 422  # under the limit: read


def test_the_limit_comes_from_the_environment_for_every_worker(monkeypatch):
    monkeypatch.setenv(server.MAX_BODY_ENV, "50")
    assert service.max_body_bytes() == 50
    assert_problem(call(service.create_app(), "POST", "/v1/evaluate", b" " * 51 + b"{}"), 413, "too_large")
    monkeypatch.setenv(server.MAX_BODY_ENV, "nonsense")
    assert service.max_body_bytes() == server.DEFAULT_MAX_BODY


def test_accept_that_nothing_satisfies_is_406(app):
    body = encode({"announced": "2017-04-10"})
    assert_problem(call(app, "POST", "/v1/deadlines", body, headers=[("accept", "image/png")]), 406, "not_acceptable")
    assert call(app, "POST", "/v1/deadlines", body, headers=[("accept", "text/*;q=0.1, application/json;q=0")]).type.startswith("text/calendar")


def test_choose_type_follows_quality_and_specificity():
    offered = ["text/html", "text/markdown", "application/pdf"]
    assert service.choose_type(None, offered) == "text/html"
    assert service.choose_type("text/markdown", offered) == "text/markdown"
    assert service.choose_type("text/*;q=0.5, application/pdf", offered) == "application/pdf"
    assert service.choose_type("text/*, text/html;q=0", offered) == "text/markdown"
    with pytest.raises(Exception, match="cannot answer"):
        service.choose_type("application/json", offered)


GARBAGE = [
    b"{}", b"null", b"42", b'"text"', b'{"application": null}', b'{"application": []}', b'{"application": {"id": {}}}',
    b'{"competition": 1}', b'{"competition": {"applications": "x"}}', b'{"lang": "fr"}', b'{"as_of": "2017-02-30"}',
    b'{"as_of": "99999-01-01"}', b'{"pack": ""}', b'{"pack": 7}', b'{"closes": "yesterday"}', b'{"announced": "1800-01-01"}',
    b'{"closes": "9999-12-31T23:59:59-12:00"}', b'{"date": true, "application": {"stage": 3}}', b'{"\\u0000": 1}',
    b'{"application": {"participants": [' + b"{}," * 50 + b"{}]}}",
]


@pytest.mark.parametrize("endpoint", ["/v1/evaluate", "/v1/competitions/evaluate", "/v1/deadlines", "/v1/reports/notice"])
def test_bad_input_is_never_a_500(app, endpoint):
    for body in GARBAGE:
        answer = call(app, "POST", endpoint, body)
        assert answer.status in (400, 422), (endpoint, body, answer.body[:300])
        assert answer.json()["code"] in ERROR_CODES + PYDANTIC_CODES
        assert answer.raised is None


def test_a_defect_is_a_500_problem_without_a_traceback(app, monkeypatch):
    def broken(document):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "evaluate_application", broken)
    answer = call(app, "POST", "/v1/evaluate", b"{}")
    problem = assert_problem(answer, 500, "internal_error")
    assert "secret" not in answer.body.decode() and "RuntimeError" not in problem["detail"]


# --------------------------------------------------------------------------- OpenAPI and the docs


def test_openapi_is_generated_from_the_models(app):
    document = call(app, "GET", "/openapi.json").json()
    assert {"/v1/health", "/v1/packs", "/v1/packs/{pack}/rules/{rule}", "/v1/evaluate", "/v1/competitions/evaluate",
            "/v1/deadlines", "/v1/reports/{kind}"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"EvaluateRequest", "CompetitionRequest", "Application", "CompetitionHeader", "ApplicationResult", "Problem"} <= set(schemas)
    assert "applications" not in schemas["CompetitionHeader"]["properties"] and "applications" in schemas["Competition"]["properties"]
    body = document["paths"]["/v1/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/EvaluateRequest"}
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    for reference in set(part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]):
        assert reference in schemas, reference


def test_the_examples_of_the_interactive_docs_are_answered(app):
    """"Try it out" sends the example of each request body: each is answered (a real application
    and competition from a shipped pack's tests), not refused."""
    document = call(app, "GET", "/openapi.json").json()
    tried = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            example = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
            if example is not None:
                answer = call(app, method.upper(), path.replace("{kind}", "completeness-protocol"), encode(example))
                assert answer.status == 200, (path, answer.body[:300])
                tried += 1
    assert tried == 6  # evaluate, competition, diff, sensitivity, deadlines, reports


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_interactive_docs_load_nothing_from_the_internet(app, page):
    answer = call(app, "GET", page)
    assert answer.status == 200 and "text/html" in answer.type
    html = answer.body.decode()
    import re

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/docs-assets/") for source in sources), sources
    assert "fonts.googleapis" not in html and "cdn" not in html.lower()
    for source in sources:
        asset = call(app, "GET", source)
        assert asset.status == 200 and len(asset.body) > 1000, source


# --------------------------------------------------------------------------- the command


def test_serve_without_the_extra_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(server, "missing_modules", lambda: ["fastapi"])
    assert cli.main(["serve", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "pip install 'clusterpolicy[server]'" in error and "Traceback" not in error


def test_serve_rejects_a_bad_port_or_worker_count(capsys):
    assert cli.main(["serve", "--port", "70000"]) == 2
    assert cli.main(["serve", "--workers", "0"]) == 2


def test_serve_on_a_port_in_use_exits_with_2(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert cli.main(["serve", "--port", str(taken.getsockname()[1])]) == 2
    error = capsys.readouterr().err
    assert "cannot listen on 127.0.0.1:" in error and "in use" in error


@pytest.mark.slow
def test_the_core_and_the_command_work_without_the_extra():
    """With fastapi, uvicorn and fastapi_offline made unimportable, the library evaluates and
    ``serve`` exits with 2 and the message."""
    code = (
        "import sys\n"
        "for name in ('fastapi', 'uvicorn', 'fastapi_offline', 'starlette'):\n"
        "    sys.modules[name] = None\n"
        "import clusterpolicy\n"
        "from clusterpolicy.output.cli import main\n"
        f"assert main(['evaluate', {str(STAGE1 / '01-karaganda-construction.yaml')!r}, '--format', 'json']) in (0, 1)\n"
        "sys.exit(main(['serve']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "needs the server extra" in done.stderr and "Traceback" not in done.stderr
    assert '"application_id": "01-karaganda-construction"' in done.stdout


# --------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def running():
    """``clusterpolicy serve`` with two workers on a free port of 127.0.0.1: started, then stopped."""
    with running_server("--workers", "2", "--max-body", "100000") as port:
        yield port


@pytest.mark.slow
def test_a_real_server_answers_as_the_command_line(running):
    path = STAGE1 / "03-south-kazakhstan-pharmaceutical.yaml"
    expected = run_cli("evaluate", str(path), "--competition", str(STAGE1 / "competition.yaml"), "--format", "json", "--compact", "--lang", "ru")
    bodies = set()
    for _ in range(8):  # two workers: whichever answers, the same bytes
        status, headers, body = request(running, "POST", "/v1/evaluate", evaluate_body(path, "ru"), {"Content-Type": "application/json"})
        assert status == 200 and headers["content-type"] == "application/json"
        bodies.add(body)
    assert bodies == {expected}
    status, headers, body = request(running, "GET", "/v1/health")
    assert status == 200 and json.loads(body)["status"] == "ok"


@pytest.mark.slow
def test_a_real_server_answers_errors_as_problems(running):
    status, headers, body = request(running, "POST", "/v1/evaluate", b"{not json", {"Content-Type": "application/json"})
    assert status == 400 and headers["content-type"] == "application/problem+json" and json.loads(body)["code"] == "syntax"
    status, _, body = request(running, "GET", "/v1/packs/nope/rules/x")
    assert status == 404 and json.loads(body)["code"] == "unknown_pack"


@pytest.mark.slow
def test_a_real_server_refuses_a_large_body_before_it_is_sent(running):
    """The client declares 10 MB and sends none of it: the answer comes at once (--max-body 100000)."""
    connection = http.client.HTTPConnection("127.0.0.1", running, timeout=30)
    try:
        connection.putrequest("POST", "/v1/evaluate")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(10_000_000))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["code"] == "too_large"
    finally:
        connection.close()


def test_answers_fit_the_openapi_schemas(app):
    """What the service answers is what its OpenAPI document says (checked with jsonschema)."""
    import jsonschema

    document = call(app, "GET", "/openapi.json").json()

    def check(answer: Answer, schema: str, many: bool = False) -> None:
        reference = {"$ref": f"#/components/schemas/{schema}"}
        root = {"components": document["components"], **({"type": "array", "items": reference} if many else reference)}
        jsonschema.Draft202012Validator(root).validate(answer.json())

    check(call(app, "GET", "/v1/health"), "Health")
    check(call(app, "GET", "/v1/packs?lang=kk"), "PackSummary", many=True)
    check(call(app, "GET", f"/v1/packs/{PACK}/rules/documents.paper-copy"), "RuleExplanation")
    check(call(app, "POST", "/v1/evaluate", evaluate_body(STAGE1 / "02-almaty-furniture.yaml", "en")), "ApplicationResult")
    check(call(app, "POST", "/v1/deadlines", encode({"announced": "2017-04-10"})), "TimelineResult")
    check(call(app, "POST", "/v1/evaluate", b"{}"), "Problem")
    with pytest.raises(jsonschema.ValidationError):  # the check can fail
        check(call(app, "GET", "/v1/health"), "Problem")


def _leaves(data: object, path: tuple = ()) -> list[tuple]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))] or [path]
    if isinstance(data, list):
        return [leaf for index, value in enumerate(data) for leaf in _leaves(value, (*path, index))] or [path]
    return [path]


def _replaced(data: object, path: tuple, value: object) -> object:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)  # type: ignore[call-overload]
    copy[path[0]] = _replaced(copy[path[0]], path[1:], value)
    return copy


@pytest.mark.slow
def test_a_valid_application_with_any_one_value_changed_is_never_a_500(app):
    """Hypothesis changes one value anywhere in a valid request to something else: the answer is
    a result (200) or a located refusal (422), never a defect."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    body = json.loads(evaluate_body(STAGE1 / "02-almaty-furniture.yaml", "en"))
    leaves = _leaves(body)
    values = st.one_of(
        st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20), st.sampled_from(["", "2017-02-30", "2017-06-08T25:00:00", "-1", "1e400", "kk", "9999-12-31"]),
        st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.sampled_from(leaves), values)
    def check(path, value):
        answer = call(app, "POST", "/v1/evaluate", encode(_replaced(body, path, value)))
        assert answer.status in (200, 422), (path, value, answer.body[:400])
        assert answer.raised is None

    check()


def test_evaluate_without_fastapis_routing_answers_as_the_route(app, monkeypatch):
    """``POST /v1/evaluate`` with a declared length is answered before FastAPI's routing
    (``service.create_app``'s ``_plain_evaluate``); a body sent in chunks goes through the route.
    Both give the same status, headers and bytes: an answer, and each kind of problem."""
    header = plain(STAGE1 / "competition.yaml")
    application = plain(STAGE1 / "01-karaganda-construction.yaml")
    bodies = [
        encode({"application": application, "competition": header, "lang": "ru"}),
        b"{not json",
        encode({"application": application, "pack": "no-such-pack"}),
        encode({"application": {**application, "participants": "none"}}),
        b"",
    ]
    for body in bodies:
        quick = call(app, "POST", "/v1/evaluate", body)
        routed = call(app, "POST", "/v1/evaluate", chunks=[body[:7], body[7:]])
        assert (quick.status, quick.body) == (routed.status, routed.body), body[:80]
        assert {k: v for k, v in quick.headers.items()} == routed.headers, body[:80]
    # a request being answered in every slot: 503 busy with Retry-After, as the route answers it

    def slow(raw, pretty=False):
        import time
        time.sleep(0.3)
        return b"{}"

    monkeypatch.setattr(service, "evaluate_application", slow)

    async def both(chunked: bool):
        import asyncio
        from _server import acall
        busy = service.create_app(concurrent=1, wait=0.01)  # its slots bind to this event loop
        first = asyncio.ensure_future(acall(busy, "POST", "/v1/evaluate", b"{}"))
        await asyncio.sleep(0.05)
        second = await (acall(busy, "POST", "/v1/evaluate", chunks=[b"{}"]) if chunked else acall(busy, "POST", "/v1/evaluate", b"{}"))
        await first
        return second

    import asyncio
    quick, routed = asyncio.run(both(False)), asyncio.run(both(True))
    assert quick.status == routed.status == 503 and quick.body == routed.body
    assert quick.headers == routed.headers and quick.headers.get("retry-after") == "5"


@pytest.mark.parametrize(
    ("accept", "detail"),
    [
        (None, "Input should be a valid list (got 'oops')"),
        ("ru", "ожидается список (указано: 'oops')"),
        ("kk-KZ, ru;q=0.8", "тізім күтіледі (көрсетілгені: 'oops')"),
        ("de, ru;q=0.5, kk;q=0.9", "тізім күтіледі (көрсетілгені: 'oops')"),
        ("fr", "Input should be a valid list (got 'oops')"),
    ],
)
@pytest.mark.parametrize("query", ["", "?pretty=1"])  # the direct path and FastAPI's route
def test_a_problems_detail_is_in_the_language_the_client_accepts(app, accept, detail, query):
    application = {**plain(STAGE1 / "01-karaganda-construction.yaml"), "participants": "oops"}
    headers = [("accept-language", accept)] if accept else []
    problem = assert_problem(call(app, "POST", f"/v1/evaluate{query}", encode({"application": application}), headers=headers), 422, "list_type")
    assert problem["location"]["path"] == "application.participants"
    assert problem["detail"] == detail  # code, type, title and location are the same in every language


def test_accept_language_is_read_as_rfc_9110_weighs_it():
    assert service.accepted_language(None) == "en"
    assert service.accepted_language("ru-RU,ru;q=0.9,en-US;q=0.8") == "ru"
    assert service.accepted_language("en;q=0.3, kk;q=0.7") == "kk"
    assert service.accepted_language("kk;q=bad, ru;q=0.1") == "ru"
    assert service.accepted_language("*") == "en"
