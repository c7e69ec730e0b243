from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from wellbeing.accounts.forms import InviteeForm
from wellbeing.throttle import FormShown

from .caching import comment_form_shown
from .models import (
    COMMENT_MAX_LENGTH,
    COMMENT_NAME_MAX_LENGTH,
    EXCERPT_MAX_LENGTH,
    INTRODUCTION_MAX_LENGTH,
    POST_BODY_MAX_LENGTH,
    AdvisorProfile,
    Series,
)

PICTURE_HINT = "A JPEG, PNG, WebP or GIF picture, up to {mb} MB."
COVER_GONE = "The cover picture you chose is no longer there: choose the file again."


def _picture_hint() -> str:
    return PICTURE_HINT.format(mb=settings.BLOG_IMAGE_MAX_BYTES // (1024 * 1024))


class PictureInput(forms.FileInput):
    def __init__(self, attrs=None):
        super().__init__(
            {"class": "wb-file-input", "accept": "image/jpeg,image/png,image/webp,image/gif"}
            | (attrs or {})
        )


class PostForm(forms.Form):
    WHEN_CHOICES = [
        ("draft", "Keep it as a draft"),
        ("now", "Publish it now"),
        ("schedule", "Publish it at a time I choose"),
    ]

    author = forms.ModelChoiceField(
        queryset=AdvisorProfile.objects.none(),
        empty_label=None,
        help_text="Editors can put a post up for any advisor.",
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Give the post a title."})
    body = forms.CharField(
        label="Your post",
        max_length=POST_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "Written in Markdown: a blank line between paragraphs, ## for a heading, "
            "**bold**, *italics*, [a link](https://example.org), - for a list."
        ),
        error_messages={"required": "Write the post: the text is empty."},
    )
    excerpt = forms.CharField(
        label="Excerpt (optional)",
        max_length=EXCERPT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the blog's front page with “Read more”. Leave it empty to use "
        "your first paragraph.",
    )
    cover = forms.FileField(
        label="Cover picture (optional)",
        required=False,
        widget=PictureInput(),
    )
    # A cover uploaded with a post that was then refused: kept, so it need not be chosen again.
    chosen_cover = forms.IntegerField(
        label="Cover picture",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": COVER_GONE},
    )
    remove_cover = forms.BooleanField(label="Remove the cover picture", required=False)
    cover_alt = forms.CharField(
        label="Describe the cover picture",
        max_length=250,
        required=False,
        help_text="What it shows, for people who cannot see it. Needed with a picture.",
    )
    tags = forms.CharField(
        label="Tags (optional)",
        max_length=400,
        required=False,
        help_text="Separate them with commas, such as: values, co-production",
    )
    reader_question = forms.CharField(
        label="A question for readers (optional)",
        max_length=300,
        required=False,
        help_text="Shown above the comment form, such as “How could I improve this idea?”",
    )
    co_authors = forms.ModelMultipleChoiceField(
        label="Written with (optional)",
        queryset=AdvisorProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    series = forms.ModelChoiceField(
        label="Part of a series (optional)",
        queryset=Series.objects.none(),
        required=False,
        empty_label="Not part of a series",
    )
    new_series = forms.CharField(
        label="Or start a new series",
        max_length=150,
        required=False,
        help_text="Its title, such as “Living our values”.",
    )
    series_position = forms.IntegerField(
        label="Place in the series (optional)",
        min_value=1,
        max_value=100,
        required=False,
        help_text="Leave empty to put it after the others.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-3"}),
    )
    introduction = forms.CharField(
        label="An introduction by someone else (optional)",
        max_length=INTRODUCTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown before the post, apart from it, such as “Here is Neil’s first blog "
        "with us…”",
    )
    introduced_by = forms.ModelChoiceField(
        label="Introduction written by",
        queryset=AdvisorProfile.objects.none(),
        required=False,
        empty_label="Nobody",
    )
    comments_open = forms.BooleanField(label="Readers can comment", required=False, initial=True)
    when = forms.ChoiceField(
        label="When should readers see it?",
        choices=WHEN_CHOICES,
        initial="draft",
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        help_text="Only when publishing at a time you choose: the date and time, UK time.",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "nhsuk-input nhsuk-input--width-20"},
            format="%Y-%m-%dT%H:%M",
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Enter a date and time, such as 14/05/2026 09:30."},
    )

    def __init__(self, *args, advisors, series, pictures, can_choose_author: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.pictures = pictures
        self.fields["cover"].help_text = _picture_hint()
        self.fields["author"].queryset = advisors
        self.fields["co_authors"].queryset = advisors
        self.fields["introduced_by"].queryset = advisors
        self.fields["series"].queryset = series
        if not can_choose_author:
            del self.fields["author"]

    def clean(self):
        cleaned = super().clean()
        when, at = cleaned.get("when"), cleaned.get("publish_at")
        if when == "schedule":
            if at is None and "publish_at" not in self.errors:
                self.add_error("publish_at", "Choose when to publish the post.")
            elif at is not None and at <= timezone.now():
                self.add_error("publish_at", "Choose a time in the future, or publish it now.")
        if cleaned.get("series") and cleaned.get("new_series", "").strip():
            self.add_error("new_series", "Choose a series or start a new one, not both.")
        if cleaned.get("chosen_cover") is not None:
            cleaned["chosen_cover"] = self.pictures.filter(pk=cleaned["chosen_cover"]).first()
            if cleaned["chosen_cover"] is None:
                self.add_error("cover", COVER_GONE)
        return cleaned

    def tag_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("tags", "").split(",") if name.strip()]


