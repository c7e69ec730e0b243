"""Recruitment's API: rounds and candidates for the staff who run them, assessments for the
panel, and survey results as aggregates only — never a way back from an answer to a person."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from wellbeing.api_fields import RecordIdField

from .models import Candidate, Experiment, Round, Workshop
from .permissions import candidate_access, get_round_for_report, rounds_managed_by
from .selectors.assessment import candidate_comparison
from .selectors.reports import survey_results
from .services.assessment import sheet_save
from .services.decisions import candidate_communicate, candidate_decide
from .services.experiments import experiment_create, experiment_delete, experiment_update
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
    # Empty until they are told; null then, so the document's list of channels holds for every
    # answer (an empty string is not one of them).
    communicated_how = serializers.SerializerMethodField()

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

    @extend_schema_field(
        serializers.ChoiceField(choices=Candidate.Channel.choices, allow_null=True)
    )
    def get_communicated_how(self, candidate: Candidate) -> str | None:
        return candidate.communicated_how or None


class MoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[(stage.value, stage.label) for stage in Candidate.movable_stages()]
    )
    workshop = RecordIdField(queryset=Workshop.objects.all(), required=False, allow_null=True)


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(s.value, s.label) for s in Candidate.OUTCOMES])
    reason = serializers.CharField(max_length=5000)
    without_scores = serializers.CharField(
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        help_text="Why decide without the panel's scores; needed only when there are none.",
    )


class CommunicatedSerializer(serializers.Serializer):
    how = serializers.ChoiceField(choices=Candidate.Channel.choices)


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates of the rounds the requesting user runs. Filter with ?round=<id>&stage=<stage>."""

    serializer_class = CandidateSerializer

    def get_queryset(self):
        queryset = Candidate.objects.filter(round__in=rounds_managed_by(self.request.user))
        params = self.request.query_params
        if params.get("round"):
            if not (params["round"].isascii() and params["round"].isdigit()):
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
        # A broken rule (RecruitmentError) answers 400 through the project's exception handler.
        candidate = service(candidate, serializer.validated_data)
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
                candidate=c,
                outcome=data["outcome"],
                reason=data["reason"],
                by=request.user,
                without_scores=data["without_scores"],
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


# --- Survey results: aggregates only ----------------------------------------------------------


class TouchPointResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    n = serializers.IntegerField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    change_from_previous_round = serializers.FloatField(allow_null=True)


class SurveyResultsSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    min_responses = serializers.IntegerField()
    responses = serializers.IntegerField(allow_null=True)
    enough_responses = serializers.BooleanField()
    response_rate = serializers.FloatField(allow_null=True)
    touch_points = TouchPointResultSerializer(many=True)


class SurveyResultsView(generics.GenericAPIView):
    """A round's survey results as numbers. Below k responses, the numbers are withheld.

    Free text never leaves through the API: it is read on the report page, by admins and the
    round's owners only.
    """

    serializer_class = SurveyResultsSerializer

    def get(self, request, pk: int):
        round_, _ = get_round_for_report(request.user, pk)
        return Response(SurveyResultsSerializer(survey_results(round_=round_)).data)


# --- Experiments ------------------------------------------------------------------------------


NO_ROUND_YOU_RUN = "You run no round with this id."


class ExperimentSerializer(serializers.ModelSerializer):
    # Chosen only among the rounds the requester runs, with one answer for a round that does
    # not exist and one run by others: the API must not tell which round ids exist.
    round = RecordIdField(
        queryset=Round.objects.none(),
        error_messages={"does_not_exist": NO_ROUND_YOU_RUN, "incorrect_type": NO_ROUND_YOU_RUN},
    )

    class Meta:
        model = Experiment
        fields = ["id", "round", "touch_point_key", "idea", "change", "hypothesis", "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["round"].queryset = rounds_managed_by(request.user)


class ExperimentViewSet(viewsets.ModelViewSet):
    """Changes tried in a round because candidates asked for them, for the rounds you run."""

    serializer_class = ExperimentSerializer

    def get_queryset(self):
        return Experiment.objects.filter(round__in=rounds_managed_by(self.request.user)).order_by(
            "-round__opens_on", "pk"
        )

    def _fields(self, serializer) -> dict:
        data = serializer.validated_data
        instance = serializer.instance
        return {
            "round_": data.get("round", getattr(instance, "round", None)),
            **{
                name: data.get(name, getattr(instance, name, ""))
                for name in ("touch_point_key", "idea", "change", "hypothesis")
            },
            "by": self.request.user,
        }

    def perform_create(self, serializer):
        serializer.instance = experiment_create(**self._fields(serializer))

    def perform_update(self, serializer):
        serializer.instance = experiment_update(
            experiment=serializer.instance, **self._fields(serializer)
        )

    def perform_destroy(self, instance):
        experiment_delete(experiment=instance, by=self.request.user)


# --- Assessments ------------------------------------------------------------------------------


class ScoreInputSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=5, allow_null=True)
    evidence = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class AssessmentInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True)
    submit = serializers.BooleanField(default=False)


class ScoreCellSerializer(serializers.Serializer):
    panel_member = serializers.CharField()
    score = serializers.IntegerField()
    evidence = serializers.CharField()


class ValueRowSerializer(serializers.Serializer):
    value = serializers.CharField()
    scores = ScoreCellSerializer(many=True)
    mean = serializers.FloatField(allow_null=True)
    discuss = serializers.BooleanField()


class AssessmentSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    own_only = serializers.BooleanField()
    values = ValueRowSerializer(many=True)


class AssessmentView(generics.GenericAPIView):
    """A candidate's assessment as the requesting user may see it; POST scores your own seat.

    A panel member sees only their own scores until they submit them; the round's staff who
    are not on the panel see every submitted sheet.
    """

    serializer_class = AssessmentSerializer

    def _context(self, request, pk: int):
        access = candidate_access(pk, user=request.user)
        return access.candidate, access.seat

    def _render(self, candidate, seat):
        comparison = candidate_comparison(candidate=candidate, seat=seat)
        return {
            "candidate": candidate.pk,
            "own_only": comparison.own_only,
            "values": [
                {
                    "value": row.value.name,
                    "scores": [
                        {
                            "panel_member": member.name,
                            "score": cell.score,
                            "evidence": cell.evidence,
                        }
                        for member, cell in cells
                        if cell is not None
                    ],
                    "mean": row.mean,
                    "discuss": row.discuss,
                }
                for row, cells in comparison.value_rows()
            ],
        }

    def get(self, request, pk: int):
        candidate, seat = self._context(request, pk)
        return Response(AssessmentSerializer(self._render(candidate, seat)).data)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentSerializer)
    def post(self, request, pk: int):
        candidate, seat = self._context(request, pk)
        if seat is None:
            raise PermissionDenied("Only members of the round's panel score candidates.")
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scores = {
            row["value"]: (row["score"], row.get("evidence", ""))
            for row in data.validated_data["scores"]
        }
        sheet_save(
            candidate=candidate,
            panel_member=seat,
            scores=scores,
            submit=data.validated_data["submit"],
        )
        return Response(AssessmentSerializer(self._render(candidate, seat)).data)
