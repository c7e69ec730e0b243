"""What every app's API shares: one exception handler, so a broken rule reads the same
everywhere; the JSON parser and pagination, so bad input is a 4xx; and the error answers the
OpenAPI document promises.

Services raise `DomainError` subclasses; viewsets let them through instead of catching them one
by one, and the handler turns them into `{"detail": message}` with the error's status (400, or
409 for a clash). Anything else goes to DRF's own handler. Settings name these in
`REST_FRAMEWORK` and `SPECTACULAR_SETTINGS`; to treat another kind of exception specially, add a
branch to `exception_handler` rather than a second handler.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import exceptions, pagination, parsers
from rest_framework.response import Response

from wellbeing.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # Imported here: rest_framework.views reads the parser and pagination settings, which name
    # this module, as it loads; importing it at the top makes the import order decide whether
    # the project starts.
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    if isinstance(exc, DomainError):
        # Like DRF's own handler: nothing the request wrote survives its refusal.
        set_rollback()
        return Response({"detail": str(exc)}, status=exc.status_code)
    return drf_exception_handler(exc, context)


# Answers every operation may give, described once for the OpenAPI document.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "Why the request was refused: `detail`, or each field's name with a list of messages "
        "(`non_field_errors` for the request as a whole)."
    ),
    "additionalProperties": True,
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 for JSON nested too deep to read.

    Python's json module raises RecursionError, not ValueError, for a body like a thousand
    opening brackets, and DRF lets that become a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from exc


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages are whole numbers from 1, written in plain digits; anything else is refused.

    Django's paginator reads " 1" and "\N{FULLWIDTH DIGIT ONE}" as 1 and DRF reads "last" as
    the last page, so a client sending something other than the integer the schema promises
    was quietly given a page.
    """

    last_page_strings = ()
    PAGE_NUMBER = re.compile(r"[1-9][0-9]*", re.ASCII)

    def get_page_number(self, request, paginator) -> str:
        page = request.query_params.get(self.page_query_param, "1")
        if not self.PAGE_NUMBER.fullmatch(page):
            raise exceptions.ValidationError(
                {self.page_query_param: ["A page is a whole number, 1 or more."]}
            )
        return page

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


def _error_response(description: str, schema_name: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def schema_add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: list on every operation the errors it can answer with.

    401 and 403 everywhere (not signed in; not allowed); 404 wherever the path names
    an object or the list is paged; 400 wherever there is input; 409 on writes, which a
    conflicting change or a rule of the domain can refuse. Responses an operation documents
    itself are left alone.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("FieldErrors", FIELD_ERRORS_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            has_query = any(p.get("in") == "query" for p in parameters)
            errors = {
                "401": ("Not signed in, or the token does not work.", "Error"),
                "403": ("Not allowed to do this, or two-step sign-in is not on.", "Error"),
            }
            if "{" in path or any(p.get("name") == "page" for p in parameters):
                errors["404"] = ("Not found, or not yours to see.", "Error")
            if method in WRITE_METHODS or has_query or "requestBody" in operation:
                errors["400"] = ("The request is not understood or not valid.", "FieldErrors")
            if method in WRITE_METHODS:
                errors["409"] = ("It conflicts with the current state of things.", "Error")
            for status, (description, schema_name) in errors.items():
                operation["responses"].setdefault(status, _error_response(description, schema_name))
    return result
