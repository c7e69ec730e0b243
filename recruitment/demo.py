"""Made-up recruitment history for the demo: two past rounds with survey answers and an
experiment between them, and a round open now with candidates at every stage.

Every name is invented. Each round is created once, looked up by its slug.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from recruitment.models import (
    AssessmentSheet,
    Candidate,
    Experiment,
    JobRole,
    PanelMember,
    Round,
    Score,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    Workshop,
)
from recruitment.services.rounds import round_create
from teams.models import Membership, Team
from values.models import Value
from wellbeing.accounts.models import User, hash_token
from wellbeing.demo import DemoContext

FIRST_NAMES = [
    "Aisha", "Bethany", "Callum", "Daniel", "Eilidh", "Fatima", "Grace", "Harvey", "Imani",
    "Jack", "Kerry", "Lewis", "Maya", "Nathan", "Olivia", "Priya", "Quinn", "Rosie", "Samuel",
    "Tariq", "Uma", "Victor", "Wren", "Yusuf", "Zara",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Bell", "Chowdhury", "Dixon", "Ellis", "Foster", "Gill", "Hart", "Iqbal", "Jones",
    "Khan", "Lowe", "Mason", "Nowak", "Owens", "Parry", "Reid", "Singh", "Taylor", "Walsh",
]  # fmt: skip

WORKED_WELL = {
    "role-information": [
        "It was clear this is about people, not tasks.",
        "I liked reading what a normal day looks like.",
    ],
    "first-conversation": [
        "Friendly and relaxed, it felt like a chat.",
        "They explained the team set-up really well.",
    ],
    "recruitment-pack": ["It told me what to expect on the day.", "Good to know who I'd meet."],
    "workshop": [
        "Meeting people who use the service was the best part.",
        "I felt listened to, not tested.",
    ],
    "feedback": ["Honest and kind, even though it was a no.", "Quick call, clear reasons."],
}
IMPROVE = {
    "role-information": ["Say more about pay and travel time.", "Mention the hours earlier."],
    "first-conversation": ["It was hard to get through on the phone.", ""],
    "recruitment-pack": [
        "The pack was long and full of jargon.",
        "Too many pages; I didn't know what mattered.",
    ],
    "workshop": ["A bit long without a break.", "Parking was difficult."],
    "feedback": ["It took nearly two weeks to hear back.", "Written feedback would help."],
}
# Mean score per touch point in each past round; the pack improves after the experiment.
ROUND_SCORES = {
    "spring": {
        "role-information": 7,
        "first-conversation": 8,
        "recruitment-pack": 5,
        "workshop": 9,
        "feedback": 6,
    },
    "autumn": {
        "role-information": 7,
        "first-conversation": 8,
        "recruitment-pack": 8,
        "workshop": 9,
        "feedback": 7,
    },
}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _people(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _score_sheets(round_: Round, candidate: Candidate, panel: list[PanelMember], rng, strong):
    for member in panel:
        sheet = AssessmentSheet.objects.create(
            candidate=candidate, panel_member=member, submitted_at=candidate.attended_at
        )
        Score.objects.bulk_create(
            Score(
                sheet=sheet,
                value=value,
                score=max(0, min(5, (4 if strong else 2) + rng.choice([-1, 0, 0, 1]))),
                evidence=""
                if candidate.erased_at
                else "Spoke about a time they noticed a "
                "neighbour was struggling and helped without being asked.",
            )
            for value in round_.values.all()
        )


def _start_in_team(candidate: Candidate, team: Team, *, leaves: bool) -> Membership:
    user = User.objects.filter(email=candidate.email).first() or User.objects.create_user(
        email=candidate.email, display_name=candidate.name, password=None
    )
    joined = candidate.communicated_at.date() + timedelta(days=21)
    return Membership.objects.create(
        user=user,
        team=team,
        joined=joined,
        left=joined + timedelta(days=120) if leaves else None,
        contracted_hours=30,
    )


def _past_round(
    *,
    key: str,
    title: str,
    opens_on: date,
    owners: list[User],
    values: list[Value],
    roles: list[JobRole],
    rng: random.Random,
    taken: set[str],
    team: Team,
    starters: list[bool],
) -> Round:
    """`starters`: one entry per successful candidate who started in `team`; True if they left."""
    closes_on = opens_on + timedelta(days=28)
    workshop_day = closes_on + timedelta(days=10)
    round_ = round_create(
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        values=values,
        roles=roles,
        owners=owners,
        description="Join a self-managed team supporting people to live well at home.",
    )
    workshop = Workshop.objects.create(
        round=round_, starts_at=_at(workshop_day, 9), place="The Old Library, Northfield"
    )
    panel = [
        PanelMember.objects.create(
            round=round_, name=owners[0].display_name, email=owners[0].email, user=owners[0]
        ),
        PanelMember.objects.create(
            round=round_,
            name="Jean Holloway",
            email=f"jean.holloway+{key}@example.org",
            kind=PanelMember.Kind.EXPERT,
        ),
    ]
    stages = ["successful"] * 5 + ["unsuccessful"] * 6 + ["withdrawn"] * 2 + ["applied"]
    retention_passed = closes_on + timedelta(days=183) < timezone.localdate()
    for index, name in enumerate(_people(rng, len(stages), taken)):
        stage = stages[index]
        applied_at = _at(opens_on + timedelta(days=rng.randint(0, 27)))
        reached_workshop = stage in {"successful", "unsuccessful"}
        decided_at = _at(workshop_day + timedelta(days=rng.randint(2, 9)), 15)
        # Unsuccessful candidates' details are erased six months after the round closed.
        erased = retention_passed and stage in {"unsuccessful", "withdrawn"}
        candidate = Candidate.objects.create(
            round=round_,
            name="Erased candidate" if erased else name,
            email=None if erased else f"{name.lower().replace(' ', '.')}.{key}@example.org",
            phone="" if erased else "07700 900" + str(100 + index),
            why="" if erased else "My mum had carers; the good ones changed everything.",
            consent_contact=True,
            consent_privacy=True,
            stage="unsuccessful" if stage == "applied" else stage,
            applied_at=applied_at,
            invited_at=_at(closes_on + timedelta(days=2)) if reached_workshop else None,
            attended_at=_at(workshop_day) if reached_workshop else None,
            workshop=workshop if reached_workshop else None,
            decided_at=decided_at if reached_workshop or stage == "applied" else None,
            decision_reason="" if erased else "Strong on compassion and collaboration.",
            communicated_at=decided_at + timedelta(days=1)
            if reached_workshop or stage == "applied"
            else None,
            communicated_how=rng.choice(["phone", "in_person"]),
            erased_at=timezone.now() if erased else None,
        )
        if reached_workshop:
            _score_sheets(round_, candidate, panel, rng, strong=stage == "successful")
        if stage == "successful" and starters:
            candidate.membership = _start_in_team(candidate, team, leaves=starters.pop(0))
            candidate.save(update_fields=["membership"])
        if candidate.communicated_at:
            SurveyInvitation.objects.create(
                candidate=candidate,
                nonce=secrets.token_hex(16),
                token_hash=hash_token(secrets.token_urlsafe(32)),
                sent_at=candidate.communicated_at,
                expires_at=candidate.communicated_at + timedelta(days=60),
                completed=index % 4 != 3,
                reminder_sent_at=candidate.communicated_at + timedelta(days=7)
                if index % 3 == 0
                else None,
            )
    touch_points = {tp.key: tp for tp in round_.touch_points.all()}
    completed = SurveyInvitation.objects.filter(candidate__round=round_, completed=True)
    for invitation_index, invitation in enumerate(completed.select_related("candidate")):
        response = SurveyResponse.objects.create(
            round=round_,
            group=invitation.candidate.stage
            if invitation.candidate.stage in {"successful", "unsuccessful"}
            else "other",
            submitted_on=(invitation.sent_at + timedelta(days=rng.randint(0, 6))).date(),
            published=True,
        )
        for tp_key, touch_point in touch_points.items():
            mean = ROUND_SCORES[key][tp_key]
            SurveyAnswer.objects.create(
                response=response,
                touch_point=touch_point,
                score=max(1, min(10, mean + rng.choice([-2, -1, 0, 0, 1, 1]))),
                worked_well=rng.choice(WORKED_WELL[tp_key]) if invitation_index % 2 == 0 else "",
                improve=rng.choice(IMPROVE[tp_key]) if invitation_index % 3 == 0 else "",
            )
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    return round_


def _season(day: date) -> str:
    """The round open now is named for the season the demo was made in, e.g. "winter 2026"."""
    name = ["winter", "spring", "summer", "autumn"][day.month % 12 // 3]
    return f"{name} {day.year}"


def _current_round(*, owners, values, roles, rng, taken) -> Round:
    today = timezone.localdate()
    round_ = round_create(
        title=f"Wellbeing workers and a coach, {_season(today)}",
        opens_on=today - timedelta(days=12),
        closes_on=today + timedelta(days=16),
        values=values,
        roles=roles,
        owners=owners,
        description=(
            "We are growing in Riverside and Castle Hill. No CV needed: tell us why this work "
            "matters to you, then join us for a relaxed workshop day."
        ),
    )
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)
    workshop = Workshop.objects.create(
        round=round_, starts_at=_at(today + timedelta(days=24), 9), place="Riverside Community Hub"
    )
    # An early workshop, already held: its candidates are scored, and two are decided but not
    # yet told, so a newcomer can record "told" and follow the survey email without editing
    # any dates.
    held = Workshop.objects.create(
        round=round_, starts_at=_at(today - timedelta(days=3), 10), place="Castle Hill Library"
    )
    seat = PanelMember.objects.create(
        round=round_, name=owners[0].display_name, email=owners[0].email, user=owners[0]
    )
    stages = [
        "applied",
        "applied",
        "invited",
        "invited",
        "attended",
        "attended",
        "successful",
        "unsuccessful",
        "withdrawn",
    ]
    at_held = {"attended", "successful", "unsuccessful"}
    for index, name in enumerate(_people(rng, len(stages), taken)):
        stage = stages[index]
        candidate = Candidate.objects.create(
            round=round_,
            name=name,
            email=f"{name.lower().replace(' ', '.')}.winter@example.org",
            phone="07700 900" + str(500 + index),
            why="I want work where I can take the time to get to know people.",
            consent_contact=True,
            consent_privacy=True,
            stage=stage,
            applied_at=_at(today - timedelta(days=10 - index)),
            invited_at=_at(today - timedelta(days=8)) if stage in at_held | {"invited"} else None,
            attended_at=held.starts_at if stage in at_held else None,
            workshop=held if stage in at_held else workshop if stage == "invited" else None,
            decided_at=_at(today - timedelta(days=1)) if stage in Candidate.OUTCOMES else None,
            decided_by=owners[0] if stage in Candidate.OUTCOMES else None,
            decision_reason="Showed our values warmly in the group task."
            if stage == "successful"
            else "Not yet ready: talked over others in the group task."
            if stage == "unsuccessful"
            else "",
        )
        if stage in at_held:
            sheet = AssessmentSheet.objects.create(
                candidate=candidate, panel_member=seat, submitted_at=held.starts_at
            )
            Score.objects.bulk_create(
                Score(
                    sheet=sheet,
                    value=value,
                    score=2 if stage == "unsuccessful" else rng.choice([3, 4, 4, 5]),
                    evidence="Seen in the group task and the conversation afterwards.",
                )
                for value in values
            )
    for candidate in round_.candidates.all():
        for question in round_.questions.all():
            candidate.answers.create(
                question=question,
                text="When my neighbour came home from hospital I sorted her shopping and "
                "sat with her each evening until she felt steady again.",
            )
    return round_


@transaction.atomic
def seed_recruitment(context: DemoContext) -> None:
    admin, coach = context.admin, context.coach
    if Round.objects.filter(slug__startswith="wellbeing-workers-spring-2026").exists():
        return
    rng = random.Random(2026)  # noqa: S311 - made-up data, repeatable on every run
    roles = [JobRole.objects.get_or_create(name=name)[0] for name in ["Wellbeing worker", "Coach"]]
    JobRole.objects.get_or_create(name="Community circle connector")
    values = list(Value.objects.filter(active=True).order_by("order")[:4])
    taken: set[str] = set()
    riverside = Team.objects.get(name="Riverside")
    spring = _past_round(
        key="spring",
        title="Wellbeing workers, spring 2026",
        opens_on=date(2026, 2, 2),
        owners=[admin],
        values=values,
        roles=roles[:1],
        rng=rng,
        taken=taken,
        team=riverside,
        starters=[False, False, True],
    )
    autumn_opens = min(date(2026, 8, 3), timezone.localdate() - timedelta(days=60))
    autumn = _past_round(
        key="autumn",
        title="Wellbeing workers, autumn 2026",
        opens_on=autumn_opens,
        owners=[admin],
        values=values,
        roles=roles[:1],
        rng=rng,
        taken=taken,
        team=riverside,
        starters=[False, False],
    )
    Experiment.objects.create(
        round=autumn,
        touch_point_key="recruitment-pack",
        idea=f"From {spring.title}: \u201cThe pack was long and full of jargon.\u201d",
        change="A four-page pack in plain English, with photos of the venue and the panel.",
        hypothesis="The recruitment pack's score rises from about 5 to at least 7 out of 10.",
        created_by=admin,
    )
    current = _current_round(
        owners=[admin, coach], values=values, roles=roles, rng=rng, taken=taken
    )
    current.teams.set(Team.objects.filter(name__in=["Riverside", "Castle Hill"]))
