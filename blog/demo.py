"""The demo blog: advisors (one a guest co-production partner), posts with tags, a series, an
introduction by someone else, scheduled and draft posts, and comments waiting for moderation.

Every person and word is made up. Pictures are drawn here with Pillow, so nothing is
downloaded. Running it again changes nothing: advisors are found by their account, posts by
their title, and pictures and comments are made only for posts that have none.
"""

from __future__ import annotations

import io
import math
import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw

from wellbeing.demo import DemoContext, DemoSignIn, demo_user, email_for

from . import services
from .caching import blog_changed
from .models import AdvisorProfile, Comment, Post

# Each: name, area they advise on, guest?, editor?, bio, colour of their pictures.
ADVISORS = [
    (
        "Neil Fairbairn",
        "HR and wellbeing at work",
        False,
        False,
        "Neil spent fifteen years in NHS human resources before joining us. He is interested "
        "in what people need from an organisation when nobody manages them.",
        (0, 114, 198),
    ),
    (
        "Sam Whitlock",
        "improvement",
        False,
        False,
        "Sam helps teams try small changes and see what happens. Former district nurse, "
        "lifelong fan of a good run chart.",
        (0, 127, 59),
    ),
    (
        "Grace Mbeki",
        "co-production with families",
        True,
        False,
        "Grace's mother was supported by one of our teams for three years. She now works with "
        "us as a partner, so that families shape how we work, not just receive it.",
        (120, 60, 150),
    ),
    (
        "Tomasz Nowak",
        "digital",
        False,
        False,
        "Tomasz looks after the tools our teams use, and believes the best software is the "
        "one you forget is there.",
        (66, 84, 98),
    ),
]
RUTH_BIO = (
    "Ruth coaches the Castle Hill team and advises the organisation on values and culture. "
    "She has worked in community care for twenty years."
)
SERIES = "Living our values"


@dataclass
class DemoPost:
    title: str
    author: str
    days_ago: int | None  # None: a draft; negative: scheduled that many days ahead
    tags: list[str]
    body: str
    excerpt: str = ""
    series_position: int | None = None
    co_authors: list[str] = field(default_factory=list)
    introduction: str = ""
    introduced_by: str = ""
    reader_question: str = ""
    colour: tuple[int, int, int] = (0, 94, 184)
    cover_alt: str = ""
    # A chart shown in the text where the body says {chart}, with this description.
    chart_alt: str = ""
    # (name, body, approved?, author reply)
    comments: list[tuple[str, str, bool, str]] = field(default_factory=list)


RUTH = "Dr Ruth Adeyemi"

