"""The survey pages a candidate reaches from the emailed link: one page, works on a phone,
saves a draft, sends once, and explains kindly when the link cannot be used."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Candidate, SurveyAnswer, SurveyInvitation, SurveyResponse
from recruitment.services.decisions import candidate_communicate
from recruitment.services.survey import survey_send_reminders
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/recruitment/survey/([A-Za-z0-9_-]+)/")


@pytest.fixture
def candidate(candidate, round_owner) -> Candidate:
    """The cast's candidate, told they were unsuccessful: the survey is on its way."""
    Candidate.objects.filter(pk=candidate.pk).update(stage=Candidate.Stage.UNSUCCESSFUL)
    return candidate_communicate(candidate=candidate, how="phone", by=round_owner)


@pytest.fixture
def token(candidate) -> str:
    """The token as the candidate gets it: from the invitation email."""
    email = OutboxEmail.objects.get(idempotency_key__startswith="survey-invite:")
    return LINK.search(email.body_text).group(1)


@pytest.fixture
def touch_points(candidate) -> list:
    return list(candidate.round.touch_points.all())


def url(token: str) -> str:
    return reverse("recruitment:survey", args=[token])


def filled(touch_points, score="8", action="send", **text) -> dict:
    data = {"action": action}
    for tp in touch_points:
        data[f"tp-{tp.pk}-score"] = score
        data[f"tp-{tp.pk}-worked_well"] = text.get("worked_well", "")
        data[f"tp-{tp.pk}-improve"] = text.get("improve", "")
    return data


def invitation() -> SurveyInvitation:
    return SurveyInvitation.objects.get()


# --- The page ------------------------------------------------------------------------------------


