"""Outcomes' API: people (to their team), profiles, outcomes, reviews, suggestions, funds with
their ledger and statements.

The same rules as the pages: staff see the people `teams` lets them see, and every read of a
record by staff is logged; the person, and family they chose, see their own record only, and
may add their view to a review and make suggestions. Rule breaks answer 400 with `detail`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from teams.models import Person

from .models import (
    FlexibleHours,
    Outcome,
    Relationship,
    Review,
    ServiceFund,
    Suggestion,
)
from .permissions import open_access, people_linked_to, staff_people
from .selectors.funds import monthly_statement
from .selectors.records import current_profile, profile_of, team_member_profiles
from .services.funds import ledger_add
from .services.goals import outcome_create, review_add_person_view, review_record, suggestion_make
from .services.privacy import record_read

# --- Serializers --------------------------------------------------------------------------------


class ProfileSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    appreciated = serializers.CharField(label="What people like and admire about me")
    important = serializers.CharField(label="What is important to me")
    support = serializers.CharField(label="How best to support me")
    written_by = serializers.CharField(source="written_by_name")
    person_agreed = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class TeamMemberProfileSerializer(serializers.Serializer):
    name = serializers.CharField()
    profile = ProfileSerializer(allow_null=True)


class PersonRecordSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "preferred_name", "team", "status", "started"]


class PersonRecordDetailSerializer(PersonRecordSerializer):
    # Null until the person's details are first written down.
    pronouns = serializers.CharField(source="details.pronouns", allow_null=True, default="")
    date_of_birth = serializers.DateField(
        source="details.date_of_birth", allow_null=True, default=None
    )
    communication = serializers.CharField(
        source="details.communication", allow_null=True, default=""
    )
    profile = serializers.SerializerMethodField()
    team_profiles = serializers.SerializerMethodField(
        help_text="The one-page profiles of the team members who support them."
    )

    class Meta(PersonRecordSerializer.Meta):
        fields = [
            *PersonRecordSerializer.Meta.fields,
            "pronouns",
            "date_of_birth",
            "communication",
            "profile",
            "team_profiles",
        ]

    @extend_schema_field(ProfileSerializer(allow_null=True))
    def get_profile(self, person: Person) -> dict | None:
        version = current_profile(profile_of(person))
        return ProfileSerializer(version).data if version else None

    @extend_schema_field(TeamMemberProfileSerializer(many=True))
    def get_team_profiles(self, person: Person) -> list[dict]:
        return [
            {
                "name": member.display_name,
                "profile": ProfileSerializer(version).data if version else None,
            }
            for member, version in team_member_profiles(person=person)
        ]


class ReviewSerializer(serializers.ModelSerializer):
    rated_by = serializers.CharField(read_only=True)
    views_differ = serializers.BooleanField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "outcome",
            "reviewed_on",
            "level",
            "rated_by",
            "person_level",
            "person_rated_by",
            "person_words",
            "worker_level",
            "worker_words",
            "views_differ",
            "what_is_working",
            "what_is_not_working",
            "what_will_change",
            "recorded_by_name",
        ]
        read_only_fields = ["level", "recorded_by_name"]


class OutcomeSerializer(serializers.ModelSerializer):
    latest_review = serializers.SerializerMethodField()

    class Meta:
        model = Outcome
        fields = [
            "id",
            "person",
            "in_their_words",
            "life_area",
            "why_it_matters",
            "who_helps",
            "target_date",
            "measure",
            "scale",
            "weight",
            "gas_minus_2",
            "gas_minus_1",
            "gas_0",
            "gas_plus_1",
            "gas_plus_2",
            "baseline_level",
            "review_every_weeks",
            "review_due",
            "status",
            "status_reason",
            "created_on",
            "latest_review",
        ]
        read_only_fields = ["review_due", "status", "status_reason", "created_on"]

    @extend_schema(responses=ReviewSerializer(allow_null=True))
    def get_latest_review(self, outcome: Outcome) -> dict | None:
        latest = next(iter(outcome.reviews.all()), None)
        return ReviewSerializer(latest).data if latest else None


class OwnViewSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    words = serializers.CharField(max_length=2000)
    rated_by = serializers.ChoiceField(
        choices=[Review.RatedBy.PERSON, Review.RatedBy.WITH_HELP, Review.RatedBy.FAMILY],
        required=False,
        help_text="Who gave the rating. Staff must say; for the person and family it follows "
        "from who is signed in (`with_help` if the person says someone helped).",
    )


@extend_schema_serializer(component_name="OutcomeSuggestion")
class SuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = [
            "id",
            "person",
            "about",
            "outcome",
            "text",
            "suggested_by_name",
            "created_at",
            "status",
            "response",
        ]
        read_only_fields = ["suggested_by_name", "created_at", "status", "response"]


class LedgerSerializer(serializers.ModelSerializer):
    class Meta:
        model = FlexibleHours
        fields = ["id", "kind", "hours", "on", "purpose", "created_at"]
        read_only_fields = ["created_at"]


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceFund
        fields = [
            "id",
            "person",
            "commissioner",
            "starts",
            "ends",
            "hours_per_week",
            "weekly_budget",
            "hourly_rate",
        ]


class FundMonthSerializer(serializers.Serializer):
    fund = serializers.IntegerField(source="fund.pk")
    first = serializers.DateField()
    last = serializers.DateField()
    commissioned = serializers.DecimalField(max_digits=8, decimal_places=2)
    delivered = serializers.DecimalField(max_digits=8, decimal_places=2)
    banked = serializers.DecimalField(max_digits=8, decimal_places=2)
    used = serializers.DecimalField(max_digits=8, decimal_places=2)
    brought_forward = serializers.DecimalField(max_digits=8, decimal_places=2)
    balance = serializers.DecimalField(max_digits=8, decimal_places=2)
    not_used = serializers.DecimalField(max_digits=8, decimal_places=2)
    spend = serializers.DecimalField(max_digits=10, decimal_places=2)
    budget = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    lines = LedgerSerializer(many=True)


class StatementSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    month = serializers.DateField()
    funds = FundMonthSerializer(many=True)
    outcomes = OutcomeSerializer(many=True)


# --- Who sees what ------------------------------------------------------------------------------


class RecordAccessMixin:
    """Every queryset starts from the people this user may see, as staff or as their own."""

    @cached_property
    def own_ids(self) -> set[int]:
        return set(people_linked_to(self.request.user).values_list("pk", flat=True))

    def visible_people(self) -> QuerySet[Person]:
        staff = staff_people(self.request.user)
        if not self.own_ids:
            return staff
        return Person.objects.filter(Q(pk__in=staff.values("pk")) | Q(pk__in=self.own_ids))

    def _id_param(self, name: str) -> int | None:
        value = self.request.query_params.get(name, "")
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            raise ValidationError({name: ["An id is a whole number."]})
        return int(value)

    def log_reads(self, people_ids, what: str) -> None:
        """Staff reads are logged; the person's own are not."""
        staff_read = {pk for pk in people_ids if pk not in self.own_ids}
        if staff_read:
            record_read(
                people=[Person(pk=pk) for pk in sorted(staff_read)],
                reader=self.request.user,
                what=what,
                via="api",
            )

    def require_staff(self, person_id: int) -> None:
        if (
            person_id in self.own_ids
            and not staff_people(self.request.user).filter(pk=person_id).exists()
        ):
            raise PermissionDenied(
                "The team writes this part of the record; you can add your view or a suggestion."
            )


