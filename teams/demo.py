"""The demo's teams, their members and the people they support (see wellbeing/demo.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wellbeing.demo import DemoContext, DemoSignIn, demo_user, email_for

from .models import Membership, Person, Team

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


def seed_teams(context: DemoContext) -> None:
    for index, (name, locality) in enumerate(TEAMS):
        team, _ = Team.objects.get_or_create(
            organisation=context.organisation,
            name=name,
            defaults={
                "locality": locality,
                "coach": context.coach if index < 2 else context.advisor,
            },
        )
        for position, member_name in enumerate(MEMBERS[name]):
            member = demo_user(email_for(member_name), member_name)
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
    context.sign_ins.append(
        DemoSignIn("Team member (Northfield)", email_for(MEMBERS["Northfield"][0]), order=10)
    )
