from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp
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


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """allauth's set-up form, keeping one key until set-up succeeds.

    allauth makes a new key every time the page is shown, so someone who scanned the code and
    then followed a link, or reloaded, was left with an app whose codes never work.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        # allauth forgets the key once the app is set up, so the next set-up gets a fresh one.
        self.secret = totp.get_totp_secret(regenerate=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?",
        help_text="A few words to tell your tokens apart, for example Rota spreadsheet.",
        max_length=100,
    )


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
