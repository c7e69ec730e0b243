"""Changing a round's details after it is set up: admins and the round's owners, nobody else;
the public link never changes, the values stop changing once anyone applies or is scored, and
a reviewed round stays as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import AssessmentSheet, Candidate, JobRole, Round, ValueQuestion
from recruitment.services import RecruitmentError
from recruitment.services.rounds import round_create, round_update
from tests.factories import UserFactory
from tests.recruitment.factories import (
    CandidateFactory,
    PanelMemberFactory,
    open_round,
    values_for_tests,
)
from values.models import Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_owner(db):
    user = UserFactory(display_name="Rita Riverside", with_mfa=True)
    open_round(title="Riverside autumn", owners=[user])
    return user


@pytest.fixture
def courage(db):
    return Value.objects.create(name="Courage", slug="courage", meaning="Speaking up.")


def edit_url(round_: Round) -> str:
    return reverse("recruitment:round_edit", args=[round_.pk])


def edit_form(round_: Round, **overrides) -> dict:
    """What the page posts when nothing is changed, with `overrides` on top."""
    data = {
        "title": round_.title,
        "description": round_.description,
        "opens_on": round_.opens_on.isoformat(),
        "closes_on": round_.closes_on.isoformat(),
        "roles": [role.pk for role in round_.roles.all()],
        "values": [value.pk for value in round_.values.all()],
        "owners": [user.pk for user in round_.owners.all()],
    }
    data.update(overrides)
    return data


def value_names(round_: Round) -> set[str]:
    return set(round_.values.values_list("name", flat=True))


def question_values(round_: Round) -> set[str]:
    return set(round_.questions.values_list("value__name", flat=True))


def scored(round_: Round) -> Candidate:
    candidate = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    AssessmentSheet.objects.create(
        candidate=candidate, panel_member=PanelMemberFactory(round=round_)
    )
    return candidate


# --- Who may change a round -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["round_owner", "admin"])
def test_owner_and_admin_see_the_form_filled_in_from_the_round(request, client_for, who, round_):
    response = client_for(request.getfixturevalue(who)).get(edit_url(round_))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Northfield spring"' in page
    assert f'value="{round_.opens_on.isoformat()}"' in page
    assert f'value="{round_.closes_on.isoformat()}"' in page


@pytest.mark.parametrize("who", ["round_owner", "admin"])
def test_owner_and_admin_change_the_title_description_dates_and_roles(
    request, client_for, who, round_
):
    role = JobRole.objects.create(name="Night wellbeing worker")
    today = timezone.localdate()
    response = client_for(request.getfixturevalue(who)).post(
        edit_url(round_),
        edit_form(
            round_,
            title="Northfield early summer",
            description="Nights and weekends.",
            opens_on=(today + timedelta(days=1)).isoformat(),
            closes_on=(today + timedelta(days=30)).isoformat(),
            roles=[role.pk],
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("recruitment:round_detail", args=[round_.pk])
    changed = Round.objects.get(pk=round_.pk)
    assert (changed.title, changed.description) == (
        "Northfield early summer",
        "Nights and weekends.",
    )
    assert (changed.opens_on, changed.closes_on) == (
        today + timedelta(days=1),
        today + timedelta(days=30),
    )
    assert list(changed.roles.all()) == [role]
    assert changed.status == Round.Status.OPEN


@pytest.mark.parametrize("who", ["member", "coach", "outsider", "advisor", "other_owner"])
def test_people_who_do_not_run_the_round_get_404_and_change_nothing(
    request, client_for, who, round_
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(edit_url(round_)).status_code == 404
    assert client.post(edit_url(round_), edit_form(round_, title="Taken over")).status_code == 404
    assert Round.objects.get(pk=round_.pk).title == "Northfield spring"


def test_anonymous_visitors_are_sent_to_sign_in(client, round_):
    response = client.get(edit_url(round_))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_round_page_links_to_the_edit_page_until_the_round_is_reviewed(
    client_for, round_owner, round_
):
    client = client_for(round_owner)
    detail = reverse("recruitment:round_detail", args=[round_.pk])
    assert f'href="{edit_url(round_)}"' in client.get(detail).content.decode()
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    assert f'href="{edit_url(round_)}"' not in client.get(detail).content.decode()


# --- What may change ------------------------------------------------------------------------


def test_dates_the_wrong_way_round_are_refused_and_nothing_changes(client_for, round_owner, round_):
    today = timezone.localdate()
    before = Round.objects.get(pk=round_.pk)
    response = client_for(round_owner).post(
        edit_url(round_),
        edit_form(
            round_,
            title="Changed",
            opens_on=today.isoformat(),
            closes_on=(today - timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert "closing date must be on or after the opening date" in response.content.decode()
    after = Round.objects.get(pk=round_.pk)
    assert (after.title, after.opens_on, after.closes_on) == (
        before.title,
        before.opens_on,
        before.closes_on,
    )


@pytest.mark.parametrize(
    "overrides",
    [{"values": []}, {"values": ["999999"]}, {"opens_on": "31/02/2026"}, {"title": "  "}],
)
def test_bad_details_are_form_errors_and_nothing_changes(client_for, admin, round_, overrides):
    response = client_for(admin).post(edit_url(round_), edit_form(round_, **overrides))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Round.objects.get(pk=round_.pk).title == "Northfield spring"
    assert round_.values.count() == 3


def test_changing_the_title_keeps_the_slug_so_the_public_link_still_works(
    client_for, round_owner, round_
):
    slug = round_.slug
    response = client_for(round_owner).post(
        edit_url(round_), edit_form(round_, title="Quite different")
    )
    assert response.status_code == 302
    assert Round.objects.get(pk=round_.pk).slug == slug
    public = client_for(round_owner).get(reverse("recruitment:apply", args=[slug]))
    assert public.status_code == 200
    assert "Quite different" in public.content.decode()


def test_questions_follow_the_values_while_nobody_has_applied(
    client_for, round_owner, round_, courage
):
    compassion, responsibility, _ = values_for_tests()
    kept = round_.questions.get(value=compassion)
    ValueQuestion.objects.filter(pk=kept.pk).update(text="When did you last help a stranger?")
    response = client_for(round_owner).post(
        edit_url(round_), edit_form(round_, values=[compassion.pk, responsibility.pk, courage.pk])
    )
    assert response.status_code == 302
    assert value_names(round_) == {"Compassion", "Responsibility", "Courage"}
    assert question_values(round_) == {"Compassion", "Responsibility", "Courage"}
    # The question already there keeps its wording; the new one is worded as a new round's is.
    assert round_.questions.get(pk=kept.pk).text == "When did you last help a stranger?"
    fresh = round_create(
        title="Wording",
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        values=[courage],
    )
    added = round_.questions.get(value=courage)
    assert added.text == fresh.questions.get().text
    assert added.order > round_.questions.get(value=responsibility).order


def test_values_are_fixed_once_anyone_has_applied(client_for, round_owner, round_, courage):
    CandidateFactory(round=round_, stage=Candidate.Stage.WITHDRAWN)
    client = client_for(round_owner)
    page = client.get(edit_url(round_)).content.decode()
    assert "so the values are fixed" in page
    assert 'name="values" type="checkbox"' not in page
    assert 'type="hidden" name="values"' in page
    response = client.post(edit_url(round_), edit_form(round_, values=[courage.pk]))
    assert response.status_code == 400
    assert "Candidates have applied" in response.content.decode()
    assert value_names(round_) == {"Compassion", "Responsibility", "Collaboration"}
    assert question_values(round_) == {"Compassion", "Responsibility", "Collaboration"}
    # The rest of the round can still change.
    assert client.post(edit_url(round_), edit_form(round_, title="Later")).status_code == 302
    assert Round.objects.get(pk=round_.pk).title == "Later"


def test_values_are_fixed_once_anyone_has_been_scored(client_for, admin, round_, courage):
    scored(round_)
    response = client_for(admin).post(
        edit_url(round_), edit_form(round_, values=[v.pk for v in values_for_tests()[:2]])
    )
    assert response.status_code == 400
    assert "The panel has scored candidates" in response.content.decode()
    assert round_.values.count() == 3


def test_reviewed_round_cannot_be_edited_at_all(client_for, admin, round_):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    client = client_for(admin)
    page = client.get(edit_url(round_))
    assert page.status_code == 200
    assert "This round has been reviewed, so its details are fixed" in page.content.decode()
    assert "<form" not in page.content.decode().split("</h1>")[1]
    response = client.post(edit_url(round_), edit_form(round_, title="Rewritten history"))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Round.objects.get(pk=round_.pk).title == "Northfield spring"


# --- Who runs it ----------------------------------------------------------------------------


def test_owner_cannot_change_who_runs_the_round(client_for, round_owner, round_, coach):
    client = client_for(round_owner)
    page = client.get(edit_url(round_)).content.decode()
    assert 'name="owners"' not in page
    assert "Only an organisation admin can change who runs a round" in page
    response = client.post(edit_url(round_), edit_form(round_, title="Mine", owners=[coach.pk]))
    assert response.status_code == 302
    assert list(round_.owners.all()) == [round_owner]
    assert Round.objects.get(pk=round_.pk).title == "Mine"


def test_admin_changes_who_runs_the_round(client_for, admin, round_, coach):
    response = client_for(admin).post(edit_url(round_), edit_form(round_, owners=[coach.pk]))
    assert response.status_code == 302
    assert list(round_.owners.all()) == [coach]


def test_saving_keeps_an_owner_who_is_not_a_coach_and_a_value_retired_since(
    client_for, admin, round_, round_owner
):
    # The round_owner here is neither an admin nor a coach, so the new-round form would not offer
    # them; nor would it offer a retired value. Saving other changes must not drop either.
    Value.objects.filter(slug="compassion").update(active=False)
    response = client_for(admin).post(edit_url(round_), edit_form(round_, title="Kept"))
    assert response.status_code == 302
    assert list(round_.owners.all()) == [round_owner]
    assert "Compassion" in value_names(round_)


# --- The service on its own -----------------------------------------------------------------


def update(round_: Round, **overrides) -> Round:
    arguments = {
        "round_": round_,
        "title": round_.title,
        "description": round_.description,
        "opens_on": round_.opens_on,
        "closes_on": round_.closes_on,
        "roles": list(round_.roles.all()),
        "values": list(round_.values.all()),
        "owners": list(round_.owners.all()),
    }
    arguments.update(overrides)
    return round_update(**arguments)


def test_round_update_refuses_dates_the_wrong_way_round_and_no_values(round_):
    with pytest.raises(RecruitmentError, match="close on or after"):
        update(round_, closes_on=round_.opens_on - timedelta(days=1))
    with pytest.raises(RecruitmentError, match="at least one value"):
        update(round_, values=[])


def test_round_update_refuses_a_reviewed_round(round_):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    with pytest.raises(RecruitmentError, match="reviewed"):
        update(round_, title="Another")


def test_round_update_keeps_values_once_scored_but_allows_the_same_values(round_, courage):
    scored(round_)
    with pytest.raises(RecruitmentError, match="scored"):
        update(round_, values=[*values_for_tests(), courage])
    assert update(round_, title="Same values").title == "Same values"


# --- Query counts ---------------------------------------------------------------------------


def test_edit_page_runs_a_fixed_number_of_queries(client_for, admin, round_, assert_fixed_queries):
    client = client_for(admin)

    def grow():
        for n in range(4):
            round_.roles.add(JobRole.objects.create(name=f"Role {n}"))
            round_.owners.add(UserFactory(is_staff=True))
            value = Value.objects.create(name=f"Value {n}", slug=f"value-{n}", meaning="Meant.")
            round_.values.add(value)
            ValueQuestion.objects.create(round=round_, value=value, text="Tell us.")

    assert_fixed_queries(lambda: client.get(edit_url(round_)), grow, most=14)


def test_edit_page_with_candidates_runs_a_fixed_number_of_queries(
    client_for, round_owner, round_, assert_fixed_queries
):
    client = client_for(round_owner)
    CandidateFactory(round=round_)

    def grow():
        for _ in range(3):
            scored(round_)
        CandidateFactory.create_batch(3, round=round_)

    assert_fixed_queries(lambda: client.get(edit_url(round_)), grow, most=14)
