"""Value-based recruitment: rounds, candidates, workshop assessment, and the touch-point survey.

Survey answers are deliberately not linked to candidates: a `SurveyInvitation` records only
whether it was completed (so reminders stop), and a submitted `SurveyResponse` carries the
day it arrived, never a time or a candidate.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from values.models import Value

DEFAULT_TOUCH_POINTS = [
    ("role-information", "The role information", "What you read about the role before applying."),
    ("first-conversation", "The first conversation", "Your first conversation with us."),
    ("recruitment-pack", "The recruitment pack", "The pack we sent you before the workshop."),
    ("workshop", "The workshop", "The group workshop day."),
    ("feedback", "Feedback after the workshop", "How we told you the outcome and why."),
]
DEFAULT_JOB_ROLES = ["Wellbeing worker", "Coach", "Community circle connector"]


class JobRole(models.Model):
    """A role the organisation recruits for, such as wellbeing worker."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for applications"
        CLOSED = "closed", "Closed to applications"
        DECIDED = "decided", "Decisions made"
        REVIEWED = "reviewed", "Reviewed"

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True, help_text="Shown on the public application page.")
    roles = models.ManyToManyField(JobRole, related_name="rounds")
    teams = models.ManyToManyField(
        "teams.Team",
        related_name="recruitment_rounds",
        blank=True,
        help_text="The teams new starters join; their coaches see the round on their dashboard.",
    )
    values = models.ManyToManyField(
        Value, related_name="recruitment_rounds", help_text="The values candidates are assessed on."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="owned_rounds",
        blank=True,
        help_text="Staff who run the round; with admins, they read candidates' free text.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    you_said_we_did_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    # Where a round may go next; a round never goes back to being open once decided.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.OPEN, Status.DECIDED},
        Status.DECIDED: {Status.REVIEWED},
        Status.REVIEWED: set(),
    }

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def next_statuses(self) -> list[Round.Status]:
        """The statuses this round may move to now, in the order a round goes through them."""
        order = list(Round.Status)
        return sorted((Round.Status(s) for s in self.TRANSITIONS[self.status]), key=order.index)

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def is_open_for_applications(self) -> bool:
        today = timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.closes_on


class WorkshopQuerySet(models.QuerySet):
    def to_come(self) -> WorkshopQuerySet:
        """Workshops that have not started yet: the only ones anyone can still be invited to."""
        return self.filter(starts_at__gt=timezone.now())


class Workshop(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="workshops")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.round}: {self.starts_at:%d %b %Y}"


class ValueQuestion(models.Model):
    """A question on the application form that asks about one of the round's values."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class TouchPoint(models.Model):
    """A moment of the candidate's recruitment that the survey asks about.

    The `key` is stable across rounds, so the same touch point can be compared round by round
    even when its wording changes.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="touch_points")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="touch_point_key_per_round")
        ]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """Someone on a round's assessment panel.

    Staff sign in; people who use the service and co-production partners need no account and
    reach their scoring pages through an emailed link (only its hash is stored).
    """

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        EXPERT = "expert", "Person who uses the service"
        PARTNER = "partner", "Co-production partner"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_seats",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="one_seat_per_panel_member")
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    class Stage(models.TextChoices):
        APPLIED = "applied", "Applied"
        INVITED = "invited", "Invited to workshop"
        ATTENDED = "attended", "Attended workshop"
        SUCCESSFUL = "successful", "Successful"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Channel(models.TextChoices):
        PHONE = "phone", "By phone"
        IN_PERSON = "in_person", "In person"
        EMAIL = "email", "By email"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="candidates")
    role = models.ForeignKey(
        JobRole,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The role they applied for, where the round offers several.",
    )
    name = models.CharField(max_length=150)
    # Null once the personal data is erased, so the unique rule still holds for the living.
    email = models.EmailField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    why = models.TextField("Why this work matters to them", blank=True)
    consent_contact = models.BooleanField(default=False)
    consent_privacy = models.BooleanField(default=False)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    applied_at = models.DateTimeField(default=timezone.now)
    # When they first reached each stage, for the round's funnel; kept if they later withdraw.
    invited_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    communicated_at = models.DateTimeField(null=True, blank=True)
    communicated_how = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    communicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when a successful candidate starts in a team, so retention can be measured.
    membership = models.ForeignKey(
        "teams.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recruited_from",
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["why"])

    # The decision's two outcomes; recorded by `candidate_decide`, never by a move.
    OUTCOMES = (Stage.SUCCESSFUL, Stage.UNSUCCESSFUL)
    # A decision made without the panel's scores keeps why after its reason, in these words.
    WITHOUT_SCORES_NOTE = "\n\nDecided without the panel's scores: "
    # Still waiting for a decision: a round is decided only once nobody is.
    UNDECIDED = (Stage.APPLIED, Stage.INVITED, Stage.ATTENDED)
    # In front of the panel: invited to or at the workshop.
    SCORABLE = (Stage.INVITED, Stage.ATTENDED)
    # Stages a candidate may be moved to by hand; decisions have their own service.
    MOVES = {
        Stage.APPLIED: {Stage.INVITED, Stage.WITHDRAWN},
        Stage.INVITED: {Stage.ATTENDED, Stage.APPLIED, Stage.WITHDRAWN},
        Stage.ATTENDED: {Stage.INVITED, Stage.WITHDRAWN},
        Stage.SUCCESSFUL: {Stage.WITHDRAWN},
        Stage.UNSUCCESSFUL: set(),
        Stage.WITHDRAWN: set(),
    }

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=Q(email__isnull=False),
                name="one_application_per_email_per_round",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_decided(self) -> bool:
        return self.stage in self.OUTCOMES

    @property
    def decision_reason_parts(self) -> tuple[str, str]:
        """The decision's reason, and why it was made without the panel's scores ("" if it
        was not), as they were typed: so that changing the decision starts from both."""
        reason, _, without_scores = self.decision_reason.partition(self.WITHOUT_SCORES_NOTE)
        return reason, without_scores

    @property
    def is_scorable(self) -> bool:
        return self.stage in self.SCORABLE

    @property
    def moves(self) -> list[Candidate.Stage]:
        """The stages they may be moved to by hand from where they are, in stage order."""
        if self.erased_at:
            return []
        order = list(Candidate.Stage)
        return sorted((Candidate.Stage(s) for s in self.MOVES[self.stage]), key=order.index)

    def can_move_to(self, stage: str) -> bool:
        return not self.erased_at and stage in self.MOVES[self.stage]

    @classmethod
    def movable_stages(cls) -> list[Candidate.Stage]:
        """Every stage a move can lead to, for the API's choices."""
        targets = set().union(*cls.MOVES.values())
        return [stage for stage in cls.Stage if stage in targets]

    @property
    def survey_wanted(self) -> bool:
        """Told the outcome, with an address and consent: they are invited to the survey."""
        return bool(self.communicated_at and self.email and self.consent_contact)


