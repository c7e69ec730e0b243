"""The admin site shows the blog for looking things up; writing and moderating happen on the
blog's own pages, where the rules (sanitising, publishing, who may do what) are applied."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdvisorInvitation, AdvisorProfile, Comment, Post, Series, Tag


@admin.register(AdvisorProfile)
class AdvisorProfileAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "is_guest", "is_editor", "is_active"]
    list_filter = ["is_guest", "is_editor", "is_active"]
    search_fields = ["name", "user__email"]
    readonly_fields = ["user", "slug", "photo", "links", "created_at"]
    fields = [
        "user",
        "name",
        "slug",
        "area",
        "bio",
        "links",
        "photo",
        "is_guest",
        "is_editor",
        "is_active",
        "created_at",
    ]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["title", "author", "status", "published_at", "updated_at"]
    list_filter = ["status", "tags"]
    search_fields = ["title", "author__name"]
    date_hierarchy = "published_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "status", "created_at", "moderated_by"]
    list_filter = ["status"]
    search_fields = ["name", "email", "body"]
    list_select_related = ["post", "moderated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(AdvisorInvitation)
class AdvisorInvitationAdmin(admin.ModelAdmin):
    list_display = ["invitation", "area", "is_guest", "is_editor"]

    def has_add_permission(self, request):
        return False
