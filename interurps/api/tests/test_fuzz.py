"""Schemathesis fuzzes every operation of the open API from its own OpenAPI schema, in
process (WSGI), as a federation staff member holding a token: no server error, and every
answer conforms to the schema (status code, content type, body). Twice per operation: with
generated path parameters (mostly unknown records: 404), and with the records of the test
world (real answers, the write endpoint included). Bounded: a few examples each."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from interurps.accounts.models import Role
from interurps.api import services

pytestmark = pytest.mark.django_db

EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    # The test client keeps the test's database connection open across requests; a bare
    # WSGI handler would close it at the end of each request (inside the test transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fixed_path(world, path: str) -> dict:
    named = world.named
    if "{region_code}" in path:
        return {"region_code": world.region.code}
    if "{code}" in path:
        return {"code": world.department.code}
    if path.startswith("/api/v1/cpts/"):
        return {"pk": named["cpts"].pk}
    if path.startswith("/api/v1/cpom/"):
        return {"pk": named["indicator"].pk}
    if path.startswith("/api/v1/evenements/"):
        return {"pk": named["event"].pk}
    return {}


def test_the_api_conforms_to_its_schema_under_fuzzing(api_world, wsgi_app):
    _, raw = services.api_token_create(
        user=api_world.a.users[Role.FEDERATION_STAFF], name="schemathesis"
    )
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    tried = []
    for operation in operations:
        for fixed in ({}, _fixed_path(api_world.a, operation.path)):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(path_parameters=fixed or None))
            def run(case):
                response = case.call(headers=headers)
                tried.append(response.status_code)
                case.validate_response(response, checks=CHECKS, headers=headers)

            run()
    # real answers, refused inputs and unknown records were all met; never a server error
    assert {200, 400, 404} <= set(tried) and max(tried) < 500
