from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Behaviour, Story, Value


class BehaviourInline(admin.TabularInline):
    model = Behaviour
    extra = 1
    fields = ["kind", "text", "order"]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "meaning"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BehaviourInline]


@admin.register(Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "author", "team", "created_at"]
    list_filter = ["values", "team"]
    search_fields = ["title", "body", "author__display_name"]
    autocomplete_fields = ["author"]
    filter_horizontal = ["values"]
    date_hierarchy = "created_at"
