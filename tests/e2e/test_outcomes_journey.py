"""Journey: a worker sets an outcome with Peggy, with its five levels in her words, and records
a review; the worker invites Peggy to sign in, with her consent recorded; Peggy signs in on her
phone, sees the outcome and the review, adds her own view, and reads her monthly statement with
its hours and her outcomes; she suggests something new, and the worker takes it up with her as
a new outcome and answers. Every page is checked with axe-core."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from outcomes.models import Review
from teams.rota.models import Visit
from tests.e2e.browsing import visit
from tests.factories import PASSWORD, MembershipFactory, VisitFactory
from tests.outcomes.factories import ServiceFundFactory
from tests.services import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
PEGGY_PASSWORD = "bread-pudding-on-sundays-1938"


@pytest.fixture
def worker(team):
    return MembershipFactory(
        team=team, user__display_name="Amara Okafor", user__email="amara@example.org"
    ).user


@pytest.fixture
def rota(person, worker):
    """Peggy's fund, a done visit this month (hours delivered) and who is coming this week."""
    today = timezone.localdate()
    ServiceFundFactory(
        person=person, starts=today.replace(day=1) - timedelta(days=90), hours_per_week=Decimal(7)
    )
    month_start = datetime.combine(today.replace(day=1), time(0, 5), tzinfo=LONDON)
    VisitFactory(
        person=person,
        start=month_start,
        end=month_start + timedelta(minutes=90),
        status=Visit.Status.DONE,
        assigned=[worker],
    )
    start = datetime.combine(today, time(12, 0), tzinfo=LONDON)
    VisitFactory(
        person=person,
        start=start,
        end=start + timedelta(hours=1),
        care="Walk to the shop",
        published_at=timezone.now(),
        assigned=[worker],
    )


