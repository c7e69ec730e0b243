"""The rota in the admin site: for looking things up and putting right what the pages cannot.

Visits are read by team and time there too (`list_filter` on team, `date_hierarchy` on start),
and their related rows are picked by id, never loaded into a drop-down of millions.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarFeed,
    Offer,
    PersonPreference,
    RotaSettings,
    RotaWeek,
    Shift,
    Skill,
    TimeOff,
    Visit,
    VisitAssignment,
    VisitPattern,
)


class AssignmentInline(admin.TabularInline):
    model = VisitAssignment
    raw_id_fields = ["worker"]
    fields = ["worker", "start", "end"]
    readonly_fields = ["start", "end"]
    extra = 0


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["person", "start", "end", "team", "status", "workers_needed"]
    list_filter = ["team", "status"]
    date_hierarchy = "start"
    raw_id_fields = ["person", "pattern"]
    inlines = [AssignmentInline]
    list_select_related = ["person", "team"]


@admin.register(Shift)
class ShiftAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "kind", "start", "end", "team"]
    list_filter = ["team", "kind"]
    date_hierarchy = "start"
    raw_id_fields = ["worker"]
    list_select_related = ["worker", "team"]


@admin.register(VisitPattern)
class VisitPatternAdmin(SimpleHistoryAdmin):
    list_display = ["person", "weekdays", "starts_at", "ends_at", "workers_needed", "team"]
    list_filter = ["team"]
    raw_id_fields = ["person"]


@admin.register(TimeOff)
class TimeOffAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "kind", "first_day", "last_day", "team"]
    list_filter = ["team", "kind"]
    raw_id_fields = ["worker"]


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["offered_by", "offered_to", "status", "start", "taken_by", "team"]
    list_filter = ["team", "status"]
    raw_id_fields = ["visit", "shift", "offered_by", "offered_to", "taken_by"]


@admin.register(PersonPreference)
class PersonPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "worker", "kind"]
    raw_id_fields = ["person", "worker"]


@admin.register(RotaWeek)
class RotaWeekAdmin(admin.ModelAdmin):
    list_display = ["team", "starts_on", "published_at", "published_by"]
    list_filter = ["team"]


@admin.register(RotaSettings)
class RotaSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["team", "travel_speed_kmh"]
    filter_horizontal = ["coordinators"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name"]
    raw_id_fields = ["holders"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at", "last_read_at"]
    readonly_fields = ["token_hash", "created_at", "last_read_at"]
    raw_id_fields = ["user"]
