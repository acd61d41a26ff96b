"""Schema-driven requests to the running service (issue 25, item 6): schemathesis generates
requests from /openapi.json, bounded in examples, and every answer must hold:

- no 5xx;
- a status code and a content type the OpenAPI document declares for the operation;
- a JSON answer that conforms to its declared schema;
- every error is an RFC 9457 ``application/problem+json`` whose ``status`` is the HTTP status.

Slow (a real ``clusterpolicy serve``; minutes on a loaded machine). ``CLUSTERPOLICY_SCHEMATHESIS_EXAMPLES``
sets the examples per operation (default 5).
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from _server import running_server  # noqa: E402

EXAMPLES = int(os.environ.get("CLUSTERPOLICY_SCHEMATHESIS_EXAMPLES", "5"))


@pytest.fixture(scope="module")
def api_schema():
    """The OpenAPI document of a running ``clusterpolicy serve``, read by schemathesis (started, then stopped)."""
    with running_server() as port:
        yield schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/openapi.json")


CALLS: list[tuple[str, str, int]] = []


def _check(case) -> None:
    response = case.call(timeout=120)
    CALLS.append((case.method, case.operation.path, response.status_code))
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
    if response.status_code >= 400:
        kind = response.headers.get("content-type")
        kind = kind[0] if isinstance(kind, list) else kind
        assert kind and kind.startswith("application/problem+json"), (case.method, case.path, response.status_code, kind)
        assert response.json()["status"] == response.status_code


@pytest.mark.slow
def test_generated_requests_get_declared_answers(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        run = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])(
            given(case=operation.as_strategy())(_check)
        )
        run()
    called = {(method, path) for method, path, _ in CALLS}
    assert len(called) == len(operations), sorted(called)  # every operation was called