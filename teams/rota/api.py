"""The rota's API under /api/v1/rota/: the same services and rules as the pages.

Every queryset starts from the teams the requesting user may see, so another team's rota is
404 here as on the pages. Lists of visits and shifts are always read a week at a time (a range
the indexes answer). A broken rota rule answers 400 with `{"detail": "<why>"}` and something
someone else changed first (an offer already taken) 409, through the project's one exception
handler (`wellbeing.api`): rota errors are `DomainError`s.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wellbeing.accounts.models import User
from wellbeing.api_fields import RecordIdField

from ..api import TeamPersonField
from ..forms import date_in_range
from ..models import Membership, Person, Team
from ..numbers import whole_number
from ..permissions import teams_visible_to
from . import services, swaps
from .clock import week_bounds, week_start
from .models import (
    Offer,
    Shift,
    Skill,
    SuggestedAssignment,
    Suggestion,
    TimeOff,
    Visit,
    VisitPattern,
    with_crew,
)

WEEK = OpenApiParameter(
    "week", OpenApiTypes.DATE, description="Any day of the week wanted (default: this week)"
)
TEAM = OpenApiParameter("team", OpenApiTypes.INT, description="Only this team")


def _week(request) -> tuple:
    raw = request.query_params.get("week", "")
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ValidationError({"week": "A date like 2026-03-02."}) from exc
    if day is not None and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ValidationError({"week": "Out of range."})
    return week_bounds(week_start(day or timezone.localdate()))


def _weekly(request, queryset):
    """A list read a week at a time (the range the indexes answer), optionally for one team."""
    since, until = _week(request)
    return _team_filter(request, queryset.between(since, until))


def _team_filter(request, queryset):
    raw = request.query_params.get("team")
    if raw is None:
        return queryset
    team_id = whole_number(raw)
    if team_id is None:
        raise ValidationError({"team": "A team id is a whole number."})
    return queryset.filter(team_id=team_id)


class KeepsToTheCalendar:
    """Every date and time the rota's API accepts lies between 2000 and 2100, as on its pages:
    a day far outside is a 400, not a visit nobody can open."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.DateField | serializers.DateTimeField) and (
                not field.read_only
            ):
                field.validators.append(date_in_range)
        return fields


class RotaWorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name"]


