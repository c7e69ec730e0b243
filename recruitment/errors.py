"""Recruitment's refusals. Here, not among the services, so selectors may raise them too."""

from __future__ import annotations

from wellbeing.errors import DomainError


class RecruitmentError(DomainError):
    """A recruitment rule was broken; the message says which, for a person to read."""


class SurveyLinkError(RecruitmentError):
    """The survey link cannot be used; `kind` picks the explanation page's wording."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
