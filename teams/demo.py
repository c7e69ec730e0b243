"""The demo's teams, their members and the people they support (see wellbeing/demo.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

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


# --- Teams that run themselves: roles, check-ins, the pulse, decisions -----------------------
# The coach's dashboard tells a story on first run: Northfield has fallen on two pulses in a
# row, its check-in is overdue and actions have slipped; Riverside is doing well; the other
# teams fill the page a coach of many teams would see. Dates are relative to today.

MORE_TEAMS = [
    ("Millbrook", "Millbrook and Fenwick", "coach"),
    ("Harbourside", "Harbourside and Quayside", "coach"),
    ("Eastgate", "Eastgate and Parkhill", "coach"),
    ("Westfield", "Westfield and Nether Green", None),
]
FIRST_NAMES = [
    "Ayesha",
    "Callum",
    "Delyth",
    "Emeka",
    "Fern",
    "Gareth",
    "Iqra",
    "Jonah",
    "Kezia",
    "Lewis",
    "Mali",
    "Niamh",
    "Oren",
    "Priti",
    "Rhys",
    "Sian",
    "Tariq",
    "Una",
    "Viktor",
    "Wren",
]
LAST_NAMES = ["Adair", "Bhatt", "Costa", "Doyle", "Ekwueme", "Fraser", "Gill", "Hollis"]
# Harbourside has grown past twelve: time to split.
TEAM_SIZES = {"Millbrook": 5, "Harbourside": 13, "Eastgate": 6, "Westfield": 4}

ROLES = {
    "Northfield": [
        ("Rota coordinator", ["Ben Hughes"], ["Dylan Murphy"]),
        ("Informer", ["Amara Okafor"], []),
        ("Wellbeing lead", [], ["Chloe Patel"]),
        ("Buddy for a new colleague", ["Chloe Patel"], []),
    ],
    "Riverside": [
        ("Rota coordinator", ["Farah Ahmed"], ["Hana Sato"]),
        ("Informer", ["George Evans"], []),
        ("Wellbeing lead", ["Ellie Kowalski"], []),
    ],
}
# (statement key, how far it sits from the team's overall mood)
STATEMENT_LEAN = {
    "workload": -1.0,
    "own-wellbeing": -0.5,
    "deciding-together": 0.0,
    "coach-support": 0.4,
    "people-served": 0.5,
}
MEMBER_LEAN = [0.0, 0.4, -0.4, 0.2, -0.2]
# Each team's overall mood at its last three pulses (100, 58 and 16 days ago).
PULSE_MOODS = {
    "Northfield": [4.2, 3.6, 2.9],
    "Riverside": [3.4, 3.8, 4.2],
    "Millbrook": [3.9, 3.8, 3.9],
    "Harbourside": [3.6, 3.3, 3.4],
    "Eastgate": [4.3, 4.4, 4.4],
    "Castle Hill": [3.8, 3.9, 3.7],
}
PULSE_COMMENTS = {
    "Northfield": [
        "Tuesdays are too full since we took on two more people.",
        "I love this team, but I am tired.",
        "We keep talking about the second car and nothing happens.",
    ],
    "Riverside": [
        "The new handover notes really help.",
        "Glad we talk things through together now.",
    ],
}


def _lean_rating(mood: float, statement_key: str, member_index: int) -> int:
    value = mood + STATEMENT_LEAN.get(statement_key, 0) + MEMBER_LEAN[member_index % 5]
    return max(1, min(5, round(value)))


def _demo_pulse(team: Team, members: list, mood: float, opened, comments: list[str]) -> None:
    """A past pulse, answered and closed, written without emailing anyone."""
    from .models import Pulse, PulseAnswer, PulseParticipation, PulseResponse, PulseStatement
    from .pulse.services import pulse_close

    statements = list(PulseStatement.objects.filter(active=True))
    pulse = Pulse.objects.create(
        team=team,
        opened_at=opened,
        closes_at=opened + timedelta(days=7),
        invited_count=len(members),
    )
    pulse.statements.set(statements)
    for index, user in enumerate(members):
        PulseParticipation.objects.create(pulse=pulse, user=user)
        response = PulseResponse.objects.create(pulse=pulse)
        PulseAnswer.objects.bulk_create(
            PulseAnswer(
                response=response,
                statement=statement,
                rating=_lean_rating(mood, statement.key, index),
                comment=comments[index]
                if index < len(comments) and statement.key == "workload"
                else "",
            )
            for statement in statements
        )
    pulse_close(pulse_id=pulse.pk, now=opened + timedelta(days=7))


def _members_of(team: Team) -> list:
    return [m.user for m in Membership.objects.current().filter(team=team).select_related("user")]


def _seed_more_teams(context: DemoContext) -> None:
    names = iter(f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES)
    for index, (name, locality, coach) in enumerate(MORE_TEAMS):
        team, created = Team.objects.get_or_create(
            organisation=context.organisation,
            name=name,
            defaults={"locality": locality, "coach": context.coach if coach else None},
        )
        if not created:
            continue
        for position in range(TEAM_SIZES[name]):
            member_name = next(names)
            Membership.objects.get_or_create(
                user=demo_user(email_for(member_name), member_name),
                team=team,
                defaults={
                    "joined": date(2023, 1 + (index + position) % 12, 1),
                    "contracted_hours": Decimal(37.5 if position % 2 == 0 else 30),
                },
            )


def _seed_roles(team: Team, today) -> None:
    from .models import Role, RoleAssignment, RoleTemplate

    for role_name, holders, before in ROLES.get(team.name, []):
        template = RoleTemplate.objects.filter(name=role_name).first()
        role, _ = Role.objects.get_or_create(
            team=team,
            name=role_name,
            retired_on=None,
            defaults={
                "template": template,
                "purpose": template.purpose if template else "",
                "accountabilities": template.accountabilities if template else "",
                "term_months": template.suggested_term_months if template else 12,
            },
        )
        for position, holder in enumerate(before):
            membership = Membership.objects.get(team=team, user__email=email_for(holder))
            if not role.assignments.filter(membership=membership, ended__isnull=False).exists():
                RoleAssignment.objects.create(
                    role=role,
                    membership=membership,
                    started=today - timedelta(days=420 + 30 * position),
                    ended=today - timedelta(days=60),
                    review_on=today - timedelta(days=60),
                    chosen_how=RoleAssignment.Chosen.ROTATED,
                )
        for position, holder in enumerate(holders):
            membership = Membership.objects.get(team=team, user__email=email_for(holder))
            RoleAssignment.objects.get_or_create(
                role=role,
                membership=membership,
                ended=None,
                defaults={
                    "started": today - timedelta(days=59 + 100 * position),
                    # The rota coordinator's term is due for review next week.
                    "review_on": today
                    + timedelta(days=7 if role_name == "Rota coordinator" else 200),
                    "chosen_how": RoleAssignment.Chosen.CONSENT,
                },
            )


def _seed_checkins(
    team: Team, coach, today, *, last_days_ago: int, plan_in_days: int | None, slipping: bool
):
    """Two past check-ins with actions and the next one planned. A slipping team's actions
    are overdue; the others' are due in the weeks to come."""
    from values.models import Value

    from .models import Action, CheckIn, Pulse
    from .pulse.selectors import published

    if CheckIn.objects.filter(team=team).exists():
        return
    members = _members_of(team)
    values = list(Value.objects.filter(active=True).order_by("order")[:4])
    for held_days_ago, brought, actions in [
        (
            last_days_ago + 42,
            "How the new people we support have settled in; holiday cover over the summer.",
            [
                ("Share the summer holiday plan with everyone", 0, 14, "done"),
                ("Ask HQ about a second team car", None, 21, "open"),
            ],
        ),
        (
            last_days_ago,
            "Workload on Tuesdays and Thursdays; how tired people feel; the pulse results.",
            [
                ("Try swapping two Tuesday visits to Wednesday mornings", 1, 10, "open"),
                ("Book a team day to plan the winter rota", 2, 21, "open"),
                ("Ring the district nurses about Stan's new dressing", 0, 45, "open"),
            ],
        ),
    ]:
        held_on = today - timedelta(days=held_days_ago)
        if not slipping:
            actions = [
                (text, owner, held_days_ago + due_in, status)
                for text, owner, due_in, status in actions
            ]
        checkin = CheckIn.objects.create(
            team=team,
            planned_for=held_on,
            held_on=held_on,
            coach=coach,
            brought=brought,
            notes="The team agreed to look at the rota together before the next check-in.",
            # The results the team had in front of it: the latest closed before the day.
            pulse=Pulse.objects.filter(published(), team=team, closed_at__date__lte=held_on)
            .order_by("-opened_at")
            .first(),
        )
        checkin.attendees.set([*members[:3], coach] if coach else members[:3])
        if values:
            checkin.values_lived.set(values[:2])
            checkin.values_missing.set(values[3:4])
        for text, owner, due_in, status in actions:
            Action.objects.create(
                team=team,
                checkin=checkin,
                text=text,
                owner=members[owner] if owner is not None and owner < len(members) else None,
                due_on=held_on + timedelta(days=due_in),
                status=status,
                closed_on=min(held_on + timedelta(days=due_in - 2), today)
                if status == "done"
                else None,
            )
    if plan_in_days is not None:
        CheckIn.objects.create(team=team, planned_for=today + timedelta(days=plan_in_days))


