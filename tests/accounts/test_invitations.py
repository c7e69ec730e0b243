"""Invitations: only admins invite; the emailed link works once, until it expires."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from teams.models import Membership
from tests import factories
from wellbeing.accounts.models import Invitation, User
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def invite(client, *, email="new.person@example.org", team=None, role="member", **extra):
    data = {"display_name": "New Person", "email": email, "role": role, "contracted_hours": "30"}
    if team is not None:
        data["team"] = team.pk
    data.update(extra)
    return client.post(reverse("teams:invitations"), data)


def link_in_latest_email(to: str) -> str:
    body = OutboxEmail.objects.filter(to=to).latest("created_at").body_text
    return re.search(r"http://\S+/accounts/invitation/\S+/", body).group(0)


def path_of(link: str) -> str:
    return link.split("8000", 1)[-1] if "8000" in link else link


def accept(client, link, **overrides):
    data = {"display_name": "New Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(overrides)
    return client.post(path_of(link), data)


def test_admin_invites_someone_into_a_team_by_email(client_for, admin, team):
    client = client_for(admin)
    response = invite(client, team=team)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.team_grant.team == team
    email = OutboxEmail.objects.get(to="new.person@example.org")
    assert f"a member of {team.name}" in email.body_text
    # Only the token's hash is stored; the token itself is only in the email.
    token = link_in_latest_email("new.person@example.org").rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash != token
    assert len(token) >= 40


def test_accepting_creates_a_verified_account_and_membership(client_for, admin, team, client):
    invite(client_for(admin), team=team)
    link = link_in_latest_email("new.person@example.org")
    client.logout()
    response = accept(client, link, display_name="Nia Person")
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.display_name == "Nia Person"
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.get(user=user).team == team
    # They are signed in and land on their home page, with their team.
    home = client.get("/")
    assert home.status_code == 200
    assert reverse("teams:detail", args=[team.pk]) in home.content.decode()


def test_invitation_link_works_only_once(client_for, admin, team, client):
    invite(client_for(admin), team=team)
    link = link_in_latest_email("new.person@example.org")
    client.logout()
    accept(client, link)
    client.logout()
    response = client.get(path_of(link))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert accept(client, link).status_code == 410
    assert User.objects.filter(email="new.person@example.org").count() == 1


def test_expired_invitation_gets_a_kind_explanation(client_for, admin, client):
    invite(client_for(admin))
    link = link_in_latest_email("new.person@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    response = client.get(path_of(link))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert accept(client, link).status_code == 410
    assert not User.objects.filter(email="new.person@example.org").exists()


@pytest.mark.parametrize("token", ["forged", "x" * 43, "%00", "a/../b"])
def test_forged_invitation_link_is_refused_kindly(client, token):
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code in {404, 410}
    assert response.status_code != 500


def test_a_new_invitation_replaces_the_earlier_link(client_for, admin, client):
    admin_client = client_for(admin)
    invite(admin_client)
    first = link_in_latest_email("new.person@example.org")
    invite(admin_client)
    second = link_in_latest_email("new.person@example.org")
    assert first != second
    admin_client.logout()
    assert client.get(path_of(first)).status_code == 410
    assert client.get(path_of(second), follow=True).status_code == 200


def test_cancelled_invitation_no_longer_works(client_for, admin, client):
    admin_client = client_for(admin)
    invite(admin_client)
    link = link_in_latest_email("new.person@example.org")
    invitation = Invitation.objects.get()
    admin_client.post(reverse("teams:invitation_revoke", args=[invitation.pk]))
    admin_client.logout()
    assert client.get(path_of(link)).status_code == 410


def test_mismatched_passwords_are_refused_and_the_link_still_works(client_for, admin, client):
    invite(client_for(admin))
    link = link_in_latest_email("new.person@example.org")
    client.logout()
    response = accept(client, link, password2="something-else-entirely")
    assert response.status_code == 400
    assert "The two passwords are different" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert accept(client, link).status_code == 302


def test_weak_password_is_refused_with_a_reason(client_for, admin, client):
    invite(client_for(admin))
    link = link_in_latest_email("new.person@example.org")
    client.logout()
    response = accept(client, link, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_coach_invitation_makes_them_the_teams_coach(client_for, admin, team, client):
    invite(client_for(admin), team=team, role="coach", email="new.coach@example.org")
    link = link_in_latest_email("new.coach@example.org")
    client.logout()
    accept(client, link)
    team.refresh_from_db()
    assert team.coach.email == "new.coach@example.org"
    assert not Membership.objects.filter(user=team.coach).exists()


def test_cannot_invite_an_address_that_already_has_an_account(client_for, admin, member):
    response = invite(client_for(admin), email=member.email.upper())
    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invalid_invitation_form_shows_errors_not_a_crash(client_for, admin):
    response = invite(client_for(admin), email="not-an-email", contracted_hours="lots", team=None)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    response = client_for(admin).post(reverse("teams:invitations"), {"team": "999999"})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["member", "coach", "outsider"])
def test_only_admins_may_invite(request, client_for, who, team):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("teams:invitations")).status_code == 403
    assert invite(client, team=team).status_code == 403
    assert not Invitation.objects.exists()


def test_only_admins_may_cancel_invitations(client_for, admin, member):
    invite(client_for(admin))
    invitation = Invitation.objects.get()
    response = client_for(member).post(reverse("teams:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_signed_in_user_following_an_invitation_is_told_to_sign_out(client_for, admin, member):
    invite(client_for(admin))
    link = link_in_latest_email("new.person@example.org")
    response = client_for(member).get(path_of(link))
    assert response.status_code == 409


def test_a_coach_invitation_needs_a_team(client_for, admin):
    response = invite(client_for(admin), role="coach", email="coach.without@example.org")
    assert response.status_code == 400
    assert "Choose the team they will coach" in response.content.decode()
    assert not Invitation.objects.exists()


def test_new_account_is_welcomed(client_for, admin, team, client):
    invite(client_for(admin), team=team)
    link = link_in_latest_email("new.person@example.org")
    client.logout()
    response = client.post(
        path_of(link),
        {"display_name": "Nia Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your account is ready" in response.content.decode()


def test_invited_organisation_admin_can_use_the_admin_site(client_for, admin, client):
    invite(client_for(admin), email="new.admin@example.org", make_admin="on")
    link = link_in_latest_email("new.admin@example.org")
    client.logout()
    accept(client, link)
    from wellbeing.accounts.models import User

    new_admin = User.objects.get(email="new.admin@example.org")
    assert new_admin.is_staff
    assert new_admin.has_perm("recruitment.change_round")


def test_the_link_is_traded_for_the_session_and_the_token_leaves_the_address_bar(
    client_for, admin, client
):
    invite(client_for(admin))
    link = link_in_latest_email("new.person@example.org")
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    client.logout()
    followed = client.get(path_of(link))
    assert followed.status_code == 302
    assert followed["Location"] == reverse("invitation_accept_page")
    assert token not in followed["Location"]
    page = client.get(followed["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert token not in page.content.decode()
    created = client.post(
        followed["Location"],
        {"display_name": "Nia Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert created.status_code == 302
    assert User.objects.get(email="new.person@example.org").check_password(NEW_PASSWORD)
    assert "invitation_token" not in client.session


def test_the_page_without_a_link_behind_it_says_to_open_the_email(client):
    response = client.get(reverse("invitation_accept_page"))
    assert response.status_code == 410
    assert "Open the link in your invitation email" in response.content.decode()
    refused = client.post(
        reverse("invitation_accept_page"),
        {"display_name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert refused.status_code == 410
    assert not User.objects.filter(display_name="Nia").exists()


def test_someone_whose_account_was_closed_can_be_invited_back_and_starts_afresh(
    client_for, admin, team, client
):
    former = factories.UserFactory(
        email="back.again@example.org", is_staff=True, with_mfa=True, is_active=False
    )
    invite(client_for(admin), email="Back.Again@example.org", team=team)
    link = link_in_latest_email("back.again@example.org")
    client.logout()
    assert accept(client, link).status_code == 302
    former.refresh_from_db()
    assert former.is_active
    assert former.check_password(NEW_PASSWORD)
    # What the account may do is what this invitation offers; the old second step is gone.
    assert not former.is_staff
    assert not former.is_superuser
    assert not Authenticator.objects.filter(user=former).exists()
    assert Membership.objects.filter(user=former, team=team).exists()
    assert User.objects.filter(email__iexact="back.again@example.org").count() == 1
    assert EmailAddress.objects.get(user=former).verified


def test_an_open_account_is_still_not_invited_twice(client_for, admin, member):
    response = invite(client_for(admin), email=member.email)
    assert response.status_code == 400
    assert not Invitation.objects.exists()
