"""The scoring sheet: a score from 0 to 5 and the evidence seen, for each of the round's values."""

from __future__ import annotations

import re

from django import forms
from django.utils.html import format_html, format_html_join

from values.models import Value

from ..models import Score

SCORE_CHOICES = [
    ("0", "0 – no evidence of this value"),
    ("1", "1 – very little evidence"),
    ("2", "2 – some evidence"),
    ("3", "3 – good evidence"),
    ("4", "4 – strong evidence"),
    ("5", "5 – outstanding evidence"),
]
_VALUE_FIELD = re.compile(r"^(score|evidence)_(.+)$")


def _hint(value: Value) -> str:
    looks_like = value.looks_like
    if not looks_like:
        return format_html("{}", value.meaning)
    return format_html(
        '{}<br>What it looks like:<ul class="nhsuk-list nhsuk-list--bullet '
        'nhsuk-u-margin-bottom-0">{}</ul>',
        value.meaning,
        format_html_join("", "<li>{}</li>", ((b.text,) for b in looks_like)),
    )


class ScoreSheetForm(forms.Form):
    """One radio group and one evidence box per value. "Save for later" may leave scores out;
    "Submit my scores" needs them all."""

    def __init__(self, *args, values: list[Value], scores: dict[int, Score], **kwargs):
        self.values = values
        initial = {}
        for value in values:
            if value.pk in scores:
                initial[f"score_{value.pk}"] = str(scores[value.pk].score)
                initial[f"evidence_{value.pk}"] = scores[value.pk].evidence
        super().__init__(*args, initial=initial, **kwargs)
        for value in values:
            self.fields[f"score_{value.pk}"] = forms.ChoiceField(
                label=f"{value.name}: your score",
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=_hint(value),
                error_messages={"invalid_choice": "Choose a score from 0 to 5."},
            )
            self.fields[f"evidence_{value.pk}"] = forms.CharField(
                label=f"{value.name}: what you saw",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What the candidate said or did that shows it (or did not).",
            )

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == "submit"

    def clean(self):
        cleaned = super().clean()
        known = set(self.fields)
        posted = {key for key in self.data if _VALUE_FIELD.match(key)}
        if posted - known:
            raise forms.ValidationError("Score only the values this round assesses.")
        for value in self.values:
            score, evidence = cleaned.get(f"score_{value.pk}"), cleaned.get(f"evidence_{value.pk}")
            if f"score_{value.pk}" in self.errors:
                continue
            if not score and evidence and evidence.strip():
                self.add_error(
                    f"score_{value.pk}",
                    f"Choose a score for {value.name} to keep your note about it.",
                )
            elif not score and self.submitting:
                self.add_error(
                    f"score_{value.pk}",
                    f"Choose a score for {value.name} before you submit, or save for later.",
                )
        return cleaned

    def scores(self) -> dict[int, tuple[int | None, str]]:
        result = {}
        for value in self.values:
            score = self.cleaned_data.get(f"score_{value.pk}")
            evidence = self.cleaned_data.get(f"evidence_{value.pk}") or ""
            result[value.pk] = (int(score) if score not in (None, "") else None, evidence)
        return result
