"""Forms shape what people type; the services decide whether it is allowed."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import (
    Consent,
    FlexibleHours,
    KeyContact,
    Outcome,
    PersonDetails,
    ProfileVersion,
    Relationship,
    Review,
    Scale,
    ServiceFund,
    Suggestion,
)
from .services import EARLIEST_DATE

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _from_earliest(value):
    if value and value < EARLIEST_DATE:
        raise forms.ValidationError(f"Give a date from {EARLIEST_DATE.year} onwards.")
    return value


def _no_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("This date is in the future.")
    return value


class PersonDetailsForm(forms.ModelForm):
    class Meta:
        model = PersonDetails
        fields = ["pronouns", "date_of_birth", "communication"]
        widgets = {"date_of_birth": DATE_INPUT}

    def clean_date_of_birth(self):
        return _from_earliest(_no_future(self.cleaned_data.get("date_of_birth")))


class KeyContactForm(forms.ModelForm):
    class Meta:
        model = KeyContact
        fields = ["kind", "name", "relationship", "phone", "email", "notes"]
        labels = {"kind": "Who they are", "name": "Their name"}
        widgets = {"kind": forms.RadioSelect}


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["scope", "with_whom", "decided_by", "agreed_on", "notes"]
        labels = {"decided_by": "Who decided", "agreed_on": "Agreed on"}
        widgets = {
            "scope": forms.RadioSelect,
            "decided_by": forms.RadioSelect,
            "agreed_on": DATE_INPUT,
        }

    def clean_agreed_on(self):
        return _no_future(self.cleaned_data.get("agreed_on"))


class ProfileForm(forms.ModelForm):
    person_agreed = forms.BooleanField(
        label="They read this and agreed it",
        required=False,
        help_text="Tick only if they did: the page will say this version is agreed.",
    )

    class Meta:
        model = ProfileVersion
        fields = ["appreciated", "important", "support"]
        labels = {
            "appreciated": "What people like and admire about them",
            "important": "What is important to them",
            "support": "How best to support them",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class MemberProfileForm(forms.ModelForm):
    class Meta:
        model = ProfileVersion
        fields = ["appreciated", "important", "support"]
        labels = {
            "appreciated": "What people like and admire about me",
            "important": "What is important to me",
            "support": "How best to support me",
        }
        help_texts = {
            "appreciated": "The people you support read this: a few honest sentences are best.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = [
            "in_their_words",
            "life_area",
            "why_it_matters",
            "who_helps",
            "target_date",
            "measure",
            "scale",
            "gas_minus_2",
            "gas_minus_1",
            "gas_0",
            "gas_plus_1",
            "gas_plus_2",
            "baseline_level",
            "weight",
            "review_every_weeks",
        ]
        labels = {
            "life_area": "Which part of life it is about",
            "who_helps": "Who helps",
            "measure": "How we will know how it is going",
            "scale": "Which scale (if you chose one of the organisation's scales)",
            "review_every_weeks": "Review it every (weeks)",
            "weight": "Weight",
        }
        help_texts = {
            "gas_0": "What they expect to happen by the target date: the goal itself.",
            "gas_minus_2": "Often where they are now, or worse.",
        }
        widgets = {
            "target_date": DATE_INPUT,
            "life_area": forms.RadioSelect,
            "measure": forms.RadioSelect,
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios need no empty choice: nothing is chosen until someone chooses.
        self.fields["life_area"].choices = Outcome.LifeArea.choices
        self.fields["measure"].choices = Outcome.Measure.choices
        self.fields["scale"].queryset = Scale.objects.filter(active=True)
        self.fields["scale"].required = False
        self.fields["scale"].empty_label = "None"
        self.fields["baseline_level"].help_text = (
            "Optional. For Goal Attainment Scaling a number from −2 to +2 (usually −1 or −2), "
            "for 'how close am I' 1 to 10."
        )
        self.fields[
            "weight"
        ].help_text = "1 unless some of their goals matter more than others (up to 10)."
        for name in ("gas_minus_2", "gas_minus_1", "gas_0", "gas_plus_1", "gas_plus_2"):
            self.fields[name].widget = forms.TextInput()


class OutcomeStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened", choices=Outcome.Status.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Their reason, in their words",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _level_field(outcome: Outcome, label: str, *, required: bool) -> forms.TypedChoiceField:
    empty = [("", "No rating")] if not required else []
    return forms.TypedChoiceField(
        label=label,
        choices=empty
        + [(str(value), text) for value, text in outcome.level_choices(described=True)],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


class ReviewForm(forms.Form):
    """A review as the worker records it, with the person's view beside theirs."""

    reviewed_on = forms.DateField(label="Date of the review", widget=DATE_INPUT)
    person_level = forms.TypedChoiceField(required=False)
    person_rated_by = forms.ChoiceField(
        label="Who gave their rating",
        required=False,
        choices=[("", "Nobody: they have not rated it yet")]
        + [choice for choice in Review.RatedBy.choices if choice[0] != Review.RatedBy.WORKER],
        widget=forms.RadioSelect,
    )
    person_words = forms.CharField(
        label="How it is going, in their own words",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    worker_level = forms.TypedChoiceField(required=False)
    worker_words = forms.CharField(
        label="Your view", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_is_working = forms.CharField(
        label="What is working",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    what_is_not_working = forms.CharField(
        label="What is not working",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    what_will_change = forms.CharField(
        label="What will change",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, outcome: Outcome, **kwargs):
        super().__init__(*args, **kwargs)
        name = outcome.person.known_as
        self.fields["person_level"] = _level_field(outcome, f"{name}’s rating", required=False)
        self.fields["person_words"].label = f"How it is going, in {name}’s own words"
        self.fields["person_rated_by"].label = f"Who gave {name}’s rating"
        self.fields["worker_level"] = _level_field(outcome, "Your rating", required=False)
        self.order_fields(
            [
                "reviewed_on",
                "person_level",
                "person_rated_by",
                "person_words",
                "worker_level",
                "worker_words",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person_level") is None and cleaned.get("worker_level") is None:
            self.add_error("person_level", "Give a rating: theirs, yours, or both.")
        if cleaned.get("person_level") is not None and not cleaned.get("person_rated_by"):
            self.add_error("person_rated_by", "Say who gave their rating.")
        return cleaned

    def clean_reviewed_on(self):
        return _no_future(self.cleaned_data.get("reviewed_on"))


class OwnViewForm(forms.Form):
    """The person's own view of a review, written when they sign in."""

    level = forms.TypedChoiceField()
    words = forms.CharField(
        label="How is it going? In your own words",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a few words: they matter more than the number."},
    )
    helped = forms.BooleanField(label="Someone helped me with this", required=False)

    def __init__(self, *args, outcome: Outcome, family: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"] = forms.TypedChoiceField(
            label="How close are they?" if family else "How close are you?",
            # What each level looks like for this goal, in words: the number is for the team.
            choices=[
                (str(value), text) for value, text in outcome.level_choices_in_words(numbers=False)
            ],
            coerce=int,
            widget=forms.RadioSelect,
        )
        self.fields["level"].error_messages["required"] = "Choose the level that fits best."
        if family:
            del self.fields["helped"]
            self.fields["words"].label = "How is it going? In your words"
        self.order_fields(["level", "words", "helped"])


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["about", "outcome", "text"]
        labels = {
            "about": "What is it about?",
            "outcome": "Which outcome",
            "text": "Your suggestion",
        }
        widgets = {"about": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, outcomes, family_of: str = "", **kwargs):
        """`family_of` names the person when family write: the choices then speak of them."""
        super().__init__(*args, **kwargs)
        about = dict(Suggestion.About.choices)
        if family_of:
            about = {
                Suggestion.About.PROFILE: f"{family_of}’s one-page profile",
                Suggestion.About.OUTCOME: f"One of {family_of}’s outcomes",
                Suggestion.About.NEW_OUTCOME: f"Something new {family_of} wants to work towards",
            }
        # Radios need no empty choice: nothing is chosen until someone chooses.
        self.fields["about"].choices = list(about.items())
        self.fields["about"].error_messages["required"] = "Choose what it is about."
        self.fields["outcome"].queryset = outcomes
        self.fields["outcome"].required = False
        self.fields["outcome"].empty_label = "Not about one outcome"
        self.fields["outcome"].label = "Which outcome, if it is about one"
        self.fields["text"].error_messages["required"] = "Write your suggestion."


class SuggestionResponseForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[
            (Suggestion.Status.TAKEN_UP, "We took it up"),
            (Suggestion.Status.NOT_TAKEN_UP, "We talked it through and did not change it"),
        ],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label="What to tell them",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They will read this when they sign in.",
    )


class InviteForm(forms.Form):
    """Invite the person, or someone they chose, to sign in — once they have agreed."""

    display_name = forms.CharField(label="Their name", max_length=150)
    email = forms.EmailField(
        label="Their email address",
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    relationship = forms.ChoiceField(
        label="Who they are", choices=Relationship.choices, widget=forms.RadioSelect
    )
    decided_by = forms.ChoiceField(
        label="Who agreed to this", choices=Consent.DecidedBy.choices, widget=forms.RadioSelect
    )
    agreed_on = forms.DateField(label="Agreed on", widget=DATE_INPUT)
    consent_notes = forms.CharField(
        label="Anything to note about the agreement",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_agreed_on(self):
        return _no_future(self.cleaned_data.get("agreed_on"))


class FundForm(forms.ModelForm):
    class Meta:
        model = ServiceFund
        fields = [
            "commissioner",
            "starts",
            "ends",
            "hours_per_week",
            "weekly_budget",
            "hourly_rate",
            "notes",
        ]
        labels = {"hours_per_week": "Hours a week commissioned"}
        widgets = {
            "starts": DATE_INPUT,
            "ends": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_starts(self):
        return _from_earliest(self.cleaned_data.get("starts"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hours_per_week") is None and cleaned.get("weekly_budget") is None:
            self.add_error("hours_per_week", "Give the hours a week, the budget a week, or both.")
        return cleaned


class LedgerForm(forms.ModelForm):
    agreed = forms.BooleanField(
        label="The person (or whoever speaks for them) agreed this",
        error_messages={"required": "Bank or use hours only as the person agreed."},
    )

    class Meta:
        model = FlexibleHours
        fields = ["kind", "hours", "on", "purpose"]
        labels = {"kind": "Bank or use", "hours": "Hours"}
        widgets = {"kind": forms.RadioSelect, "on": DATE_INPUT}
        help_texts = {"purpose": "For example: saved for a day trip to the coast in June."}


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type their full name to confirm",
        max_length=150,
        help_text="Erasing cannot be undone.",
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.person.name.split()).casefold():
            raise forms.ValidationError("That is not their full name as the record has it.")
        return typed
