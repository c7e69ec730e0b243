"""Every app's broken rules reach API clients the same way: 400 (409 for a clash) with the
service's own words, never a 500."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from recruitment.errors import RecruitmentError
from teams.services import TeamError
from values.services import ValuesError
from wellbeing.accounts.services import InvitationError
from wellbeing.errors import ConflictError, DomainError


def _view_raising(exc: Exception):
    class Refusing(APIView):
        authentication_classes: list = []
        permission_classes: list = []

        def post(self, request):
            raise exc

    return Refusing.as_view()


def _post(exc: Exception) -> Response:
    return _view_raising(exc)(APIRequestFactory().post("/", {}, format="json"))


@pytest.mark.parametrize(
    "error",
    [
        RecruitmentError("Record the reason for the decision."),
        TeamError("There is already a team called Northfield."),
        ValuesError("Choose at least one value."),
        InvitationError("This invitation has expired."),
    ],
)
def test_every_apps_broken_rule_is_400_with_its_message(error):
    assert isinstance(error, DomainError)
    response = _post(error)
    assert response.status_code == 400
    assert response.data == {"detail": str(error)}


def test_a_clash_is_409():
    response = _post(ConflictError("Someone else has just changed this shift."))
    assert response.status_code == 409
    assert response.data == {"detail": "Someone else has just changed this shift."}


def test_drfs_own_errors_are_answered_as_before():
    response = _post(ValidationError({"stage": ["Not a valid choice."]}))
    assert response.status_code == 400
    assert response.data == {"stage": ["Not a valid choice."]}
