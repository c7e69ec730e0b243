"""Outcomes for the demo's people (see wellbeing/demo.py): one-page profiles, outcomes with
reviews in their own words, an Individual Service Fund with saved hours, and Peggy, who signs
in to her own record. Every name is invented; dates are relative to today, so the demo never
goes stale. Running it again changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from teams.models import Membership, Person
from teams.rota.demo import visits_done_before_the_rota
from wellbeing.demo import DemoContext, DemoSignIn, demo_user, email_for

from .models import (
    Consent,
    FlexibleHours,
    KeyContact,
    OnePageProfile,
    Outcome,
    PersonAccess,
    PersonDetails,
    ProfileVersion,
    RecordRead,
    Relationship,
    Review,
    Scale,
    ScaleLevel,
    ServiceFund,
    Suggestion,
)

GAS = Outcome.Measure.GAS
SELF = Outcome.Measure.SELF_RATING
SCALE = Outcome.Measure.SCALE

# A scale the organisation wrote itself, in its own words (an organisation holding a licence
# for a published instrument enters that one the same way, in the admin site).
OUR_SCALE = (
    "Managing day to day (our own scale)",
    "How much of an everyday task a person does for themselves.",
    [
        (1, "Others do it for me", "Someone else does all of it."),
        (2, "I do it with someone beside me", "I do parts of it while someone helps."),
        (3, "I do it with a reminder", "I do it myself when someone reminds me."),
        (4, "I do it on my own", "I do it myself, without reminding."),
    ],
)

MEMBER_PROFILES = {
    "Amara Okafor": (
        "I am calm, I listen, and I laugh easily. People say I make a good cup of tea.",
        "My two boys, my church choir, and Sunday walks in Lickey Hills.",
        "Tell me straight if something is not right. I would rather know.",
    ),
    "Ben Hughes": (
        "Patient, good with gadgets, always up for a game of cards.",
        "Football (Villa, sorry), my allotment and my grandad.",
        "Give me a bit of warning when plans change.",
    ),
    "Chloe Patel": (
        "Cheerful and practical; I notice the little things.",
        "Cooking for friends, my cat Miso, learning British Sign Language.",
        "I like to understand why we do things: ask me, and ask me to explain.",
    ),
    "Ellie Kowalski": (
        "Kind, organised and good at finding things out.",
        "My family in Gdańsk, swimming, and old films.",
        "Let me know what matters most to you today.",
    ),
}

PEOPLE = {
    "Margaret Ellis": {
        "details": (
            "she/her",
            date(1938, 4, 12),
            "Hard of hearing on the left: sit on her right. "
            "Likes to chat over a cup of tea before anything else.",
        ),
        "contacts": [
            ("family", "Sarah Ellis", "daughter", "07700 900123", "sarah.ellis@example.org"),
            ("gp", "Dr Okonjo", "Northfield Surgery", "0121 496 0000", ""),
        ],
        # The first version, before Peggy asked for the radio to be added.
        "profile_before": (
            "Peggy is funny and sharp, and she knows every family on her street. She was a "
            "school cook for thirty years and still makes the best bread pudding.",
            "Her daughter Sarah and her grandchildren. The lunch club on Thursdays. Her garden. "
            "Tea with two sugars.",
            "Sit on her right: she hears better that side. Ask before you move anything in her "
            "kitchen.",
        ),
        "profile": (
            "Peggy is funny and sharp, and she knows every family on her street. She was a "
            "school cook for thirty years and still makes the best bread pudding.",
            "Her daughter Sarah and her grandchildren. The lunch club on Thursdays. Her garden, "
            "and the radio on in the morning (Radio 2, not Radio 4). Tea with two sugars.",
            "Sit on her right: she hears better that side. Give her time to get going in the "
            "morning. Ask before you move anything in her kitchen.",
        ),
        "outcomes": [
            {
                "words": "I want to walk to the shop on my own by spring",
                "area": Outcome.LifeArea.INDEPENDENCE,
                "why": "So I can pick my own bread and have a natter with Raj at the counter.",
                "helps": "Amara on Tuesdays and Fridays; the physio's exercises",
                "levels": (
                    "I do not leave the house",
                    "I walk to the garden gate with someone",
                    "I walk to the shop with someone beside me",
                    "I walk to the shop with someone a few steps behind",
                    "I walk to the shop on my own",
                ),
                "baseline": -1,
                "started": 150,
                "target": 60,
                "reviews": [
                    (
                        120,
                        -1,
                        -1,
                        "person",
                        "My knees were bad in the cold.",
                        "Managed the gate twice with me.",
                        "The exercises",
                        "The cold mornings",
                        "Walk after lunch when it is warmer",
                    ),
                    (
                        75,
                        0,
                        0,
                        "with_help",
                        "I got to the shop with Amara. Raj was pleased to see me.",
                        "Walked to the shop and back with a rest on the bench.",
                        "Walking after lunch",
                        "",
                        "Try with Amara walking behind",
                    ),
                    (
                        20,
                        1,
                        0,
                        "person",
                        "I did it with Amara behind me! I did not need her.",
                        "Good progress, but she held my arm on the kerb by the bus stop.",
                        "Her confidence is growing",
                        "The kerb by the bus stop is high",
                        "Ask the council about the kerb; keep going",
                    ),
                ],
            },
            {
                "words": "I want to see my friends at the lunch club every week",
                "area": Outcome.LifeArea.PEOPLE,
                "why": "I was lonely after Bill died. I like being with people my age.",
                "helps": "Ben drives on Thursdays",
                "levels": (
                    "I do not go",
                    "I go once a month",
                    "I go most weeks",
                    "I go every week",
                    "I go every week and help with the raffle",
                ),
                "baseline": -1,
                "started": 200,
                "target": None,
                "reviews": [
                    (
                        140,
                        0,
                        0,
                        "person",
                        "I went three times this month.",
                        "",
                        "Ben's lifts",
                        "",
                        "",
                    ),
                    (
                        80,
                        1,
                        1,
                        "person",
                        "Every week now. Maureen saves me a seat.",
                        "",
                        "",
                        "",
                        "",
                    ),
                ],
                "achieved": "I go every Thursday now and Maureen saves me a seat.",
            },
            {
                "words": "I want to sleep through the night more often",
                "area": Outcome.LifeArea.HEALTH,
                "why": "I am tired all day when I wake at three.",
                "helps": "Chloe, and the district nurse",
                "measure": SELF,
                "baseline": 3,
                "started": 90,
                "target": None,
                "reviews": [
                    (
                        50,
                        4,
                        5,
                        "person",
                        "A bit better since I stopped the late cup of tea.",
                        "",
                        "No tea after six",
                        "",
                        "Try the radio on low",
                    ),
                    (10, 6, 6, "with_help", "Most nights now.", "", "", "", ""),
                ],
            },
        ],
        # Her rota is three visits a day, 14 hours a week.
        "fund": (Decimal(16), Decimal(24), Decimal(400)),
        "signs_in": True,
    },
    "Arthur Bennett": {
        "profile": (
            "Arthur is a gentleman: polite, precise, and proud of his roses.",
            "His late wife's photographs, the cricket on the radio, his routine.",
            "Explain what you are doing before you do it. Do not rush him.",
        ),
        "outcomes": [
            {
                "words": "I want to cook my own Sunday dinner again",
                "area": Outcome.LifeArea.INDEPENDENCE,
                "why": "Joan always cooked. I want to be able to have the family round.",
                "helps": "Chloe, with the cooking",
                "levels": (
                    "Someone else cooks everything",
                    "I help prepare the vegetables",
                    "I cook it with someone in the kitchen",
                    "I cook it and someone checks in",
                    "I cook it for the family on my own",
                ),
                "baseline": -2,
                "started": 160,
                "target": 30,
                "reviews": [
                    (130, None, -2, "", "", "Peeled the potatoes.", "", "", ""),
                    (95, None, -1, "", "", "Did the vegetables and the gravy.", "", "", ""),
                    (60, None, 0, "", "", "Cooked it with me in the kitchen.", "", "", ""),
                    (25, None, 1, "", "", "Cooked it, I just checked in.", "", "", ""),
                ],
            },
            {
                "words": "I want to look after my own tablets",
                "area": Outcome.LifeArea.HEALTH,
                "why": "I do not like being told what to take. I was a pharmacist's clerk.",
                "helps": "Chloe, and the pharmacy's weekly box",
                "measure": SCALE,
                "baseline": 1,
                "started": 110,
                "target": None,
                "reviews": [
                    (
                        70,
                        2,
                        2,
                        "person",
                        "I fill the box on Sundays with Chloe.",
                        "Filled the box with me; checked each one twice.",
                        "The weekly box",
                        "",
                        "Try the reminder on his phone",
                    ),
                    (
                        15,
                        4,
                        3,
                        "with_help",
                        "I do it myself now. The phone reminds me.",
                        "He does it himself when the phone reminds him; I think that is a 3.",
                        "The phone reminder",
                        "He forgot once when the phone was flat",
                        "Charge the phone by the bed",
                    ),
                ],
            },
        ],
        # Two workers, three days a week: 10½ hours of care.
        "fund": (Decimal(11), Decimal(24), None),
    },
    "Stanley Clarke": {
        "outcomes": [
            {
                "words": "I want to get to the Legion on Friday nights",
                "area": Outcome.LifeArea.COMMUNITY,
                "why": "My mates are there.",
                "helps": "Dylan",
                "levels": (
                    "I do not go",
                    "I go once a month",
                    "I go every other week",
                    "I go most Fridays",
                    "I go every Friday",
                ),
                "baseline": -1,
                "started": 200,
                "target": None,
                "reviews": [
                    (150, None, 0, "", "", "", "", "", ""),
                    (100, None, 0, "", "", "", "", "", ""),
                    (40, None, 0, "", "", "", "", "", ""),
                ],
            },
        ],
    },
    "Doreen Walsh": {
        "profile": (
            "Dot is warm and a terrible flirt, in the nicest way.",
            "Her budgie, Elvis (the singer and the budgie), and her sister in Kidderminster.",
            "Remind her gently of the day and the time. Play her music.",
        ),
        "outcomes": [
            {
                "words": "I want to phone my sister every Sunday",
                "area": Outcome.LifeArea.PEOPLE,
                "why": "She is all I have left of the old days.",
                "helps": "Whoever is with me on Sunday",
                "measure": SELF,
                "baseline": 2,
                "started": 120,
                "target": None,
                "overdue": True,
                "reviews": [
                    (
                        100,
                        5,
                        4,
                        "family",
                        "Mum loves the calls, she talks about them all week.",
                        "",
                        "",
                        "",
                        "",
                    ),
                ],
            },
        ],
    },
    "Winifred Shaw": {
        "profile": (
            "Winnie is a storyteller: ask her about the Docks in the sixties.",
            "Her church, her nephew Paul, Coronation Street.",
            "Let her do what she can for herself, even if it takes longer.",
        ),
        "outcomes": [
            {
                "words": "I want to get back to church on Sundays",
                "area": Outcome.LifeArea.COMMUNITY,
                "why": "It is where my friends are, and it gives my week a shape.",
                "helps": "Ellie, and Paul when he can",
                "levels": (
                    "I cannot get there",
                    "I go at Christmas and Easter",
                    "I go once a month",
                    "I go most Sundays",
                    "I go every Sunday and stay for coffee",
                ),
                "baseline": -1,
                "started": 100,
                "target": 90,
                "reviews": [
                    (
                        40,
                        -1,
                        0,
                        "person",
                        "Only twice. My hip was playing up.",
                        "She went twice and enjoyed it; I think that is about expected for now.",
                        "The taxi",
                        "Her hip",
                        "Ask the GP about the hip",
                    ),
                ],
            },
        ],
    },
}


def _days_ago(today: date, days: int | None) -> date | None:
    return None if days is None else today - timedelta(days=days)


def _profile(*, by, written_on, words, person=None, member=None, agreed=False, number=1) -> None:
    profile, _ = OnePageProfile.objects.get_or_create(person=person, member=member)
    ProfileVersion.objects.get_or_create(
        profile=profile,
        number=number,
        defaults={
            "appreciated": words[0],
            "important": words[1],
            "support": words[2],
            "written_by": by,
            "written_by_name": str(by),
            "person_agreed": agreed,
            "created_at": timezone.make_aware(datetime.combine(written_on, time(11, 0))),
        },
    )


def _our_scale() -> Scale:
    name, description, levels = OUR_SCALE
    scale, _ = Scale.objects.get_or_create(name=name, defaults={"description": description})
    for value, label, meaning in levels:
        ScaleLevel.objects.get_or_create(
            scale=scale, value=value, defaults={"label": label, "description": meaning}
        )
    return scale


def _outcome(person: Person, spec: dict, *, worker, today: date) -> Outcome:
    measure = spec.get("measure", GAS)
    levels = spec.get("levels", ("",) * 5)
    created = _days_ago(today, spec["started"])
    outcome, created_now = Outcome.objects.get_or_create(
        person=person,
        in_their_words=spec["words"],
        defaults={
            "life_area": spec["area"],
            "why_it_matters": spec["why"],
            "who_helps": spec["helps"],
            "measure": measure,
            "scale": _our_scale() if measure == SCALE else None,
            "gas_minus_2": levels[0],
            "gas_minus_1": levels[1],
            "gas_0": levels[2],
            "gas_plus_1": levels[3],
            "gas_plus_2": levels[4],
            "baseline_level": spec.get("baseline"),
            "target_date": today + timedelta(days=spec["target"]) if spec.get("target") else None,
            "review_every_weeks": 6,
            "created_by": worker,
            "created_on": created,
            "review_due": created,
        },
    )
    if not created_now:
        return outcome
    for days, person_level, worker_level, rated_by, person_words, worker_words, *shared in spec[
        "reviews"
    ]:
        review = Review(
            outcome=outcome,
            reviewed_on=today - timedelta(days=days),
            person_level=person_level,
            person_rated_by=rated_by,
            person_words=person_words,
            worker_level=worker_level,
            worker_words=worker_words,
            what_is_working=shared[0],
            what_is_not_working=shared[1],
            what_will_change=shared[2],
            recorded_by=worker,
            recorded_by_name=str(worker),
        )
        review.level = review.counted_level()
        review.save()
    last = outcome.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
    outcome.review_due = (
        today - timedelta(days=9)
        if spec.get("overdue")
        else outcome.next_review_after(last or created)
    )
    if spec.get("achieved"):
        outcome.status = Outcome.Status.ACHIEVED
        outcome.status_reason = spec["achieved"]
        outcome.status_changed_on = today - timedelta(days=70)
    outcome.save()
    return outcome


def _fund(person: Person, spec: tuple, *, worker, today: date, bank: bool) -> None:
    hours, rate, budget = spec
    # From the start of last month, so a whole month is over and its hours could be saved;
    # the rota goes back as far, so no month of the fund shows nothing delivered.
    starts = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    visits_done_before_the_rota(person=person, since=starts, today=today)
    fund, created = ServiceFund.objects.get_or_create(
        person=person,
        defaults={
            "commissioner": "Northshire County Council, adult social care",
            "starts": starts,
            "hours_per_week": hours,
            "hourly_rate": rate,
            "weekly_budget": budget,
            "created_by": worker,
        },
    )
    if not (created and bank):
        return
    # Last month's rota left about 11 commissioned hours unused: Peggy saved most of them.
    FlexibleHours.objects.create(
        fund=fund,
        kind=FlexibleHours.Kind.BANKED,
        hours=Decimal(6),
        on=starts + timedelta(days=4),
        purpose="Saving for a day at the coast in Weston-super-Mare this summer",
        recorded_by=worker,
    )
    FlexibleHours.objects.create(
        fund=fund,
        kind=FlexibleHours.Kind.BANKED,
        hours=Decimal(4),
        on=starts + timedelta(days=11),
        purpose="Saving for the coast trip",
        recorded_by=worker,
    )
    FlexibleHours.objects.create(
        fund=fund,
        kind=FlexibleHours.Kind.USED,
        hours=Decimal(3),
        on=starts + timedelta(days=19),
        purpose="Afternoon at the garden centre with Chloe",
        recorded_by=worker,
    )


def _peggy_signs_in(person: Person, context: DemoContext, *, worker, today: date) -> None:
    user = demo_user(email_for(person.name), person.name)
    if PersonAccess.objects.filter(person=person, user=user).exists():
        return
    consent = Consent.objects.create(
        person=person,
        scope=Consent.Scope.SIGN_IN,
        with_whom=f"{person.name} (themselves)",
        decided_by=Consent.DecidedBy.PERSON,
        agreed_on=today - timedelta(days=60),
        recorded_by=worker,
    )
    Consent.objects.create(
        person=person,
        scope=Consent.Scope.FAMILY_NEWS,
        with_whom="Sarah Ellis, her daughter",
        decided_by=Consent.DecidedBy.PERSON,
        agreed_on=today - timedelta(days=140),
        recorded_by=worker,
    )
    PersonAccess.objects.create(
        person=person, user=user, relationship=Relationship.SELF, consent=consent
    )
    Suggestion.objects.create(
        person=person,
        about=Suggestion.About.PROFILE,
        text="Please put that I like the radio on in the morning, Radio 2 not Radio 4!",
        suggested_by=user,
        suggested_by_name=str(user),
        created_at=timezone.now() - timedelta(days=12),
        status=Suggestion.Status.TAKEN_UP,
        response="Done, Peggy: it is in your profile now. Amara",
        responded_by=worker,
        responded_at=timezone.now() - timedelta(days=10),
    )
    for days, reader, what in [
        (30, worker, "The record page"),
        (21, context.coach, "The record page"),
        (20, worker, "An outcome: I want to walk to the shop on my own by spring"),
        (2, worker, "The statement for {month}"),
    ]:
        at = timezone.now() - timedelta(days=days, hours=3)
        RecordRead.objects.create(
            person=person,
            reader=reader,
            reader_name=str(reader),
            what=what.format(month=f"{timezone.localtime(at):%B %Y}"),
            at=at,
        )


def seed_outcomes(context: DemoContext) -> None:
    today = timezone.localdate()
    for name, words in MEMBER_PROFILES.items():
        member = demo_user(email_for(name), name)
        _profile(by=member, member=member, written_on=today - timedelta(days=100), words=words)
    for name, spec in PEOPLE.items():
        person = Person.objects.filter(name=name).select_related("team").first()
        if person is None:
            continue
        membership = (
            Membership.objects.filter(team=person.team)
            .select_related("user")
            .order_by("joined")
            .first()
        )
        worker = membership.user if membership else context.coach
        if "details" in spec:
            pronouns, born, communication = spec["details"]
            PersonDetails.objects.get_or_create(
                person=person,
                defaults={
                    "pronouns": pronouns,
                    "date_of_birth": born,
                    "communication": communication,
                },
            )
        for kind, contact_name, relationship, phone, email in spec.get("contacts", []):
            KeyContact.objects.get_or_create(
                person=person,
                name=contact_name,
                defaults={
                    "kind": kind,
                    "relationship": relationship,
                    "phone": phone,
                    "email": email,
                },
            )
        versions = [spec[key] for key in ("profile_before", "profile") if key in spec]
        for number, words in enumerate(versions, start=1):
            _profile(
                by=worker,
                person=person,
                written_on=today - timedelta(days=10 + 170 * (len(versions) - number)),
                words=words,
                agreed=number == len(versions),
                number=number,
            )
        for outcome in spec.get("outcomes", []):
            _outcome(person, outcome, worker=worker, today=today)
        if "fund" in spec:
            _fund(
                person, spec["fund"], worker=worker, today=today, bank=spec.get("signs_in", False)
            )
        if spec.get("signs_in"):
            _peggy_signs_in(person, context, worker=worker, today=today)
            context.sign_ins.append(
                DemoSignIn(
                    "Person supported (Peggy, Northfield)",
                    email_for(person.name),
                    "sees only her own record",
                    order=15,
                )
            )
