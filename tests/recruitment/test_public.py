"""The public application: anyone can apply to an open round, once per email address, after
reading what we keep and for how long; a round that is not open says so kindly."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from recruitment.abuse import application_started
from recruitment.models import Answer, Candidate, JobRole, Round, Workshop
from recruitment.services.rounds import workshop_add
from tests.recruitment.factories import CandidateFactory, open_round
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def apply_url(round_: Round) -> str:
    return reverse("recruitment:apply", args=[round_.slug])


def application(round_: Round, **overrides) -> dict:
    data = {
        "name": "Sam Carter",
        "email": "sam@example.org",
        "phone": "07700 900456",
        "why": "My dad was looked after by a team like yours.",
        "consent_contact": "on",
        "consent_privacy": "on",
        # The form was shown a minute ago: a person's pace.
        "started": application_started(time.time() - 60),
    }
    for question in round_.questions.all():
        data[f"answer_{question.pk}"] = f"A time I showed {question.value.name}."
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def round_(round_):
    """The cast's round as the public sees it: described, with a role and a workshop."""
    Round.objects.filter(pk=round_.pk).update(description="Join our new team.")
    round_.roles.add(JobRole.objects.get_or_create(name="Wellbeing worker")[0])
    workshop_add(
        round_=round_,
        starts_at=timezone.now() + timedelta(days=30),
        place="Northfield Community Centre",
    )
    return round_


# --- Finding a round ------------------------------------------------------------------------


def test_open_rounds_are_listed_with_a_link_to_apply(client, round_):
    page = client.get(reverse("recruitment:open_rounds")).content.decode()
    assert "Northfield spring" in page
    assert apply_url(round_) in page


def test_draft_and_closed_rounds_are_not_listed(client):
    open_round(title="Still a draft", status=Round.Status.DRAFT)
    open_round(title="Already closed", status=Round.Status.CLOSED)
    page = client.get(reverse("recruitment:open_rounds")).content.decode()
    assert "Still a draft" not in page
    assert "Already closed" not in page
    assert "not recruiting at the moment" in page


# --- The application page -------------------------------------------------------------------


def test_application_page_shows_the_round_its_roles_and_workshop(client, round_):
    response = client.get(apply_url(round_))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Northfield spring",
        "Join our new team.",
        "Wellbeing worker",
        "Northfield Community Centre",
    ):
        assert text in page


def test_application_page_lists_only_workshops_still_to_come(client, round_):
    Workshop.objects.create(
        round=round_, starts_at=timezone.now() - timedelta(days=3), place="Old Town Hall"
    )
    page = client.get(apply_url(round_)).content.decode()
    assert "Northfield Community Centre" in page
    assert "Old Town Hall" not in page


def test_application_page_with_only_past_workshops_says_the_date_comes_later(client, round_):
    round_.workshops.update(starts_at=timezone.now() - timedelta(hours=1))
    page = client.get(apply_url(round_)).content.decode()
    assert "Northfield Community Centre" not in page
    assert "We will tell you the date and place when we invite you." in page


def test_application_asks_each_value_question_with_the_values_meaning_as_hint(client, round_):
    page = client.get(apply_url(round_)).content.decode()
    for question in round_.questions.select_related("value"):
        assert question.text in page
        assert question.value.meaning in page
    assert "Why does this work matter to you?" in page


def test_application_page_has_a_privacy_notice_with_retention_and_anonymous_survey(
    client, round_, settings
):
    settings.RECRUITMENT_RETENTION_MONTHS = 9
    page = client.get(apply_url(round_)).content.decode()
    assert 'id="privacy-notice"' in page
    assert "9 months after the round closes" in page
    assert "anonymous" in page
    assert 'href="#privacy-notice"' in page


def test_every_application_field_is_labelled(client, round_):
    page = client.get(apply_url(round_)).content.decode()
    for name in ["name", "email", "phone", "why", "consent_contact", "consent_privacy"]:
        assert f'for="id_{name}"' in page
    for question in round_.questions.all():
        assert f'for="id_answer_{question.pk}"' in page


# --- Applying -------------------------------------------------------------------------------


def test_application_is_saved_with_answers_and_redirects_to_a_confirmation(client, round_):
    response = client.post(apply_url(round_), application(round_))
    assert response.status_code == 302
    assert response.url == reverse("recruitment:applied", args=[round_.slug])
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email, candidate.stage) == (
        "Sam Carter",
        "sam@example.org",
        Candidate.Stage.APPLIED,
    )
    assert candidate.consent_contact
    assert candidate.consent_privacy
    assert Answer.objects.filter(candidate=candidate).count() == round_.questions.count()
    confirmation = client.get(response.url).content.decode()
    assert "Application sent" in confirmation


