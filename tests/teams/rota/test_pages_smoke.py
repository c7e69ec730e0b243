from datetime import timedelta

import pytest
from django.urls import reverse

from tests.teams.rota.conftest import visit_at

pytestmark = pytest.mark.django_db


def test_pages_render(client_for, member, colleague, person, team, monday, published):
    visit_at(
        person, monday, 8, assigned=[member, colleague], published_at=published, workers_needed=2
    )
    visit_at(person, monday + timedelta(days=1), 9, assigned=[member], published_at=published)
    visit_at(person, monday + timedelta(days=2), 9)
    client = client_for(member)
    for url in [
        reverse("teams:rota:my_week") + f"?week={monday}",
        reverse("teams:rota:team", args=[team.pk]) + f"?week={monday}",
        reverse("teams:rota:patterns", args=[team.pk]),
        reverse("teams:rota:skills", args=[team.pk]),
        reverse("teams:rota:time", args=[team.pk]),
        reverse("teams:rota:swaps", args=[team.pk]),
        reverse("teams:rota:hours", args=[team.pk]),
        reverse("teams:rota:person", args=[person.pk]),
        reverse("teams:rota:person_week", args=[person.pk]) + f"?week={monday}",
        reverse("teams:rota:calendar"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
