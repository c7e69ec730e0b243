"""The decision log through the API: propose, advise, decide, search; same rules as the pages."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wellbeing.api_fields import RecordIdField

from ..api import TeamPersonField, VisibleTeamField, team_filtered
from ..permissions import teams_visible_to
from . import selectors, services
from .models import Advice, AdviceRequest, Decision


class AdviceSerializer(serializers.ModelSerializer):
    given_by = serializers.CharField(source="given_by.display_name", read_only=True)

    class Meta:
        model = Advice
        fields = ["id", "given_by", "text", "given_at"]
        read_only_fields = ["given_at"]


class DecisionSerializer(serializers.ModelSerializer):
    proposer = serializers.CharField(source="proposer.display_name", read_only=True)
    advice_asked_of = serializers.SerializerMethodField()
    advice = AdviceSerializer(many=True, read_only=True)
    checkins = RecordIdField(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "team",
            "title",
            "proposal",
            "affected",
            "proposer",
            "advice_by",
            "advice_asked_of",
            "status",
            "advice",
            "outcome",
            "decided_on",
            "review_on",
            "checkins",
            "created_at",
        ]

    def get_advice_asked_of(self, decision: Decision) -> list[str]:
        return [request.user.display_name for request in decision.requests.all()]


class ProposeSerializer(serializers.Serializer):
    team = VisibleTeamField()
    title = serializers.CharField(max_length=150)
    proposal = serializers.CharField(max_length=services.TEXT_MAX_LENGTH)
    affected = serializers.CharField(max_length=services.TEXT_MAX_LENGTH)
    advisors = TeamPersonField(many=True)
    advice_by = serializers.DateField()


class AdviceInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=services.TEXT_MAX_LENGTH)


class DecideSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=services.TEXT_MAX_LENGTH)
    review_on = serializers.DateField()


class DecisionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The decision logs of the user's teams. Filter with ?team=<id>, search with ?q=words,
    ?status=seeking|decided|withdrawn."""

    serializer_class = DecisionSerializer

    def get_queryset(self):
        status_wanted = self.request.query_params.get("status", "")
        if status_wanted and status_wanted not in Decision.Status.values:
            raise ValidationError({"status": f"One of {', '.join(Decision.Status.values)}."})
        query = self.request.query_params.get("q", "")[: selectors.SEARCH_MAX_LENGTH]
        decisions = (
            Decision.objects.filter(team__in=teams_visible_to(self.request.user))
            .select_related("proposer")
            .annotate(advice_count=Count("advice", distinct=True))
            .prefetch_related(
                Prefetch("advice", queryset=Advice.objects.select_related("given_by")),
                Prefetch("requests", queryset=AdviceRequest.objects.select_related("user")),
                "checkins",
            )
        )
        decisions = selectors.decision_filter(decisions, query=query, status=status_wanted)
        return team_filtered(self.request, decisions).order_by("-created_at", "-pk")

    @extend_schema(request=ProposeSerializer, responses=DecisionSerializer)
    def create(self, request, *args, **kwargs):
        incoming = ProposeSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        decision = services.decision_propose(proposer=request.user, **incoming.validated_data)
        return Response(
            DecisionSerializer(self.get_queryset().get(pk=decision.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _answer(self, decision: Decision) -> Response:
        return Response(DecisionSerializer(self.get_queryset().get(pk=decision.pk)).data)

    @extend_schema(request=AdviceInSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def advice(self, request, pk=None):
        incoming = AdviceInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        decision = self.get_object()
        services.advice_give(
            decision=decision, by=request.user, text=incoming.validated_data["text"]
        )
        return self._answer(decision)

    @extend_schema(request=DecideSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        incoming = DecideSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        decision = services.decision_record(
            decision=self.get_object(), by=request.user, **incoming.validated_data
        )
        return self._answer(decision)

    @extend_schema(request=None, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        decision = services.decision_withdraw(decision=self.get_object(), by=request.user)
        return self._answer(decision)
