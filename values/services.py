"""Writes about values and values-in-action stories."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from wellbeing.accounts.models import User
from wellbeing.errors import DomainError

from .models import STORY_BODY_MAX_LENGTH, Behaviour, Story, Value
from .permissions import can_withdraw_story, story_teams_for

TITLE_MAX_LENGTH = Story._meta.get_field("title").max_length


class ValuesError(DomainError):
    """A rule about values or stories was broken; the message says which, for a person to read."""


def _clean_story(*, title: str, body: str, values: Iterable[Value]) -> tuple[str, str, list[Value]]:
    title, body, values = title.strip(), body.strip(), list(values)
    if not title:
        raise ValuesError("Give your story a short title.")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValuesError(f"Keep the title to {TITLE_MAX_LENGTH} characters or fewer.")
    if not body:
        raise ValuesError("Tell the story: what happened?")
    if len(body) > STORY_BODY_MAX_LENGTH:
        raise ValuesError(f"Keep the story to {STORY_BODY_MAX_LENGTH:,} characters or fewer.")
    if not values:
        raise ValuesError("Choose at least one value the story shows.")
    retired = [value.name for value in values if not value.active]
    if retired:
        raise ValuesError(f"{', '.join(retired)} is no longer one of our values.")
    return title, body, values


def _check_team(*, author: User, team: Any | None, current_team_id: int | None = None) -> None:
    # Keeping the team a story already has is allowed even after its author has left it.
    if team is None or team.pk == current_team_id:
        return
    if not story_teams_for(author).filter(pk=team.pk).exists():
        raise ValuesError("You can only share a story with a team you are in or coach.")


@transaction.atomic
def story_create(
    *, author: User, title: str, body: str, values: Iterable[Value], team: Any | None = None
) -> Story:
    title, body, values = _clean_story(title=title, body=body, values=values)
    _check_team(author=author, team=team)
    story = Story.objects.create(author=author, team=team, title=title, body=body)
    story.values.set(values)
    return story


@transaction.atomic
def story_update(
    *,
    story: Story,
    by: User,
    title: str,
    body: str,
    values: Iterable[Value],
    team: Any | None = None,
) -> Story:
    if story.author_id != by.pk:
        raise ValuesError("Only the person who shared a story can change it.")
    title, body, values = _clean_story(title=title, body=body, values=values)
    _check_team(author=by, team=team, current_team_id=story.team_id)
    story.title, story.body, story.team = title, body, team
    story.save(update_fields=["title", "body", "team", "updated_at"])
    story.values.set(values)
    return story


@transaction.atomic
def story_withdraw(*, story: Story, by: User) -> None:
    """Erase a story: its author may, and an admin may, to moderate.

    Withdrawing is erasing, so the story's words go from its history too; what stays is the
    record that it was withdrawn, by whom and when.
    """
    if not can_withdraw_story(by, story):
        raise ValuesError("Only the person who shared a story, or an admin, can withdraw it.")
    story_id = story.pk
    story.delete()
    Story.history.filter(id=story_id).exclude(history_type="-").delete()
    Story.history.filter(id=story_id).update(title="(withdrawn)", body="")


@transaction.atomic
def value_create(
    *,
    name: str,
    meaning: str,
    looks_like: Sequence[str] = (),
    does_not_look_like: Sequence[str] = (),
    order: int = 0,
) -> Value:
    name = name.strip()
    slug = slugify(name)
    if not name or not slug:
        raise ValuesError("A value needs a name.")
    if Value.objects.filter(name__iexact=name).exists() or Value.objects.filter(slug=slug).exists():
        raise ValuesError(f"There is already a value called {name}.")
    value = Value.objects.create(name=name, slug=slug, meaning=meaning.strip(), order=order)
    Behaviour.objects.bulk_create(
        [
            Behaviour(value=value, kind=kind, text=text.strip(), order=position)
            for kind, texts in (
                (Behaviour.Kind.SHOWS, looks_like),
                (Behaviour.Kind.CONTRADICTS, does_not_look_like),
            )
            for position, text in enumerate(texts)
        ]
    )
    return value
