"""Journey: a candidate applies, is assessed by the panel, hears the outcome, and answers the
touch-point survey from the emailed link on their phone (a second tab left open is told kindly
that the answers were sent); another candidate is invited and moved back, and is told; staff
then see the baseline.

Everything real: the browser, a Celery worker on Redis, and an SMTP server receiving the mail.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recruitment.models import Round, SurveyAnswer, SurveyResponse, Workshop
from recruitment.services.rounds import panel_member_add, workshop_add
from tests.e2e.browsing import sign_in, visit
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from tests.recruitment.factories import CandidateFactory, open_round
from tests.services import assert_accessible, body_text, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

CANDIDATE = "robin.lake@example.org"
MOVED_BACK = "sky.rowe@example.org"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def path_in_mail(smtp_server, to: str, pattern: str, *, nth: int = 0) -> str:
    """The path of the link in the nth email to `to`, to open on the test's own server."""
    assert wait_until(lambda: len(smtp_server.to(to)) > nth, timeout=30), f"no email to {to}"
    link = re.search(pattern, body_text(smtp_server.to(to)[nth])).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def earlier_answers(round_: Round, count: int) -> None:
    """Two candidates answered already; the journey's answer makes the third (k = 3)."""
    for _ in range(count):
        response = SurveyResponse.objects.create(
            round=round_, group="unsuccessful", submitted_on=date(2026, 11, 1)
        )
        for touch_point in round_.touch_points.all():
            SurveyAnswer.objects.create(response=response, touch_point=touch_point, score=6)


def score_every_value(page, score: str, evidence: str) -> None:
    for group in page.locator("fieldset").all():
        group.get_by_label(re.compile(rf"^{score} –")).check()
    for box in page.get_by_label(re.compile("what you saw")).all():
        box.fill(evidence)
    page.get_by_role("button", name="Submit my scores").click()