def test_application_queues_an_acknowledgement_email(
    client, round_, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(round_), application(round_))
    candidate = Candidate.objects.get()
    email = OutboxEmail.objects.get(idempotency_key=f"application-ack:{candidate.pk}")
    assert email.to == "sam@example.org"
    assert [message.to for message in mailoutbox] == [["sam@example.org"]]


def test_a_second_application_looks_like_a_new_one_and_its_owner_is_told_by_email(client, round_):
    first = CandidateFactory(round=round_, email="sam@example.org", name="Sam Carter")
    response = client.post(
        apply_url(round_), application(round_, email="Sam@Example.org", name="Someone Else")
    )
    # The same answer as for a new application: a stranger learns nothing about the address.
    assert response.status_code == 302
    assert response.url == reverse("recruitment:applied", args=[round_.slug])
    assert Candidate.objects.count() == 1
    assert not Answer.objects.exists()
    (email,) = OutboxEmail.objects.all()
    assert email.to == "sam@example.org"
    assert email.idempotency_key.startswith(f"application-again:{first.pk}:")
    assert "Someone Else" not in email.body_text + email.body_html
    assert "applied already" in email.body_text


def test_the_same_email_may_apply_to_another_round(client, round_):
    CandidateFactory(round=open_round(title="Another round"), email="sam@example.org")
    assert client.post(apply_url(round_), application(round_)).status_code == 302


@pytest.mark.parametrize("consent", ["consent_contact", "consent_privacy"])
def test_application_needs_both_consents(client, round_, consent):
    response = client.post(apply_url(round_), application(round_, **{consent: None}))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Candidate.objects.exists()


def test_application_needs_every_value_question_answered(client, round_):
    question = round_.questions.first()
    response = client.post(apply_url(round_), application(round_, **{f"answer_{question.pk}": ""}))
    assert response.status_code == 400
    assert f"Answer the question about {question.value.name}." in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_malformed_email_is_a_form_error(client, round_):
    response = client.post(apply_url(round_), application(round_, email="not an email"))
    assert response.status_code == 400
    assert "Enter an email address like name@example.com." in response.content.decode()


# --- Rounds not taking applications ---------------------------------------------------------


@pytest.mark.parametrize("status", [Round.Status.CLOSED, Round.Status.DECIDED])
def test_closed_round_refuses_applications_kindly(client, status):
    round_ = open_round(status=status)
    page = client.get(apply_url(round_))
    assert page.status_code == 410
    assert "not taking applications" in page.content.decode()
    response = client.post(apply_url(round_), application(round_))
    assert response.status_code == 410
    assert not Candidate.objects.exists()


def test_open_round_past_its_closing_date_refuses_applications(client):
    today = timezone.localdate()
    round_ = open_round(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1))
    response = client.post(apply_url(round_), application(round_))
    assert response.status_code == 410
    assert not Candidate.objects.exists()


def test_round_not_open_yet_says_when_it_opens(client):
    today = timezone.localdate()
    round_ = open_round(opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=30))
    response = client.get(apply_url(round_))
    assert response.status_code == 404
    assert "not open yet" in response.content.decode()


def test_draft_round_is_not_found(client):
    round_ = open_round(status=Round.Status.DRAFT)
    response = client.get(apply_url(round_))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_round_is_not_found(client):
    assert client.get(reverse("recruitment:apply", args=["no-such-round"])).status_code == 404


# --- Not a way to email strangers -------------------------------------------------------------


def test_a_filled_in_hidden_field_is_thanked_and_nothing_is_saved_or_sent(client, round_):
    response = client.post(apply_url(round_), application(round_, website="http://spam.test"))
    assert response.status_code == 302
    assert not Candidate.objects.exists()
    assert not OutboxEmail.objects.exists()


def stamp_from(monkeypatch, *, seconds_ago: float) -> str:
    """The stamp a form shown `seconds_ago` carries."""
    now = time.time()
    with monkeypatch.context() as earlier:
        earlier.setattr(time, "time", lambda: now - seconds_ago)
        return application_started()


@pytest.mark.parametrize(
    "started",
    [None, "", "forged", "1700000000:abc:def", lambda: application_started()],
    ids=["absent", "empty", "forged", "forged-signature", "too-fast"],
)
def test_a_form_sent_quicker_than_a_person_could_is_refused(client, round_, started):
    stamp = started() if callable(started) else started
    response = client.post(apply_url(round_), application(round_, started=stamp))
    assert response.status_code == 400
    assert "quicker than anyone could read the form" in response.content.decode()
    assert not Candidate.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_form_open_for_days_is_shown_again_with_every_answer_and_a_new_stamp(
    client, round_, monkeypatch
):
    two_days = 2 * 24 * 60 * 60
    stale = stamp_from(monkeypatch, seconds_ago=two_days)
    sent = application(round_, started=stale, why="Written slowly, over a weekend.")
    response = client.post(apply_url(round_), sent)
    page = response.content.decode()
    assert response.status_code == 400
    assert "quicker than anyone could read" not in page
    assert "This form was open for a long time, so we have not sent it yet." in page
    assert "Written slowly, over a weekend." in page
    for question in round_.questions.all():
        assert f"A time I showed {question.value.name}." in page
    assert 'value="Sam Carter"' in page
    assert not Candidate.objects.exists()
    assert not OutboxEmail.objects.exists()
    new_stamp = response.context["started"]
    assert new_stamp != stale
    # Sent straight back with the new stamp, it goes through.
    response = client.post(apply_url(round_), sent | {"started": new_stamp})
    assert response.status_code == 302
    assert Candidate.objects.get().why == "Written slowly, over a weekend."


