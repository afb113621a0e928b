"""Naming the mistake behind a wrong answer (utils.exercises._mistakes)."""

from __future__ import annotations

from utils.exercises._mistakes import Mistake, run_cases_naming_mistakes
from utils.exercises.feedback import Case

CASES = [Case("double 3", (3.0,), 6.0, hint="multiply by two")]


def test_every_matching_mistake_is_named_before_the_case_hint():
    mistakes = [Mistake("x squared", lambda x: x * x), Mistake("x + 6", lambda x: x + 6)]
    fb = run_cases_naming_mistakes("ex-demo", lambda x: 9.0, CASES, mistakes)
    assert fb.cases[0].hint == (
        "your result is what you get with x squared, or with x + 6; multiply by two"
    )


def test_an_unrecognised_wrong_answer_keeps_the_case_hint():
    fb = run_cases_naming_mistakes(
        "ex-demo", lambda x: 7.0, CASES, [Mistake("x^2", lambda x: x * x)]
    )
    assert fb.cases[0].hint == "multiply by two"
    assert "got      7.0" in fb.cases[0].detail


def test_a_mistake_that_does_not_apply_to_a_case_is_skipped():
    mistakes = [Mistake("indexing", lambda x: x[0]), Mistake("x + 6", lambda x: x + 6)]
    fb = run_cases_naming_mistakes("ex-demo", lambda x: 9.0, CASES, mistakes)
    assert fb.cases[0].hint.startswith("your result is what you get with x + 6;")


def test_the_stub_and_a_raising_function_are_reported_as_run_cases_does():
    def stub(x):
        raise NotImplementedError

    assert run_cases_naming_mistakes("ex-demo", stub, CASES, []).status == "not attempted yet"
    fb = run_cases_naming_mistakes("ex-demo", lambda x: 1 / 0, CASES, [])
    assert fb.cases[0].detail.startswith("raised ZeroDivisionError: division by zero")


def test_the_feedback_names_the_readers_line_not_the_wrapper():
    def reader(x):
        return x / 0

    fb = run_cases_naming_mistakes("ex-demo", reader, CASES, [])
    assert "results" not in fb.cases[0].detail  # no line of the recording wrapper
