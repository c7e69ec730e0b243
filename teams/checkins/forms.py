from __future__ import annotations

from django import forms

from ..forms import DateInput, date_in_range
from .models import Action


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PulseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"Pulse of {obj.opened_at:%-d %B %Y}"


class DecisionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.text} ({obj.owner_name}, due {obj.due_on:%-d %b})"


class CheckInForm(forms.Form):
    held_on = forms.DateField(
        label="Held on",
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={
            "required": "Say when the check-in was held.",
            "invalid": "Enter a real date.",
        },
    )
    attendees = UsersChoiceField(
        label="Who was there",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose people from the team."},
    )
    brought = forms.CharField(
        label="What the team brought",
        help_text="What the team wanted to talk about.",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pulse = PulseChoiceField(
        label="Pulse discussed",
        queryset=None,
        required=False,
        empty_label="Not discussed",
        help_text="Only pulses with results to show are listed.",
        error_messages={"invalid_choice": "Choose one of the team's pulses."},
    )
    decisions = DecisionChoiceField(
        label="Decisions discussed",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the team's own decisions."},
    )
    values_lived = forms.ModelMultipleChoiceField(
        label="Values the team saw itself living",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    values_missing = forms.ModelMultipleChoiceField(
        label="Values the team felt were missing",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    actions_done = ActionChoiceField(
        label="Actions from earlier check-ins that are now done",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Actions not ticked stay open and carry over.",
    )

    def __init__(self, *args, people, values, open_actions, pulses, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pulse"].queryset = pulses
        self.fields["decisions"].queryset = decisions
        if not decisions.exists():
            del self.fields["decisions"]
        self.fields["attendees"].queryset = people
        self.fields["values_lived"].queryset = values
        self.fields["values_missing"].queryset = values
        self.fields["actions_done"].queryset = open_actions
        if not open_actions.exists():
            del self.fields["actions_done"]

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("values_lived") or []) & set(cleaned.get("values_missing") or [])
        if both:
            self.add_error(
                "values_missing",
                "A value is either one the team lived or one it missed, not both.",
            )
        return cleaned


class ActionForm(forms.Form):
    text = forms.CharField(label="What", max_length=300, required=False)
    owner = UserChoiceField(
        label="Who",
        queryset=None,
        required=False,
        empty_label="The whole team",
        error_messages={"invalid_choice": "Choose someone from the team."},
    )
    due_on = forms.DateField(
        label="By when",
        required=False,
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={"invalid": "Enter a real date."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean(self):
        cleaned = super().clean()
        has_text = bool(cleaned.get("text", "").strip())
        # A row with only "Who" or "By when" is an action half written down, not an empty
        # row: dropping it would lose what the team agreed.
        if not has_text and (cleaned.get("owner") or cleaned.get("due_on")):
            self.add_error("text", "Say what the action is.")
        if has_text and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "Say by when the action is due.")
        return cleaned


class BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, people, **kwargs):
        self.people = people
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"people": self.people}

    @property
    def summary_errors(self) -> list[tuple[str, str]]:
        """(anchor, message) lines for the page's one error summary, so nothing wrong in a row
        further down goes unseen: the list's own errors, then each row's, numbered."""
        lines = [("actions", str(error)) for error in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                anchor = form[name].auto_id if name in form.fields else "actions"
                lines += [(anchor, f"Action {number}: {error}") for error in errors]
        return lines

    def clean(self):
        # A count of rows below zero (only a hand-edited page sends one) would drop every
        # action typed without a word; say the page needs reloading instead.
        management = self.management_form
        if management.is_valid() and management.cleaned_data["TOTAL_FORMS"] < 0:
            raise forms.ValidationError(
                "The list of actions did not arrive whole. Reload the page and try again."
            )

    @property
    def empty_form(self):
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            people=self.people,
            renderer=self.renderer,
        )


ActionFormSet = forms.formset_factory(
    ActionForm, formset=BaseActionFormSet, extra=3, max_num=10, absolute_max=10
)


class PlanForm(forms.Form):
    planned_for = forms.DateField(
        label="Next check-in on",
        widget=DateInput(),
        validators=[date_in_range],
        error_messages={"required": "Choose the date.", "invalid": "Enter a real date."},
    )


class CadenceForm(forms.Form):
    weeks = forms.IntegerField(
        label="Meet every (weeks)",
        min_value=1,
        max_value=26,
        error_messages={
            "required": "Say how many weeks apart.",
            "invalid": "Enter a number of weeks, like 6.",
            "min_value": "At most every week.",
            "max_value": "At least every 26 weeks.",
        },
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