def test_a_form_open_for_days_with_the_hidden_field_filled_is_still_thanked_and_dropped(
    client, round_, monkeypatch
):
    stale = stamp_from(monkeypatch, seconds_ago=2 * 24 * 60 * 60)
    response = client.post(
        apply_url(round_), application(round_, started=stale, website="http://spam.test")
    )
    assert response.status_code == 302
    assert not Candidate.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_form_sent_too_quickly_keeps_its_first_stamp(client, round_):
    stamp = application_started()
    response = client.post(apply_url(round_), application(round_, started=stamp))
    assert response.context["started"] == stamp


def limits(settings, *, ip=100, email=100, round_=100):
    settings.RECRUITMENT_APPLICATION_LIMITS = {
        "ip": [(ip, 3600)],
        "email": [(email, 3600)],
        "round": [(round_, 3600)],
    }


def test_applications_are_limited_per_client(client, round_, settings):
    limits(settings, ip=2)
    for n in range(2):
        assert client.post(apply_url(round_), application(round_, email=f"a{n}@example.org"))
    response = client.post(apply_url(round_), application(round_, email="victim@example.org"))
    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert not OutboxEmail.objects.filter(to="victim@example.org").exists()
    assert Candidate.objects.count() == 2


def test_applications_are_limited_per_email_address_from_any_client(client, round_, settings):
    limits(settings, email=1)
    other = open_round(title="Another round")
    first = client.post(apply_url(round_), application(round_, email="victim@example.org"))
    assert first.status_code == 302
    response = client.post(
        apply_url(other), application(other, email="victim@example.org"), REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert OutboxEmail.objects.filter(to="victim@example.org").count() == 1


def test_applications_are_limited_per_round(client, round_, settings):
    limits(settings, round_=2)
    for n in range(2):
        client.post(
            apply_url(round_),
            application(round_, email=f"p{n}@example.org"),
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )
    response = client.post(
        apply_url(round_), application(round_, email="p9@example.org"), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert Candidate.objects.count() == 2


@pytest.mark.parametrize(
    "name",
    [
        "Win a prize at evil.example",
        "Visit https://evil.example now",
        "Sam <b>Carter</b>",
        "Call 07700900456",
        "A" * 71,
    ],
)
def test_the_name_must_be_a_plain_name(client, round_, name):
    response = client.post(apply_url(round_), application(round_, name=name))
    assert response.status_code == 400
    assert not Candidate.objects.exists()
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    "name", ["Sam Carter", "J. O'Neill-Smith", "Zoë Ní Bhriain", "Dr Ruth Adeyemi"]
)
def test_real_names_are_welcome(client, round_, name):
    assert client.post(apply_url(round_), application(round_, name=name)).status_code == 302


def test_the_acknowledgement_carries_nothing_typed_but_the_name(client, round_):
    client.post(
        apply_url(round_),
        application(round_, why="Click https://evil.example", phone="07700 900999"),
    )
    email = OutboxEmail.objects.get()
    body = email.subject + email.body_text + email.body_html
    assert "Sam Carter" in body
    for typed in ("evil.example", "07700 900999", "A time I showed"):
        assert typed not in body


# --- Rounds with several roles ---------------------------------------------------------------


def test_a_round_with_several_roles_asks_which_one(client, round_):
    coach = JobRole.objects.get_or_create(name="Coach")[0]
    round_.roles.add(coach)
    page = client.get(apply_url(round_)).content.decode()
    assert "Which role are you applying for?" in page
    missing = client.post(apply_url(round_), application(round_))
    assert missing.status_code == 400
    assert "Choose the role you are applying for." in missing.content.decode()
    assert (
        client.post(apply_url(round_), application(round_, role=str(coach.pk))).status_code == 302
    )
    assert Candidate.objects.get().role == coach


def test_a_round_with_one_role_does_not_ask_and_records_it(client, round_):
    assert "Which role" not in client.get(apply_url(round_)).content.decode()
    client.post(apply_url(round_), application(round_))
    assert Candidate.objects.get().role.name == "Wellbeing worker"
