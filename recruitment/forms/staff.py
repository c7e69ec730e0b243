"""Forms for the staff who run a round: setting it up, its panel and survey, and candidates."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from teams.models import Team
from teams.permissions import coach_users
from values.models import Value
from wellbeing.accounts.forms import InviteeForm
from wellbeing.accounts.models import User

from ..models import Candidate, JobRole, PanelMember, Round, TouchPoint, ValueQuestion, Workshop


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", **(attrs or {})},
            format="%Y-%m-%d",
        )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "nhsuk-input nhsuk-input--width-20", **(attrs or {})},
            format="%Y-%m-%dT%H:%M",
        )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name or obj.email} ({obj.email})"


def round_owner_candidates(*, also: Iterable[User] = ()):
    """Who may run a round: admins and coaches, and anyone in `also` (those who run it now)."""
    may_run = Q(is_active=True) & (Q(is_staff=True) | Q(pk__in=coach_users().values("pk")))
    return (
        User.objects.filter(may_run | Q(pk__in=[user.pk for user in also]))
        .distinct()
        .order_by("display_name", "email")
    )


class RoundForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=Round._meta.get_field("title").max_length,
        help_text="Candidates see it, for example “Wellbeing workers, Northfield, spring 2026”.",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown on the public application page: the work, the place, the hours.",
    )
    opens_on = forms.DateField(
        label="Opens for applications on",
        widget=DateInput(),
        error_messages={
            "required": "Enter the day applications open.",
            "invalid": "Enter a real date.",
        },
    )
    closes_on = forms.DateField(
        label="Closes to applications on",
        widget=DateInput(),
        help_text="Applications are taken until the end of this day.",
        error_messages={
            "required": "Enter the day applications close.",
            "invalid": "Enter a real date.",
        },
    )
    roles = forms.ModelMultipleChoiceField(
        label="Roles it recruits for",
        queryset=JobRole.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    values = forms.ModelMultipleChoiceField(
        label="Values candidates are assessed on",
        queryset=Value.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The application asks a question about each, and the panel scores each.",
        error_messages={"required": "Choose at least one value to assess candidates on."},
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams it recruits for (optional)",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their coaches see how the round is going on their dashboard.",
    )
    owners = StaffChoiceField(
        label="Who runs it",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They see its candidates and make its decisions. Admins always can.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = JobRole.objects.order_by("name")
        if not self.fields["roles"].queryset.exists():
            self.fields["roles"].help_text = (
                "No roles are set up yet: an admin adds them in the admin site, under "
                "Recruitment, Job roles."
            )
        self.fields["values"].queryset = Value.objects.filter(active=True).order_by("order", "name")
        self.fields["teams"].queryset = Team.objects.order_by("name")
        self.fields["owners"].queryset = round_owner_candidates()

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "The closing date must be on or after the opening date.")
        return cleaned


class RoundEditForm(RoundForm):
    """The new-round form, filled in from a round.

    Once anyone has applied, the values travel in hidden fields and the page lists them
    instead of offering checkboxes; `round_update` refuses a change, so a page opened before
    the first application gets a message rather than a silent change. Only admins choose who
    runs a round: for anyone else the field is left out and the owners stay as they are.
    """

    def __init__(self, *args, round_: Round, can_change_owners: bool, **kwargs):
        self.round = round_
        self.current_values = list(round_.values.all())
        self.current_owners = list(round_.owners.all())
        self.can_change_owners = can_change_owners
        kwargs.setdefault(
            "initial",
            {
                "title": round_.title,
                "description": round_.description,
                "opens_on": round_.opens_on,
                "closes_on": round_.closes_on,
                "roles": list(round_.roles.all()),
                "teams": list(round_.teams.all()),
                "values": self.current_values,
                "owners": self.current_owners,
            },
        )
        super().__init__(*args, **kwargs)
        self.details_fixed = round_.status == Round.Status.REVIEWED
        # Sheets belong to candidates, so this covers "scored" too; it only decides what the
        # page shows, the service enforces the rule.
        self.values_fixed = round_.candidates.exists()
        # A value retired since, or an owner who is no longer a coach, stays on the round
        # unless someone unticks them: saving the dates must not quietly drop them.
        self.fields["values"].queryset = Value.objects.filter(
            Q(active=True) | Q(pk__in=[value.pk for value in self.current_values])
        ).order_by("order", "name")
        if self.values_fixed:
            self.fields["values"].widget = forms.MultipleHiddenInput()
        if can_change_owners:
            self.fields["owners"].queryset = round_owner_candidates(also=self.current_owners)
        else:
            del self.fields["owners"]

    def round_changes(self) -> dict:
        """The arguments for `round_update`, with the owners as they are if the field is out."""
        return {"owners": self.current_owners, **self.cleaned_data}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Round.Status.choices)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status, Round.Status(status).label) for status in allowed]
        self.fields["status"].error_messages["invalid_choice"] = (
            "The round cannot move to that status from where it is now."
        )


class WorkshopForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and start time",
        widget=DateTimeInput(),
        help_text="UK time.",
        error_messages={
            "required": "Enter the date and time the workshop starts.",
            "invalid": "Enter the date and time like 2026-04-14 10:00.",
        },
    )
    place = forms.CharField(
        label="Place",
        max_length=Workshop._meta.get_field("place").max_length,
        help_text="The address, as candidates will read it in their invitation.",
        error_messages={"required": "Enter where the workshop is."},
    )


class PanelMemberForm(forms.Form):
    name = forms.CharField(
        label="Their name", max_length=PanelMember._meta.get_field("name").max_length
    )
    email = forms.EmailField(
        label="Their email address",
        help_text="They get an email with the link to their scoring page.",
    )
    kind = forms.ChoiceField(
        label="They join the panel as",
        choices=PanelMember.Kind.choices,
        initial=PanelMember.Kind.STAFF,
        widget=forms.RadioSelect,
    )
    account_email = forms.EmailField(
        label="Their sign-in email, if different (optional)",
        required=False,
        help_text="Someone with an account here scores after signing in. We find their account "
        "by the email above; give their sign-in email here only if it is a different one. "
        "Without an account they get a personal link instead.",
    )

    def clean_account_email(self) -> str:
        email = self.cleaned_data["account_email"].strip().lower()
        self.cleaned_data["user"] = None
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                raise forms.ValidationError(
                    f"Nobody signs in here with {email}. Leave it empty to send them a "
                    "personal link instead."
                )
            self.cleaned_data["user"] = user
        return email


class QuestionsForm(forms.Form):
    """The application's question for each value; fixed once someone has answered it."""

    def __init__(self, *args, questions: list[ValueQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            answered = getattr(question, "n_answers", 0)
            self.fields[self.field_name(question)] = forms.CharField(
                label=f"Question about {question.value.name}",
                max_length=ValueQuestion._meta.get_field("text").max_length,
                initial=question.text,
                disabled=bool(answered),
                help_text=(
                    f"{answered} candidate{'s have' if answered != 1 else ' has'} answered it, "
                    "so its wording is fixed."
                    if answered
                    else escape(question.value.meaning)
                ),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def field_name(question: ValueQuestion) -> str:
        return f"question_{question.pk}"

    def changed_questions(self) -> list[tuple[ValueQuestion, str]]:
        return [
            (question, self.cleaned_data[self.field_name(question)])
            for question in self.questions
            if not self.fields[self.field_name(question)].disabled
            and self.cleaned_data[self.field_name(question)].strip() != question.text
        ]


class TouchPointForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=TouchPoint._meta.get_field("name").max_length,
        help_text="As candidates read it in the survey, for example “The phone call”.",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=TouchPoint._meta.get_field("description").max_length,
        help_text="One sentence that reminds them which moment it was.",
    )

    def __init__(self, *args, taken_keys: set[str] | None = None, **kwargs):
        """With `taken_keys`, the form adds a new touch point, so its name needs a new key."""
        super().__init__(*args, **kwargs)
        self.taken_keys = taken_keys

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.taken_keys is not None:
            key = slugify(name)[:60]
            if not key:
                raise forms.ValidationError("Give the touch point a name with letters in it.")
            if key in self.taken_keys:
                raise forms.ValidationError(
                    "The survey asks about that touch point already. Rename that one instead."
                )
            self.cleaned_data["key"] = key
        return name


def workshop_label(workshop: Workshop) -> str:
    local = timezone.localtime(workshop.starts_at)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}, {workshop.place}"


MOVE_LABELS = {
    Candidate.Stage.APPLIED: "Back to applied: not invited after all",
    Candidate.Stage.INVITED: "Invite to a workshop",
    Candidate.Stage.ATTENDED: "Attended the workshop",
    Candidate.Stage.WITHDRAWN: "Withdrawn from the round",
}
# Moving back from attended to invited is a correction, not a new invitation.
MOVE_BACK_LABELS = {
    (
        Candidate.Stage.ATTENDED,
        Candidate.Stage.INVITED,
    ): "Back to invited: did not attend after all",
}


class MoveForm(forms.Form):
    stage = forms.ChoiceField(
        label="Move them to",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where to move the candidate.",
            "invalid_choice": "The candidate cannot move there from where they are now.",
        },
    )
    workshop = forms.ModelChoiceField(
        label="Workshop",
        queryset=Workshop.objects.none(),
        required=False,
        empty_label="Choose a workshop",
        help_text="For an invitation: they get an email with its date and place.",
        widget=forms.Select(attrs={"class": "nhsuk-select nhsuk-u-width-full"}),
        error_messages={"invalid_choice": "Choose one of this round's workshops still to come."},
    )

    def __init__(self, *args, candidate: Candidate, moves: list[str], workshops, **kwargs):
        kwargs.setdefault("initial", {"workshop": candidate.workshop_id})
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (stage, MOVE_BACK_LABELS.get((candidate.stage, stage), MOVE_LABELS[stage]))
            for stage in moves
            if stage in MOVE_LABELS
        ]
        self.fields["workshop"].queryset = workshops
        self.fields["workshop"].label_from_instance = workshop_label
        if Candidate.Stage.INVITED not in moves:
            # Only an invitation chooses a workshop; otherwise the field would only confuse.
            del self.fields["workshop"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == Candidate.Stage.INVITED and not cleaned.get("workshop"):
            self.add_error("workshop", "Choose the workshop to invite them to.")
        return cleaned


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The decision",
        choices=[
            (Candidate.Stage.SUCCESSFUL, "Successful: offer them the role"),
            (Candidate.Stage.UNSUCCESSFUL, "Unsuccessful"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision."},
    )
    reason = forms.CharField(
        label="The reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the panel saw, in terms of our values. Tell the candidate this when you "
        "give them the outcome.",
        error_messages={"required": "Record the reason for the decision."},
    )
    without_scores = forms.CharField(
        label="If the panel has not scored them: why decide without their scores?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommunicatedForm(forms.Form):
    how = forms.ChoiceField(
        label="How did you tell them?",
        choices=Candidate.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how you told the candidate."},
    )


class TeamInvitationForm(InviteeForm):
    """Inviting a successful candidate into a team: their name and address come filled in."""

    field_order = ["team", "display_name", "email", "contracted_hours"]

    team = forms.ModelChoiceField(
        label="The team they join",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the team they join."},
    )
    contracted_hours = forms.DecimalField(
        label="Contracted hours a week", min_value=0, max_value=48, decimal_places=1, initial=0
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
