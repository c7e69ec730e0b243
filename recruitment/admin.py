"""The Django admin for recruitment: set-up and a look behind the scenes for organisation admins.

The survey is anonymous, and the admin keeps it so: a survey invitation shows neither whether it
was completed nor its draft answers nor anything its link could be rebuilt from, and submitted
responses carry no candidate. Responses and answers are read-only: they are what candidates said.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Answer,
    AssessmentSheet,
    Candidate,
    Experiment,
    JobRole,
    PanelMember,
    Round,
    Score,
    SurveyInvitation,
    TouchPoint,
    ValueQuestion,
    Workshop,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class TouchPointInline(admin.TabularInline):
    model = TouchPoint
    extra = 0
    fields = ["order", "key", "name", "description"]
    prepopulated_fields = {"key": ["name"]}


class ValueQuestionInline(admin.TabularInline):
    model = ValueQuestion
    extra = 0
    fields = ["order", "value", "text"]


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 0
    fields = ["starts_at", "place"]


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    fields = ["name", "email", "kind", "user", "invited_at"]
    readonly_fields = ["invited_at"]
    autocomplete_fields = ["user"]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "opens_on", "closes_on"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["roles", "teams", "values", "owners"]
    date_hierarchy = "opens_on"
    inlines = [ValueQuestionInline, WorkshopInline, PanelMemberInline, TouchPointInline]


class AnswerInline(ReadOnlyMixin, admin.StackedInline):
    model = Answer
    extra = 0
    fields = ["question", "text"]
    readonly_fields = fields


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "round", "stage", "applied_at", "decided_at", "communicated_at"]
    list_filter = ["stage", "round"]
    search_fields = ["name", "email"]
    list_select_related = ["round"]
    date_hierarchy = "applied_at"
    raw_id_fields = ["membership"]
    readonly_fields = [
        "applied_at",
        "invited_at",
        "attended_at",
        "decided_at",
        "decided_by",
        "communicated_at",
        "communicated_by",
        "erased_at",
    ]
    inlines = [AnswerInline]


class ScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = Score
    extra = 0
    fields = ["value", "score", "evidence"]
    readonly_fields = fields


@admin.register(AssessmentSheet)
class AssessmentSheetAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["candidate", "panel_member", "submitted_at"]
    list_filter = ["candidate__round"]
    list_select_related = ["candidate", "panel_member"]
    inlines = [ScoreInline]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    # Not the nonce or token hash (a way to the candidate's link), nor the draft (their
    # half-written answers, which would tie answers to a person).
    # Not when it was sent or answered either: with the response days, that could name someone.
    # Nor whether it was answered: watching which named candidate just completed, beside the
    # results, would single out their answers. Only the reminder needs to know, and no person.
    list_display = ["candidate", "expires_at"]
    list_filter = ["candidate__round"]
    list_select_related = ["candidate"]
    fields = ["candidate", "expires_at", "unsubscribed_at"]
    readonly_fields = fields


# Survey responses and answers are not in the admin at all: a list of single responses with
# their days and groups, beside the invitations, could tie answers to a person. Staff read
# them on the round's report, where the minimum number of responses applies.


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["change", "round", "touch_point_key", "created_at"]
    list_filter = ["round", "touch_point_key"]
    search_fields = ["change", "idea", "hypothesis"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
