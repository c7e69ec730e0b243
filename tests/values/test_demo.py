"""The demo shows the values and stories across the year, and is safe to run again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from values.models import Behaviour, Story, Value
from wellbeing.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_has_six_values_with_behaviours_and_stories_and_runs_twice():
    seed_demo()
    seed_demo()
    assert list(Value.objects.values_list("slug", flat=True)) == [
        "compassion",
        "responsibility",
        "collaboration",
        "curiosity",
        "creativity",
        "flourishing",
    ]
    for value in Value.objects.all():
        assert value.behaviours.filter(kind=Behaviour.Kind.SHOWS).count() == 3
        assert value.behaviours.filter(kind=Behaviour.Kind.CONTRADICTS).count() == 2
    stories = Story.objects.all()
    assert stories.count() == 8
    assert all(story.values.exists() for story in stories)
    months = {timezone.localtime(story.created_at).strftime("%Y-%m") for story in stories}
    assert len(months) >= 6