def test_candidate_journey_from_application_to_survey_baseline(
    page, phone, celery_worker, smtp_server, settings
):
    settings.SURVEY_MIN_RESPONSES = 3
    # The browser fills the form faster than any person; the minimum time is tested elsewhere.
    settings.RECRUITMENT_APPLICATION_MIN_SECONDS = 0
    admin = UserFactory(
        email="ada.admin@example.org", display_name="Ada Admin", is_staff=True, with_mfa=True
    )
    round_ = open_round(title="Winter wellbeing workers", owners=[admin])
    workshop_add(
        round_=round_,
        starts_at=timezone.now() + timedelta(days=10),
        place="Riverside Community Hub",
    )
    panel_member_add(round_=round_, name="Ada Admin", email=admin.email, kind="staff")
    panel_member_add(round_=round_, name="Jean Holloway", email="jean@example.org", kind="expert")
    earlier_answers(round_, 2)

    # The candidate finds the round and applies on their phone; no account needed.
    visit(phone, "/recruitment/")
    phone.get_by_role("link", name=re.compile("Winter wellbeing workers")).first.click()
    assert_accessible(phone)
    phone.get_by_label("Your full name").fill("Robin Lake")
    phone.get_by_label("Your email address").fill(CANDIDATE)
    phone.get_by_label("Why does this work matter to you?").fill(
        "I cared for my dad and saw what good carers do."
    )
    for question in round_.questions.all():
        phone.get_by_label(question.text).fill("I sat with my neighbour every evening.")
    phone.get_by_label(re.compile("agree to be contacted")).check()
    phone.get_by_label(re.compile("privacy notice")).check()
    phone.get_by_role("button", name=re.compile("Send|Apply|Submit")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(re.compile("application", re.I))
    assert_accessible(phone)
    assert wait_until(lambda: smtp_server.to(CANDIDATE)), "the acknowledgement email arrives"

    # The admin invites them to the workshop, then marks them as having attended.
    sign_in(page, admin.email, PASSWORD, TOTP_SECRET)
    visit(page, f"/recruitment/rounds/{round_.pk}/")
    page.get_by_role("link", name="Robin Lake").first.click()
    assert_accessible(page)
    page.get_by_label("Invite to a workshop").check()
    page.get_by_label("Workshop", exact=True).select_option(index=1)
    page.get_by_role("button", name="Move").click()
    assert_accessible(page)
    # The workshop day comes.
    Workshop.objects.filter(round=round_).update(starts_at=timezone.now() - timedelta(hours=4))
    page.reload()
    page.get_by_label("Attended the workshop").check()
    page.get_by_role("button", name="Move").click()
    assert_accessible(page)

    # Each panel member scores alone. The admin first...
    visit(page, f"/recruitment/rounds/{round_.pk}/panel/")
    page.get_by_role("link", name=re.compile("Robin Lake")).first.click()
    assert_accessible(page)
    score_every_value(page, "4", "Listened more than she spoke; kind to the quiet ones.")
    assert_accessible(page)
    # ...then Jean, who has no account, from the link in her email.
    visit(
        phone, path_in_mail(smtp_server, "jean@example.org", r"http://\S+/recruitment/panel/\S+/")
    )
    phone.get_by_role("link", name=re.compile("Robin Lake")).first.click()
    assert_accessible(phone)
    score_every_value(phone, "2", "Talked over others in the group task.")
    expect(phone.get_by_text(re.compile("discuss", re.I)).first).to_be_visible()
    assert_accessible(phone)

    # The decision, then — separately — that it was communicated, which sends the survey.
    visit(page, f"/recruitment/rounds/{round_.pk}/")
    page.get_by_role("link", name="Robin Lake").first.click()
    received = [body_text(m) for m in smtp_server.to(CANDIDATE)]
    assert not any("/recruitment/survey/" in text for text in received), "no survey yet"
    page.get_by_label(re.compile("^Successful")).check()
    page.get_by_label("The reason").fill("Warm, curious, and the panel agreed after discussion.")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    page.get_by_label("By phone").check()
    page.get_by_role("button", name="Record that they have been told").click()
    assert_accessible(page)

    # Another candidate is invited and then moved back, by the admin on a phone: they are told
    # by email, and their page no longer shows the workshop.
    page.set_viewport_size({"width": 390, "height": 844})
    moved_back = CandidateFactory(round=round_, name="Sky Rowe", email=MOVED_BACK)
    later = workshop_add(
        round_=round_, starts_at=timezone.now() + timedelta(days=20), place="Northfield Library"
    )
    visit(page, f"/recruitment/candidates/{moved_back.pk}/")
    page.get_by_label("Invite to a workshop").check()
    page.get_by_label("Workshop", exact=True).select_option(value=str(later.pk))
    page.get_by_role("button", name="Move").click()
    assert_accessible(page)
    workshop_row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^\s*Workshop\s*$"))
    )
    expect(workshop_row).to_contain_text("Northfield Library")
    page.get_by_label(re.compile("^Back to applied")).check()
    page.get_by_role("button", name="Move").click()
    assert_accessible(page)
    workshop_row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^\s*Workshop\s*$"))
    )
    expect(workshop_row).not_to_contain_text("Northfield Library")
    expect(workshop_row).to_contain_text("Not invited yet")
    assert wait_until(
        lambda: any("cancel" in m["Subject"].lower() for m in smtp_server.to(MOVED_BACK)),
        timeout=30,
    ), "the moved-back candidate is told their place is cancelled"
    page.set_viewport_size({"width": 1024, "height": 800})

    # The survey email arrives at the SMTP server; the candidate answers on their phone.
    survey = r"http://\S+/recruitment/survey/[^/\s]+/"
    assert wait_until(
        lambda: any(re.search(survey, body_text(m)) for m in smtp_server.to(CANDIDATE)), timeout=30
    ), "the survey email arrives once the candidate has been told"
    nth = next(
        i for i, m in enumerate(smtp_server.to(CANDIDATE)) if re.search(survey, body_text(m))
    )
    link = path_in_mail(smtp_server, CANDIDATE, survey, nth=nth)
    visit(phone, link)
    # The link's token is traded for the session: the address bar no longer holds it.
    assert phone.url.endswith("/recruitment/survey/answer/")
    # The candidate opens the same link in a second tab, and leaves it there.
    second_tab = phone.context.new_page()
    second_tab.base_url = phone.base_url
    visit(second_tab, link)
    expect(second_tab.get_by_role("button", name="Send my answers")).to_be_visible()
    for index, touch_point in enumerate(round_.touch_points.order_by("order")):
        fieldset = phone.locator("fieldset", has_text=touch_point.name).first
        fieldset.get_by_label(str(7 + index % 3), exact=True).check()
    phone.get_by_label("What worked well?").first.fill("Clear, friendly information.")
    phone.get_by_label("How could we improve?").nth(2).fill("A shorter pack, please.")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(re.compile("thank", re.I))
    assert_accessible(phone)
    assert SurveyResponse.objects.filter(round=round_).count() == 3
    # Back in the second tab, sending again is explained kindly, and counts nothing twice.
    second_tab.bring_to_front()
    second_tab.locator("fieldset").first.get_by_label("5", exact=True).check()
    second_tab.get_by_role("button", name="Send my answers").click()
    expect(second_tab.get_by_role("heading", level=1)).to_contain_text("already sent")
    assert_accessible(second_tab)
    assert SurveyResponse.objects.filter(round=round_).count() == 3

    # Staff now see the baseline: three responses, so the numbers show.
    visit(page, f"/recruitment/rounds/{round_.pk}/report/")
    for summary in page.locator("main summary").all():  # open the candidates' own words
        summary.click()
    expect(page.get_by_text("A shorter pack, please.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Responses")
    assert "not enough" not in page.locator("main").inner_text().lower()
