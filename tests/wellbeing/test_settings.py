"""Configuration: the embedded default works with nothing set; bad values fail loudly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
    "s.DEBUG, s.TIME_ZONE)"
)


# Variables the tests set themselves; DJANGO_ALLOW_ASYNC_UNSAFE comes from the browser tests
# in this process and is never set in a deployment.
ENVIRONMENT_UNDER_TEST = {
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "EMAIL_HOST",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_UNDER_TEST}
    clean["DJANGO_SETTINGS_MODULE"] = "wellbeing.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        **env,
    )


def test_nothing_set_gives_the_embedded_default():
    result = run_python(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "True",
        "Europe/London",
    ]


def test_production_values_are_read_from_the_environment():
    result = run_python(
        PRINT_SETTINGS,
        DATABASE_URL="postgres://u:p@db.internal:5432/wellbeing",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp://relay.internal:587",
        DEBUG="false",
        SECRET_KEY=secrets.token_hex(32),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "False",
        "Europe/London",
    ]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "perhaps"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("REDIS_URL", "http://localhost:6379"),
        ("EMAIL_URL", "ftp://mail"),
        ("SITE_URL", "care.example.org"),
        ("TIME_ZONE", "Mars/Olympus"),
        ("OUTBOX_MAX_ATTEMPTS", "many"),
        ("SECRET_KEY", ""),
        # A threshold of one publishes each answer as it arrives.
        ("SURVEY_MIN_RESPONSES", "1"),
        ("PULSE_MIN_RESPONSES", "1"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    env = {variable: value}
    if variable == "SECRET_KEY":
        env["DEBUG"] = "false"
    result = run_python(PRINT_SETTINGS, **env)
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "care.example.org",
    "SITE_URL": "https://care.example.org",
}


def test_deployment_checks_pass_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        REDIS_URL="redis://redis.internal:6379/0",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checks_fail_without_a_shared_cache_naming_redis_url():
    """Each gunicorn worker would keep its own count of wrong passwords."""
    result = manage("check", "--deploy", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert result.returncode != 0
    assert "wellbeing.E001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_the_shared_cache_check_applies_to_production_only(settings):
    from wellbeing.accounts.checks import check_shared_cache

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [error.id for error in check_shared_cache()] == ["wellbeing.E001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert check_shared_cache() == []
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_shared_cache() == []


def make_dry_run(*args: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_points_links_at_the_port_it_serves():
    commands = make_dry_run("PORT=8123").splitlines()
    served = [line for line in commands if "manage.py" in line]
    assert len(served) == 3  # migrate, demo data, runserver
    assert all("SITE_URL=http://127.0.0.1:8123 " in line for line in served)
    assert served[-1].endswith("runserver 127.0.0.1:8123")


def test_make_run_keeps_a_site_url_the_environment_sets():
    commands = make_dry_run("PORT=8123", SITE_URL="https://care.example.org")
    assert "SITE_URL=https://care.example.org " in commands
    assert "SITE_URL=http://" not in commands


def test_migrations_match_the_models():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
