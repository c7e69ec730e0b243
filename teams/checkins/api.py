"""Check-ins and actions through the API: only the team, its coach and admins see them; the
coach (or an admin) records them; anyone in the team closes an action."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from values.models import Value
from wellbeing.api_fields import RecordIdField

from ..api import TeamPersonField, TeamRecordField, VisibleTeamField, team_filtered
from ..models import Decision, Pulse
from ..permissions import teams_visible_to
from . import services
from .models import Action, CheckIn


class ActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "team",
            "checkin",
            "text",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "closed_on",
            "overdue",
        ]


class CheckInSerializer(serializers.ModelSerializer):
    coach = serializers.CharField(
        source="coach.display_name", default=None, allow_null=True, read_only=True
    )
    attendees = serializers.SlugRelatedField(many=True, read_only=True, slug_field="display_name")
    values_lived = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    values_missing = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    decisions = RecordIdField(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "team",
            "planned_for",
            "held_on",
            "coach",
            "attendees",
            "brought",
            "pulse",
            "decisions",
            "values_lived",
            "values_missing",
            "notes",
            "actions",
        ]


class ActionDraftSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    owner = TeamPersonField(required=False, allow_null=True)
    due_on = serializers.DateField()


class RecordSerializer(serializers.Serializer):
    team = VisibleTeamField()
    held_on = serializers.DateField()
    attendees = TeamPersonField(many=True, required=False)
    brought = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    values_lived = RecordIdField(
        queryset=Value.objects.filter(active=True), many=True, required=False
    )
    values_missing = RecordIdField(
        queryset=Value.objects.filter(active=True), many=True, required=False
    )
    pulse = TeamRecordField(model=Pulse, required=False, allow_null=True)
    decisions = TeamRecordField(model=Decision, many=True, required=False)
    actions = ActionDraftSerializer(
        many=True,
        required=False,
        max_length=20,
        error_messages={"max_length": "Agree at most 20 actions at one check-in."},
    )
    actions_done = TeamRecordField(model=Action, many=True, required=False)

    def validate_actions(self, value):
        if len(value) > 20:
            raise ValidationError("Agree at most 20 actions at one check-in.")
        return value


class CheckInViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Check-ins of the teams the user sees, planned and held, with their actions.
    Filter with ?team=<id>."""

    serializer_class = CheckInSerializer

    def get_queryset(self):
        checkins = (
            CheckIn.objects.filter(team__in=teams_visible_to(self.request.user))
            .select_related("coach")
            .prefetch_related(
                "attendees", "values_lived", "values_missing", "decisions", "actions__owner"
            )
        )
        return team_filtered(self.request, checkins).order_by("-planned_for", "-pk")

    @extend_schema(request=RecordSerializer, responses=CheckInSerializer)
    def create(self, request, *args, **kwargs):
        incoming = RecordSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["actions"] = [
            services.ActionDraft(draft["text"], draft.get("owner"), draft["due_on"])
            for draft in data.get("actions", [])
        ]
        checkin = services.checkin_record(by=request.user, **data)
        return Response(
            CheckInSerializer(self.get_queryset().get(pk=checkin.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Action.Status.choices)


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions agreed at check-ins in the user's teams. Filter with ?team=<id>,
    ?status=open|done|dropped, ?mine=1 (the user's own)."""

    serializer_class = ActionSerializer

    def get_queryset(self):
        actions = Action.objects.filter(
            team__in=teams_visible_to(self.request.user)
        ).select_related("owner")
        actions = team_filtered(self.request, actions)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in Action.Status.values:
                raise ValidationError({"status": f"One of {', '.join(Action.Status.values)}."})
            actions = actions.filter(status=wanted)
        if self.request.query_params.get("mine") == "1":
            actions = actions.filter(owner=self.request.user)
        return actions.order_by("due_on", "pk")

    @extend_schema(request=ActionStatusSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        incoming = ActionStatusSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        changed = services.action_set_status(
            action=self.get_object(), status=incoming.validated_data["status"], by=request.user
        )
        return Response(ActionSerializer(changed).data)
