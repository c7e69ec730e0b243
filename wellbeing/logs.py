"""How the server log reads: one line for each refusal, tracebacks only for real faults."""

from __future__ import annotations

import logging


class RefusalsInOneLine(logging.Filter):
    """A 4xx answer is the site working as meant: log it as one line, with the reason.

    Django logs a refused request (PermissionDenied, BadRequest) with the exception's
    traceback, which buries real errors among dozens of lines for every ordinary "no".
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            reason = " ".join(str(record.exc_info[1] or "").split())
            record.exc_info = None
            record.exc_text = None
            if reason and isinstance(record.args, tuple):
                record.msg = f"{record.msg} (%s)"
                record.args = (*record.args, reason)
        return True
