"""Who may see whose record.

Staff — team members, coaches, admins — see the people `teams` says they may see
(`teams.permissions.people_visible_to`). The person supported, and family or friends they
chose, sign in with access to that one person's record (a `PersonAccess`), and see nothing
else anywhere in the product: `own_record_only` marks such users, and the middleware keeps
them to their own pages. Anyone else is told "not found".
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db.models import Exists, OuterRef, QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpRequest

from teams.models import Membership, Person
from teams.permissions import coach_users, people_visible_to
from wellbeing.accounts.models import User

from .models import PersonAccess

SESSION_KEY = "outcomes_own_record_only"


def open_access(user: User) -> QuerySet[PersonAccess]:
    return PersonAccess.objects.filter(
        user_id=user.pk, revoked_at__isnull=True, consent__withdrawn_on__isnull=True
    )


def people_linked_to(user: User) -> QuerySet[Person]:
    """The people whose own record this user signs in to see (themselves, or family)."""
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    return Person.objects.filter(
        Exists(open_access(user).filter(person_id=OuterRef("pk"))), erasure__isnull=True
    )


def get_own_person_for(user: User, pk: int) -> tuple[Person, PersonAccess]:
    """The person with this pk and the user's access to them, if they are linked; else 404."""
    access = (
        open_access(user)
        .select_related("person__team")
        .filter(person_id=pk, person__erasure__isnull=True)
        .first()
    )
    if access is None or not user.is_active:
        raise Http404("No such record")
    return access.person, access


def staff_people(user: User) -> QuerySet[Person]:
    """People whose records this user reads as staff; erased records are no one's to read."""
    return people_visible_to(user).filter(erasure__isnull=True)


def get_person_for_staff(user: User, pk: int) -> Person:
    person = staff_people(user).select_related("team", "team__coach").filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def record_only_accounts() -> QuerySet[User]:
    """Sign-ins that exist only to see people's records: they have (or had) access to a record
    and are nothing else here — not an admin, not a member of a team, not a coach.

    The one rule for such accounts: erasure deletes them with the record, ending their last
    access closes them, and they are kept to their own pages for as long as they exist.
    """
    return (
        User.objects.filter(Exists(PersonAccess.objects.filter(user_id=OuterRef("pk"))))
        .filter(is_staff=False)
        .exclude(pk__in=Membership.objects.current().values("user_id"))
        .exclude(pk__in=coach_users().values("pk"))
    )


def compute_own_record_only(user: User) -> bool:
    """Linked to a person's record and not staff anywhere: the person or their family.

    One query. A care worker whose mother is supported keeps their staff view. Anyone who ever
    had access to a record and is nothing else stays kept to their own pages after that access
    ends — with no record left to see, they see nothing, never the staff side.
    """
    if not user.is_authenticated or user.is_org_admin:
        return False
    return record_only_accounts().filter(pk=user.pk).exists()


def own_record_only(request: HttpRequest) -> bool:
    """Whether this request's user is kept to their own record.

    Worked out when they sign in and kept in their session, so no page pays a query for it; a
    session from before that works it out once. A request signed with an API token (no session
    of that user) works it out once per request.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    signed_in_session = session is not None and session.get(AUTH_SESSION_KEY) == str(user.pk)
    if signed_in_session and SESSION_KEY in session:
        return session[SESSION_KEY]
    if not hasattr(user, "_own_record_only"):
        user._own_record_only = compute_own_record_only(user)
    if signed_in_session:
        session[SESSION_KEY] = user._own_record_only
    return user._own_record_only


@receiver(user_logged_in, dispatch_uid="outcomes_own_record_only")
def _remember_own_record_only(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = compute_own_record_only(user)


def can_read_access_log(user: User) -> bool:
    """The log of who read a record is for the person and for admins."""
    return user.is_authenticated and user.is_org_admin
