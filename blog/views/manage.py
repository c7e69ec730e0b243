"""Writing and moderating: advisors' own posts, pictures, comments waiting, profiles, and the
editors' page of advisors with its invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from wellbeing.accounts.models import User
from wellbeing.accounts.services import InvitationError

from .. import permissions, selectors, services
from ..forms import (
    AdvisorInviteForm,
    AdvisorProfileForm,
    AdvisorRolesForm,
    ModerationForm,
    PictureForm,
    PostForm,
)
from ..models import AdvisorProfile, Image, Post, Series

RECENT_PICTURES = 12


def _require_writer(request: HttpRequest) -> None:
    if not permissions.can_write(request.user):
        raise PermissionDenied("Only advisors write on the blog. Ask an editor to add you.")


def _require_editor(request: HttpRequest) -> None:
    if not permissions.is_editor(request.user):
        raise PermissionDenied("Only editors and organisation admins manage advisors.")


@login_required
def manage_home(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    return render(
        request,
        "blog/manage/home.html",
        {
            "posts": selectors.manage_post_list(user=request.user)[:200],
            "waiting": selectors.moderation_queue(user=request.user).count(),
            "is_editor": permissions.is_editor(request.user),
            "profile": permissions.advisor_profile_for(request.user),
        },
    )


def _initial_for(post: Post | None, own: AdvisorProfile | None) -> dict:
    if post is None:
        return {"author": own, "when": "draft", "comments_open": True}
    when = {"draft": "draft", "published": "now", "scheduled": "schedule"}[post.status]
    publish_at = (
        timezone.localtime(post.published_at).strftime("%Y-%m-%dT%H:%M")
        if post.status == Post.Status.SCHEDULED
        else None
    )
    return {
        "title": post.title,
        "body": post.body,
        "excerpt": post.excerpt,
        "cover_alt": post.cover_alt,
        "tags": ", ".join(tag.name for tag in post.tags.all()),
        "reader_question": post.reader_question,
        "co_authors": list(post.co_authors.all()),
        "series": post.series_id,
        "series_position": post.series_position,
        "introduction": post.introduction,
        "introduced_by": post.introduced_by_id,
        "comments_open": post.comments_open,
        "when": when,
        "publish_at": publish_at,
    }


def _saved_message(post: Post) -> str:
    if post.status == Post.Status.SCHEDULED:
        at = date_format(timezone.localtime(post.published_at), "j F Y \\a\\t H:i")
        return f"Saved. “{post.title}” will be published on {at}."
    if post.status == Post.Status.PUBLISHED:
        return f"Saved. “{post.title}” is on the blog."
    return "Draft saved. Only its writers and the editors can see it."


def _picture_added(image: Image) -> str:
    return (
        f"Picture added. To show it, copy this line into your text: "
        f"![what the picture shows]({image.url})"
    )


def _post_form(request: HttpRequest, post: Post | None, submitted: QueryDict | None) -> PostForm:
    user = request.user
    own = permissions.advisor_profile_for(user)
    advisors = AdvisorProfile.objects.filter(is_active=True).order_by("name")
    form = PostForm(
        submitted,
        advisors=advisors,
        series=Series.objects.order_by("title"),
        pictures=Image.objects.filter(uploaded_by=user),
        can_choose_author=post is None and permissions.is_editor(user),
        initial=_initial_for(post, own),
    )
    author = post.author if post is not None else own
    if author is not None:
        form.fields["co_authors"].queryset = advisors.exclude(pk=author.pk)
    has_cover = post is not None and post.cover_image_id is not None
    if not has_cover and not (submitted or {}).get("chosen_cover"):
        del form.fields["remove_cover"]
    if post is not None and post.status == Post.Status.PUBLISHED:
        form.fields["when"].choices = [
            ("now", "Keep it on the blog"),
            ("draft", "Take it off the blog (back to a draft)"),
            ("schedule", "Take it off now and publish it again at a time I choose"),
        ]
    return form


def _picture_for_text(request: HttpRequest, *, asked: bool) -> tuple[PictureForm, Image | None]:
    """The picture for the text sent with the post form, stored; the form to show next."""
    if not (asked or request.FILES.get("picture")):
        return PictureForm(), None
    form = PictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = services.image_upload(upload=form.cleaned_data["picture"], by=request.user)
        except services.BlogError as exc:
            form.add_error("picture", str(exc))
        else:
            return PictureForm(), image
    return form, None


def _post_save(request: HttpRequest, post: Post | None, form: PostForm) -> Post | None:
    data = form.cleaned_data
    if data.get("remove_cover"):
        cover = None
    elif data["chosen_cover"] is not None:
        cover = data["chosen_cover"]
    else:
        cover = post.cover_image if post is not None else None
    try:
        return services.post_write(
            post=post,
            by=request.user,
            when=data["when"],
            publish_at=data["publish_at"],
            author=data.get("author"),
            new_series=data["new_series"],
            title=data["title"],
            body=data["body"],
            excerpt=data["excerpt"],
            tags=form.tag_names(),
            cover_image=cover,
            cover_alt=data["cover_alt"],
            series=data["series"],
            series_position=data["series_position"],
            introduction=data["introduction"],
            introduced_by=data["introduced_by"],
            reader_question=data["reader_question"],
            co_authors=data["co_authors"],
            comments_open=data["comments_open"],
        )
    except services.BlogError as exc:
        form.add_error(None, str(exc))
        return None


def _post_editor(request: HttpRequest, post: Post | None) -> HttpResponse:
    """The post form. Pictures sent with it are stored before the post is checked, so nothing
    chosen is lost when the post is refused or only a picture for the text is being added."""
    sent = request.method == "POST"
    adding_picture = sent and "add_picture" in request.POST
    submitted = request.POST.copy() if sent else None
    cover_refused = ""
    if sent and request.FILES.get("cover"):
        try:
            cover = services.image_upload(upload=request.FILES["cover"], by=request.user)
        except services.BlogError as exc:
            cover_refused = str(exc)
        else:
            # Shown again as the chosen cover if the post is refused; a new file wins over
            # removing the cover.
            submitted["chosen_cover"] = str(cover.pk)
            submitted.pop("remove_cover", None)
    picture_form, picture = _picture_for_text(request, asked=adding_picture)
    form = _post_form(request, post, submitted)
    if adding_picture:
        # Nothing is saved or checked: the writer only added a picture and is still writing.
        form.is_valid()
        form.errors.clear()
    if cover_refused:
        form.add_error("cover", cover_refused)
    if sent and not adding_picture and form.is_valid():
        saved = _post_save(request, post, form)
        if saved is not None:
            if picture is not None:
                messages.success(request, _picture_added(picture))
            messages.success(request, _saved_message(saved))
            if request.POST.get("then") == "preview":
                return redirect(saved.get_absolute_url())
            return redirect("blog:post_edit", pk=saved.pk)
    pictures = Image.objects.filter(uploaded_by=request.user).order_by("-created_at")
    return render(
        request,
        "blog/manage/post_form.html",
        {
            "form": form,
            "post": post,
            "chosen_cover": form.cleaned_data.get("chosen_cover") if sent else None,
            "picture_form": picture_form,
            "picture_added": picture,
            "pictures": list(pictures[:RECENT_PICTURES]),
        },
        status=400 if form.errors or picture_form.errors else 200,
    )


@login_required
def post_new(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    return _post_editor(request, None)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for(request.user, pk)
    return _post_editor(request, post)


@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.post_delete(post=post, by=request.user)
        except services.BlogError as exc:
            error = str(exc)
        else:
            messages.success(request, f"“{post.title}” is deleted.")
            return redirect("blog:manage")
    return render(
        request,
        "blog/manage/post_delete.html",
        {"post": post, "error": error},
        status=400 if error else 200,
    )


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.get_post_for(request.user, pk)
    revisions = post.history.select_related("history_user").order_by("-history_date")[:100]
    return render(request, "blog/manage/post_history.html", {"post": post, "revisions": revisions})


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    return render(
        request,
        "blog/manage/moderation.html",
        {
            "waiting": selectors.moderation_queue(user=request.user)[:200],
            "recent": selectors.recently_moderated(user=request.user),
        },
    )


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = permissions.comments_moderated_by(request.user).filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve, reject or spam.")
        return redirect("blog:moderation")
    try:
        comment = services.comment_moderate(
            comment=comment, by=request.user, action=form.cleaned_data["action"]
        )
    except services.BlogError as exc:
        messages.error(request, str(exc))
        return redirect("blog:moderation")
    done = {"approved": "approved", "rejected": "rejected", "spam": "marked as spam"}
    messages.success(request, f"The comment from {comment.name} is {done[comment.status]}.")
    return redirect("blog:moderation")


def _profile_editor(request: HttpRequest, profile: AdvisorProfile) -> HttpResponse:
    editing_other = profile.user_id != request.user.pk
    form = AdvisorProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "name": profile.name,
            "area": profile.area,
            "bio": profile.bio,
            "links": "\n".join(profile.links),
        },
    )
    roles = AdvisorRolesForm(
        initial={"is_editor": profile.is_editor, "is_active": profile.is_active}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = None if data["remove_photo"] else profile.photo
        try:
            if data["photo"]:
                photo = services.image_upload(upload=data["photo"], by=request.user)
        except services.BlogError as exc:
            form.add_error("photo", str(exc))
        else:
            try:
                services.advisor_profile_update(
                    profile=profile,
                    by=request.user,
                    name=data["name"],
                    area=data["area"],
                    bio=data["bio"],
                    links=form.link_list(),
                    photo=photo,
                )
            except services.BlogError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The profile is saved.")
                return redirect(request.path)
    return render(
        request,
        "blog/manage/profile.html",
        {
            "form": form,
            "profile": profile,
            "roles": roles if editing_other else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = permissions.advisor_profile_for(request.user)
    if profile is None:
        raise PermissionDenied("Only advisors have a blog profile. Ask an editor to add you.")
    return _profile_editor(request, profile)


@login_required
def advisor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    profile = AdvisorProfile.objects.select_related("photo").filter(pk=pk).first()
    if profile is None:
        raise Http404("No such advisor")
    return _profile_editor(request, profile)


@login_required
@require_POST
def advisor_roles(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    profile = AdvisorProfile.objects.filter(pk=pk).first()
    if profile is None:
        raise Http404("No such advisor")
    form = AdvisorRolesForm(request.POST)
    form.is_valid()  # two check boxes: always valid
    try:
        services.advisor_set_roles(
            profile=profile,
            by=request.user,
            is_editor=form.cleaned_data["is_editor"],
            is_active=form.cleaned_data["is_active"],
        )
    except services.BlogError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{profile.name}’s roles are saved.")
    return redirect("blog:advisor_edit", pk=profile.pk)


@login_required
def advisors_manage(request: HttpRequest) -> HttpResponse:
    """Editors invite guest writers and add people who already have an account."""
    _require_editor(request)
    invite = AdvisorInviteForm(request.POST if "invite" in request.POST else None)
    if invite.is_bound and invite.is_valid():
        data = invite.cleaned_data
        try:
            services.advisor_invitation_send(
                email=data["email"],
                display_name=data["display_name"],
                invited_by=request.user,
                area=data["area"],
                is_guest=data["is_guest"],
                is_editor=data["is_editor"],
            )
        except (InvitationError, services.BlogError) as exc:
            invite.add_error("email", str(exc))
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("blog:advisors_manage")
    add_error = ""
    if "add" in request.POST:
        email = request.POST.get("existing_email", "").strip().lower()
        area = request.POST.get("existing_area", "")
        user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        if user is None:
            add_error = "Nobody has an account with that email address. Invite them instead."
        else:
            try:
                services.advisor_add(user=user, by=request.user, area=area)
            except services.BlogError as exc:
                add_error = str(exc)
            else:
                messages.success(request, f"{user} can now write on the blog.")
                return redirect("blog:advisors_manage")
    advisors = AdvisorProfile.objects.select_related("user").order_by("name")
    return render(
        request,
        "blog/manage/advisors.html",
        {
            "advisors": advisors,
            "invite": invite,
            "add_error": add_error,
            "add_values": request.POST if "add" in request.POST else {},
        },
        status=400 if invite.errors or add_error else 200,
    )
