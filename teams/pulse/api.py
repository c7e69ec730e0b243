"""The pulse through the API: aggregates only, never an answer or a comment, and nothing at all
for a pulse that is open or that too few members answered."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..api import team_filtered
from ..permissions import teams_visible_to
from . import selectors, services
from .models import Pulse, PulseResult
from .services import COMMENT_MAX_LENGTH


class ScoreSerializer(serializers.Serializer):
    key = serializers.CharField(source="statement.key")
    text = serializers.CharField(source="statement.text")
    mean = serializers.DecimalField(source="score.mean", max_digits=3, decimal_places=2)
    words = serializers.CharField(source="score.words")
    trend = serializers.CharField(source="score.trend.direction")


class PulseSerializer(serializers.ModelSerializer):
    """A pulse's figures. `results` and `overall` are null unless the pulse has closed with at
    least `min_responses` answers; `answered` is a count, and only while the pulse is open."""

    is_open = serializers.BooleanField(read_only=True)
    published = serializers.BooleanField(source="is_published", read_only=True)
    min_responses = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    responses = serializers.SerializerMethodField()
    overall = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    class Meta:
        model = Pulse
        fields = [
            "id",
            "team",
            "opened_at",
            "closes_at",
            "closed_at",
            "is_open",
            "invited_count",
            "answered",
            "min_responses",
            "published",
            "responses",
            "overall",
            "results",
        ]

    def get_min_responses(self, pulse: Pulse) -> int:
        return settings.PULSE_MIN_RESPONSES

    def get_answered(self, pulse: Pulse) -> int | None:
        return pulse.answered_count if pulse.is_open else None

    def get_responses(self, pulse: Pulse) -> int | None:
        return pulse.response_count if pulse.is_published else None

    @extend_schema_field(serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True))
    def get_overall(self, pulse: Pulse):
        return f"{pulse.overall:.2f}" if pulse.is_published else None

    @extend_schema_field(ScoreSerializer(many=True, allow_null=True))
    def get_results(self, pulse: Pulse) -> list[dict] | None:
        if not pulse.is_published:
            return None
        return ScoreSerializer(self.context.get("scores", {}).get(pulse.pk, []), many=True).data


class AnswerSerializer(serializers.Serializer):
    ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        help_text="Each statement's key with a rating from 1 (strongly disagree) to 5.",
    )
    comments = serializers.DictField(
        child=serializers.CharField(max_length=COMMENT_MAX_LENGTH, allow_blank=True),
        required=False,
    )


class PulseViewSet(viewsets.ReadOnlyModelViewSet):
    """Pulses of the user's teams with their published averages. Filter with ?team=<id>."""

    serializer_class = PulseSerializer

    def get_queryset(self):
        results = PulseResult.objects.select_related("statement").order_by("statement__order", "pk")
        pulses = (
            Pulse.objects.filter(team__in=teams_visible_to(self.request.user))
            .annotate(answered_count=Count("participations", distinct=True))
            .prefetch_related(Prefetch("results", queryset=results))
        )
        return team_filtered(self.request, pulses).order_by("-opened_at", "-pk")

    def _scores(self, pulses) -> dict[int, list]:
        """Each published pulse's statement averages, with the trend where the previous
        published pulse of its team is on hand."""
        published = [pulse for pulse in pulses if pulse.is_published]
        by_team: dict[int, list[Pulse]] = {}
        for pulse in sorted(published, key=lambda p: p.opened_at):
            by_team.setdefault(pulse.team_id, []).append(pulse)
        scores = {}
        for team_pulses in by_team.values():
            for index, pulse in enumerate(team_pulses):
                previous = team_pulses[index - 1] if index else None
                scores[pulse.pk] = selectors.statement_scores(pulse, previous)
        return scores

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "scores": self._scores(page)}
        return self.get_paginated_response(PulseSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        pulse = self.get_object()
        scores, _ = selectors.pulse_results(pulse=pulse, user=request.user)
        context = {**self.get_serializer_context(), "scores": {pulse.pk: scores}}
        return Response(PulseSerializer(pulse, context=context).data)

    @extend_schema(request=AnswerSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the pulse as a member of its team: once, and stored without your name."""
        pulse = self.get_object()
        incoming = AnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ids = dict(pulse.statements.values_list("key", "pk"))
        ratings, comments = (
            incoming.validated_data["ratings"],
            incoming.validated_data.get("comments", {}),
        )
        unknown = (set(ratings) | set(comments)) - set(ids)
        if unknown:
            raise ValidationError(
                {"ratings": f"Not a statement of this pulse: {sorted(unknown)[0]}."}
            )
        services.pulse_answer(
            pulse=pulse,
            user=request.user,
            ratings={ids[key]: rating for key, rating in ratings.items()},
            comments={ids[key]: text for key, text in comments.items()},
        )
        return Response(
            {"detail": "Thank you. Your answers are in, without your name."},
            status=status.HTTP_201_CREATED,
        )
