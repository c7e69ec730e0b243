from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import InvitationAcceptForm
from .services import InvitationError, invitation_accept, invitation_describe, invitation_for_token


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except InvitationError as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
    if request.user.is_authenticated:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": "You are signed in already. Sign out first, then open the link again."},
            status=409,
        )
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
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410
            )
        else:
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