# Team: (days since the last check-in, days to the next one, whether actions are slipping)
CHECKIN_STORY = {
    "Northfield": (63, None, True),
    "Riverside": (14, 28, False),
    "Millbrook": (30, 3, False),
    "Harbourside": (35, 7, False),
    "Eastgate": (21, 21, False),
    "Castle Hill": (28, 14, False),
}

DECISIONS = {
    "Northfield": [
        (
            "Ben Hughes",
            "Start early visits at 7:30 on weekdays",
            "Peggy and Stan would both like breakfast earlier. I propose we start the first "
            "visits at 7:30 instead of 8:00 on weekdays.",
            "Whoever does early shifts; Peggy, Stan and their families.",
            ["Amara Okafor", "Chloe Patel"],
            "decided",
        ),
        (
            "Chloe Patel",
            "A team day once a quarter",
            "One paid day a quarter, together, to plan the rota and look after ourselves.",
            "Everyone in the team; the people we support on that day (cover from Riverside).",
            ["Amara Okafor", "Dylan Murphy"],
            "seeking",
        ),
    ],
    "Riverside": [
        (
            "Hana Sato",
            "Handover notes in one shared notebook",
            "Keep handover notes in one place so the next visit knows what happened.",
            "The whole team.",
            ["Farah Ahmed", "George Evans"],
            "decided",
        ),
    ],
}


