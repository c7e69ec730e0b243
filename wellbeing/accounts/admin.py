from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["display_name", "email"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "display_name", "password"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "status", "created_at", "expires_at", "invited_by"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_user", "created_at"]

    def has_add_permission(self, request):
        # Invitations are made on the invitations page, which emails the one-time link.
        return False
