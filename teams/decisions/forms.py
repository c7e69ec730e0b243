from __future__ import annotations

from django import forms

from ..checkins.forms import UsersChoiceField
from ..forms import DateInput, date_in_range
from .models import Decision
from .services import TEXT_MAX_LENGTH


class ProposeForm(forms.Form):
    title = forms.CharField(
        label="The decision in a few words",
        max_length=150,
        error_messages={"required": "Give the decision a short title."},
    )
    proposal = forms.CharField(
        label="What you propose, and why",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what you propose."},
    )
    affected = forms.CharField(
        label="Who it affects",
        help_text="Colleagues, the people you support, families, other teams.",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say who the decision affects."},
    )
    advisors = UsersChoiceField(
        label="Whose advice you ask for",
        help_text="Each of them gets an email asking for their advice.",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Ask at least one person for their advice.",
            "invalid_choice": "Choose people from the team.",
            "invalid_pk_value": "Choose people from the team.",
        },
    )
    advice_by = forms.DateField(
        label="Advice wanted by",
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={
            "required": "Say by when you need advice.",
            "invalid": "Enter a real date.",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisors"].queryset = people


class AdviceForm(forms.Form):
    text = forms.CharField(
        label="Your advice",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your advice."},
    )


class DecideForm(forms.Form):
    outcome = forms.CharField(
        label="What you decided",
        help_text="Say how the advice shaped it.",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write what you decided."},
    )
    review_on = forms.DateField(
        label="Look at it again on",
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={"required": "Choose a review date.", "invalid": "Enter a real date."},
    )


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label="Search the decisions", max_length=100, required=False)
    status = forms.ChoiceField(
        label="Show",
        choices=[("", "All decisions"), *Decision.Status.choices],
        required=False,
    )
