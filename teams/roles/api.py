"""Roles and who holds them, through the API: the same services and permissions as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wellbeing.api_fields import RecordIdField

from ..api import VisibleTeamField, team_filtered
from ..models import Membership, Team
from ..permissions import teams_visible_to
from . import services
from .models import Role, RoleAssignment, RoleTemplate


class HolderSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="membership.user.display_name")

    class Meta:
        model = RoleAssignment
        fields = ["id", "member", "started", "review_on", "chosen_how"]


class RoleSerializer(serializers.ModelSerializer):
    accountabilities = serializers.ListField(source="accountability_list", read_only=True)
    holders = HolderSerializer(source="current_holders", many=True, read_only=True)

    class Meta:
        model = Role
        fields = [
            "id",
            "team",
            "name",
            "purpose",
            "accountabilities",
            "term_months",
            "template",
            "retired_on",
            "holders",
        ]


class RoleCreateSerializer(serializers.Serializer):
    team = VisibleTeamField()
    name = serializers.CharField(max_length=120)
    purpose = serializers.CharField(max_length=1000)
    accountabilities = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    term_months = serializers.IntegerField(min_value=1, max_value=36, default=12)
    template = RecordIdField(queryset=RoleTemplate.objects.all(), required=False, allow_null=True)


class RoleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The roles of the teams the user sees, each with its current holders (none: a gap).
    Filter with ?team=<id>."""

    serializer_class = RoleSerializer

    def get_queryset(self):
        current = RoleAssignment.objects.current().select_related("membership__user")
        roles = Role.objects.filter(team__in=teams_visible_to(self.request.user)).prefetch_related(
            Prefetch("assignments", queryset=current, to_attr="current_holders")
        )
        return team_filtered(self.request, roles).order_by("team_id", "name", "pk")

    @extend_schema(request=RoleCreateSerializer, responses=RoleSerializer)
    def create(self, request, *args, **kwargs):
        incoming = RoleCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        role = services.role_create(by=request.user, **incoming.validated_data)
        role.current_holders = []
        return Response(RoleSerializer(role).data, status=status.HTTP_201_CREATED)


class RoleAssignmentSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(source="role.team_id", read_only=True)
    role_name = serializers.CharField(source="role.name", read_only=True)
    member = serializers.CharField(source="membership.user.display_name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "team",
            "role",
            "role_name",
            "membership",
            "member",
            "started",
            "ended",
            "review_on",
            "chosen_how",
        ]


class AssignSerializer(serializers.Serializer):
    role = RecordIdField(queryset=Role.objects.none())
    membership = RecordIdField(queryset=Membership.objects.none())
    chosen_how = serializers.ChoiceField(choices=RoleAssignment.Chosen.choices)
    started = serializers.DateField(required=False)
    review_on = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        teams = teams_visible_to(request.user) if request else Team.objects.none()
        self.fields["role"].queryset = Role.objects.filter(team__in=teams)
        self.fields["membership"].queryset = Membership.objects.filter(team__in=teams)


class EndSerializer(serializers.Serializer):
    ended = serializers.DateField(required=False)


@extend_schema_serializer(component_name="RoleAssignmentReview")
class ReviewSerializer(serializers.Serializer):
    review_on = serializers.DateField()


class RoleAssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Every term of every role in the user's teams, past and present: the role history.
    Filter with ?team=<id>."""

    serializer_class = RoleAssignmentSerializer

    def get_queryset(self):
        terms = RoleAssignment.objects.filter(
            role__team__in=teams_visible_to(self.request.user)
        ).select_related("role", "membership__user")
        return team_filtered(self.request, terms, "role__team_id").order_by("-started", "-pk")

    @extend_schema(request=AssignSerializer, responses=RoleAssignmentSerializer)
    def create(self, request, *args, **kwargs):
        incoming = AssignSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        term = services.role_assign(by=request.user, **incoming.validated_data)
        return Response(RoleAssignmentSerializer(term).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=RoleAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        incoming = EndSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        term = services.role_assignment_end(
            assignment=self.get_object(), by=request.user, **incoming.validated_data
        )
        return Response(RoleAssignmentSerializer(term).data)

    @extend_schema(request=ReviewSerializer, responses=RoleAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        incoming = ReviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        term = services.role_assignment_review(
            assignment=self.get_object(), by=request.user, **incoming.validated_data
        )
        return Response(RoleAssignmentSerializer(term).data)