class VisitSerializer(KeepsToTheCalendar, serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.known_as", read_only=True)
    workers = serializers.SerializerMethodField()
    skills = RecordIdField(many=True, queryset=Skill.objects.all(), required=False)
    published = serializers.BooleanField(source="is_published", read_only=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "team",
            "person",
            "person_name",
            "start",
            "end",
            "care",
            "workers_needed",
            "skills",
            "status",
            "reason",
            "actual_start",
            "actual_end",
            "published",
            "workers",
        ]
        read_only_fields = ["status", "actual_start", "actual_end"]

    def get_workers(self, visit: Visit) -> list[dict]:
        return RotaWorkerSerializer([a.worker for a in visit.assignments.all()], many=True).data

    def validate(self, attrs):
        user = self.context["request"].user
        team = attrs.get("team")
        if team is not None and not teams_visible_to(user).filter(pk=team.pk).exists():
            raise ValidationError({"team": "No such team."})
        person = attrs.get("person")
        if person is not None and team is not None and person.team_id != team.pk:
            raise ValidationError({"person": "That person is not supported by this team."})
        return attrs


class VisitWorkerSerializer(serializers.Serializer):
    worker = TeamPersonField(current_only=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VisitRecordSerializer(KeepsToTheCalendar, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["done", "missed"])
    actual_start = serializers.DateTimeField(required=False, allow_null=True, default=None)
    actual_end = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VisitReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def _visible_visits(user):
    return (
        Visit.objects.filter(team__in=teams_visible_to(user))
        .select_related("person")
        .prefetch_related(
            "skills",
            with_crew("assignments"),
        )
        .order_by("start", "pk")
    )


@extend_schema(parameters=[TEAM, WEEK])
class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Visits of the teams you may see, a week at a time."""

    serializer_class = VisitSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = _visible_visits(self.request.user)
        return _weekly(self.request, queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.visit_create(
            team=data["team"],
            person=data["person"],
            start=data["start"],
            end=data["end"],
            care=data["care"],
            workers_needed=data.get("workers_needed", 1),
            skills=data.get("skills", []),
            by=self.request.user,
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        if "team" in data or "person" in data:
            raise ValidationError({"detail": "A visit stays with its team and person."})
        serializer.instance = services.visit_update(
            visit=serializer.instance,
            by=self.request.user,
            reason=data.get("reason", ""),
            start=data.get("start"),
            end=data.get("end"),
            care=data.get("care"),
            workers_needed=data.get("workers_needed"),
            skills=data.get("skills"),
        )

    def _fresh(self, visit: Visit) -> Response:
        return Response(
            VisitSerializer(
                self.get_queryset().get(pk=visit.pk), context={"request": self.request}
            ).data
        )

    @extend_schema(request=VisitWorkerSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        visit = self.get_object()
        choice = VisitWorkerSerializer(data=request.data, context={"request": request})
        choice.is_valid(raise_exception=True)
        services.visit_assign(visit=visit, worker=choice.validated_data["worker"], by=request.user)
        return self._fresh(visit)

    @extend_schema(request=VisitWorkerSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        visit = self.get_object()
        choice = VisitWorkerSerializer(data=request.data, context={"request": request})
        choice.is_valid(raise_exception=True)
        services.visit_unassign(
            visit=visit,
            worker=choice.validated_data["worker"],
            by=request.user,
            reason=choice.validated_data["reason"],
        )
        return self._fresh(visit)

    @extend_schema(request=VisitRecordSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        visit = self.get_object()
        outcome = VisitRecordSerializer(data=request.data)
        outcome.is_valid(raise_exception=True)
        data = outcome.validated_data
        services.visit_record(
            visit=visit,
            by=request.user,
            done=data["outcome"] == "done",
            actual_start=data["actual_start"],
            actual_end=data["actual_end"],
            reason=data["reason"],
        )
        return self._fresh(visit)

    @extend_schema(request=VisitReasonSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        visit = self.get_object()
        reason = VisitReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        services.visit_cancel(visit=visit, by=request.user, reason=reason.validated_data["reason"])
        return self._fresh(visit)


class ShiftSerializer(KeepsToTheCalendar, serializers.ModelSerializer):
    worker = TeamPersonField(current_only=False)

    class Meta:
        model = Shift
        fields = ["id", "team", "worker", "kind", "start", "end", "note"]

    def validate_team(self, team: Team) -> Team:
        if not teams_visible_to(self.context["request"].user).filter(pk=team.pk).exists():
            raise ValidationError("No such team.")
        return team


@extend_schema(parameters=[TEAM, WEEK])
class ShiftViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ShiftSerializer

    def get_queryset(self):
        queryset = Shift.objects.filter(team__in=teams_visible_to(self.request.user)).order_by(
            "start", "pk"
        )
        return _weekly(self.request, queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.shift_create(
            team=data["team"],
            worker=data["worker"],
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            note=data.get("note", ""),
            by=self.request.user,
        )

    def perform_destroy(self, instance):
        services.shift_delete(
            shift=instance, by=self.request.user, reason=self.request.query_params.get("reason", "")
        )


class PatternSerializer(KeepsToTheCalendar, serializers.ModelSerializer):
    skills = RecordIdField(many=True, queryset=Skill.objects.all(), required=False)

    class Meta:
        model = VisitPattern
        fields = [
            "id",
            "team",
            "person",
            "weekdays",
            "starts_at",
            "ends_at",
            "care",
            "workers_needed",
            "skills",
            "valid_from",
            "valid_until",
        ]
        read_only_fields = ["team"]

    def validate_person(self, person: Person) -> Person:
        if not Person.objects.filter(
            pk=person.pk, team__in=teams_visible_to(self.context["request"].user)
        ).exists():
            raise ValidationError("No such person.")
        return person


class PatternGenerateSerializer(KeepsToTheCalendar, serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=2**31)
    first_day = serializers.DateField()
    last_day = serializers.DateField()


class PatternViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Regular visits; changing one changes its visits from now on only."""

    serializer_class = PatternSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = (
            VisitPattern.objects.filter(team__in=teams_visible_to(self.request.user))
            .prefetch_related("skills")
            .order_by("pk")
        )
        return _team_filter(self.request, queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.pattern_create(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for fixed in ("person", "valid_from"):
            if fixed in data:
                raise ValidationError({fixed: "Make a new regular visit instead."})
        serializer.instance = services.pattern_update(
            pattern=serializer.instance, by=self.request.user, **data
        )

    @extend_schema(
        request=PatternGenerateSerializer,
        responses={
            201: inline_serializer("GeneratedVisits", {"created": serializers.IntegerField()})
        },
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def generate(self, request):
        period = PatternGenerateSerializer(data=request.data)
        period.is_valid(raise_exception=True)
        team = teams_visible_to(request.user).filter(pk=period.validated_data["team"]).first()
        if team is None:
            raise ValidationError({"team": "No such team."})
        created = services.visits_generate(
            team=team,
            first_day=period.validated_data["first_day"],
            last_day=period.validated_data["last_day"],
            by=request.user,
        )
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)


class TimeOffSerializer(KeepsToTheCalendar, serializers.ModelSerializer):
    worker = TeamPersonField(current_only=False)

    class Meta:
        model = TimeOff
        fields = ["id", "team", "worker", "kind", "first_day", "last_day", "note"]

    def validate_team(self, team: Team) -> Team:
        if not teams_visible_to(self.context["request"].user).filter(pk=team.pk).exists():
            raise ValidationError("No such team.")
        return team


class TimeOffViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TimeOffSerializer

    def get_queryset(self):
        queryset = TimeOff.objects.filter(team__in=teams_visible_to(self.request.user)).order_by(
            "first_day", "pk"
        )
        return _team_filter(self.request, queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        serializer.instance = services.time_off_add(
            by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.time_off_remove(leave=instance, by=self.request.user)


class AvailabilityWindowSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7)
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()


class AvailabilitySerializer(serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=2**31)
    windows = AvailabilityWindowSerializer(many=True, max_length=50)


class AvailabilityViewSet(viewsets.GenericViewSet):
    """Your own usual availability in a team; posting replaces it as a whole."""

    serializer_class = AvailabilitySerializer
    # One entry per team you are in: a handful, never pages.
    pagination_class = None

    def get_queryset(self):
        return Membership.objects.current().filter(user=self.request.user)

    def list(self, request):
        memberships = self.get_queryset().prefetch_related("availability")
        return Response(
            [
                {
                    "team": m.team_id,
                    "windows": AvailabilityWindowSerializer(m.availability.all(), many=True).data,
                }
                for m in memberships
            ]
        )

    def create(self, request):
        body = AvailabilitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = self.get_queryset().filter(team_id=body.validated_data["team"]).first()
        if membership is None:
            raise ValidationError({"team": "You are not a member of this team."})
        services.availability_set(
            membership=membership,
            windows=[
                (w["weekday"], w["starts_at"], w["ends_at"]) for w in body.validated_data["windows"]
            ],
            by=request.user,
        )
        return Response(body.validated_data, status=status.HTTP_201_CREATED)


class OfferSerializer(serializers.ModelSerializer):
    offered_to = TeamPersonField(current_only=False, required=False, allow_null=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "team",
            "visit",
            "shift",
            "offered_by",
            "offered_to",
            "note",
            "status",
            "taken_by",
            "start",
            "created_at",
        ]
        read_only_fields = ["team", "offered_by", "status", "taken_by", "start", "created_at"]


class OfferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Swaps: offer your visit or shift, take a colleague's, withdraw or decline."""

    serializer_class = OfferSerializer

    def get_queryset(self):
        queryset = Offer.objects.filter(team__in=teams_visible_to(self.request.user)).order_by(
            "-created_at"
        )
        return _team_filter(self.request, queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        visible = teams_visible_to(self.request.user)
        visit, shift = data.get("visit"), data.get("shift")
        for thing in (visit, shift):
            if thing is not None and not visible.filter(pk=thing.team_id).exists():
                raise ValidationError({"detail": "No such visit or shift."})
        serializer.instance = swaps.offer_make(
            by=self.request.user,
            visit=visit,
            shift=shift,
            to=data.get("offered_to"),
            note=data.get("note", ""),
        )

    def _act(self, action_function) -> Response:
        offer = action_function(offer=self.get_object(), by=self.request.user)
        return Response(OfferSerializer(offer).data)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(swaps.offer_accept)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(swaps.offer_withdraw)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(swaps.offer_decline)


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuggestedAssignment
        fields = ["id", "visit", "worker", "explanation", "decision", "refusal"]


@extend_schema_serializer(component_name="RotaSuggestion")
class SuggestionSerializer(KeepsToTheCalendar, serializers.ModelSerializer):
    proposals = ProposalSerializer(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "team", "week_starts_on", "status", "summary", "created_at", "proposals"]
        read_only_fields = ["status", "summary", "created_at"]

    def validate_team(self, team: Team) -> Team:
        if not teams_visible_to(self.context["request"].user).filter(pk=team.pk).exists():
            raise ValidationError("No such team.")
        return team


class SuggestionDecisionSerializer(serializers.Serializer):
    accept = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=5000
    )


class SuggestionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Ask the solver to fill a week's gaps; then take all, some or none of its proposals."""

    serializer_class = SuggestionSerializer

    def get_queryset(self):
        queryset = Suggestion.objects.filter(team__in=teams_visible_to(self.request.user))
        if self.action != "list":
            queryset = queryset.prefetch_related("proposals")
        return _team_filter(self.request, queryset).order_by("-created_at")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.suggestion_create(
            team=data["team"], monday=week_start(data["week_starts_on"]), by=self.request.user
        )

    @extend_schema(request=SuggestionDecisionSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        suggestion = self.get_object()
        body = SuggestionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.suggestion_decide(
            suggestion=suggestion, accept_ids=body.validated_data["accept"], by=request.user
        )
        return Response(SuggestionSerializer(self.get_queryset().get(pk=suggestion.pk)).data)


class PublishWeekSerializer(KeepsToTheCalendar, serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=2**31)
    week = serializers.DateField(help_text="Any day of the week to publish.")


class WeekViewSet(viewsets.GenericViewSet):
    """Publish a week: each member is sent their week, and later changes are told."""

    serializer_class = PublishWeekSerializer

    def get_queryset(self):
        return teams_visible_to(self.request.user)

    def create(self, request):
        body = PublishWeekSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = self.get_queryset().filter(pk=body.validated_data["team"]).first()
        if team is None:
            raise ValidationError({"team": "No such team."})
        week = services.week_publish(
            team=team, monday=week_start(body.validated_data["week"]), by=request.user
        )
        return Response(
            {"team": team.pk, "week": week.starts_on, "published_at": week.published_at},
            status=status.HTTP_201_CREATED,
        )


ROUTES = [
    ("rota/visits", VisitViewSet, "rota-visit"),
    ("rota/shifts", ShiftViewSet, "rota-shift"),
    ("rota/patterns", PatternViewSet, "rota-pattern"),
    ("rota/time-off", TimeOffViewSet, "rota-time-off"),
    ("rota/availability", AvailabilityViewSet, "rota-availability"),
    ("rota/offers", OfferViewSet, "rota-offer"),
    ("rota/suggestions", SuggestionViewSet, "rota-suggestion"),
    ("rota/published-weeks", WeekViewSet, "rota-week"),
]