def test_the_link_in_the_email_opens_the_survey_without_signing_in(client, token, touch_points):
    response = client.get(url(token), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    for tp in touch_points:
        assert tp.name in page
        assert tp.description in page


def test_each_touch_point_is_a_fieldset_with_a_1_to_10_scale_and_two_optional_boxes(
    client, token, touch_points
):
    page = client.get(url(token), follow=True).content.decode()
    assert page.count("<fieldset") == 2 * len(touch_points)
    first = touch_points[0].pk
    for score in range(1, 11):
        assert f'name="tp-{first}-score" type="radio" value="{score}"' in page
    assert "1 very poor" in page
    assert "10 amazing" in page
    assert page.count("<textarea") == 2 * len(touch_points)
    assert "What worked well?" in page
    assert "How could we improve?" in page
    assert "Save and finish later" in page
    assert "Send my answers" in page


def test_the_scale_is_laid_out_in_two_columns_that_fit_a_narrow_phone(client, token):
    page = client.get(url(token), follow=True).content.decode()
    assert "nhsuk-radios--small" in page
    assert page.count('class="nhsuk-u-one-half"') == 2 * 5  # five touch points, two columns


# --- Sending -------------------------------------------------------------------------------------


def test_sending_answers_stores_them_and_shows_the_thank_you_page(client, token, touch_points):
    response = client.post(url(token), filled(touch_points, "9", improve="Name badges"))
    assert response.status_code == 302
    assert response.url == reverse("recruitment:survey_thanks")
    assert "Thank you" in client.get(response.url).content.decode()
    assert SurveyAnswer.objects.count() == len(touch_points)
    assert set(SurveyAnswer.objects.values_list("score", flat=True)) == {9}
    assert set(SurveyAnswer.objects.values_list("improve", flat=True)) == {"Name badges"}
    assert invitation().completed


def test_stored_answers_carry_no_link_to_the_candidate(client, token, touch_points, candidate):
    client.post(url(token), filled(touch_points))
    response = SurveyResponse.objects.get()
    assert response.group == SurveyResponse.Group.UNSUCCESSFUL
    stored = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert stored == {"id", "round", "group", "submitted_on", "published"}
    assert candidate.name not in str(list(SurveyAnswer.objects.values()))


def test_unanswered_touch_points_are_simply_left_out(client, token, touch_points):
    data = filled(touch_points[:1], "3")
    client.post(url(token), data)
    assert SurveyAnswer.objects.count() == 1


def test_choosing_no_score_keeps_only_the_words(client, token, touch_points):
    client.post(url(token), filled(touch_points[:1], "none", worked_well="Friendly"))
    answer = SurveyAnswer.objects.get()
    assert answer.score is None
    assert answer.worked_well == "Friendly"


def test_a_sent_survey_cannot_be_changed(client, token, touch_points):
    client.post(url(token), filled(touch_points, "9"))
    again = client.post(url(token), filled(touch_points, "1"))
    assert again.status_code == 410
    assert "You have already sent your answers" in again.content.decode()
    assert client.get(url(token), follow=True).status_code == 410
    assert SurveyResponse.objects.count() == 1
    assert set(SurveyAnswer.objects.values_list("score", flat=True)) == {9}


def test_sending_nothing_is_refused_with_a_message(client, token, touch_points):
    response = client.post(url(token), filled(touch_points, ""))
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    assert not SurveyResponse.objects.exists()


# --- Saving and coming back ----------------------------------------------------------------------


def test_save_and_finish_later_keeps_a_draft_and_says_so(client, token, touch_points):
    first = touch_points[0]
    data = {"action": "save", f"tp-{first.pk}-score": "4", f"tp-{first.pk}-improve": "Less wait"}
    response = client.post(url(token), data)
    assert response.status_code == 302
    assert response.url == reverse("recruitment:survey_answer")
    page = client.get(response.url).content.decode()
    assert "Saved — use the same link to come back" in page
    assert invitation().draft == {
        str(tp.pk): {
            "score": 4 if tp == first else None,
            "worked_well": "",
            "improve": "Less wait" if tp == first else "",
        }
        for tp in touch_points
    }
    assert not SurveyResponse.objects.exists()


def test_the_same_link_resumes_a_saved_draft(client, token, touch_points):
    first = touch_points[0]
    client.post(
        url(token),
        {"action": "save", f"tp-{first.pk}-score": "4", f"tp-{first.pk}-improve": "Less wait"},
    )
    page = client.get(url(token), follow=True).content.decode()
    assert f'name="tp-{first.pk}-score" type="radio" value="4" checked' in page
    assert "Less wait</textarea>" in page
    assert "We kept the answers you saved" in page


@pytest.mark.parametrize("bad", ["0", "11", "abc", "-1", "7.5"])
def test_a_bad_score_is_refused_with_400_and_the_draft_is_kept(client, token, touch_points, bad):
    first = touch_points[0]
    client.post(url(token), {"action": "save", f"tp-{first.pk}-score": "6"})
    for action in ("send", "save"):
        data = filled(touch_points, "7", action=action, worked_well="Kept")
        data[f"tp-{first.pk}-score"] = bad
        response = client.post(url(token), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Choose a score from 1 (very poor) to 10 (amazing)" in page
        # What was typed is still on the page, and the saved draft is untouched.
        assert "Kept</textarea>" in page
        assert invitation().draft[str(first.pk)]["score"] == 6
    assert not SurveyResponse.objects.exists()


def test_an_unknown_touch_point_is_refused_with_400_and_the_draft_is_kept(
    client, token, touch_points
):
    client.post(url(token), {"action": "save", f"tp-{touch_points[0].pk}-score": "6"})
    data = filled(touch_points, "7")
    data["tp-999999-score"] = "5"
    response = client.post(url(token), data)
    assert response.status_code == 400
    assert "not a question in this survey" in response.content.decode()
    assert invitation().draft[str(touch_points[0].pk)]["score"] == 6
    assert not SurveyResponse.objects.exists()


def test_a_comment_that_is_too_long_is_refused_with_400(client, token, touch_points):
    response = client.post(url(token), filled(touch_points, improve="x" * 2001))
    assert response.status_code == 400
    assert "2,000 characters or fewer" in response.content.decode()


# --- Links that cannot be used -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_gets_a_kind_not_found_page(client, candidate, method):
    response = getattr(client, method)(url("not-a-real-token"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find this survey" in page
    assert "copy the whole" in page


def test_an_expired_link_gets_a_kind_gone_page(client, token):
    SurveyInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(url(token), follow=True)
    assert response.status_code == 410
    assert "This survey has closed" in response.content.decode()


def test_a_used_link_gets_a_kind_gone_page(client, token, touch_points):
    client.post(url(token), filled(touch_points))
    response = client.get(url(token), follow=True)
    assert response.status_code == 410
    assert "Thank you" in response.content.decode()


def test_an_unsubscribed_link_gets_a_kind_gone_page(client, token):
    client.post(reverse("recruitment:survey_unsubscribe", args=[token]))
    response = client.get(url(token), follow=True)
    assert response.status_code == 410
    assert "This survey is closed" in response.content.decode()


# --- Unsubscribing -------------------------------------------------------------------------------


def test_unsubscribe_link_asks_before_it_unsubscribes(client, token):
    response = client.get(reverse("recruitment:survey_unsubscribe", args=[token]), follow=True)
    assert response.status_code == 200
    assert "Yes, stop emails about the survey" in response.content.decode()
    assert invitation().unsubscribed_at is None


def test_unsubscribing_stops_the_reminder(client, token):
    response = client.post(reverse("recruitment:survey_unsubscribe", args=[token]))
    assert response.status_code == 302
    assert "You will not hear from us" in client.get(response.url).content.decode()
    assert invitation().unsubscribed_at is not None
    SurveyInvitation.objects.update(sent_at=timezone.now() - timedelta(days=30))
    assert survey_send_reminders() == 0


def test_unsubscribing_with_a_forged_link_is_not_found(client, candidate):
    response = client.post(reverse("recruitment:survey_unsubscribe", args=["forged"]))
    assert response.status_code == 404
    assert invitation().unsubscribed_at is None


def test_the_unsubscribe_link_in_the_email_works(client, token):
    email = OutboxEmail.objects.get(idempotency_key__startswith="survey-invite:")
    link = re.search(r"http\S+/unsubscribe/", email.body_text).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}", follow=True).status_code == 200


# --- The token stays out of addresses and logs ----------------------------------------------------


def test_the_links_token_is_traded_for_the_session_and_leaves_the_address(client, token):
    response = client.get(url(token))
    assert response.status_code == 302
    assert token not in response.url
    page = client.get(response.url)
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_the_unsubscribe_links_token_leaves_the_address_too(client, token):
    response = client.get(reverse("recruitment:survey_unsubscribe", args=[token]))
    assert response.status_code == 302
    assert token not in response.url
    confirm = client.post(response.url)
    assert confirm.status_code == 302
    assert invitation().unsubscribed_at is not None


def test_the_survey_address_without_a_link_opened_first_is_not_found(client, candidate):
    response = client.get(reverse("recruitment:survey_answer"))
    assert response.status_code == 404
    assert "We could not find this survey" in response.content.decode()


def test_a_second_tab_with_the_same_link_opens_the_same_survey(client, token, touch_points):
    client.get(url(token))
    second = client.get(url(token), follow=True)
    assert second.status_code == 200
    assert (
        client.post(reverse("recruitment:survey_answer"), filled(touch_points)).status_code == 302
    )
    assert invitation().completed