POSTS = [
    DemoPost(
        title="Why every new team starts with its values",
        author=RUTH,
        days_ago=62,
        tags=["values", "self-management"],
        series_position=1,
        colour=(0, 94, 184),
        cover_alt="Blue and white circles overlapping, like people sitting round a table",
        reader_question="What would you add to a new team's first conversation?",
        body="""When a new team forms here, the first thing they do together is not the rota.
It is an afternoon about what matters to them, and how they will know if they are living it.

It can feel slow. There are people waiting for support, and the rota is empty. But a team
with no manager needs something else to steer by, and that something is what they agree.

## Three questions we ask

1. What do we want the people we support to say about us?
2. What will we do when we disagree?
3. What would make us proud at the end of a hard week?

The answers go on one page. Nobody laminates it. It changes, and it should: the first
version is always too polite.

> "We wrote *kindness* on the wall and then argued for an hour about what it meant. That
> hour was the most useful thing we did all month." — a team member in Northfield

This is the first of a series on living our values. Next time: kindness as a skill.""",
        comments=[
            (
                "Jo Pearce",
                "We tried this in our team last spring. The disagreement question was the one "
                "that mattered most when things got difficult in the winter.",
                True,
                "Thank you Jo. That matches what we hear: agreeing how to disagree is the "
                "value people reach for first.",
            ),
            (
                "Martin Shaw",
                "Do you revisit the page on a schedule, or when something goes wrong?",
                True,
                "",
            ),
        ],
    ),
    DemoPost(
        title="Kindness is a skill you can practise",
        author=RUTH,
        days_ago=41,
        tags=["values"],
        series_position=2,
        colour=(0, 127, 59),
        cover_alt="Green leaves drawn as soft overlapping shapes",
        body="""We often talk about kindness as if people either have it or do not. In our
experience it is much more like a skill: it gets better with practice, and it gets worse
when people are tired and rushed.

So we practise it. In check-ins, coaches ask teams for one moment of kindness they noticed
that week, from anyone, to anyone. Not to score it: to notice it.

## Small things that add up

- Ringing ahead when you are running late, every time.
- Learning how someone likes their tea, and remembering it.
- Covering a colleague's visit without making them owe you.

None of this is new. What is new is saying it out loud, so that a new member of the team
learns it in weeks rather than years.""",
        comments=[
            (
                "Priti Desai",
                "Noticing rather than scoring is such an important difference. Thank you.",
                True,
                "",
            )
        ],
    ),
    DemoPost(
        title="Trust in practice: when nobody is in charge",
        author=RUTH,
        co_authors=["Sam Whitlock"],
        days_ago=12,
        tags=["values", "self-management"],
        series_position=3,
        colour=(120, 60, 150),
        cover_alt="Purple and blue lines meeting in the middle of the picture",
        reader_question="Where does trust break down in your team, and what mends it?",
        body="""Self-managing teams run on trust, and trust is built in small, visible steps.
Sam and I looked at a year of decisions logged by our teams to see where trust grew and
where it was tested.

The pattern was clear. Trust grew where decisions were **explained** as well as made: the
advice process, where anyone can decide after asking the people affected, works because
the asking is visible.

It was tested where people found out about a decision afterwards. Not because the decision
was wrong, but because nobody had asked.

This is the third post in our series on living our values.""",
    ),
    DemoPost(
        title="Hello from HR: what changes when there are no managers",
        author="Neil Fairbairn",
        days_ago=30,
        tags=["people", "self-management"],
        introduction="Here is Neil's first blog with us. Neil joined in the spring after many "
        "years in NHS HR, and he has been asking our teams some very good questions.",
        introduced_by=RUTH,
        reader_question="What would help you most in your first month with a new team?",
        colour=(0, 114, 198),
        cover_alt="Light blue squares arranged like a calendar",
        body="""In most organisations, HR talks to managers. Here there are none, so I talk to
teams. That changes almost everything about the job.

Take a difficult conversation about someone's performance. Usually a manager would have it.
In our teams, the team has it, with a coach to support them. That is harder at first, and
fairer in the end, because the people who see the work are the ones who talk about it.

## What I have learned so far

- Teams need clear agreements more than policies.
- People are far more generous with each other than process assumes.
- The first month for a new member matters more than any induction pack.

I would love to hear from you.""",
        comments=[
            (
                "Hannah Reid",
                "A buddy who is not your rota coordinator made all the difference for me.",
                False,
                "",
            ),
            (
                "Femi Adebayo",
                "Being told which things I could decide myself, in my first week, not my third.",
                False,
                "",
            ),
        ],
    ),
    DemoPost(
        title="Small tests of change on a Tuesday morning",
        author="Sam Whitlock",
        days_ago=20,
        tags=["improvement"],
        colour=(0, 127, 59),
        cover_alt="A simple green run chart rising gently from left to right",
        chart_alt="Run chart of missed medication prompts a week: about four a week before "
        "the change, then one or none in each of the six weeks after it",
        body="""Improvement does not need a project plan. It needs a question, a small test
and someone willing to write down what happened.

Riverside wanted fewer missed medication prompts. Instead of a new form, they tried one
change for one week: the last visit of the day checks tomorrow's first visit has what it
needs. Missed prompts went from four a week to one.

Was it the change, or luck? One week cannot tell. So they kept going, kept counting, and
six weeks later the run chart had its answer.

{chart}

If your team has a question like that, start on a Tuesday. Mondays are busy enough.""",
        comments=[
            (
                "Tariq Hussain",
                "Love the Tuesday rule. How did you count without adding paperwork?",
                False,
                "",
            )
        ],
    ),
    DemoPost(
        title="Nothing about us without us: co-production from the family side",
        author="Grace Mbeki",
        days_ago=6,
        tags=["co-production", "families"],
        reader_question="If you support a relative, what would you want us to ask you first?",
        colour=(120, 60, 150),
        cover_alt="Two hands drawn as simple purple shapes, one holding the other",
        body="""When my mother's team first came, they asked her what a good day looked like.
Nobody had asked her that in years. She said: the radio on, the window open, and someone
to talk to about the cricket.

That question is where co-production starts. Not with a meeting, but with listening to the
person as the expert in their own life, and to the family as partners, not visitors.

## What I ask teams to try

1. Write the person's outcomes in their own words, not ours.
2. Ask the family what they have learned, before telling them what you have.
3. Review together, at the kitchen table if that is where the person is most at home.

I am a guest on this blog and a partner in this organisation. I hope more families will
write here too.""",
        comments=[
            (
                "Elaine Booth",
                "The cricket and the open window. That is exactly the kind of detail that "
                "makes care feel like care.",
                True,
                "Thank you Elaine. Mum would have liked that you noticed.",
            ),
            (
                "Colin Barnes",
                "Please write more about reviews at the kitchen table. We are trying it with "
                "my father.",
                False,
                "",
            ),
        ],
    ),
    DemoPost(
        title="Paper, phones and the rota: going digital gently",
        author="Tomasz Nowak",
        days_ago=3,
        tags=["digital"],
        colour=(66, 84, 98),
        cover_alt="A grey phone outline beside a folded paper rota",
        body="""Nobody joined a care team to use software. So when we moved the rota from a
shared spreadsheet to phones, we went slowly, and we kept the paper copy on the fridge
for a month.

What helped most was not training. It was asking each team who was most sceptical, and
making sure the tool worked for them first. If it works for the person who does not want
it, it works for everyone.""",
    ),
    DemoPost(
        title="What our first team health pulse told us",
        author="Sam Whitlock",
        days_ago=-5,
        tags=["improvement", "self-management"],
        colour=(0, 94, 184),
        cover_alt="Blue bars of different heights, like a simple chart",
        body="""Every fortnight, each team answers five short questions about how the team is
doing. Answers are anonymous and only shown in groups. Here is what the first three months
told us, and what the teams decided to do about it.""",
    ),
    DemoPost(
        title="Families as partners in recruitment",
        author="Grace Mbeki",
        days_ago=-12,
        tags=["co-production", "families", "people"],
        colour=(120, 60, 150),
        cover_alt="Purple circles in a row, one a little apart from the others",
        body="""Families now sit on our recruitment panels. This is what we learned from the
first rounds, and what candidates said about it.""",
    ),
    DemoPost(
        title="Notes towards a kinder probation period",
        author="Neil Fairbairn",
        days_ago=None,
        tags=["people"],
        colour=(0, 114, 198),
        body="""Draft: what would a probation period look like if the team, not a manager,
owned it? Some early notes.""",
    ),
]


