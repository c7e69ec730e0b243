"""Outcomes' writes, one module per part of the record: the person and their profile, their
outcomes and reviews, their fund, who may sign in to it, and privacy.

Each function is keyword-only and atomic, and raises `OutcomesError` with a message a person
can read when a rule is broken (the API answers it as 400 with `detail`).
"""

from datetime import date

from wellbeing.errors import DomainError

# No one supported was born, and no fund started, before this: earlier dates are typing slips.
EARLIEST_DATE = date(1900, 1, 1)


class OutcomesError(DomainError):
    """A rule about a person's record was broken; the message says which, for a person."""


__all__ = ["EARLIEST_DATE", "OutcomesError"]
