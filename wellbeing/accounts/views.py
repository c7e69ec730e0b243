from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm, InvitationAcceptForm
from .models import ApiToken
from .services import (
    ApiTokenError,
    InvitationError,
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_describe,
    invitation_for_token,
    session_passed_second_step,
)

# As with Django's password reset: the emailed link's first request keeps its token in the
# session and redirects to an address without it, so the token is not left in the browser's
# history, in a Referer, or in the logs of every later request.
INVITATION_SESSION_KEY = "invitation_token"
SIGNED_IN_ALREADY = "You are signed in already. Sign out first, then open the link again."
NO_LINK = (
    "Open the link in your invitation email to set up your account. If this page was "
    "open for a long time, open the link again."
)


def _invitation_problem(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: checked, kept in the session, then out of the address bar."""
    try:
        invitation_for_token(token)
    except InvitationError as exc:
        return _invitation_problem(request, str(exc), 410)
    if request.user.is_authenticated:
        return _invitation_problem(request, SIGNED_IN_ALREADY, 409)
    request.session[INVITATION_SESSION_KEY] = token
    if request.method == "POST":  # a form sent from before the link was traded
        return _invitation_page(request, token)
    return redirect("invitation_accept_page")


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    if not token:
        return _invitation_problem(request, NO_LINK, 410)
    return _invitation_page(request, token)


def _invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except InvitationError as exc:
        return _invitation_problem(request, str(exc), 410)
    if request.user.is_authenticated:
        return _invitation_problem(request, SIGNED_IN_ALREADY, 409)
    form = InvitationAcceptForm(
        request.POST or None, initial={"display_name": invitation.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        except InvitationError as exc:
            return _invitation_problem(request, str(exc), 410)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # They just chose their password: setting up MFA next needs no second prompt for it.
            record_authentication(
                request, user, method="password", email=user.email, reauthenticated=True
            )
            messages.success(request, f"Welcome, {user.get_short_name()}. Your account is ready.")
            return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "grants": invitation_describe(invitation)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; a new one's key is shown in this response and never again."""
    can_create = session_passed_second_step(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_key = api_token_create(
                    user=request.user, name=form.cleaned_data["name"], passed_second_step=can_create
                )
            except ApiTokenError as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                form = ApiTokenForm()
        else:
            status = 400
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "can_create": can_create,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user),
            "valid_days": settings.API_TOKEN_VALID_FOR.days,
        },
        status=status,
    )


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("api_tokens")
