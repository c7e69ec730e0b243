from typing import Any

from django import forms
from django.db.models import QuerySet

from .models import STORY_BODY_MAX_LENGTH, Story, Value


class StoryForm(forms.Form):
    title = forms.CharField(
        label="Give it a title",
        max_length=Story._meta.get_field("title").max_length,
        help_text="A few words, like “Peggy’s first walk to the shops”.",
        error_messages={"required": "Give your story a short title."},
    )
    body = forms.CharField(
        label="What happened?",
        max_length=STORY_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            f"Up to {STORY_BODY_MAX_LENGTH:,} characters. Use first names only, and leave out "
            "anything private about the people you support."
        ),
        error_messages={
            "required": "Tell the story: what happened?",
            "max_length": (
                f"Keep the story to {STORY_BODY_MAX_LENGTH:,} characters or fewer "
                "(it has %(show_value)d)."
            ),
        },
    )
    values = forms.ModelMultipleChoiceField(
        label="Which values did it show?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply.",
        error_messages={"required": "Choose at least one value the story shows."},
    )
    team = forms.ModelChoiceField(
        label="Which team is it from?",
        queryset=None,
        required=False,
        empty_label="No team",
        help_text=(
            "A story from a team is read by that team, its coach and admins. "
            "A story with no team is read by everyone here."
        ),
    )

    def __init__(self, *args, teams: QuerySet[Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].queryset = Value.objects.filter(active=True).order_by("order", "name")
        self.fields["team"].queryset = teams.order_by("name")
