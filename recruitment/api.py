"""Recruitment's API: rounds and candidates for the staff who run them, assessments for the
panel, and survey results as aggregates only — never a way back from an answer to a person."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import Candidate, Round, Workshop
from .permissions import rounds_managed_by
from .services import RecruitmentError
from .services.decisions import candidate_communicate, candidate_decide
from .services.rounds import candidate_move


class RoundSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    values = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    candidates_by_stage = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "title",
            "slug",
            "status",
            "opens_on",
            "closes_on",
            "roles",
            "values",
            "candidates_by_stage",
        ]

    def get_candidates_by_stage(self, round_: Round) -> dict[str, int]:
        return {stage: getattr(round_, f"n_{stage}") for stage in Candidate.Stage.values}


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Rounds the requesting user runs (all of them, for an admin)."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        counts = {
            f"n_{stage}": Count("candidates", filter=Q(candidates__stage=stage))
            for stage in Candidate.Stage.values
        }
        return (
            rounds_managed_by(self.request.user)
            .prefetch_related("roles", "values")
            .annotate(**counts)
            .order_by("-opens_on", "-pk")
        )


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = [
            "id",
            "round",
            "name",
            "email",
            "phone",
            "stage",
            "applied_at",
            "invited_at",
            "attended_at",
            "decided_at",
            "communicated_at",
            "communicated_how",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=["invited", "attended", "withdrawn", "applied"])
    workshop = serializers.PrimaryKeyRelatedField(
        queryset=Workshop.objects.all(), required=False, allow_null=True
    )


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["successful", "unsuccessful"])
    reason = serializers.CharField(max_length=5000)


class CommunicatedSerializer(serializers.Serializer):
    how = serializers.ChoiceField(choices=Candidate.Channel.choices)


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates of the rounds the requesting user runs. Filter with ?round=<id>&stage=<stage>."""

    serializer_class = CandidateSerializer

    def get_queryset(self):
        queryset = Candidate.objects.filter(round__in=rounds_managed_by(self.request.user))
        params = self.request.query_params
        if params.get("round"):
            if not params["round"].isdigit():
                raise ValidationError({"round": "A round id is a whole number."})
            queryset = queryset.filter(round_id=int(params["round"]))
        if params.get("stage"):
            if params["stage"] not in Candidate.Stage.values:
                raise ValidationError({"stage": f"One of {', '.join(Candidate.Stage.values)}."})
            queryset = queryset.filter(stage=params["stage"])
        return queryset.order_by("round_id", "name", "pk")

    def _act(self, request, serializer_class, service):
        candidate = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            candidate = service(candidate, serializer.validated_data)
        except RecruitmentError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(request=MoveSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        return self._act(
            request,
            MoveSerializer,
            lambda c, data: candidate_move(
                candidate=c, stage=data["stage"], workshop=data.get("workshop")
            ),
        )

    @extend_schema(request=DecisionSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._act(
            request,
            DecisionSerializer,
            lambda c, data: candidate_decide(
                candidate=c, outcome=data["outcome"], reason=data["reason"], by=request.user
            ),
        )

    @extend_schema(request=CommunicatedSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def communicated(self, request, pk=None):
        return self._act(
            request,
            CommunicatedSerializer,
            lambda c, data: candidate_communicate(candidate=c, how=data["how"], by=request.user),
        )
