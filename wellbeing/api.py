"""What every app's API shares: one exception handler, so a broken rule reads the same
everywhere.

Services raise `DomainError` subclasses; viewsets let them through instead of catching them one
by one, and this handler turns them into `{"detail": message}` with the error's status (400, or
409 for a clash). Anything else goes to DRF's own handler. Settings name it in
`REST_FRAMEWORK["EXCEPTION_HANDLER"]`; to treat another kind of exception specially, add a
branch here rather than a second handler.
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from wellbeing.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        # Like DRF's own handler: nothing the request wrote survives its refusal.
        set_rollback()
        return Response({"detail": str(exc)}, status=exc.status_code)
    return drf_exception_handler(exc, context)
