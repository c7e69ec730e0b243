"""The public forms' shared throttle: attempts counted per scope and value in fixed windows."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from wellbeing import throttle


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand: windows start and end when the test says."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    return now


def test_attempts_up_to_the_limit_are_allowed_and_the_next_is_refused(clock):
    results = [throttle.attempt_allowed("form-ip", "192.0.2.1", [(3, 60)]) for _ in range(4)]
    assert results == [True, True, True, False]


def test_each_scope_and_each_value_is_counted_apart(clock):
    assert throttle.attempt_allowed("form-ip", "192.0.2.1", [(1, 60)])
    assert throttle.attempt_allowed("form-ip", "192.0.2.2", [(1, 60)])
    assert throttle.attempt_allowed("other-form-ip", "192.0.2.1", [(1, 60)])
    assert not throttle.attempt_allowed("form-ip", "192.0.2.1", [(1, 60)])


def test_a_new_window_allows_again(clock):
    assert throttle.attempt_allowed("form-ip", "192.0.2.1", [(1, 60)])
    assert not throttle.attempt_allowed("form-ip", "192.0.2.1", [(1, 60)])
    clock[0] += 60
    assert throttle.attempt_allowed("form-ip", "192.0.2.1", [(1, 60)])


def test_the_longer_window_still_refuses_after_the_shorter_one_has_passed(clock):
    limits = [(2, 60), (3, 3600)]
    assert [throttle.attempt_allowed("form-ip", "a", limits) for _ in range(2)] == [True, True]
    clock[0] += 60
    # A fresh minute, but the hour has seen two already: one more, then refused.
    assert throttle.attempt_allowed("form-ip", "a", limits)
    assert not throttle.attempt_allowed("form-ip", "a", limits)
    clock[0] += 60
    assert not throttle.attempt_allowed("form-ip", "a", limits)


def test_refused_attempts_still_count(clock):
    limits = [(1, 60), (3, 3600)]
    for _ in range(3):
        throttle.attempt_allowed("form-ip", "a", limits)
    clock[0] += 60
    # The two refused in the first minute count against the hour, so the next is refused.
    assert not throttle.attempt_allowed("form-ip", "a", limits)


def test_no_address_is_kept_in_the_cache_keys(clock, monkeypatch):
    keys = []
    backend = caches["default"]
    add = backend.add
    monkeypatch.setattr(
        backend, "add", lambda key, *args, **kw: keys.append(key) or add(key, *args, **kw)
    )
    throttle.attempt_allowed("form-email", "someone@example.org", [(3, 60), (9, 3600)])
    assert len(keys) == 2
    assert not any("someone" in key or "example" in key for key in keys)


def test_the_client_address_is_the_connecting_address(rf):
    request = rf.post("/", REMOTE_ADDR="198.51.100.7")
    assert throttle.client_address(request) == "198.51.100.7"


def check(stamp: str, **kwargs) -> throttle.FormShown:
    return throttle.form_shown_check(
        "comment", stamp, **({"min_seconds": 5, "max_age": 60} | kwargs)
    )


def test_a_form_sent_after_the_minimum_time_is_in_time(clock):
    stamp = throttle.form_shown_stamp("comment")
    clock[0] += 12
    assert check(stamp) == throttle.FormShown.IN_TIME


def test_a_form_sent_before_the_minimum_time_is_too_quick(clock):
    stamp = throttle.form_shown_stamp("comment")
    clock[0] += 4
    assert check(stamp) == throttle.FormShown.TOO_QUICK


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "1000000",
        "1000000:forged",
        lambda: throttle.form_shown_stamp("application"),  # another form's stamp
    ],
    ids=["empty", "unsigned", "forged", "another-form"],
)
def test_a_stamp_not_signed_for_this_form_is_unsigned(clock, stamp):
    stamp = stamp() if callable(stamp) else stamp
    clock[0] += 12
    assert check(stamp) == throttle.FormShown.UNSIGNED


def test_a_stamp_older_than_the_form_may_stay_open_is_stale_not_unsigned(clock):
    stamp = throttle.form_shown_stamp("comment")
    clock[0] += 61
    assert check(stamp) == throttle.FormShown.STALE


def test_a_forged_old_stamp_is_unsigned_not_stale(clock):
    stamp = throttle.form_shown_stamp("comment")
    clock[0] += 61
    assert check(stamp[:-1] + ("A" if stamp[-1] != "A" else "B")) == throttle.FormShown.UNSIGNED


def test_a_form_shown_again_after_a_stale_stamp_may_be_sent_straight_back(clock):
    stamp = throttle.form_shown_again_stamp("comment", min_seconds=5)
    assert check(stamp) == throttle.FormShown.IN_TIME
