"""Deployment checks for sign-in: `manage.py check --deploy` fails on a setup that leaks."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that each process keeps to itself: a rate limit counted in one of them is multiplied
# by the number of web processes (14 wrong passwords, then the right one, signed in with two).
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            "Sign-in rate limits need a cache shared by every web process, but none is set up.",
            hint=(
                "Set REDIS_URL (redis://host:6379/0) to the Redis the Celery workers use; it "
                "is also the cache. Without it each process counts wrong passwords and codes "
                "on its own, so an attacker gets as many tries as there are processes."
            ),
            id="wellbeing.E001",
        )
    ]
