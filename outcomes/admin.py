from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Consent,
    Erasure,
    FlexibleHours,
    KeyContact,
    Outcome,
    PersonAccess,
    RecordRead,
    Review,
    Scale,
    ScaleLevel,
    ServiceFund,
)


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    extra = 0


@admin.register(Scale)
class ScaleAdmin(admin.ModelAdmin):
    """Organisation-defined scales: a licensed instrument is entered here in the organisation's
    own wording; the product ships none."""

    list_display = ["name", "active"]
    inlines = [ScaleLevelInline]


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    readonly_fields = ["level", "recorded_by", "person_view_by", "created_at"]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["in_their_words", "person", "life_area", "status", "review_due"]
    list_filter = ["status", "life_area", "measure"]
    search_fields = ["in_their_words", "person__name"]
    raw_id_fields = ["person", "created_by"]
    inlines = [ReviewInline]


@admin.register(KeyContact)
class KeyContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "person"]
    raw_id_fields = ["person"]


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "scope", "with_whom", "agreed_on", "withdrawn_on"]
    list_filter = ["scope", "decided_by"]
    raw_id_fields = ["person", "recorded_by"]


@admin.register(PersonAccess)
class PersonAccessAdmin(SimpleHistoryAdmin):
    list_display = ["user", "person", "relationship", "granted_at", "revoked_at"]
    raw_id_fields = ["person", "user", "consent"]


class FlexibleHoursInline(admin.TabularInline):
    model = FlexibleHours
    extra = 0


@admin.register(ServiceFund)
class ServiceFundAdmin(SimpleHistoryAdmin):
    list_display = ["person", "commissioner", "starts", "ends", "hours_per_week", "hourly_rate"]
    raw_id_fields = ["person", "created_by"]
    inlines = [FlexibleHoursInline]


@admin.register(RecordRead)
class RecordReadAdmin(admin.ModelAdmin):
    """Who read whose record: read-only, it is the record of reading."""

    list_display = ["at", "reader_name", "person", "what", "via"]
    list_filter = ["via"]
    search_fields = ["reader_name", "person__name"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    """What was erased, when and by whom, with the anonymous counts kept."""

    list_display = ["erased_at", "team", "erased_by_name"]
    readonly_fields = ["person", "team", "erased_at", "erased_by", "erased_by_name", "figures"]

    def has_add_permission(self, request) -> bool:
        return False
