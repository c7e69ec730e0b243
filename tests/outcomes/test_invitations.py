"""The person's own sign-in, and family's: consent recorded first, an invitation through the
product's own invitations, access to that one record, ended when consent is withdrawn."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Consent, PersonAccess, Relationship
from outcomes.permissions import SESSION_KEY
from outcomes.services.records import consent_withdraw
from tests.accounts.test_invitations import NEW_PASSWORD, accept, link_in_latest_email
from wellbeing.accounts.models import Invitation, User
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def invite(client, person, **overrides):
    data = {
        "display_name": "Sarah Ellis",
        "email": "sarah@example.org",
        "relationship": Relationship.FAMILY,
        "decided_by": Consent.DecidedBy.PERSON,
        "agreed_on": timezone.localdate().isoformat(),
        "consent_notes": "Peggy asked for Sarah to see how things are going",
    }
    data.update(overrides)
    return client.post(reverse("outcomes:access", args=[person.pk]), data)


def test_a_member_records_consent_and_invites_family(client_for, member, person):
    response = invite(client_for(member), person)
    assert response.status_code == 302
    consent = Consent.objects.get(person=person, scope=Consent.Scope.SIGN_IN)
    assert consent.with_whom == "Sarah Ellis (family)"
    assert consent.recorded_by == member
    invitation = Invitation.objects.get(email="sarah@example.org")
    assert invitation.person_grant.consent == consent
    assert invitation.invited_by == member
    email = OutboxEmail.objects.get(to="sarah@example.org")
    assert "the record of Peggy, who agreed to this" in email.body_text
    assert email.sensitive


def test_family_accept_and_see_only_that_record(client_for, member, person, client):
    invite(client_for(member), person)
    link = link_in_latest_email("sarah@example.org")
    client.logout()
    response = accept(client, link, display_name="Sarah Ellis")
    assert response.status_code == 302
    user = User.objects.get(email="sarah@example.org")
    access = PersonAccess.objects.get(user=user)
    assert (access.person, access.relationship) == (person, Relationship.FAMILY)
    # Signed in, they are kept to the record from the first page.
    assert client.session[SESSION_KEY] is True
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse(
        "outcomes:own_person", args=[person.pk]
    )
    assert client.get(reverse("teams:list")).status_code == 404
    assert user.check_password(NEW_PASSWORD)


def test_the_invitation_needs_who_agreed_and_when(client_for, member, person):
    response = invite(client_for(member), person, decided_by="", agreed_on="")
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    assert not Consent.objects.exists()


def test_consent_cannot_be_dated_in_the_future(client_for, member, person):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = invite(client_for(member), person, agreed_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert not Consent.objects.exists()


def test_an_address_with_an_account_is_refused_and_nothing_is_kept(client_for, member, person):
    response = invite(client_for(member), person, email=member.email)
    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawn_consent_stops_the_invitation(client_for, member, person, client):
    invite(client_for(member), person)
    link = link_in_latest_email("sarah@example.org")
    consent_withdraw(consent=Consent.objects.get(person=person))
    client.logout()
    response = client.get(link.split("8000", 1)[-1])
    assert response.status_code == 410
    assert not User.objects.filter(email="sarah@example.org").exists()


def test_ending_a_sign_in_closes_the_record(client_for, member, person, family_user):
    access = PersonAccess.objects.get(user=family_user)
    response = client_for(member).post(
        reverse("outcomes:access_revoke", args=[person.pk, access.pk])
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.revoked_at is not None


def test_a_member_of_another_team_cannot_invite_to_this_record(client_for, other_member, person):
    assert invite(client_for(other_member), person).status_code == 404
    assert not Invitation.objects.exists()


def test_family_whose_sign_in_ended_can_be_invited_again_when_the_person_agrees_again(
    client_for, member, person, family_user, client
):
    access = PersonAccess.objects.get(user=family_user)
    client_for(member).post(reverse("outcomes:access_revoke", args=[person.pk, access.pk]))
    family_user.refresh_from_db()
    assert not family_user.is_active
    # Peggy changes her mind: the team records her agreement and invites Sarah again.
    assert invite(client_for(member), person).status_code == 302
    link = link_in_latest_email("sarah@example.org")
    client.logout()
    assert accept(client, link, display_name="Sarah Ellis").status_code == 302
    family_user.refresh_from_db()
    assert family_user.is_active
    reopened = PersonAccess.objects.get(user=family_user, revoked_at__isnull=True)
    assert reopened.person == person
    assert reopened.consent.withdrawn_on is None
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse(
        "outcomes:own_person", args=[person.pk]
    )
