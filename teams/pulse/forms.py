from __future__ import annotations

from collections.abc import Sequence

from django import forms

from .models import RATINGS, PulseStatement
from .services import COMMENT_MAX_LENGTH


class PulseAnswerForm(forms.Form):
    """One question per statement: a five-point answer in words, and an optional comment."""

    def __init__(self, *args, statements: Sequence[PulseStatement], **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[f"rating_{statement.pk}"] = forms.TypedChoiceField(
                label=statement.text,
                choices=RATINGS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how much you agree: “{statement.text}”",
                    "invalid_choice": "Choose one of the five answers.",
                },
            )
            self.fields[f"comment_{statement.pk}"] = forms.CharField(
                label="Anything to add? (optional)",
                max_length=COMMENT_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def questions(self):
        """Each statement's answer and comment fields, to lay out together."""
        return [
            (self[f"rating_{statement.pk}"], self[f"comment_{statement.pk}"])
            for statement in self.statements
        ]

    def ratings(self) -> dict[int, int]:
        return {s.pk: self.cleaned_data[f"rating_{s.pk}"] for s in self.statements}

    def comments(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"comment_{s.pk}", "") for s in self.statements}
