"""Forms for the rota. Times are typed as London wall-clock times on a day; the forms turn them
into instants and refuse a time the clocks skip, with a message a person can act on."""

from __future__ import annotations

from datetime import date, time, timedelta

from django import forms
from django.core.exceptions import BadRequest
from django.utils import timezone

from wellbeing.accounts.models import User

from ..dates import FIRST_DAY, LAST_DAY
from ..forms import date_in_range
from ..models import Person
from .clock import ClockError, local_instant, local_span, week_start
from .models import PersonPreference, Shift, Skill, TimeOff
from .services import LONGEST_RECORDED_VISIT

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        # The same range `week_from` accepts: the pages for a day outside it cannot be shown.
        validators=[date_in_range],
        error_messages={
            "invalid": "Enter a real date, like 2026-03-02.",
            "required": "Enter a date.",
        },
        **kwargs,
    )


def time_field(label: str, **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TimeInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}),
        error_messages={"invalid": "Enter a time like 08:30.", "required": "Enter a time."},
        **kwargs,
    )


def workers_needed_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Workers needed",
        choices=[(1, "One"), (2, "Two")],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )


def skills_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills it needs",
    )


def week_from(request, *, today: date | None = None) -> date:
    """The Monday of the week a page is asked for (`?week=2026-03-02`), or this week's.

    An unreadable or absurd week is the asker's mistake: 400, not a guess."""
    raw = request.GET.get("week", "")
    today = today or timezone.localdate()
    if not raw:
        return week_start(today)
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequest("The week must be a date like 2026-03-02.") from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadRequest("That week is out of range.")
    return week_start(day)


class SpanMixin:
    """Turns `day`, `starts` and `ends` into `start` and `end` instants (an end before the start
    is the next morning) and says plainly when a time does not exist."""

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            if starts == ends:
                self.add_error("ends", "The end must be after the start.")
                return cleaned
            try:
                cleaned["start"], cleaned["end"] = local_span(day, starts, ends)
            except ClockError as exc:
                self.add_error("starts", str(exc))
        return cleaned


class VisitForm(SpanMixin, forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), error_messages={"required": "Choose who the visit is for."}
    )
    day = date_field("Day")
    starts = time_field("Starts at")
    ends = time_field("Ends at", help_text="Earlier than the start means the next morning.")
    care = forms.CharField(
        label="What the visit is for",
        max_length=200,
        error_messages={"required": "Say what the visit is for, e.g. breakfast and medication."},
    )
    workers_needed = workers_needed_field()
    skills = skills_field()
    reason = forms.CharField(
        label="Why it changes",
        max_length=200,
        required=False,
        help_text="This week is published: the workers on the visit are told this.",
    )

    def __init__(self, *args, team, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = team.people.exclude(status=Person.Status.ENDED)
        self.published = published
        if not published:
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if self.published and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why it changes: the workers on it will be told.")
        return cleaned


class RecordForm(forms.Form):
    """How a visit went, from the worker who was there."""

    outcome = forms.ChoiceField(
        choices=[("done", "Done"), ("missed", "Missed")], widget=forms.RadioSelect
    )
    actual_start = time_field("Really started at", required=False)
    actual_end = time_field("Really finished at", required=False)
    reason = forms.CharField(label="Why it was missed", max_length=200, required=False)

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("actual_start"), cleaned.get("actual_end")
        if cleaned.get("outcome") == "missed" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the visit was missed.")
        if cleaned.get("outcome") == "done" and (starts or ends):
            if not (starts and ends):
                self.add_error("actual_end", "Give both times, or neither.")
                return cleaned
            if starts == ends:
                self.add_error("actual_end", "The end must be after the start.")
                return cleaned
            day = timezone.localtime(self.visit.start).date()
            try:
                # The day that puts the start nearest the plan: a visit planned for 23:30
                # that began at 00:05 began the next morning.
                cleaned["start"] = min(
                    (local_instant(day + timedelta(days=offset), starts) for offset in (0, -1, 1)),
                    key=lambda instant: abs(instant - self.visit.start),
                )
                start_day = timezone.localtime(cleaned["start"]).date()
                cleaned["end"] = local_instant(start_day, ends)
                if cleaned["end"] <= cleaned["start"]:
                    # Past midnight: the visit finished the next day, if that is a plausible
                    # length; 07:30 to 07:29 is a mistyped time, not a visit of 23h59m.
                    cleaned["end"] = local_instant(start_day + timedelta(days=1), ends)
                    if cleaned["end"] - cleaned["start"] > LONGEST_RECORDED_VISIT:
                        del cleaned["start"], cleaned["end"]
                        self.add_error(
                            "actual_end",
                            "The end must be after the start. For a visit that went past "
                            "midnight, the end can be earlier than the start, as long as the "
                            "visit lasted 12 hours or less.",
                        )
            except ClockError as exc:
                cleaned.pop("start", None)
                cleaned.pop("end", None)
                self.add_error("actual_start", str(exc))
        return cleaned


class OfferForm(forms.Form):
    to = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone in the team",
        label="Offer it to",
    )
    note = forms.CharField(label="A note for them (optional)", max_length=200, required=False)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = colleagues


