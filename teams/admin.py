from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Person, Team, TeamInvitation


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


from .rota import admin as rota_admin  # noqa: E402,F401 - registers the rota's models
