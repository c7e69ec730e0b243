"""Hooks that apps built on accounts fill in from their AppConfig.ready().

accounts imports none of our apps, yet whether someone must use MFA depends on whether they
coach a team, and accepting an invitation may make someone a team member. The apps that know
register a function here instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Invitation, User

# Each returns rows whose existence means "this user reaches personal data in a way that needs
# a second factor" (a team they coach, a round they run). A queryset, not a bool, so that every
# check runs in the one query each request makes.
mfa_required_checks: list[Callable[[User], QuerySet]] = []
# Each is called, inside the accepting transaction, with the invitation and its new user.
invitation_accepted_hooks: list[Callable[[Invitation, User], None]] = []
# Each returns a short description of what an invitation grants, for its email and page.
invitation_describers: list[Callable[[Invitation], list[str]]] = []
