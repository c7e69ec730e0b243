"""Times read the same everywhere, the GOV.UK way: 9am, 2:30pm, midday, midnight."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines

ROOT = Path(__file__).resolve().parents[2]


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(9, 0), "9am"),
        (time(14, 30), "2:30pm"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(0, 5), "12:05am"),
        (time(12, 45), "12:45pm"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_a_time_of_day_reads_as_people_say_it(value, expected):
    assert render("{{ t|time_of_day }}", t=value) == expected


def test_times_are_shown_in_uk_time():
    summer = datetime(2026, 7, 14, 13, 30, tzinfo=UTC)  # 2:30pm BST
    winter = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 9am GMT
    assert render("{{ t|time_of_day }}", t=summer) == "2:30pm"
    assert render("{{ t|date_and_time }}", t=winter) == "1 December 2026 at 9am"
    assert render('{{ t|date_and_time:"l j F Y" }}', t=summer) == "Tuesday 14 July 2026 at 2:30pm"


def test_nothing_to_show_shows_nothing():
    assert render("[{{ t|time_of_day }}][{{ t|date_and_time }}]", t=None) == "[][]"


def test_plain_text_emails_have_the_filters_too():
    template = engines["text"].from_string("{{ t|time_of_day }}")
    assert template.render({"t": time(9, 0)}) == "9am"


# A `date` format that writes a time: hours (g G h H), minutes (i), seconds (s), am/pm (a A),
# or both at once (P, f). Escaped letters ("\a") are words, not formats; "c" is for machines.
TIME_FORMAT = re.compile(r"(?<!\\)[gGhHisaAPf]")


def test_no_template_writes_a_time_with_the_date_filter():
    """Every time goes through time_of_day or date_and_time, so none reads "14:30"."""
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for match in re.finditer(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if TIME_FORMAT.search(match.group(1)):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5.50", "5.5"), ("20.25", "20.25"), ("24.00", "24"), (0, "0"), (37.5, "37.5"), (None, "")],
)
def test_hours_read_as_figures_without_trailing_zeros(value, expected):
    template = engines["django"].from_string("{{ value|hours_figure }}")
    assert template.render({"value": Decimal(value) if isinstance(value, str) else value}) == (
        expected
    )


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (Decimal("44.29"), "44 hours 17 minutes"),
        (Decimal("41.54"), "41 hours 32 minutes"),
        (Decimal("2.5"), "2 hours 30 minutes"),
        (Decimal("1"), "1 hour"),
        (Decimal("0.75"), "45 minutes"),
        (Decimal("0.0167"), "1 minute"),
        (Decimal("0"), "0 hours"),
        (Decimal("1.999"), "2 hours"),
        (None, ""),
    ],
)
def test_hours_are_said_in_hours_and_minutes(value, said):
    from wellbeing.templatetags.times import hours

    assert hours(value) == said
