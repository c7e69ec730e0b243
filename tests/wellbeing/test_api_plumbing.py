"""The API's shared plumbing: bad input is a 400 or 404, and the schema says so."""

from __future__ import annotations

import os

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_too_deep_is_a_400(client_for, admin, depth):
    body = "[" * depth + "]" * depth
    response = client_for(admin).post("/api/v1/stories/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_ordinary_bad_json_is_still_a_400(client_for, admin):
    response = client_for(admin).post("/api/v1/stories/", "{", content_type="application/json")
    assert response.status_code == 400


# --- Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["abc", "", " 1", "1 ", "\uff11", "1.0", "0", "-1", "last", "1e3"])
def test_a_page_that_is_not_a_whole_number_is_refused(client_for, admin, team, page):
    response = client_for(admin).get("/api/v1/teams/", {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()


def test_a_page_past_the_end_is_not_found(client_for, admin, team):
    assert client_for(admin).get("/api/v1/teams/", {"page": "2"}).status_code == 404
    assert client_for(admin).get("/api/v1/teams/", {"page": "9" * 30}).status_code == 404


def test_a_page_number_gives_that_page(client_for, admin, team):
    body = client_for(admin).get("/api/v1/teams/", {"page": "1"}).json()
    assert [row["name"] for row in body["results"]] == [team.name]


# --- The OpenAPI document -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_with_its_error_responses_is_valid_openapi(schema):
    validate_schema(schema)


def test_every_operation_lists_the_errors_it_can_give(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert {"401", "403"} <= set(responses), where
        if "{" in path:
            assert "404" in responses, where
        if method in {"post", "put", "patch", "delete"}:
            assert {"400", "409"} <= set(responses), where
        for status in ("400", "401", "403", "404", "409"):
            if status in responses:
                assert responses[status]["content"]["application/json"]["schema"], where


def test_paged_lists_say_a_page_is_a_whole_number_from_one(schema):
    listing = schema["paths"]["/api/v1/teams/"]["get"]
    page = next(p for p in listing["parameters"] if p["name"] == "page")
    assert page["schema"] == {"type": "integer", "minimum": 1}
    assert {"400", "404"} <= set(listing["responses"])


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Team", "coach"),
        ("TeamDetail", "coach"),
        ("CheckIn", "coach"),
        ("PersonRecordDetail", "pronouns"),
        ("PersonRecordDetail", "date_of_birth"),
        ("PersonRecordDetail", "communication"),
    ],
)
def test_fields_that_can_be_empty_say_so(schema, component, field):
    """A team without a coach yet, a person whose details nobody has written down: null."""
    assert schema["components"]["schemas"][component]["properties"][field].get("nullable")


def test_a_post_without_a_series_says_its_series_can_be_null(schema):
    for component in ("PublicPost", "PublicPostDetail"):
        assert schema["components"]["schemas"][component]["properties"]["series"]["nullable"]


def test_generating_visits_is_described_as_what_it_answers(schema):
    answer = schema["paths"]["/api/v1/rota/patterns/generate/"]["post"]["responses"]["201"]
    body = answer["content"]["application/json"]["schema"]
    assert (
        "created" in schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]["properties"]
    )


def test_your_availability_is_described_as_one_list(schema):
    answer = schema["paths"]["/api/v1/rota/availability/"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["type"] == "array"


def test_the_token_is_described(schema):
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert '"Token"' in scheme["description"]


def test_a_clash_on_the_api_is_a_json_409(rf, member):
    from django.db import IntegrityError

    from wellbeing.middleware import FriendlyErrorsMiddleware

    request = rf.post("/api/v1/stories/")
    request.user = member
    response = FriendlyErrorsMiddleware(lambda r: None).process_exception(
        request, IntegrityError("duplicate key")
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"


def test_api_settings_load_before_any_view_is_imported():
    """The settings name classes in wellbeing.api; loading them first must not be circular."""
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from rest_framework.settings import api_settings;"
        "print(api_settings.DEFAULT_PAGINATION_CLASS.__name__, "
        "api_settings.DEFAULT_PARSER_CLASSES[0].__name__)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "wellbeing.settings"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "PageNumberPagination JSONParser" in result.stdout
