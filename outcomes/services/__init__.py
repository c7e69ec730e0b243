"""Outcomes' writes, one module per part of the record: the person and their profile, their
outcomes and reviews, their fund, who may sign in to it, and privacy.

Each function is keyword-only and atomic, and raises `OutcomesError` with a message a person
can read when a rule is broken (the API answers it as 400 with `detail`).
"""

from wellbeing.errors import DomainError


class OutcomesError(DomainError):
    """A rule about a person's record was broken; the message says which, for a person."""


__all__ = ["OutcomesError"]
