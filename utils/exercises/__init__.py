"""Checkers for the book's code exercises, one module per chapter.

:mod:`utils.exercises.feedback` holds what every checker shares (the
:class:`~utils.exercises.feedback.Feedback` a checker returns, the cases it
runs, how a result is compared); each chapter's checkers sit in a module named
for the chapter's topic. A checker takes the reader's function or value and
returns its feedback: which case fails, expected against got, and a hint; a
stub still as it ships gets "not attempted yet".
"""

from .feedback import (
    NOT_ATTEMPTED,
    Case,
    CaseResult,
    Feedback,
    check_value,
    compare,
    is_unanswered,
    not_attempted,
    run_cases,
)

__all__ = [
    "NOT_ATTEMPTED",
    "Case",
    "CaseResult",
    "Feedback",
    "check_value",
    "compare",
    "is_unanswered",
    "not_attempted",
    "run_cases",
]
