"""The admin site for outcomes. It shows people's records too, so reading them here is logged
as on the record's own pages: the person sees that an admin looked."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from teams.models import Person

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
from .services.privacy import record_read


class ReadLoggedAdmin(SimpleHistoryAdmin):
    """Logs each look at people's records: a list logs the people on its page, a change or
    history page the one person. Every model here points at its person with `person_id`."""

    read_what = "a record"

    def _log(self, request: HttpRequest, person_ids, what: str) -> None:
        ids = sorted({pk for pk in person_ids if pk is not None})
        if ids:
            record_read(people=[Person(pk=pk) for pk in ids], reader=request.user, what=what)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self._log(
                request,
                [row.person_id for row in changelist.result_list],
                f"In the admin site: a list of {self.model._meta.verbose_name_plural}",
            )
        return response

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and original is not None:
            self._log(request, [original.person_id], f"In the admin site: {self.read_what}")
        return response

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        original = self.get_object(request, object_id)
        if response.status_code == 200 and original is not None:
            self._log(
                request,
                [original.person_id],
                f"In the admin site: the history of changes to {self.read_what}",
            )
        return response


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
class OutcomeAdmin(ReadLoggedAdmin):
    read_what = "an outcome and its reviews"

    list_display = ["in_their_words", "person", "life_area", "status", "review_due"]
    list_filter = ["status", "life_area", "measure"]
    search_fields = ["in_their_words", "person__name"]
    raw_id_fields = ["person", "created_by"]
    inlines = [ReviewInline]


@admin.register(KeyContact)
class KeyContactAdmin(ReadLoggedAdmin):
    read_what = "a key contact"

    list_display = ["name", "kind", "person"]
    raw_id_fields = ["person"]


@admin.register(Consent)
class ConsentAdmin(ReadLoggedAdmin):
    read_what = "a consent"

    list_display = ["person", "scope", "with_whom", "agreed_on", "withdrawn_on"]
    list_filter = ["scope", "decided_by"]
    raw_id_fields = ["person", "recorded_by"]


@admin.register(PersonAccess)
class PersonAccessAdmin(ReadLoggedAdmin):
    read_what = "who signs in to the record"

    list_display = ["user", "person", "relationship", "granted_at", "revoked_at"]
    raw_id_fields = ["person", "user", "consent"]


class FlexibleHoursInline(admin.TabularInline):
    model = FlexibleHours
    extra = 0


@admin.register(ServiceFund)
class ServiceFundAdmin(ReadLoggedAdmin):
    read_what = "the Individual Service Fund and its ledger"

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
