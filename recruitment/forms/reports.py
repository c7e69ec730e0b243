"""Forms on the survey report: turning an improvement idea into an experiment."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from ..models import Round, TouchPoint


def _text(label: str, *, help_text: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=4000,
    )


class ExperimentForm(forms.Form):
    round = forms.ModelChoiceField(
        label="Which round tries it?",
        queryset=Round.objects.none(),
        empty_label=None,
        help_text="Usually the next round after the one whose candidates had the idea.",
    )
    touch_point_key = forms.ChoiceField(
        label="Which touch point?",
        help_text="Its scores before and after the change are compared on the report.",
    )
    idea = _text(
        "What candidates said",
        help_text="The improvement idea, in candidates’ words or a fair summary of them.",
    )
    change = _text(
        "What we will change", help_text="What will be done differently, so anyone could do it."
    )
    hypothesis = _text(
        "What we expect to happen",
        help_text="For example: “the score for the workshop goes up by at least one point”.",
    )

    def __init__(
        self, *args, rounds: QuerySet[Round], touch_points: list[TouchPoint], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds.order_by("-opens_on", "-pk")
        # Touch points are matched across rounds by key, so each key is offered once.
        choices: dict[str, str] = {}
        for touch_point in touch_points:
            choices.setdefault(touch_point.key, touch_point.name)
        self.fields["touch_point_key"].choices = list(choices.items())
