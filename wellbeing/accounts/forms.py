from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html


class InvitationAcceptForm(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        help_text="How colleagues will see you, for example Sam Taylor.",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Choose a password",
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords are different. Type them again.")
        return cleaned


class InviteeForm(forms.Form):
    """Who an invitation is for: the fields every invitation form starts with."""

    display_name = forms.CharField(
        label="Their name",
        max_length=150,
        error_messages={"required": "Enter the name of the person you are inviting."},
    )
    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter their email address: the invitation goes there.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
