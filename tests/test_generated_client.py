"""A client generated from /openapi.json works (issue 25, item 5).

``openapi-python-client`` (the ``test`` extra) generates a Python client from the service's
OpenAPI document; the client calls every endpoint of a real ``clusterpolicy serve`` (uvicorn),
reports in each type and an error included, and reads each answer as the document declares it.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clusterpolicy.core.sources import read_document

from _server import jsonable, running_server

ROOT = Path(__file__).resolve().parents[1]
STAGE1 = ROOT / "examples" / "competition-2017"
PACK = "kz-2015-decree-535"

pytestmark = pytest.mark.slow


def plain(path: Path) -> dict:
    """A YAML example as JSON data (dates and Decimals as strings), as the generated models take it."""
    return jsonable(read_document(path).data)


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """The client openapi-python-client generates from the service's OpenAPI document."""
    if shutil.which("openapi-python-client") is None and importlib.util.find_spec("openapi_python_client") is None:
        pytest.skip("openapi-python-client is not installed")
    from clusterpolicy.output.service import create_app

    folder = tmp_path_factory.mktemp("client")
    (folder / "openapi.json").write_text(json.dumps(create_app().openapi()), "utf-8")
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", "openapi.json", "--meta", "none", "--output-path", "cp_client"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert "Warning" not in said and "WARNING" not in said, said[:3000]  # every schema understood
    sys.path.insert(0, str(folder))
    yield "cp_client"
    sys.path.remove(str(folder))


@pytest.fixture(scope="module")
def server():
    """A real ``clusterpolicy serve``: its base URL (started, then stopped; its log holds no traceback)."""
    with running_server() as port:
        yield f"http://127.0.0.1:{port}"


def test_the_generated_client_calls_every_endpoint(client_package, server):
    package = importlib.import_module(client_package)
    models = importlib.import_module(f"{client_package}.models")
    api = lambda name: importlib.import_module(f"{client_package}.api.{name}")  # noqa: E731
    client = package.Client(base_url=server, timeout=120, raise_on_unexpected_status=True)

    from cp_client.api.service import get_health_v1_health_get as health
    from cp_client.api.packs import get_packs_v1_packs_get as packs, get_rule_v1_packs_pack_rules_rule_get as rule
    from cp_client.api.evaluation import (
        post_competition_v1_competitions_evaluate_post as competition_evaluate,
        post_evaluate_v1_evaluate_post as evaluate,
        post_verify_v1_verify_post as verify,
    )
    from cp_client.api.deadlines import post_deadlines_v1_deadlines_post as deadlines
    from cp_client.api.reports import post_report_v1_reports_kind_post as report

    assert api("service") is not None
    found = health.sync(client=client)
    assert found.status == "ok" and PACK in [p.id for p in found.packs]
    assert PACK in [p.id for p in packs.sync(client=client)]
    explained = rule.sync(PACK, "eligibility.unaffiliated-legal-entities", client=client)
    assert explained.citation.provision == "Criteria 1.1" and explained.defined.line
    missing = rule.sync_detailed(PACK, "no.such.rule", client=client)
    assert missing.status_code == 404 and missing.parsed.code == "unknown_rule"

    header = plain(STAGE1 / "competition.yaml")
    application = plain(STAGE1 / "03-south-kazakhstan-pharmaceutical.yaml")
    body = models.EvaluateRequest.from_dict({"application": application, "competition": header, "lang": "ru"})
    result = evaluate.sync(client=client, body=body)
    assert result.application_id == "03-south-kazakhstan-pharmaceutical" and result.decision_record.digest.startswith("sha256:")

    competition = {**header, "applications": [plain(STAGE1 / "01-karaganda-construction.yaml"), application]}
    header["events"] = [e for e in header["events"] if e.get("application_id") in (None, "01-karaganda-construction", "03-south-kazakhstan-pharmaceutical")]
    competition["events"] = header["events"]
    made = competition_evaluate.sync_detailed(client=client, body=models.CompetitionRequest.from_dict({"competition": competition, "lang": "kk"}))
    assert made.status_code == 200 and made.parsed.completeness is not None

    from cp_client.api.comparison import post_diff_v1_diff_post as diff, post_sensitivity_v1_sensitivity_post as sensitivity

    differs = diff.sync(client=client, body=models.DiffRequest.from_dict({"competition": competition, "parameters": {"paper_copies": 2}}))
    assert differs.after.changed_parameters is not None and len(differs.applications) == 2
    readings = sensitivity.sync(client=client, body=models.SensitivityRequest.from_dict({"competition": competition, "lang": "ru"}))
    assert readings.readings and readings.pack.id == PACK

    timeline = deadlines.sync(client=client, body=models.DeadlinesRequest.from_dict({"announced": "2017-04-10", "closes": "2017-06-08"}))
    assert timeline.timeline.entries

    checked = verify.sync(client=client, body=models.VerifyRequest.from_dict({"result": json.loads(made.content), "competition": competition}))
    assert checked.status == "same" and "document" in checked.checked

    request = models.ReportRequest.from_dict({"competition": competition, "lang": "ru"})
    for accept, start in (("text/html", b"<!DOCTYPE html>"), ("text/markdown", b""), ("application/pdf", b"%PDF-")):
        answer = report.sync_detailed("completeness-protocol", client=client, body=request, accept=accept) if "accept" in report.sync_detailed.__code__.co_varnames else None
        if answer is None:  # the generator gives no Accept parameter: the header on the client
            answer = report.sync_detailed("completeness-protocol", client=client.with_headers({"Accept": accept}), body=request)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept), (accept, answer.headers)
        assert answer.content.startswith(start) and len(answer.content) > 200, (accept, answer.content[:200])
    wrong = report.sync_detailed("completeness-protocol", client=client, body=models.ReportRequest.from_dict({"lang": "ru"}))
    assert wrong.status_code == 422 and wrong.parsed.code == "usage"