class Answer(models.Model):
    """A candidate's answer to one of the round's value questions."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ValueQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class AssessmentSheet(models.Model):
    """One panel member's scores for one candidate; others' sheets stay hidden until submitted."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="sheets")
    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="sheets")
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "panel_member"], name="one_sheet_per_panel_member"
            )
        ]

    def __str__(self) -> str:
        return f"Scores by {self.panel_member_id} for {self.candidate_id}"


class Score(models.Model):
    sheet = models.ForeignKey(AssessmentSheet, on_delete=models.CASCADE, related_name="scores")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "value"], name="one_score_per_value"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"


class SurveyInvitation(models.Model):
    """The candidate's single-use link to the survey. Knows only whether it was completed."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="survey_invitation"
    )
    # The link's token is derived from this nonce and the secret key, so the reminder can
    # carry the same link; the token itself is never stored, only its hash.
    nonce = models.CharField(max_length=32, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # A half-finished response, kept only until it is submitted (then deleted).
    draft = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Survey invitation {self.pk}"

    def link_problem(self, now: datetime | None = None) -> str | None:
        """Why the link can no longer be used ("used", "unsubscribed", "expired"), or None."""
        if self.completed:
            return "used"
        if self.unsubscribed_at:
            return "unsubscribed"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return None


class SurveyResponse(models.Model):
    """A submitted survey, apart from who sent it. A random id, so ids reveal no order."""

    class Group(models.TextChoices):
        SUCCESSFUL = "successful", "Successful candidates"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful candidates"
        OTHER = "other", "Others"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="survey_responses")
    group = models.CharField(max_length=12, choices=Group.choices, default=Group.OTHER)
    submitted_on = models.DateField()
    # Results are read only from published responses, and responses are published only in
    # batches of at least k (or when the round is reviewed): read before and after one more
    # answer, the results have not moved, so nobody's answer is the difference.
    published = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["submitted_on"]

    def __str__(self) -> str:
        return f"Survey response of {self.submitted_on:%d %b %Y}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    touch_point = models.ForeignKey(TouchPoint, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    worked_well = models.TextField(blank=True)
    improve = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "touch_point"], name="one_answer_per_touch_point"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=10),
                name="survey_score_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.touch_point_id}: {self.score}"


class Experiment(models.Model):
    """An improvement idea turned into a change tried in a later round ("you said, we did")."""

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="experiments",
        help_text="The round that tries it.",
    )
    touch_point_key = models.SlugField(max_length=60)
    idea = models.TextField("What candidates said", help_text="The improvement idea it comes from.")
    change = models.TextField("What we will change")
    hypothesis = models.TextField(help_text="What we expect to happen to the touch point's score.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "touch_point_key", "pk"]

    def __str__(self) -> str:
        return self.change[:60]
