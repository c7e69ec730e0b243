"""The outbox's settings: a value that cannot work stops start-up, naming the variable."""

from __future__ import annotations

import pytest

from tests.wellbeing.test_settings import run_python

PRINT_OUTBOX = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.OUTBOX_BATCH_SIZE, s.OUTBOX_MAX_PER_MINUTE)"
)


def test_batches_of_100_and_no_cap_by_default():
    result = run_python(PRINT_OUTBOX)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["100", "0"]


def test_the_batch_size_and_the_per_minute_cap_are_read_from_the_environment():
    result = run_python(PRINT_OUTBOX, OUTBOX_BATCH_SIZE="20", OUTBOX_MAX_PER_MINUTE="600")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["20", "600"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OUTBOX_BATCH_SIZE", "0"),
        ("OUTBOX_BATCH_SIZE", "5000"),
        ("OUTBOX_BATCH_SIZE", "lots"),
        ("OUTBOX_MAX_PER_MINUTE", "-1"),
        ("OUTBOX_MAX_PER_MINUTE", "fast"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = run_python(PRINT_OUTBOX, **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]