ADVICE = [
    "Sounds right to me; check with the families first.",
    "Yes, if the early shift is shared out fairly and nobody does it every day.",
]


def _seed_decisions(team: Team, today) -> None:
    from .models import Advice, AdviceRequest, CheckIn, Decision

    for proposer, title, proposal, affected, advisors, status in DECISIONS.get(team.name, []):
        decision, created = Decision.objects.get_or_create(
            team=team,
            title=title,
            defaults={
                "proposer": demo_user(email_for(proposer), proposer),
                "proposal": proposal,
                "affected": affected,
                "advice_by": today + timedelta(days=5 if status == "seeking" else -30),
                "status": status,
            },
        )
        if not created:
            continue
        proposed_at = timezone.now() - timedelta(days=3 if status == "seeking" else 40)
        Decision.objects.filter(pk=decision.pk).update(created_at=proposed_at)
        for position, advisor in enumerate(advisors):
            user = demo_user(email_for(advisor), advisor)
            AdviceRequest.objects.create(decision=decision, user=user)
            if status == "decided":
                Advice.objects.create(
                    decision=decision,
                    given_by=user,
                    text=ADVICE[position % len(ADVICE)],
                    given_at=proposed_at + timedelta(days=2 + 3 * position),
                )
        # Talked over at the check-ins held since it was proposed.
        decision.checkins.set(
            CheckIn.objects.filter(team=team, held_on__gte=timezone.localdate(proposed_at))
        )
        if status == "decided":
            decision.outcome = "Agreed after asking the families; we try it for three months."
            decision.decided_on = today - timedelta(days=30)
            decision.review_on = today + timedelta(days=60)
            decision.save(update_fields=["outcome", "decided_on", "review_on"])


def _name_the_teams_each_sign_in_coaches(context: DemoContext) -> None:
    """Each printed sign-in says which teams that person coaches, read from the teams made."""
    coached: dict[str, list[str]] = {}
    for name, email in (
        Team.objects.filter(organisation=context.organisation, coach__isnull=False)
        .order_by("pk")
        .values_list("name", "coach__email")
    ):
        coached.setdefault(email, []).append(name)
    for sign_in in context.sign_ins:
        names = coached.get(sign_in.email)
        if not names:
            continue
        teams = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        if sign_in.role == "Coach":
            sign_in.role = f"Coach of {teams}"
        else:
            sign_in.role = f"{sign_in.role}, and coach of {teams}"


def seed_team_life(context: DemoContext) -> None:
    from .models import Pulse
    from .pulse.services import pulse_open

    _seed_more_teams(context)
    _name_the_teams_each_sign_in_coaches(context)
    today = timezone.localdate()
    now = timezone.now()
    for team in Team.objects.filter(organisation=context.organisation).select_related("coach"):
        members = _members_of(team)
        if len(members) >= 3 and not Pulse.objects.filter(team=team).exists():
            for moods_index, days_ago in enumerate([100, 58, 16]):
                mood = PULSE_MOODS.get(team.name, [3.8, 3.9, 4.0])[moods_index]
                comments = PULSE_COMMENTS.get(team.name, []) if days_ago == 16 else []
                _demo_pulse(team, members, mood, now - timedelta(days=days_ago), comments)
            if team.name == "Northfield":
                # Open now: the member's home page asks them to answer it.
                pulse_open(team=team, now=now - timedelta(days=1))
        _seed_roles(team, today)
        # Northfield: nine weeks since the last check-in on a six-weekly cadence, none planned,
        # its actions slipping. The others meet on time; Westfield has no coach yet.
        last, plan, slipping = CHECKIN_STORY.get(team.name, (None, None, False))
        if last is not None:
            _seed_checkins(
                team, team.coach, today, last_days_ago=last, plan_in_days=plan, slipping=slipping
            )
        _seed_decisions(team, today)