class PictureForm(forms.Form):
    """A picture for the text. It is sent with the post form (`form="post-form"`), so adding
    one shows the post again with everything typed into it."""

    picture = forms.FileField(
        label="Add a picture to use in the text",
        widget=PictureInput({"form": "post-form"}),
        error_messages={"required": "Choose a picture to upload."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picture"].help_text = _picture_hint()


class CommentForm(forms.Form):
    """A reader's comment. `website` is a trap for robots: people never see it."""

    name = forms.CharField(
        label="Your name",
        max_length=COMMENT_NAME_MAX_LENGTH,
        help_text="Shown with your comment.",
        error_messages={"required": "Enter your name."},
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="Never shown. We may email you once to confirm it.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your comment."},
    )
    website = forms.CharField(required=False, label="Leave this empty")
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_quick = False
        # Sent back only because it was open longer than its stamp lasts.
        self.shown_again = False
        if signed_in:
            # Signed-in people comment as themselves.
            del self.fields["name"]
            del self.fields["email"]

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_started(self) -> str:
        token = self.cleaned_data.get("started", "")
        shown = comment_form_shown(token)
        if shown in (FormShown.STALE, FormShown.UNSIGNED):
            self.shown_again = shown == FormShown.STALE
            raise forms.ValidationError(
                "This page was open for a long time. Check your comment and send it again."
            )
        if shown == FormShown.TOO_QUICK:
            self.too_quick = True
            raise forms.ValidationError(
                "That was very quick. Check your comment and send it again."
            )
        return token


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject"), ("spam", "Spam")]
    )


class AdvisorProfileForm(forms.Form):
    name = forms.CharField(label="Your name, as readers will see it", max_length=150)
    area = forms.CharField(
        label="What you advise on",
        max_length=120,
        help_text="For example: values, HR, improvement, digital, co-production with families.",
    )
    bio = forms.CharField(
        label="A short bio (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    links = forms.CharField(
        label="Links (optional)",
        required=False,
        max_length=1600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One web address a line, each starting with https://",
    )
    photo = forms.FileField(
        label="Your photo (optional)",
        required=False,
        widget=PictureInput(),
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _picture_hint()

    def link_list(self) -> list[str]:
        return self.cleaned_data.get("links", "").splitlines()


class AdvisorInviteForm(InviteeForm):
    area = forms.CharField(
        label="What they will write about",
        max_length=120,
        help_text="For example: co-production with families.",
        error_messages={"required": "Say what they will write about."},
    )
    is_guest = forms.BooleanField(
        label="A guest writer, such as a co-production partner",
        required=False,
        initial=True,
    )
    is_editor = forms.BooleanField(
        label="Make them an editor",
        required=False,
        help_text="Editors can change any post and moderate every comment.",
    )


class AdvisorRolesForm(forms.Form):
    is_editor = forms.BooleanField(label="Editor", required=False)
    is_active = forms.BooleanField(label="Writing for the blog", required=False)
