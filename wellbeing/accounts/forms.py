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
