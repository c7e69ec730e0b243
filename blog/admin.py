"""The admin site shows the blog for looking things up; writing and moderating happen on the
blog's own pages, where the rules (sanitising, publishing, who may do what) are applied.

What the admin may still change or delete (an advisor's name, a tag, a series, a post or a
comment taken down) shows on the public pages, so it retires their cached copies like any
change made through the blog's own services.
"""

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .caching import blog_changed
from .models import AdvisorInvitation, AdvisorProfile, Comment, Post, Series, Tag


class _RetiresCachedPages:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(blog_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(blog_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(blog_changed)


@admin.register(AdvisorProfile)
class AdvisorProfileAdmin(_RetiresCachedPages, SimpleHistoryAdmin):
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
class PostAdmin(_RetiresCachedPages, SimpleHistoryAdmin):
    list_display = ["title", "author", "status", "published_at", "updated_at"]
    list_filter = ["status", "tags"]
    search_fields = ["title", "author__name"]
    date_hierarchy = "published_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(_RetiresCachedPages, admin.ModelAdmin):
    list_display = ["name", "post", "status", "created_at", "moderated_by"]
    list_filter = ["status"]
    search_fields = ["name", "email", "body"]
    list_select_related = ["post", "moderated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(_RetiresCachedPages, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Series)
class SeriesAdmin(_RetiresCachedPages, admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(AdvisorInvitation)
class AdvisorInvitationAdmin(admin.ModelAdmin):
    list_display = ["invitation", "area", "is_guest", "is_editor"]

    def has_add_permission(self, request):
        return False
