"""Absolute links are URL names reversed against SITE_URL, so a site that moves moves every link,
whatever host a request happened to use."""

from __future__ import annotations

import pytest

from recruitment.models import Candidate, PanelMember
from recruitment.services.decisions import candidate_communicate
from recruitment.services.rounds import panel_member_add
from tests.recruitment.factories import CandidateFactory
from wellbeing.links import absolute_reverse, absolute_url
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "site_url", ["https://care.example.org", "https://care.example.org/"], ids=["bare", "slash"]
)
def test_a_link_is_the_url_name_reversed_against_the_site_url(settings, site_url):
    settings.SITE_URL = site_url
    assert absolute_reverse("recruitment:open_rounds") == "https://care.example.org/recruitment/"
    assert absolute_url("/privacy/") == "https://care.example.org/privacy/"


def test_a_link_keeps_the_port_the_site_is_served_on(settings):
    settings.SITE_URL = "http://127.0.0.1:8080"
    assert absolute_reverse("recruitment:apply", args=["spring"]).startswith(
        "http://127.0.0.1:8080/recruitment/apply/spring/"
    )


def test_recruitments_emails_link_to_the_site_url(settings, round_, round_owner):
    settings.SITE_URL = "https://care.example.org:8443"
    candidate = CandidateFactory(round=round_, stage=Candidate.Stage.SUCCESSFUL)
    candidate_communicate(candidate=candidate, how="phone", by=round_owner)
    panel_member_add(
        round_=round_, name="Pat", email="pat@example.org", kind=PanelMember.Kind.EXPERT
    )
    survey = OutboxEmail.objects.get(idempotency_key__startswith="survey-invite:")
    panel = OutboxEmail.objects.get(idempotency_key__startswith="panel-invite:")
    assert "https://care.example.org:8443/recruitment/survey/" in survey.body_text
    assert "https://care.example.org:8443/recruitment/panel/" in panel.body_text
    for email in (survey, panel):
        assert "testserver" not in email.body_text
        assert "http://127.0.0.1:8000" not in email.body_text