# --- Viewsets -----------------------------------------------------------------------------------


class PersonViewSet(RecordAccessMixin, viewsets.ReadOnlyModelViewSet):
    """People supported: to staff, those their teams support; to the person or family, their
    own record. A person's details and profile are logged as read."""

    def get_queryset(self):
        return (
            self.visible_people()
            .filter(erasure__isnull=True)
            .select_related("team", "details")
            .order_by("team__name", "name", "pk")
        )

    def get_serializer_class(self):
        return PersonRecordDetailSerializer if self.action == "retrieve" else PersonRecordSerializer

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        self.log_reads([person.pk], "The record")
        return Response(PersonRecordDetailSerializer(person).data)


class OutcomeViewSet(
    RecordAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Outcomes in the person's own words, each with its latest review. Filter with
    ?person=<id>. Staff set new outcomes; the person suggests them (see suggestions)."""

    serializer_class = OutcomeSerializer

    def get_queryset(self):
        queryset = Outcome.objects.filter(
            person__in=self.visible_people(), person__erasure__isnull=True
        )
        person = self._id_param("person")
        if person is not None:
            queryset = queryset.filter(person_id=person)
        return queryset.prefetch_related(
            Prefetch("reviews", queryset=Review.objects.order_by("-reviewed_on", "-pk"))
        ).order_by("person_id", "-created_on", "-pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.log_reads({outcome.person_id for outcome in page}, "Outcomes")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        outcome = self.get_object()
        self.log_reads([outcome.person_id], f"An outcome: {outcome.in_their_words}")
        return Response(self.get_serializer(outcome).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        person = data.pop("person")
        if not self.visible_people().filter(pk=person.pk).exists():
            raise ValidationError({"person": ["No such person."]})
        self.require_staff(person.pk)
        serializer.instance = outcome_create(person=person, by=self.request.user, **data)


class ReviewViewSet(
    RecordAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reviews, newest first; filter with ?outcome=<id> or ?person=<id>. Staff record reviews;
    the person, family or a worker with them add the person's own view."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        queryset = Review.objects.filter(
            outcome__person__in=self.visible_people(), outcome__person__erasure__isnull=True
        ).select_related("outcome")
        for name, lookup in (("outcome", "outcome_id"), ("person", "outcome__person_id")):
            value = self._id_param(name)
            if value is not None:
                queryset = queryset.filter(**{lookup: value})
        return queryset.order_by("-reviewed_on", "-pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.log_reads({review.outcome.person_id for review in page}, "Reviews")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        review = self.get_object()
        self.log_reads([review.outcome.person_id], "A review")
        return Response(self.get_serializer(review).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        outcome = data.pop("outcome")
        if not self.visible_people().filter(pk=outcome.person_id).exists():
            raise ValidationError({"outcome": ["No such outcome."]})
        self.require_staff(outcome.person_id)
        # As on the page, a review with no date given happened today.
        data.setdefault("reviewed_on", timezone.localdate())
        serializer.instance = review_record(outcome=outcome, by=self.request.user, **data)

    @extend_schema(request=OwnViewSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="person-view")
    def person_view(self, request, pk=None):
        """Add or change the person's own view of a review."""
        review = self.get_object()
        body = OwnViewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person_id = review.outcome.person_id
        if person_id in self.own_ids:
            # This user's own access to the person: the person's record has others' too.
            relationship = (
                open_access(request.user)
                .filter(person_id=person_id)
                .values_list("relationship", flat=True)
                .first()
            )
            if relationship != Relationship.SELF:
                rated_by = Review.RatedBy.FAMILY
            elif body.validated_data.get("rated_by") == Review.RatedBy.WITH_HELP:
                rated_by = Review.RatedBy.WITH_HELP
            else:
                rated_by = Review.RatedBy.PERSON
        else:
            rated_by = body.validated_data.get("rated_by")
            if not rated_by:
                raise ValidationError({"rated_by": ["Say who gave the person's rating."]})
        review = review_add_person_view(
            review=review,
            by=request.user,
            level=body.validated_data["level"],
            rated_by=rated_by,
            words=body.validated_data["words"],
        )
        return Response(ReviewSerializer(review).data)


class SuggestionViewSet(
    RecordAccessMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The person's suggestions and the team's answers. Filter with ?person=<id>."""

    serializer_class = SuggestionSerializer

    def get_queryset(self):
        queryset = Suggestion.objects.filter(
            person__in=self.visible_people(), person__erasure__isnull=True
        )
        person = self._id_param("person")
        if person is not None:
            queryset = queryset.filter(person_id=person)
        return queryset.order_by("-created_at", "-pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.log_reads({suggestion.person_id for suggestion in page}, "Suggestions")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        person = data.pop("person")
        if not self.visible_people().filter(pk=person.pk).exists():
            raise ValidationError({"person": ["No such person."]})
        serializer.instance = suggestion_make(person=person, by=self.request.user, **data)


class FundViewSet(RecordAccessMixin, viewsets.ReadOnlyModelViewSet):
    """Individual Service Funds, with their ledger of saved and flexibly used hours, and the
    monthly statement."""

    serializer_class = FundSerializer

    def get_queryset(self):
        queryset = ServiceFund.objects.filter(
            person__in=self.visible_people(), person__erasure__isnull=True
        )
        person = self._id_param("person")
        if person is not None:
            queryset = queryset.filter(person_id=person)
        return queryset.order_by("person_id", "-starts")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.log_reads({fund.person_id for fund in page}, "The Individual Service Fund")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        fund = self.get_object()
        self.log_reads([fund.person_id], "The Individual Service Fund")
        return Response(self.get_serializer(fund).data)

    @extend_schema(
        methods=["GET"], responses=LedgerSerializer(many=True), summary="The fund's ledger"
    )
    @extend_schema(methods=["POST"], request=LedgerSerializer, responses=LedgerSerializer)
    @action(detail=True, methods=["get", "post"])
    def ledger(self, request, pk=None):
        fund = self.get_object()
        if request.method == "GET":
            self.log_reads([fund.person_id], "The Individual Service Fund’s ledger")
            page = self.paginate_queryset(fund.ledger.order_by("-on", "-pk"))
            return self.get_paginated_response(LedgerSerializer(page, many=True).data)
        self.require_staff(fund.person_id)
        body = LedgerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = ledger_add(fund=fund, by=request.user, **body.validated_data)
        return Response(LedgerSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM; this month if left out")],
        responses=StatementSerializer,
    )
    @action(detail=True)
    def statement(self, request, pk=None):
        fund = self.get_object()
        month = request.query_params.get("month", "")
        try:
            when = (
                date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
            )
        except ValueError as exc:
            raise ValidationError({"month": ["Give the month as YYYY-MM."]}) from exc
        if not 2000 <= when.year <= 2100:
            raise ValidationError({"month": ["Give a month between 2000 and 2100."]})
        self.log_reads([fund.person_id], f"The statement for {when:%B %Y}")
        statement = monthly_statement(person=fund.person, month=when)
        return Response(StatementSerializer(statement).data)
