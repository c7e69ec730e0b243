from __future__ import annotations

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wellbeing.accounts.models import User
from wellbeing.api_fields import WholeIdMixin

from . import selectors
from .models import Membership, Person, Team
from .permissions import teams_visible_to


class MemberSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="user.display_name")

    class Meta:
        model = Membership
        fields = ["id", "display_name", "joined", "contracted_hours"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "preferred_name", "started", "status"]


class TeamSerializer(serializers.ModelSerializer):
    coach = serializers.CharField(
        source="coach.display_name", default=None, allow_null=True, read_only=True
    )
    member_count = serializers.IntegerField(read_only=True)
    people_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "locality", "coach", "member_count", "people_count"]


class TeamDetailSerializer(TeamSerializer):
    members = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "members", "people"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, team: Team) -> list[dict]:
        return MemberSerializer(self.context["detail"]["members"], many=True).data

    @extend_schema_field(PersonSerializer(many=True))
    def get_people(self, team: Team) -> list[dict]:
        return PersonSerializer(self.context["detail"]["people"], many=True).data


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Teams the requesting user may see: their own, those they coach, or all for an admin."""

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)

    def get_serializer_class(self):
        return TeamDetailSerializer if self.action == "retrieve" else TeamSerializer

    def retrieve(self, request, *args, **kwargs):
        team = self.get_object()
        context = {**self.get_serializer_context(), "detail": selectors.team_detail(team=team)}
        return Response(TeamDetailSerializer(team, context=context).data)


# --- What the team's own features share in the API ----------------------------------------------


def team_filtered(request, queryset, field: str = "team_id"):
    """Narrow a list to one of the user's teams with ?team=<id>; a malformed id is a 400."""
    value = request.query_params.get("team")
    if not value:
        return queryset
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        raise ValidationError({"team": "A team id is a whole number."})
    return queryset.filter(**{field: int(value)})


@extend_schema_field(OpenApiTypes.INT)
class VisibleTeamField(WholeIdMixin, serializers.PrimaryKeyRelatedField):
    """A team the requesting user may see; any other id is "does not exist", whether it does
    or not."""

    def get_queryset(self):
        request = self.context.get("request")
        return teams_visible_to(request.user) if request else Team.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class TeamRecordField(WholeIdMixin, serializers.PrimaryKeyRelatedField):
    """A record (a pulse, a decision, an action) of a team the requesting user may see; an id
    from any other team is "does not exist", so its existence is never confirmed."""

    def __init__(self, *, model, team_field: str = "team", **kwargs):
        self.model, self.team_field = model, team_field
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        teams = teams_visible_to(request.user) if request else Team.objects.none()
        return self.model.objects.filter(**{f"{self.team_field}__in": teams})


@extend_schema_field(OpenApiTypes.INT)
class TeamPersonField(WholeIdMixin, serializers.PrimaryKeyRelatedField):
    """Someone in (or coaching) a team the requesting user may see. Anyone else's id is "does
    not exist", never "X is not in the team": an id must not reveal a stranger's name."""

    def __init__(self, *, current_only: bool = True, **kwargs):
        # The rota plans ahead and looks back: there anyone who has been, is or will be in
        # the team may be named, and the service checks the dates.
        self.current_only = current_only
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        teams = teams_visible_to(request.user)
        memberships = Membership.objects.current() if self.current_only else Membership.objects
        members = memberships.filter(team__in=teams).values("user_id")
        return User.objects.filter(
            Q(pk__in=members) | Q(pk__in=teams.values("coach_id")), is_active=True
        )
