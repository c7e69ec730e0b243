"""Made-up demo data that shows every feature on a newcomer's first run.

The project package imports none of the apps built on it, so each app keeps its own demo data
beside its code (`teams/demo.py`, `values/demo.py`, ...) and registers a seeder here from its
`AppConfig.ready()`. `seed_demo` makes the people every app shares (an admin, a coach, an
advisor), then runs the seeders so that each comes after those it names.

Every name is invented. Running it again changes nothing: each record is looked up by a natural
key before it is created.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from graphlib import TopologicalSorter

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from wellbeing.accounts.models import Organisation, User

DEMO_PASSWORD = "care-together-2026"  # noqa: S105 - published on purpose, demo only
# Demo admins and coaches must use a second factor like real ones; this published secret lets
# a newcomer add them to any authenticator app (or run `manage.py demo_code`).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


@dataclass
class DemoSignIn:
    role: str
    email: str
    note: str = ""
    # Sign-ins are printed in this order: the people a newcomer most likely wants first.
    order: int = 50


@dataclass
class DemoContext:
    """What every seeder is handed: the shared cast, and the sign-ins to print at the end."""

    organisation: Organisation
    admin: User
    coach: User
    advisor: User
    sign_ins: list[DemoSignIn] = field(default_factory=list)


Seeder = Callable[[DemoContext], None]


@dataclass(frozen=True)
class _Registered:
    seeder: Seeder
    after: tuple[str, ...]


_seeders: dict[str, _Registered] = {}


def register(name: str, seeder: Seeder, *, after: Sequence[str] = ()) -> None:
    """Register an app's seeder; it runs after the seeders named in `after`."""
    _seeders[name] = _Registered(seeder, tuple(after))


def email_for(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", ".") + "@example.org"


def demo_user(email: str, display_name: str, *, admin: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            display_name=display_name,
            is_staff=admin,
            is_superuser=admin,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def with_demo_mfa(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def seeding_order() -> list[str]:
    """Seeder names, each after those it depends on (a name nobody registered is skipped)."""
    graph = {
        name: [dep for dep in registered.after if dep in _seeders]
        for name, registered in _seeders.items()
    }
    return list(TopologicalSorter(graph).static_order())


@transaction.atomic
def seed_demo() -> list[DemoSignIn]:
    organisation = Organisation.current()
    admin = demo_user("admin@example.org", "Priya Shah", admin=True)
    with_demo_mfa(admin)
    coach = demo_user("coach@example.org", "Tom Fletcher")
    with_demo_mfa(coach)
    advisor = demo_user("advisor@example.org", "Dr Ruth Adeyemi")
    context = DemoContext(organisation=organisation, admin=admin, coach=coach, advisor=advisor)
    context.sign_ins += [
        # The teams' seeder says which teams each of them coaches, once it has made them.
        DemoSignIn("Coach", coach.email, "two-factor: see below", 20),
        DemoSignIn("Advisor", advisor.email, "sets up two-factor", 30),
        DemoSignIn("Organisation admin", admin.email, "two-factor: see below", 90),
    ]
    for name in seeding_order():
        _seeders[name].seeder(context)
    return sorted(context.sign_ins, key=lambda sign_in: sign_in.order)
