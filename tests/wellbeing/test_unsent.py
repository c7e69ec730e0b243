"""A form that arrives signed out is remembered, so signing in again leads back to it filled in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD
from wellbeing.unsent import SESSION_KEY

pytestmark = pytest.mark.django_db

STORY = {"title": "Peggy's garden", "story": "We planted the bulbs she chose together."}


@pytest.fixture
def worker(team):
    return factories.MembershipFactory(team=team, user__email="cal@example.org").user


def sign_in(client, email: str, next_path: str):
    return client.post(
        reverse("account_login") + f"?next={next_path}",
        {"login": email, "password": PASSWORD},
        follow=True,
    )


def test_a_form_sent_signed_out_leads_back_to_itself_marked_to_be_filled_in(client, worker):
    path = reverse("values:story_new")
    sent = client.post(path, STORY, follow=True)
    login_page = sent.content.decode()
    assert sent.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "You were signed out, so what you sent was not saved" in login_page
    assert 'data-unsent-form="keep"' in login_page
    assert client.session[SESSION_KEY] == path

    back = sign_in(client, worker.email, path)
    assert back.redirect_chain[-1][0] == path
    page = back.content.decode()
    assert 'data-unsent-form="restore"' in page
    assert "Check the form, then send it again" in page
    assert SESSION_KEY not in client.session
    # Once is enough: the next visit is an ordinary one.
    again = client.get(path).content.decode()
    assert "data-unsent-form" not in again


def test_the_page_says_whose_copy_may_be_filled_in(client, worker, team):
    other = factories.MembershipFactory(team=team).user
    client.force_login(worker)
    mine = client.get(reverse("values:story_new")).content.decode()
    client.force_login(other)
    theirs = client.get(reverse("values:story_new")).content.decode()

    def owner(page: str) -> str:
        return page.split('data-user="', 1)[1].split('"', 1)[0]

    assert owner(mine) != owner(theirs)
    assert str(worker.pk) not in owner(mine)


def test_a_signed_in_form_with_errors_is_not_taken_for_a_signed_out_one(client_for, worker):
    client = client_for(worker)
    response = client.post(reverse("values:story_new"), {"title": ""})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_a_public_form_sent_by_a_stranger_is_not_taken_for_a_signed_out_one(client):
    """Only a signed-in page's form sent to sign in is remembered: the public pages answer
    their own forms."""
    client.post(reverse("blog:home"), {"q": "x"})
    page = client.get(reverse("blog:home")).content.decode()
    assert "data-unsent-form" not in page
    assert "data-user" not in page
