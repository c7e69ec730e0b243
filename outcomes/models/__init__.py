"""Outcomes co-produced with the people a team supports.

The person supported is `teams.Person` (what the rota also needs); everything else about them
that is theirs to own — their one-page profile, their outcomes in their own words, reviews,
their Individual Service Fund, who may sign in to see it — lives here, one module per part.
Every model holding personal data keeps its history, and `services.privacy` erases all of it on
request.
"""

from .access import Erasure, PersonAccess, PersonInvitation, RecordRead, Relationship
from .funds import FlexibleHours, ServiceFund
from .goals import (
    GAS_LEVELS,
    GAS_WORDS,
    SELF_RATING_WORDS,
    SELF_RATINGS,
    Outcome,
    Review,
    Scale,
    ScaleLevel,
    Suggestion,
)
from .records import Consent, KeyContact, OnePageProfile, PersonDetails, ProfileVersion

__all__ = [
    "GAS_LEVELS",
    "GAS_WORDS",
    "SELF_RATINGS",
    "SELF_RATING_WORDS",
    "Consent",
    "Erasure",
    "FlexibleHours",
    "KeyContact",
    "OnePageProfile",
    "Outcome",
    "PersonAccess",
    "PersonDetails",
    "PersonInvitation",
    "ProfileVersion",
    "RecordRead",
    "Relationship",
    "Review",
    "Scale",
    "ScaleLevel",
    "ServiceFund",
    "Suggestion",
]