def sign_in(page, email: str, password: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_worker_records_an_outcome_and_peggy_adds_her_view_on_her_phone(
    page, browser, live_server, person, worker, rota
):
    # The worker sets an outcome with Peggy, in her words, describing all five levels.
    sign_in(page, worker.email, PASSWORD)
    page.get_by_role("link", name="Outcomes", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Peggy").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set a new outcome with Peggy").click()
    assert_accessible(page)
    page.get_by_label("The outcome, in their own words").fill(
        "I want to walk to the shop on my own by spring"
    )
    page.get_by_label("Doing things for myself").check()
    page.get_by_label("Goal Attainment Scaling").check()
    page.get_by_label("Much less than expected (−2)").fill("I do not leave the house")
    page.get_by_label("Less than expected (−1)").fill("I walk to the gate with someone")
    page.get_by_label("As expected (0)").fill("I walk to the shop with someone beside me")
    page.get_by_label("More than expected (+1)", exact=True).fill(
        "I walk to the shop with someone behind me"
    )
    page.get_by_label("Much more than expected (+2)").fill("I walk to the shop on my own")
    page.get_by_label("Where they are now").fill("-1")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Outcome saved.")).to_be_visible()
    assert_accessible(page)

    # …and records a review: Peggy was not there, so only the worker's view for now.
    page.get_by_role("link", name="Record a review").click()
    assert_accessible(page)
    page.get_by_role("group", name="Your rating").get_by_label("0: As expected").check()
    page.get_by_label("Your view").fill("Walked to the shop with me, a rest on the bench")
    page.get_by_label("What will change").fill("Try with me walking behind")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Review saved.")).to_be_visible()
    assert_accessible(page)

    # With Peggy's agreement recorded, the worker invites her to sign in.
    page.get_by_role("link", name="Peggy’s record").click()
    page.get_by_role("link", name="Invite Peggy or their family to sign in").click()
    assert_accessible(page)
    page.get_by_label("Their name").fill("Margaret Ellis")
    page.get_by_label("Their email address").fill("peggy@example.org")
    page.get_by_label("The person themselves").check()
    page.get_by_label("They decided themselves").check()
    page.get_by_label("Agreed on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record agreement and send invitation").click()
    expect(page.get_by_text("invitation sent to peggy@example.org")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Peggy opens the link on her phone and chooses a password.
    link = re.search(r"/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    phone = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844}).new_page()
    phone.base_url = live_server.url
    visit(phone, link)
    expect(phone.get_by_text("able to see and add to your own record")).to_be_visible()
    phone.get_by_label("Choose a password").fill(PEGGY_PASSWORD)
    phone.get_by_label("Type the password again").fill(PEGGY_PASSWORD)
    phone.get_by_role("button", name="Create my account").click()

    # Her own page: who is coming this week, and her outcome with the worker's review.
    expect(phone.get_by_role("heading", name="Hello, Peggy")).to_be_visible()
    assert_accessible(phone)
    expect(phone.get_by_text("Amara Okafor").first).to_be_visible()
    expect(phone.get_by_text("Walk to the shop, until 1pm")).to_be_visible()
    phone.get_by_role("link", name="“I want to walk to the shop on my own by spring”").click()
    assert_accessible(phone)
    expect(phone.get_by_text("Walked to the shop with me, a rest on the bench")).to_be_visible()

    # She adds her own view; it differs from the worker's, and both are kept.
    phone.get_by_role("link", name=re.compile("Add your view")).click()
    assert_accessible(phone)
    # She chooses by what it looks like for her goal, in words: the number is for the team.
    phone.get_by_label("“I walk to the shop with someone behind me” (more than expected)").check()
    phone.get_by_label("How is it going? In your own words").fill(
        "I did it with Amara behind me! I did not need her."
    )
    phone.get_by_role("button", name="Save my view").click()
    expect(phone.get_by_text("Thank you. Your view is saved")).to_be_visible()
    expect(phone.get_by_text("Views differ").first).to_be_visible()
    assert_accessible(phone)
    review = Review.objects.get()
    assert (review.level, review.person_level, review.worker_level) == (1, 1, 0)

    # Her statement for this month: hours delivered from the rota, and her outcome in her words.
    phone.get_by_role("link", name="Your page").click()
    phone.get_by_role("link", name="Your support hours and money this month").click()
    assert_accessible(phone)
    hours = phone.get_by_role("row", name=re.compile("Delivered"))
    expect(hours).to_contain_text("1 hour 30 minutes")
    expect(phone.get_by_text("I did it with Amara behind me! I did not need her.")).to_be_visible()

    # She suggests something new to work towards…
    phone.get_by_role("link", name="Your page").click()
    phone.get_by_role("link", name="Suggest a change").click()
    assert_accessible(phone)
    phone.get_by_label("Something new I want to work towards").check()
    phone.get_by_label("Your suggestion").fill("I want to go swimming again")
    phone.get_by_role("button", name="Send suggestion").click()
    expect(phone.get_by_text("Thank you. The team will talk it through")).to_be_visible()
    assert_accessible(phone)

    # …and Amara takes it up with her: a new outcome that starts from Peggy's words, then an
    # answer Peggy reads on her page.
    sign_in(page, worker.email, PASSWORD)
    page.get_by_role("link", name="Peggy: something new to work towards").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set it up as a new outcome, in their words").click()
    assert_accessible(page)
    expect(page.get_by_label("The outcome, in their own words")).to_have_value(
        "I want to go swimming again"
    )
    page.get_by_label("Health and feeling well").check()
    page.get_by_label("How close am I? (1 to 10)").check()
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Now tell them what you changed")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What to tell them").fill("Done, Peggy: Thursdays at the pool, with me.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("They will see your answer.")).to_be_visible()
    assert_accessible(page)
    phone.reload()
    expect(phone.get_by_text("Done, Peggy: Thursdays at the pool, with me.")).to_be_visible()
    expect(phone.get_by_role("link", name="“I want to go swimming again”")).to_be_visible()
    assert_accessible(phone)

    # Her record is all she sees: a staff page is not found.
    visit(phone, "/teams/")
    expect(phone.get_by_role("heading", name="Page not found")).to_be_visible()
    phone.context.close()
