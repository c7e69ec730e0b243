"""The touch-point survey form: for each touch point a score and two optional comments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms

from ..charts import SCORE_WORDS, SCORES
from ..models import TouchPoint
from ..services.survey import TouchPointAnswer

COMMENT_MAX_LENGTH = 2000
# A way to take a score back once chosen, since a radio cannot be unticked without script.
NO_SCORE = "none"
SCORE_CHOICES = [
    *(
        (str(score), f"{score} {SCORE_WORDS[score]}" if score in SCORE_WORDS else str(score))
        for score in SCORES
    ),
    (NO_SCORE, "No score"),
]
FIELD_NAME = re.compile(r"^tp-(?P<pk>[^-]+)-(?:score|worked_well|improve)$")


class ScoreField(forms.ChoiceField):
    """A 1–10 score drawn as two columns of radios, so it fits a 320px-wide phone."""

    def __init__(self, **kwargs):
        super().__init__(
            template_name="recruitment/survey/_score_field.html",
            choices=SCORE_CHOICES,
            required=False,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": "Choose a score from 1 (very poor) to 10 (amazing).",
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return int(value) if value and value != NO_SCORE else None


def _comment(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": (
                f"Keep this to {COMMENT_MAX_LENGTH:,} characters or fewer (it has %(show_value)d)."
            )
        },
    )


@dataclass(frozen=True)
class TouchPointFields:
    touch_point: TouchPoint
    score: forms.BoundField
    worked_well: forms.BoundField
    improve: forms.BoundField

    @property
    def errors(self) -> bool:
        return bool(self.score.errors or self.worked_well.errors or self.improve.errors)


class SurveyForm(forms.Form):
    template_name = "recruitment/survey/_form.html"

    def __init__(self, *args, touch_points: list[TouchPoint], draft=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        for pk, answer in (draft or {}).items():
            initial[f"tp-{pk}-score"] = "" if answer.score is None else str(answer.score)
            initial[f"tp-{pk}-worked_well"] = answer.worked_well
            initial[f"tp-{pk}-improve"] = answer.improve
        super().__init__(*args, initial=initial, **kwargs)
        self.touch_points = touch_points
        for touch_point in touch_points:
            self.fields[f"tp-{touch_point.pk}-score"] = ScoreField(label="Your score")
            self.fields[f"tp-{touch_point.pk}-worked_well"] = _comment("What worked well?")
            self.fields[f"tp-{touch_point.pk}-improve"] = _comment("How could we improve?")

    @property
    def touch_point_fields(self) -> list[TouchPointFields]:
        return [
            TouchPointFields(
                touch_point=touch_point,
                score=self[f"tp-{touch_point.pk}-score"],
                worked_well=self[f"tp-{touch_point.pk}-worked_well"],
                improve=self[f"tp-{touch_point.pk}-improve"],
            )
            for touch_point in self.touch_points
        ]

    def clean(self):
        known = {str(touch_point.pk) for touch_point in self.touch_points}
        for name in self.data:
            match = FIELD_NAME.match(name)
            if match and match["pk"] not in known:
                raise forms.ValidationError(
                    "Part of what was sent is not a question in this survey. Please check your "
                    "answers and send them again."
                )
        return super().clean()

    def answers(self) -> dict[int, TouchPointAnswer]:
        """The cleaned answers, keyed by touch point id, for the survey services."""
        data = self.cleaned_data
        return {
            touch_point.pk: TouchPointAnswer(
                score=data.get(f"tp-{touch_point.pk}-score"),
                worked_well=data.get(f"tp-{touch_point.pk}-worked_well", ""),
                improve=data.get(f"tp-{touch_point.pk}-improve", ""),
            )
            for touch_point in self.touch_points
        }
