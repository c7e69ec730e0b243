from datetime import datetime
from decimal import Decimal

from django import forms

from wellbeing.accounts.forms import InviteeForm

from .dates import FIRST_DAY, LAST_DAY, OUT_OF_RANGE
from .models import Team


def date_in_range(day) -> None:
    """A form and API validator: the date (or the day of a time) is one the team's features
    plan for (2000 to 2100)."""
    if isinstance(day, datetime):
        day = day.date()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")


class InvitationForm(InviteeForm):
    ROLE_CHOICES = [("member", "A member of the team"), ("coach", "The team's coach")]

    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        help_text="Leave as 'No team' for an admin or advisor who is in no team.",
    )
    role = forms.ChoiceField(
        label="In that team they will be",
        choices=ROLE_CHOICES,
        initial="member",
        widget=forms.RadioSelect,
    )
    contracted_hours = forms.DecimalField(
        label="Contracted hours a week",
        min_value=0,
        max_value=48,
        decimal_places=1,
        initial=Decimal(0),
        required=False,
        help_text="For team members only.",
    )
    make_admin = forms.BooleanField(
        label="Make them an organisation admin",
        required=False,
        help_text="Admins set up teams, values and recruitment. They must use two-factor sign-in.",
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == "coach" and not cleaned.get("team"):
            self.add_error("team", "Choose the team they will coach.")
        return cleaned


class DateInput(forms.DateInput):
    """The browser's own date picker, which phones show as a calendar."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def membership_choice_label(membership) -> str:
    return membership.user.display_name
