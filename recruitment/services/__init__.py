"""Recruitment's writes, one module per stage of a round.

Each function is keyword-only and atomic, and raises `RecruitmentError` with a message a
person can read when a rule is broken.
"""

from ..errors import RecruitmentError

__all__ = ["RecruitmentError"]
