"""Who may write, edit and moderate on the blog.

Reading published posts needs nothing. Writing needs an active advisor profile. An advisor
edits the posts they wrote or co-wrote and moderates the comments on them; editors (an advisor
profile with `is_editor`) and organisation admins edit every post and moderate every comment.
Anything a user may not touch is a 404, so nobody learns which drafts exist.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from wellbeing.accounts.models import User

from .models import AdvisorProfile, Comment, Post


def advisor_profile_for(user: User | AnonymousUser) -> AdvisorProfile | None:
    """The user's advisor profile, looked up once per request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_blog_profile"):
        user._blog_profile = AdvisorProfile.objects.filter(user=user).first()
    return user._blog_profile


def is_editor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_org_admin:
        return True
    profile = advisor_profile_for(user)
    return profile is not None and profile.is_active and profile.is_editor


def can_write(user: User | AnonymousUser) -> bool:
    profile = advisor_profile_for(user)
    return is_editor(user) or (profile is not None and profile.is_active)


def posts_editable_by(user: User | AnonymousUser) -> QuerySet[Post]:
    if is_editor(user):
        return Post.objects.all()
    profile = advisor_profile_for(user)
    if profile is None or not profile.is_active:
        return Post.objects.none()
    return Post.objects.filter(Q(author=profile) | Q(co_authors=profile)).distinct()


def can_edit_post(user: User | AnonymousUser, post: Post) -> bool:
    if is_editor(user):
        return True
    profile = advisor_profile_for(user)
    if profile is None or not profile.is_active:
        return False
    return _wrote(profile, post)


def _wrote(profile: AdvisorProfile, post: Post) -> bool:
    # Through .all(), so a post fetched with its co-authors asks the database nothing more.
    return post.author_id == profile.pk or any(
        co_author.pk == profile.pk for co_author in post.co_authors.all()
    )


def get_post_for(user: User | AnonymousUser, pk: int) -> Post:
    post = posts_editable_by(user).filter(pk=pk).select_related("author").first()
    if post is None:
        raise Http404("No such post")
    return post


def comments_moderated_by(user: User | AnonymousUser) -> QuerySet[Comment]:
    if is_editor(user):
        return Comment.objects.all()
    return Comment.objects.filter(post__in=posts_editable_by(user))


def is_post_author(user: User | AnonymousUser, post: Post) -> bool:
    """Whether the user wrote or co-wrote the post (their replies are marked as the author's)."""
    profile = advisor_profile_for(user)
    return profile is not None and _wrote(profile, post)