class WorkerForm(forms.Form):
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Worker",
        error_messages={"required": "Choose a worker."},
    )
    reason = forms.CharField(label="Why (they will be told)", max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = members


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why", max_length=200, error_messages={"required": "Say why: people are told."}
    )


class ShiftForm(SpanMixin, forms.Form):
    worker = forms.ModelChoiceField(queryset=User.objects.none())
    kind = forms.ChoiceField(choices=Shift.Kind.choices, label="What for")
    day = date_field("Day")
    starts = time_field("Starts at")
    ends = time_field("Ends at", help_text="Earlier than the start means the next morning.")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = members


class PatternForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        label="Days",
        error_messages={"required": "Choose at least one day."},
    )
    starts_at = time_field("Starts at")
    ends_at = time_field("Ends at", help_text="Earlier than the start means the next morning.")
    care = forms.CharField(label="What the visit is for", max_length=200)
    workers_needed = workers_needed_field()
    skills = skills_field()
    valid_from = date_field("From")
    valid_until = date_field("Until (optional)", required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = team.people.exclude(status=Person.Status.ENDED)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("starts_at") == cleaned.get("ends_at"):
            self.add_error("ends_at", "The end must be after the start.")
        first, last = cleaned.get("valid_from"), cleaned.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", "The last day cannot be before the first.")
        return cleaned


class PeriodForm(forms.Form):
    first_day = date_field("First day")
    last_day = date_field("Last day")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", "The last day cannot be before the first.")
            elif (last - first).days > 92:
                self.add_error("last_day", "Choose at most three months at a time.")
        return cleaned


class TimeOffForm(PeriodForm):
    worker = forms.ModelChoiceField(queryset=User.objects.none(), label="Who")
    kind = forms.ChoiceField(choices=TimeOff.Kind.choices, label="Why")
    note = forms.CharField(max_length=200, required=False, label="Note (optional)")
    field_order = ["worker", "kind", "first_day", "last_day", "note"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = members


class AvailabilityForm(forms.Form):
    """A week of usual availability: for each day, from and until (both empty: not that day)."""

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        initial = {weekday: (starts, ends) for weekday, starts, ends in windows}
        for value, name in WEEKDAYS:
            starts, ends = initial.get(int(value), (None, None))
            self.fields[f"from_{value}"] = time_field(f"{name} from", required=False)
            self.fields[f"until_{value}"] = time_field(f"{name} until", required=False)
            self.initial.setdefault(f"from_{value}", starts)
            self.initial.setdefault(f"until_{value}", ends)

    def day_fields(self):
        return [(name, self[f"from_{value}"], self[f"until_{value}"]) for value, name in WEEKDAYS]

    def clean(self):
        cleaned = super().clean()
        windows: list[tuple[int, time, time]] = []
        for value, name in WEEKDAYS:
            starts, ends = cleaned.get(f"from_{value}"), cleaned.get(f"until_{value}")
            if bool(starts) != bool(ends):
                self.add_error(f"until_{value}", f"Give {name}'s start and end, or neither.")
            elif starts and starts == ends:
                self.add_error(f"until_{value}", "The end must differ from the start.")
            elif starts:
                windows.append((int(value), starts, ends))
        cleaned["windows"] = windows
        return cleaned


class PreferenceForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=User.objects.none(), label="Worker")
    kind = forms.ChoiceField(
        choices=[*PersonPreference.Kind.choices, ("", "No preference")],
        required=False,
        label="Preference",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(max_length=200, required=False, label="Note (optional)")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = members


class AddressForm(forms.ModelForm):
    address = forms.CharField(
        max_length=500,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The street on the first line, the neighbourhood on the second: the rota "
        "shows the neighbourhood.",
    )

    class Meta:
        model = Person
        fields = ["address", "postcode", "latitude", "longitude"]
        help_texts = {
            "latitude": "Optional, e.g. 52.41234: with coordinates the rota checks travel time.",
        }

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", "Give both coordinates, or neither.")
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", "A latitude is between -90 and 90.")
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("longitude", "A longitude is between -180 and 180.")
        return cleaned


class SettingsForm(forms.Form):
    travel_speed_kmh = forms.IntegerField(
        label="Travel speed between visits (km/h, straight line)",
        min_value=3,
        max_value=80,
        help_text="About 5 on foot, 20 by car in town, 35 in the country.",
    )
    coordinators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Rota coordinators",
        help_text="Leave empty for everyone in the team to plan. If you name coordinators, "
        "only they (and your coach) publish weeks and take suggestions.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = members


class SkillsForm(forms.Form):
    name = forms.CharField(label="Add a skill", max_length=60, required=False)