def _picture(colour: tuple[int, int, int], seed: int, *, size=(1280, 720)) -> io.BytesIO:
    """A soft abstract picture: a pale ground and a few overlapping circles."""
    width, height = size
    ground = tuple(int(c + (255 - c) * 0.85) for c in colour)
    picture = PillowImage.new("RGB", size, ground)
    draw = ImageDraw.Draw(picture, "RGBA")
    for n in range(6):
        angle = seed * 1.7 + n * 1.1
        cx = width * (0.5 + 0.35 * math.cos(angle))
        cy = height * (0.5 + 0.3 * math.sin(angle * 1.3))
        radius = height * (0.18 + 0.05 * ((seed + n) % 4))
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius), fill=(*colour, 70 + 25 * (n % 3))
        )
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=1)
    out.seek(0)
    return out


def _run_chart() -> io.BytesIO:
    """Missed prompts a week, before and after a change, as a run chart with its median."""
    weeks = [4, 5, 3, 4, 4, 1, 1, 0, 1, 0, 1]
    width, height, margin = 1600, 800, 120
    picture = PillowImage.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    x_of = [margin + n * (width - 2 * margin) / (len(weeks) - 1) for n in range(len(weeks))]
    y_of = [height - margin - value * (height - 2 * margin) / 5 for value in weeks]
    axis, base = (66, 84, 98), height - margin
    draw.line((margin, margin, margin, base), fill=axis, width=4)
    draw.line((margin, base, width - margin, base), fill=axis, width=4)
    median = base - statistics.median(weeks) * (height - 2 * margin) / 5
    draw.line((margin, median, width - margin, median), fill=(216, 221, 224), width=6)
    change = (x_of[4] + x_of[5]) / 2
    draw.line((change, margin, change, height - margin), fill=(0, 127, 59), width=3)
    draw.line(list(zip(x_of, y_of, strict=True)), fill=(0, 94, 184), width=8)
    for x, y in zip(x_of, y_of, strict=True):
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=(0, 94, 184))
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=1)
    out.seek(0)
    return out


def _portrait(colour: tuple[int, int, int], seed: int) -> io.BytesIO:
    """A made-up portrait: head and shoulders as simple shapes, no real face."""
    picture = PillowImage.new("RGB", (480, 480), tuple(int(c + (255 - c) * 0.7) for c in colour))
    draw = ImageDraw.Draw(picture)
    skin = [(141, 85, 36), (198, 134, 66), (241, 194, 125), (224, 172, 105)][seed % 4]
    draw.ellipse((90, 300, 390, 620), fill=colour)
    draw.ellipse((160, 110, 320, 290), fill=skin)
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=1)
    out.seek(0)
    return out


