"""Reads for the candidate's survey: the invitation behind an emailed link."""

from __future__ import annotations

from wellbeing.accounts.models import hash_token

from ..errors import SurveyLinkError
from ..models import SurveyInvitation

LINK_PROBLEMS = {
    "used": "You have already sent us your answers. Thank you — they are helping us.",
    "unsubscribed": "You asked us not to contact you about this survey, so it is closed.",
    "expired": "This survey has closed. Thank you for thinking of us all the same.",
}


def survey_link_error(kind: str) -> SurveyLinkError:
    return SurveyLinkError(kind, LINK_PROBLEMS[kind])


def survey_invitation_for_token(token: str) -> SurveyInvitation:
    """The usable invitation behind a link, or why it cannot be used.

    Raises `SurveyLinkError` for a link that matches nothing, or one that is used, unsubscribed
    or expired.
    """
    invitation = (
        SurveyInvitation.objects.select_related("candidate__round")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise SurveyLinkError(
            "invalid",
            "We could not find a survey for this link. Please check you copied the whole link "
            "from the email.",
        )
    problem = invitation.link_problem()
    if problem:
        raise survey_link_error(problem)
    return invitation
