"""A form sent twice (a double tap, a phone sending again on a poor signal) is acted on once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from teams.models import TimeOff
from tests import factories
from wellbeing import once

KEY = "3f2b9c0d8e7a4b1c9d0e1f2a3b4c5d6e"


def time_off(team, worker, key: str | None = KEY, **changes) -> dict:
    first = timezone.localdate() + timedelta(days=7)
    data = {
        "action": "time_off",
        "worker": worker.pk,
        "kind": "holiday",
        "first_day": first,
        "last_day": first + timedelta(days=2),
        **changes,
    }
    if key is not None:
        data[once.ONCE_FIELD] = key
    return data


@pytest.fixture
def colleague(team):
    return factories.MembershipFactory(team=team).user


@pytest.fixture
def url(team):
    return reverse("teams:rota:time", args=[team.pk])


def test_the_same_form_sent_twice_saves_once_and_both_land_on_the_same_page(
    client_for, member, team, url
):
    client = client_for(member)
    first = client.post(url, time_off(team, member))
    second = client.post(url, time_off(team, member))
    assert first.status_code == 302
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    assert TimeOff.objects.count() == 1


def test_a_new_key_is_a_new_submission(client_for, member, team, url):
    client = client_for(member)
    client.post(url, time_off(team, member))
    client.post(url, time_off(team, member, key="another-key-0123456789"))
    assert TimeOff.objects.count() == 2


def test_a_form_shown_again_with_its_errors_can_be_corrected_and_sent_with_the_same_key(
    client_for, member, team, url
):
    client = client_for(member)
    refused = client.post(url, time_off(team, member, kind=""))
    assert refused.status_code == 400
    assert TimeOff.objects.count() == 0
    saved = client.post(url, time_off(team, member))
    assert saved.status_code == 302
    assert TimeOff.objects.count() == 1


def test_a_key_means_nothing_to_anyone_else(client_for, member, colleague, team, url):
    client_for(member).post(url, time_off(team, member))
    theirs = client_for(colleague).post(url, time_off(team, colleague))
    assert theirs.status_code == 302
    assert TimeOff.objects.count() == 2


def test_a_second_send_while_the_first_is_still_at_work_is_refused_kindly(
    client_for, member, team, url, monkeypatch
):
    monkeypatch.setattr(once, "WAIT_SECONDS", 0.2)
    client = client_for(member)
    request = client.post(url, time_off(team, member, key=None)).wsgi_request
    cache.set(once._cache_key(request, KEY), once.PENDING)
    response = client.post(url, time_off(team, member))
    assert response.status_code == 409
    assert "not saved" in response.content.decode()
    assert TimeOff.objects.count() == 1  # the one sent without a key


@pytest.mark.parametrize("key", ["short", "x" * 65, "<script>alert(1)</script>-abcdef", ""])
def test_a_key_of_the_wrong_shape_is_ignored_not_trusted(client_for, member, team, url, key):
    client = client_for(member)
    client.post(url, time_off(team, member, key=key))
    client.post(url, time_off(team, member, key=key))
    assert TimeOff.objects.count() == 2