def _advisors(context: DemoContext) -> dict[str, AdvisorProfile]:
    profiles: dict[str, AdvisorProfile] = {}
    ruth = AdvisorProfile.objects.filter(user=context.advisor).first()
    if ruth is None:
        ruth = services.advisor_add(
            user=context.advisor, by=context.admin, area="values and culture", is_editor=True
        )
        photo = services.image_upload(upload=_portrait((0, 94, 184), 0), by=context.advisor)
        AdvisorProfile.objects.filter(pk=ruth.pk).update(bio=RUTH_BIO, photo=photo)
    profiles[RUTH] = ruth
    for seed, (name, area, guest, editor, bio, colour) in enumerate(ADVISORS, start=1):
        user = demo_user(email_for(name), name)
        profile = AdvisorProfile.objects.filter(user=user).first()
        if profile is None:
            profile = services.advisor_add(
                user=user, by=context.admin, area=area, is_guest=guest, is_editor=editor
            )
            photo = services.image_upload(upload=_portrait(colour, seed), by=user)
            AdvisorProfile.objects.filter(pk=profile.pk).update(bio=bio, photo=photo)
        profiles[name] = profile
    return profiles


def _comments(post: Post, spec: DemoPost) -> None:
    if post.comments.exists() or not post.is_public:
        return
    now = timezone.now()
    writer = post.author.user
    for n, (name, body, approved, reply) in enumerate(spec.comments):
        when = min(post.published_at + timedelta(hours=5 + 7 * n), now)
        if not approved:
            # Through the service, so the author gets the "a comment is waiting" email.
            comment = services.comment_submit(
                post=post, name=name, email=email_for(name), body=body
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=when)
            continue
        shown = {"status": Comment.Status.APPROVED, "moderated_by": writer}
        comment = Comment.objects.create(
            post=post, name=name, email=email_for(name), body=body,
            created_at=when, moderated_at=when, **shown,
        )  # fmt: skip
        if reply:
            answered = min(when + timedelta(hours=3), now)
            Comment.objects.create(
                post=post, parent=comment, name=post.author.name, email=writer.email,
                body=reply, user=writer, by_post_author=True,
                created_at=answered, moderated_at=answered, **shown,
            )  # fmt: skip


def seed_blog(context: DemoContext) -> None:
    profiles = _advisors(context)
    series = services.series_get_or_create(title=SERIES)
    if not series.description:
        series.description = "Three posts on what our values look like on an ordinary day."
        series.save(update_fields=["description"])
    now = timezone.now().replace(second=0, microsecond=0)
    for seed, spec in enumerate(POSTS):
        post = Post.objects.filter(slug=slugify(spec.title)).first()
        if post is None:
            author = profiles[spec.author]
            cover = (
                services.image_upload(upload=_picture(spec.colour, seed), by=author.user)
                if spec.cover_alt
                else None
            )
            body = spec.body
            if spec.chart_alt:
                chart = services.image_upload(upload=_run_chart(), by=author.user)
                body = body.replace("{chart}", f"![{spec.chart_alt}]({chart.url})")
            # Putting other advisors' names to a post (co-authors, an introduction, a shared
            # series) is an editor's job: Ruth, the demo's editor, sets those posts up.
            names_others = spec.co_authors or spec.introduced_by or spec.series_position
            post = services.post_create(
                by=profiles[RUTH].user if names_others else author.user,
                author=author,
                title=spec.title,
                body=body,
                excerpt=spec.excerpt,
                tags=spec.tags,
                cover_image=cover,
                cover_alt=spec.cover_alt,
                series=series if spec.series_position else None,
                series_position=spec.series_position,
                introduction=spec.introduction,
                introduced_by=profiles.get(spec.introduced_by),
                reader_question=spec.reader_question,
                co_authors=[profiles[name] for name in spec.co_authors],
            )
            if spec.days_ago is not None:
                at = now - timedelta(days=spec.days_ago, hours=seed)
                # Through the service, so the post's history shows who published it...
                post = services.post_publish(post=post, by=author.user, at=at if at > now else None)
                if at <= now:
                    # ...then dated in the past for the demo, which no service would allow.
                    Post.objects.filter(pk=post.pk).update(published_at=at)
                    post.refresh_from_db()
        _comments(post, spec)
    blog_changed()
    guest = ADVISORS[2][0]
    context.sign_ins.append(
        DemoSignIn(
            "Guest writer on the blog",
            email_for(guest),
            "a co-production partner",
            35,
        )
    )
