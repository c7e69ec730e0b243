"""Made-up demo data that shows every feature on a newcomer's first run.

Every name here is invented. Running it again changes nothing: each record is looked up by a
natural key before it is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from teams.models import Membership, Person, Team
from wellbeing.accounts.models import Organisation, User

DEMO_PASSWORD = "care-together-2026"  # noqa: S105 - published on purpose, demo only
# Demo admins and coaches must use a second factor like real ones; this published secret lets
# a newcomer add them to any authenticator app (or run `manage.py demo_code`).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

TEAMS = [
    ("Northfield", "Northfield and Longbridge"),
    ("Riverside", "Riverside and the Docks"),
    ("Castle Hill", "Castle Hill and Old Town"),
]
MEMBERS = {
    "Northfield": ["Amara Okafor", "Ben Hughes", "Chloe Patel", "Dylan Murphy"],
    "Riverside": ["Ellie Kowalski", "Farah Ahmed", "George Evans", "Hana Sato"],
    "Castle Hill": ["Isaac Boateng", "Jade Williams", "Kieran O'Neill", "Leah Morgan"],
}
PEOPLE = {
    "Northfield": [
        ("Margaret Ellis", "Peggy"),
        ("Arthur Bennett", ""),
        ("Doreen Walsh", "Dot"),
        ("Stanley Clarke", "Stan"),
    ],
    "Riverside": [
        ("Winifred Shaw", "Winnie"),
        ("Harold Price", ""),
        ("Gladys Turner", ""),
        ("Raymond Lloyd", "Ray"),
    ],
    "Castle Hill": [
        ("Edith Palmer", ""),
        ("Leonard Hill", "Len"),
        ("Joan Fisher", ""),
        ("Cyril Barker", ""),
    ],
}


@dataclass
class DemoSignIn:
    role: str
    email: str
    note: str = ""


def _email_for(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", ".") + "@example.org"


def _user(email: str, display_name: str, *, admin: bool = False) -> User:
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


def _with_demo_mfa(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


@transaction.atomic
def seed_demo() -> list[DemoSignIn]:
    Organisation.current()
    admin = _user("admin@example.org", "Priya Shah", admin=True)
    _with_demo_mfa(admin)
    coach = _user("coach@example.org", "Tom Fletcher")
    _with_demo_mfa(coach)
    advisor = _user("advisor@example.org", "Dr Ruth Adeyemi")
    organisation = Organisation.current()
    for index, (name, locality) in enumerate(TEAMS):
        team, _ = Team.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"locality": locality, "coach": coach if index < 2 else advisor},
        )
        for position, member_name in enumerate(MEMBERS[name]):
            member = _user(_email_for(member_name), member_name)
            Membership.objects.get_or_create(
                user=member,
                team=team,
                defaults={
                    "joined": date(2024, 3 + position, 1),
                    "contracted_hours": Decimal(37.5 if position % 2 == 0 else 24),
                },
            )
        for position, (full_name, preferred) in enumerate(PEOPLE[name]):
            Person.objects.get_or_create(
                team=team,
                name=full_name,
                defaults={"preferred_name": preferred, "started": date(2023, 9 + position, 4)},
            )
    first_member = _email_for(MEMBERS["Northfield"][0])
    return [
        DemoSignIn("Team member (Northfield)", first_member),
        DemoSignIn("Coach of Northfield and Riverside", coach.email, "two-factor: see below"),
        DemoSignIn("Advisor, and coach of Castle Hill", advisor.email, "sets up two-factor"),
        DemoSignIn("Organisation admin", admin.email, "two-factor: see below"),
    ]
