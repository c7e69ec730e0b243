"""The one base class for a broken rule, at the bottom of the house so every app can use it.

A service that refuses raises a subclass with a message a person can read. Pages show the
message beside the form; the API answers with it (see `wellbeing.api.exception_handler`), as
400, or 409 where the request clashed with what someone else has just done.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; the message says which, for a person to read."""

    # The API's answer: 400 for a request that breaks a rule, 409 for one that clashes.
    status_code = 400


class ConflictError(DomainError):
    """The request was fine, but what it acts on has changed since it was read."""

    status_code = 409
