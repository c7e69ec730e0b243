from __future__ import annotations

from django import forms

from ..forms import DateInput, date_in_range, membership_choice_label
from .models import RoleAssignment


class RoleForm(forms.Form):
    name = forms.CharField(
        label="Name of the role",
        max_length=120,
        error_messages={"required": "Give the role a name."},
    )
    purpose = forms.CharField(
        label="Why the team needs it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say in a sentence why the team needs this role."},
    )
    accountabilities = forms.CharField(
        label="What the holder looks after",
        help_text="One thing per line.",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    term_months = forms.IntegerField(
        label="Term in months",
        min_value=1,
        max_value=36,
        initial=12,
        help_text="How long someone holds the role before the team reviews it.",
        error_messages={
            "required": "Say how many months a term lasts.",
            "min_value": "A term is at least 1 month.",
            "max_value": "A term is at most 36 months.",
            "invalid": "Enter the term as a number of months, like 12.",
        },
    )


class AssignForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="Who takes it on",
        queryset=None,
        empty_label="Choose a team member",
        error_messages={
            "required": "Choose who takes the role on.",
            "invalid_choice": "Choose one of the team's current members.",
        },
    )
    chosen_how = forms.ChoiceField(
        label="How they were chosen",
        choices=RoleAssignment.Chosen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how they were chosen."},
    )
    started = forms.DateField(
        label="From",
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={
            "required": "Say when the term starts.",
            "invalid": "Enter a real date.",
        },
    )
    review_on = forms.DateField(
        label="Review on",
        required=False,
        widget=DateInput(),
        validators=[date_in_range],
        help_text="Leave empty to review at the end of the term.",
        error_messages={"invalid": "Enter a real date."},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = members
        self.fields["membership"].label_from_instance = membership_choice_label


class ReviewForm(forms.Form):
    review_on = forms.DateField(
        label="Next review on",
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={
            "required": "Choose the next review date.",
            "invalid": "Enter a real date.",
        },
    )
