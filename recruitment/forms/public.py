"""The public application form: no account, a few questions about what matters to them."""

from __future__ import annotations

import re

from django import forms
from django.utils.html import escape, format_html

from ..models import JobRole, ValueQuestion

# Generous for a heartfelt answer, bounded so a pasted novel cannot fill the database.
ANSWER_MAX_LENGTH = 5000
# The name is the one thing typed here that goes into the acknowledgement email, so it is kept
# to a plain name: letters in words joined by spaces, hyphens or apostrophes, initials allowed
# ("J. O'Neill-Smith"), never a web address or a message.
NAME_MAX_LENGTH = 70
PLAIN_NAME = re.compile(r"^[^\W\d_]+\.?(?:[ '’-][^\W\d_]+\.?)*$")


def answer_field_name(question: ValueQuestion) -> str:
    return f"answer_{question.pk}"


class ApplicationForm(forms.Form):
    name = forms.CharField(
        label="Your full name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter your name.",
            "max_length": f"Enter a name of at most {NAME_MAX_LENGTH} characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We send a confirmation here, and everything else about your application.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Your phone number (optional)",
        max_length=40,
        required=False,
        help_text="So we can call you about the workshop and to tell you how it went.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    why = forms.CharField(
        label="Why does this work matter to you?",
        max_length=ANSWER_MAX_LENGTH,
        help_text="In your own words. There are no right answers, and no need to mention "
        "qualifications.",
        error_messages={"required": "Tell us why this work matters to you."},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        *args,
        questions: list[ValueQuestion],
        privacy_anchor: str,
        roles: list[JobRole] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.roles = {str(role.pk): role for role in roles}
        if len(roles) > 1:
            self.fields["role"] = forms.ChoiceField(
                label="Which role are you applying for?",
                choices=[(str(role.pk), role.name) for role in roles],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the role you are applying for.",
                    "invalid_choice": "Choose one of the roles this round offers.",
                },
            )
            # Asked straight after who they are, before the questions.
            self.order_fields(["name", "email", "phone", "role"])
        for question in questions:
            self.fields[answer_field_name(question)] = forms.CharField(
                label=question.text,
                max_length=ANSWER_MAX_LENGTH,
                help_text=escape(question.value.meaning),
                error_messages={"required": f"Answer the question about {question.value.name}."},
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        # The consents come last, after the person has seen what they are agreeing to.
        self.fields["consent_contact"] = forms.BooleanField(
            label="I agree to be contacted about my application, and to be sent a short "
            "survey about how it went once I know the outcome",
            error_messages={
                "required": "Agree to be contacted about your application, or we cannot "
                "take it forward."
            },
        )
        self.fields["consent_privacy"] = forms.BooleanField(
            label="I have read and agree to the privacy notice",
            help_text=format_html('<a href="#{}">Read the privacy notice</a>', privacy_anchor),
            error_messages={"required": "Agree to the privacy notice to send your application."},
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not PLAIN_NAME.match(name):
            raise forms.ValidationError(
                "Enter your name using letters, spaces, hyphens and apostrophes only."
            )
        return name

    def role(self) -> JobRole | None:
        """The role chosen, or the round's only role."""
        if "role" in self.fields:
            return self.roles[self.cleaned_data["role"]]
        return next(iter(self.roles.values()), None)

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[answer_field_name(q)] for q in self.questions}
