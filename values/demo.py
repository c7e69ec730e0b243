"""The demo's values and stories of them by the demo members (see wellbeing/demo.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from wellbeing.accounts.models import User
from wellbeing.demo import DemoContext, email_for

from .models import Story, Value
from .services import value_create

# (name, what it means here, what it looks like, what it does not look like)
VALUES = [
    (
        "Compassion",
        "We notice how people feel and act with kindness: to the people we support, to their "
        "families and to each other.",
        [
            "Taking a few extra minutes to sit with someone who is having a hard day",
            "Noticing when a colleague is stretched and offering to help",
            "Speaking with warmth and patience, even when we are running late",
        ],
        [
            "Rushing through a visit to get the tasks done while the person is upset",
            "Talking about someone in front of them as if they were not there",
        ],
    ),
    (
        "Responsibility",
        "We do what we say we will, own our mistakes and make decisions together as a "
        "self-managed team. Nobody above us will sort it out: we do.",
        [
            "Arriving when we said we would, or letting the person and the team know early",
            "Owning up to a mistake quickly so the team can put it right",
            "Following through on what we agreed at the team meeting",
        ],
        [
            "Waiting for someone else to deal with a problem we have spotted",
            "Blaming a colleague or the office when something goes wrong",
        ],
    ),
    (
        "Collaboration",
        "We work with the people we support, their families, our team and local services as "
        "equal partners, and plan support with people, not for them.",
        [
            "Planning support with the person, in their own words",
            "Sharing what we have learned at handover so the next visit goes well",
            "Asking the team for advice before making a big decision",
        ],
        [
            "Deciding something about a person's support without asking them",
            "Keeping useful information to ourselves",
        ],
    ),
    (
        "Curiosity",
        "We ask questions, listen closely and keep learning about the people we support and "
        "about how we work.",
        [
            "Asking about someone's life, what matters to them and what they enjoy",
            "Working out why a visit did not go well, without looking for someone to blame",
            "Asking a district nurse or reading up when we are unsure about a condition",
        ],
        [
            "Assuming we know what someone wants because it is how it has always been done",
            "Dismissing a new idea before giving it a try",
        ],
    ),
    (
        "Creativity",
        "We look for new ways to help people live the life they want, within what is safe and "
        "agreed with them.",
        [
            "Finding a way for someone to get back to a hobby they had given up",
            "Rearranging the rota so that someone can get to their weekly club",
            "Drawing on what is nearby, like a neighbour, a garden or a local group",
        ],
        [
            "Saying it cannot be done without looking for another way",
            "Sticking to a support plan that clearly no longer fits the person",
        ],
    ),
    (
        "Flourishing",
        "We want everyone, the people we support and ourselves, to live well and grow, not "
        "just get by.",
        [
            "Celebrating small steps, like making a cup of tea unaided again",
            "Taking our breaks and looking out for each other's wellbeing",
            "Helping each other learn new skills and take on team roles",
        ],
        [
            "Doing everything for someone when they could do it with a little help",
            "Working on through exhaustion and telling nobody",
        ],
    ),
]
# (author, title, what happened, values shown, days ago, whether it is about their team)
STORIES = [
    (
        "Amara Okafor",
        "Peggy's walk to the shops",
        "Peggy told me she missed choosing her own paper. We started with a walk to the end of "
        "the road, then to the bench by the post office. Three weeks later she walked to the "
        "newsagent and back, and paid for it herself. She has asked to do it every Tuesday.",
        ["creativity", "flourishing"],
        18,
        True,
    ),
    (
        "Chloe Patel",
        "Dot's records",
        "Dot was unsettled in the evenings. I asked her daughter what music Dot loved when she "
        "was young, and we found some of her old dance-hall records in the loft. Now we put "
        "one on while I help her get ready for bed, and she sings along.",
        ["curiosity", "compassion"],
        47,
        True,
    ),
    (
        "Ben Hughes",
        "Staying with Stan",
        "Stan had a phone call about his brother just as I arrived. I let the team know I would "
        "be late for my next visit and Dylan covered it. I stayed with Stan, made a pot of tea "
        "and listened. Before I left he said it helped not to be on his own.",
        ["compassion", "collaboration"],
        76,
        True,
    ),
    (
        "George Evans",
        "Looking after ourselves too",
        "After a run of long days a few of us said we were worn out. Rather than carry on, we "
        "agreed at the team meeting to take proper breaks and check in with each other at "
        "handover. It has made a real difference to how we feel at the end of the week.",
        ["flourishing", "responsibility"],
        104,
        False,
    ),
    (
        "Ellie Kowalski",
        "Winnie's recipe book",
        "Winnie kept mentioning her mother's bread pudding. We wrote the recipe down together "
        "from memory, then made it on a Sunday visit with her granddaughter. Winnie now wants "
        "to write down the rest of her recipes for the family.",
        ["curiosity", "collaboration"],
        133,
        True,
    ),
    (
        "Farah Ahmed",
        "Owning a missed visit",
        "I mixed up two visits and Harold waited for his lunch. I rang him to apologise, told "
        "the team straight away and we looked at how it happened. We now read back the next "
        "day's visits to each other at the end of each shift.",
        ["responsibility"],
        165,
        True,
    ),
    (
        "Isaac Boateng",
        "Len back at the allotment",
        "Len used to grow prize leeks but had not been to his allotment since his fall. We "
        "moved his Thursday visit to the afternoon and his neighbour on the next plot helps "
        "him with the heavy digging. He brought us all a bag of runner beans.",
        ["creativity", "collaboration"],
        224,
        True,
    ),
    (
        "Jade Williams",
        "Covering each other in the snow",
        "When the snow came, those of us who live close to the people we support walked to "
        "their visits, and the drivers took the longer rounds. Nobody missed a visit, and "
        "Kieran made sure every one of us got home safely.",
        ["responsibility", "collaboration"],
        292,
        True,
    ),
]


def seed_values(context: DemoContext) -> None:
    """The organisation's values, and stories of them by the demo members across the year."""
    for order, (name, meaning, looks_like, does_not_look_like) in enumerate(VALUES):
        if not Value.objects.filter(slug=slugify(name)).exists():
            value_create(
                name=name,
                meaning=meaning,
                looks_like=looks_like,
                does_not_look_like=does_not_look_like,
                order=order,
            )
    values = {value.slug: value for value in Value.objects.all()}
    now = timezone.now()
    for author_name, title, body, value_slugs, days_ago, with_team in STORIES:
        author = User.objects.get(email=email_for(author_name))
        team = author.memberships.select_related("team").first().team if with_team else None
        story, created = Story.objects.get_or_create(
            author=author,
            title=title,
            defaults={"body": body, "team": team, "created_at": now - timedelta(days=days_ago)},
        )
        if created:
            story.values.set([values[slug] for slug in value_slugs])
