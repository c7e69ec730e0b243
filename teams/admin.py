from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    CheckIn,
    Decision,
    Membership,
    Person,
    Pulse,
    PulseStatement,
    Role,
    RoleAssignment,
    RoleTemplate,
    Team,
    TeamInvitation,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "locality", "coach"]
    search_fields = ["name", "locality"]
    autocomplete_fields = ["coach"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "team", "joined", "left", "contracted_hours"]
    list_filter = ["team"]
    search_fields = ["user__display_name", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "preferred_name", "team", "started", "status"]
    list_filter = ["team", "status"]
    search_fields = ["name", "preferred_name"]


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    list_display = ["invitation", "team", "as_coach"]


@admin.register(RoleTemplate)
class RoleTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "suggested_term_months", "order"]
    search_fields = ["name"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team", "term_months", "retired_on"]
    list_filter = ["team"]
    search_fields = ["name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["role", "membership", "started", "ended", "review_on", "chosen_how"]
    list_filter = ["role__team", "chosen_how"]
    raw_id_fields = ["role", "membership"]


@admin.register(PulseStatement)
class PulseStatementAdmin(SimpleHistoryAdmin):
    """The organisation sets the statements its teams rate; each pulse keeps those it asked."""

    list_display = ["text", "key", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin):
    """Pulses and their published figures only: answers are never shown here, one by one."""

    list_display = ["team", "opened_at", "closes_at", "closed_at", "response_count", "overall"]
    list_filter = ["team"]
    readonly_fields = [
        "team",
        "opened_at",
        "closes_at",
        "closed_at",
        "invited_count",
        "response_count",
        "overall",
        "reminder_sent_at",
        "opened_by",
    ]
    exclude = ["statements"]

    def has_add_permission(self, request) -> bool:
        return False


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["text", "owner", "due_on", "status", "closed_on"]
    raw_id_fields = ["owner"]


@admin.register(CheckIn)
class CheckInAdmin(SimpleHistoryAdmin):
    list_display = ["team", "planned_for", "held_on", "coach"]
    list_filter = ["team"]
    raw_id_fields = ["coach", "pulse"]
    filter_horizontal = ["attendees", "values_lived", "values_missing"]
    inlines = [ActionInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "team", "proposer", "status", "decided_on", "review_on"]
    list_filter = ["team", "status"]
    search_fields = ["title", "proposal", "outcome"]
    raw_id_fields = ["proposer"]
    exclude = ["checkins"]


from .rota import admin as rota_admin  # noqa: E402,F401 - registers the rota's models
