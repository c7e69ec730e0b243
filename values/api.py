from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.settings import api_settings

from wellbeing.api_fields import RecordIdField

from . import selectors, services
from .models import STORY_BODY_MAX_LENGTH, Behaviour, Story, Value
from .permissions import story_teams_for


class BehaviourSerializer(serializers.ModelSerializer):
    class Meta:
        model = Behaviour
        fields = ["kind", "text"]


class ValueSerializer(serializers.ModelSerializer):
    behaviours = BehaviourSerializer(many=True, read_only=True)

    class Meta:
        model = Value
        fields = ["id", "name", "slug", "meaning", "order", "behaviours"]


class ValueViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation's values, with what they look like and do not look like."""

    serializer_class = ValueSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.value_list()


class StorySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)
    body = serializers.CharField(max_length=STORY_BODY_MAX_LENGTH)
    values = RecordIdField(many=True, queryset=Value.objects.filter(active=True), allow_empty=False)
    # The real choices depend on who asks; get_fields() puts them in.
    team = RecordIdField(queryset=Story.objects.none(), allow_null=True, default=None)
    is_mine = serializers.SerializerMethodField()

    class Meta:
        model = Story
        fields = [
            "id",
            "title",
            "body",
            "values",
            "team",
            "author",
            "is_mine",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = request.user if request is not None else AnonymousUser()
        # Only teams the author may see can be named; editing keeps the story's own team.
        current = self.instance.team_id if isinstance(self.instance, Story) else None
        fields["team"].queryset = story_teams_for(user, including=current)
        return fields

    def get_is_mine(self, story: Story) -> bool:
        request = self.context.get("request")
        return request is not None and story.author_id == request.user.pk


def _as_validation_error(exc: services.ValuesError) -> serializers.ValidationError:
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})


class StoryViewSet(viewsets.ModelViewSet):
    """Values-in-action stories the requesting user may read; they change only their own.

    Stories with no team are read by everyone; a team's stories by whoever may see the team.
    Only the author edits a story; the author, or an admin moderating, withdraws (deletes) it.
    """

    serializer_class = StorySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        stories = selectors.story_list(user=user)
        if self.action in {"update", "partial_update"} or (
            self.action == "destroy" and not user.is_org_admin
        ):
            return stories.filter(author_id=user.pk)
        return stories

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.story_create(
                author=self.request.user,
                title=data["title"],
                body=data["body"],
                values=data["values"],
                team=data.get("team"),
            )
        except services.ValuesError as exc:
            raise _as_validation_error(exc) from exc

    def perform_update(self, serializer):
        story, data = serializer.instance, serializer.validated_data
        try:
            serializer.instance = services.story_update(
                story=story,
                by=self.request.user,
                title=data.get("title", story.title),
                body=data.get("body", story.body),
                values=data.get("values", story.values.all()),
                team=data.get("team", story.team),
            )
        except services.ValuesError as exc:
            raise _as_validation_error(exc) from exc

    def perform_destroy(self, instance):
        try:
            services.story_withdraw(story=instance, by=self.request.user)
        except services.ValuesError as exc:
            raise PermissionDenied(str(exc)) from exc
