"""The OpenAPI document tells the truth: no generation warning, every operation documented."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema() -> dict:
    output = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)
    return yaml.safe_load(output.getvalue())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_generates_without_a_warning_and_validates(schema):
    assert schema["openapi"].startswith("3.")
    assert len(list(operations(schema))) >= 60


BODILESS_ACTIONS = ("/publish/", "/close/", "/revoke/", "/complete/", "/reject/", "/export/")


def test_every_write_documents_its_json_body_except_bodiless_actions(schema):
    writes = 0
    for path, method, operation in operations(schema):
        if method not in WRITES:
            continue
        writes += 1
        if method == "delete" or path.endswith(BODILESS_ACTIONS):
            assert "requestBody" not in operation, (method, path)
        else:
            assert list(operation["requestBody"]["content"]) == ["application/json"], path
    assert writes >= 28


def test_every_operation_documents_its_success_and_its_errors(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        success = codes & {"200", "201", "204"}
        assert success, (method, path)
        if {} not in operation.get("security", []):  # not open to anonymous callers
            assert "403" in codes, (method, path)  # anonymous and refused roles
        for code in success - {"204"}:
            content = operation["responses"][code]["content"]["application/json"]
            assert "schema" in content, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in WRITES:
            assert "400" in codes, (method, path)
        for code in codes - success:
            ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/Error"), (method, path, code)


def test_component_names_are_unique_and_views_share_no_anonymous_output(schema):
    names = set(schema["components"]["schemas"])
    assert "CandidatePage" in names
    assert not {"Output", "Input", "InputRequest", "OutputRequest"} & names


def test_operation_ids_are_unique(schema):
    ids = [operation["operationId"] for _p, _m, operation in operations(schema)]
    assert len(ids) == len(set(ids))
