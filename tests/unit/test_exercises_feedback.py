"""utils.exercises.feedback: how a reader's answer is compared, run and reported.

Each test names one behaviour. The expected verdicts are written out by hand
(what a careful grader would say), never computed with the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from utils.exercises import (
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

DOUBLE = [
    Case("double 2", (2.0,), 4.0, hint="multiply by two"),
    Case("double -1", (-1.0,), -2.0, hint="mind the sign"),
]


def double(x):
    return 2 * x


# --- compare: numbers -------------------------------------------------------


@pytest.mark.parametrize(
    "got", [0.5, np.float64(0.5), np.float32(0.5), np.array(0.5), np.array([0.5])]
)
def test_a_number_matches_python_and_numpy_scalars_and_one_entry_arrays(got):
    assert compare(0.5, got) is None


def test_an_int_matches_an_equal_float_within_tolerance():
    assert compare(3, 3.0) is None


def test_ints_are_compared_exactly_even_beyond_float64():
    assert compare(10**400, 10**400) is None
    assert compare(10**400, 10**400 + 1) is not None


def test_an_int_beyond_float64_against_a_float_is_a_difference_not_a_crash():
    assert compare(10**400, 1.0).startswith("expected 1000")


def test_an_expected_int_is_shown_as_an_int():
    assert compare(3, 4) == "expected 3\ngot      4"


def test_a_number_outside_the_tolerances_is_reported_with_both_values():
    assert compare(1.0, 1.5) == "expected 1.0\ngot      1.5"


def test_the_tolerances_decide_a_small_difference():
    assert compare(1.0, 1.0 + 1e-6) is not None
    assert compare(1.0, 1.0 + 1e-6, rtol=1e-5) is None
    assert compare(0.0, 1e-13) is None  # atol 1e-12 by default


def test_values_that_print_alike_are_shown_at_full_precision():
    # 0.1 + 0.2 and 0.3 agree to 10 digits but differ beyond rtol=0
    text = compare(0.3, 0.1 + 0.2, rtol=0, atol=0)
    assert "0.30000000000000004" in text


def test_nan_expected_matches_nan_got():
    assert compare(math.nan, np.nan) is None


def test_nan_got_where_a_number_is_expected_is_a_difference():
    assert compare(1.0, math.nan) == "expected 1.0\ngot      nan"


def test_infinities_match_only_with_the_same_sign():
    assert compare(math.inf, np.inf) is None
    assert compare(math.inf, -math.inf) is not None


def test_complex_numbers_are_compared_not_crashed_on():
    assert compare(1 + 2j, complex(1, 2)) is None
    assert compare(1 + 2j, 1 - 2j) == "expected (1+2j)\ngot      (1-2j)"


def test_a_complex_result_does_not_pass_for_a_real_expected_value():
    assert compare(1.0, 1 + 1j) is not None


def test_a_bool_is_not_a_number():
    assert compare(1.0, True) == "expected a number, got bool True"


def test_a_string_is_not_a_number():
    assert compare(3.0, "3") == "expected a number, got str '3'"


def test_an_array_of_several_entries_is_not_a_number():
    assert compare(1.0, np.ones(2)) == "expected a number, got an array of shape (2,)"


def test_a_float32_result_that_misses_a_float64_tolerance_says_so():
    assert "float32" in compare(0.1, np.float32(0.1))


# --- compare: bools, strings, None, other objects ---------------------------


@pytest.mark.parametrize("got", [True, np.True_])
def test_true_matches_python_and_numpy_true(got):
    assert compare(True, got) is None


@pytest.mark.parametrize("got", [1, 1.0, "True"])
def test_true_does_not_match_a_truthy_non_bool(got):
    assert compare(True, got).startswith("expected True or False")


def test_false_does_not_match_true():
    assert compare(False, True) == "expected False\ngot      True"


def test_equal_strings_match_and_different_ones_are_shown():
    assert compare("abc", "abc") is None
    assert compare("abc", "abd") == "expected 'abc'\ngot      'abd'"


def test_long_strings_that_differ_say_where():
    expected = "the gradient points uphill"
    assert compare(expected, "the gradient points downhill").endswith("at character 20)")


def test_a_number_is_not_a_string():
    assert compare("3", 3) == "expected a string, got int 3"


def test_none_matches_none():
    assert compare(None, None) is None


def test_none_got_points_at_a_missing_return():
    assert "return" in compare(1.0, None)


@pytest.mark.parametrize("expected", ["abc", None, {"a": 1}])
def test_an_array_got_never_breaks_an_equality_check(expected):
    # `array != x` is an array, whose truth value raises: compare must not
    assert compare(expected, np.array([1, 2])) is not None


# --- compare: tuples and lists ----------------------------------------------


def test_a_tuple_matches_item_by_item_within_tolerance():
    assert compare((1.0, np.ones(2)), (1.0 + 1e-12, np.ones(2))) is None


def test_a_list_answer_matches_an_expected_tuple():
    assert compare((1.0, 2.0), [1.0, 2.0]) is None


def test_a_tuple_of_the_wrong_length_is_reported_with_both_lengths():
    text = compare((1.0, 2.0), (1.0, 2.0, 3.0))
    assert text == "expected a tuple of 2 items, got a tuple of 3 items: (1.0, 2.0, 3.0)"


def test_an_array_is_not_an_expected_tuple():
    assert compare((1.0, 2.0), np.ones(2)) == (
        "expected a tuple of 2 items, got an array of shape (2,)"
    )


def test_a_nested_difference_names_its_index_path():
    text = compare((1.0, (2.0, 3.0)), (1.0, (2.0, 4.0)))
    assert text == "item [1][1]:\nexpected 3.0\ngot      4.0"


def test_a_generator_got_is_named_and_the_return_keyword_suggested():
    text = compare((1.0, 2.0), (x for x in (1.0, 2.0)))
    assert text.startswith("got a generator object") and "`return`, not `yield`" in text


# --- compare: arrays ----------------------------------------------------------


def test_an_array_matches_a_list_of_the_same_numbers():
    assert compare(np.array([1.0, 2.0]), [1.0, 2.0]) is None


def test_int_arrays_match_and_are_shown_as_ints():
    assert compare(np.arange(3), np.arange(3)) is None
    assert compare(np.arange(3), np.array([0, 1, 3])).startswith(
        "expected [0 1 2]\ngot      [0 1 3]"
    )


def test_a_shape_mismatch_is_reported_before_values():
    text = compare(np.zeros(3), np.zeros((3, 1)))
    assert text.startswith("expected an array of shape (3,), got shape (3, 1)")


def test_a_shape_mismatch_with_the_same_size_says_so():
    assert "arranged differently" in compare(np.zeros(3), np.zeros((1, 3)))
    assert "arranged differently" not in compare(np.zeros(3), np.zeros(4))


def test_a_scalar_where_an_array_is_expected_is_called_a_single_value():
    assert compare(np.ones(2), 1.0) == "expected an array of shape (2,), got a single value, 1.0"


def test_a_ragged_list_is_reported_not_crashed_on():
    assert compare(np.ones(2), [1.0, [2.0, 3.0]]).startswith("expected an array of shape (2,)")


def test_nan_where_the_expected_array_has_nan_matches():
    assert compare(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])) is None


def test_a_number_where_the_expected_array_has_nan_is_a_difference():
    assert compare(np.array([np.nan, 1.0]), np.array([0.0, 1.0])) is not None


def test_an_array_difference_names_the_count_and_the_worst_entry():
    text = compare(np.zeros(4), np.array([0.0, 0.1, 0.0, 2.0]))
    assert text.splitlines()[-1] == (
        "2 of 4 entries differ; the largest difference is at index 3: expected 0.0, got 2.0"
    )


def test_the_worst_entry_of_a_matrix_is_a_plain_index_tuple():
    text = compare(np.zeros((2, 2)), np.array([[0.0, 0.0], [0.0, 1.0]]))
    assert "at index (1, 1):" in text  # not (np.int64(1), np.int64(1))


def test_a_nan_entry_is_the_worst_difference():
    text = compare(np.array([1.0, 2.0]), np.array([1.5, np.nan]))
    assert "at index 1: expected 2.0, got nan" in text


def test_complex_arrays_keep_their_imaginary_part():
    assert compare(np.array([1 + 1j]), np.array([1 + 1j])) is None
    assert compare(np.array([1 + 1j]), np.array([1 - 1j])) is not None
    assert compare(np.array([1.0]), np.array([1 + 1j])) is not None


def test_bool_arrays_are_compared_exactly():
    assert compare(np.array([True, False]), np.array([True, False])) is None
    assert "at index 1" in compare(np.array([True, False]), np.array([True, True]))


def test_object_arrays_are_compared_entry_by_entry():
    expected = np.array([1, "a"], dtype=object)
    assert compare(expected, np.array([1, "a"], dtype=object)) is None
    assert compare(expected, np.array([1, "b"], dtype=object)).startswith("entry 1:")


def test_strings_where_numbers_are_expected_are_reported():
    assert compare(np.ones(1), np.array(["a"])).startswith("expected an array of numbers")


def test_a_large_array_is_summarised_within_eight_lines_per_value():
    text = compare(np.zeros((100, 100)), np.ones((100, 100)))
    got = text[text.index("\ngot") + 1 :].splitlines()
    assert len(text.splitlines()) <= 2 * 8 + 1 and got[0].startswith("got      [[1. 1. 1. ...")


def test_a_large_three_dimensional_array_is_named_by_its_shape():
    text = compare(np.zeros((5, 6, 7)), np.ones((5, 6, 7)))
    assert text.splitlines()[0] == "expected an array of shape (5, 6, 7) (float64)"


def test_array_lines_are_aligned_and_fit_the_detail_width():
    text = compare(np.zeros((4, 30)), np.ones((4, 30)))
    lines = text.splitlines()
    assert max(map(len, lines[:-1])) <= 73
    # continuation rows start under the first row's bracket
    assert lines[1].startswith(" " * 9 + " [")


def test_compare_never_warns_about_discarded_imaginary_parts(recwarn):
    compare(np.array([1.0]), np.array([1 + 1j]))
    assert not [w for w in recwarn if issubclass(w.category, np.exceptions.ComplexWarning)]


# --- compare: its own arguments ---------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"rtol": -1.0}, ValueError, "rtol"),
        ({"atol": math.nan}, ValueError, "atol"),
        ({"rtol": "1e-9"}, TypeError, "rtol"),
    ],
)
def test_bad_tolerances_raise_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        compare(1.0, 1.0, **kwargs)


# --- run_cases ----------------------------------------------------------------


def test_a_correct_function_passes_every_case():
    fb = run_cases("ex-demo", double, DOUBLE)
    assert fb.passed and [c.passed for c in fb.cases] == [True, True]


def test_a_wrong_function_fails_with_expected_got_and_the_hint():
    fb = run_cases("ex-demo", lambda x: x + 2, DOUBLE)
    assert [c.passed for c in fb.cases] == [True, False]
    assert fb.cases[1].detail == "expected -2.0\ngot      1.0"
    assert fb.cases[1].hint == "mind the sign"


def test_a_passing_case_carries_no_detail_or_hint():
    assert run_cases("ex-demo", double, DOUBLE).cases[0] == CaseResult("double 2", True)


def test_a_stub_that_raises_not_implemented_is_not_attempted():
    def stub(x):
        raise NotImplementedError

    assert run_cases("ex-demo", stub, DOUBLE).status == NOT_ATTEMPTED


def test_not_implemented_in_some_cases_only_keeps_the_other_results():
    def half_done(x):
        if x < 0:
            raise NotImplementedError("negative numbers are next")
        return 2 * x

    fb = run_cases("ex-demo", half_done, DOUBLE)
    assert fb.attempted and [c.passed for c in fb.cases] == [True, False]
    assert fb.cases[1].detail.startswith("raised NotImplementedError: negative numbers are next")


def test_an_exception_is_reported_with_its_type_message_and_line():
    def divides(x):
        return x / 0

    detail = run_cases("ex-demo", divides, DOUBLE).cases[0].detail
    assert detail == "raised ZeroDivisionError: float division by zero\nin the line: return x / 0"


def test_an_exception_inside_a_checkers_wrapper_shows_the_readers_line():
    # checkers call the reader's function from a wrapper of their own: the
    # line shown is the reader's, never the checker's
    from utils.exercises.gradient_checking import check_numerical_gradient

    def first_axis_only(loss, theta, h):
        grad = np.zeros_like(theta)
        for i in range(theta.shape[0]):  # a 0-d theta has no axis
            up, down = theta.copy(), theta.copy()
            up[i] += h
            down[i] -= h
            grad[i] = (loss(up) - loss(down)) / (2 * h)
        return grad

    fb = check_numerical_gradient(first_axis_only)
    detail = next(c.detail for c in fb.cases if c.detail.startswith("raised IndexError"))
    assert detail.endswith(
        "in the line: for i in range(theta.shape[0]):  # a 0-d theta has no axis"
    )


def test_an_exception_raised_inside_numpy_shows_the_readers_line_that_called_it():
    def shapes_clash(x):
        return float(np.ones(2) @ np.ones(3)) + x

    detail = run_cases("ex-demo", shapes_clash, DOUBLE).cases[0].detail
    assert detail.startswith("raised ValueError")
    assert detail.endswith("in the line: return float(np.ones(2) @ np.ones(3)) + x")


def test_a_list_of_one_item_is_named_in_the_singular():
    assert compare([1.0], []) == "expected a list of 1 item, got a list of 0 items: []"


def test_an_exception_without_a_message_has_no_dangling_colon():
    def fails(x):
        raise ValueError()

    assert run_cases("ex-demo", fails, DOUBLE).cases[0].detail.splitlines()[0] == (
        "raised ValueError"
    )


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_propagates(interrupt):
    def stopped(x):
        raise interrupt

    with pytest.raises(interrupt):
        run_cases("ex-demo", stopped, DOUBLE)


def test_a_function_that_mutates_its_input_cannot_spoil_the_next_case():
    shared = np.ones(3)
    cases = [Case("first", (shared,), 3.0), Case("second", (shared,), 3.0)]

    def sums_then_zeroes(x):
        total = x.sum()
        x[:] = 0.0
        return total

    assert run_cases("ex-demo", sums_then_zeroes, cases).passed
    assert shared.tolist() == [1.0, 1.0, 1.0]  # the checker's own data is untouched


def test_a_generator_function_is_told_to_return():
    def yields(x):
        yield 2 * x

    assert "`return`, not `yield`" in run_cases("ex-demo", yields, DOUBLE).cases[0].detail


def test_what_the_function_prints_is_left_to_the_notebook(capsys):
    def chatty(x):
        print("debug", x)
        return 2 * x

    assert run_cases("ex-demo", chatty, DOUBLE).passed
    assert capsys.readouterr().out == "debug 2.0\ndebug -1.0\n"


def test_an_ellipsis_candidate_is_not_attempted():
    assert run_cases("ex-demo", ..., DOUBLE).status == NOT_ATTEMPTED


def test_a_non_callable_candidate_fails_with_a_named_reason():
    fb = run_cases("ex-demo", 3, DOUBLE)
    assert fb.status == "failed" and fb.cases[0].detail == "expected a function, got int 3"


def test_a_case_whose_arguments_cannot_be_copied_is_the_checkers_error_not_the_readers():
    cases = [Case("gen", ((x for x in ()),), 0.0)]
    with pytest.raises(TypeError):
        run_cases("ex-demo", lambda g: 0.0, cases)


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((3, double, DOUBLE), TypeError, "exercise"),
        (("ex", double, DOUBLE[0]), TypeError, "cases"),
        (("ex", double, [("double 2", (2.0,), 4.0)]), TypeError, r"cases\[0\]"),
        (("ex", double, []), ValueError, "cases"),
    ],
)
def test_run_cases_refuses_bad_arguments_naming_them(args, error, name):
    with pytest.raises(error, match=name):
        run_cases(*args)


# --- Case, CaseResult, Feedback: their own arguments ------------------------


def test_case_args_must_be_a_tuple_and_the_error_shows_how():
    with pytest.raises(TypeError, match=r"args must be a tuple.*\(x,\)"):
        Case("double 2", 2.0, 4.0)


@pytest.mark.parametrize(("field", "value"), [("rtol", -1e-9), ("atol", math.inf)])
def test_case_tolerances_must_be_nonnegative_and_finite(field, value):
    with pytest.raises(ValueError, match=field):
        Case("c", (1.0,), 1.0, **{field: value})


def test_case_name_must_be_a_string():
    with pytest.raises(TypeError, match="name"):
        Case(None, (1.0,), 1.0)


def test_case_result_passed_must_be_a_bool_and_numpy_bools_are_accepted():
    assert CaseResult("a", np.True_).passed is True
    with pytest.raises(TypeError, match="passed"):
        CaseResult("a", "yes")


def test_feedback_cases_must_be_case_results_and_a_list_is_stored_as_a_tuple():
    assert Feedback("ex", [CaseResult("a", True)]).cases == (CaseResult("a", True),)
    with pytest.raises(TypeError, match=r"cases\[0\]"):
        Feedback("ex", ["a"])


# --- check_value, is_unanswered, not_attempted --------------------------------


def test_check_value_passes_a_right_value_and_fails_a_wrong_one():
    assert check_value("ex", 0.5, 0.5).passed
    assert check_value("ex", 0.4, 0.5, hint="h").cases[0].hint == "h"


def test_an_ellipsis_answer_is_not_attempted():
    assert check_value("ex", ..., 0.5).status == NOT_ATTEMPTED


def test_a_none_answer_is_a_forgotten_return_not_an_unattempted_stub():
    fb = check_value("ex", None, 0.5)
    assert fb.status == "failed" and "return" in fb.cases[0].detail


def test_only_the_ellipsis_is_unanswered():
    assert [is_unanswered(a) for a in (..., None, 0, "")] == [True, False, False, False]


def test_check_value_refuses_a_bad_tolerance_even_before_an_answer():
    with pytest.raises(ValueError, match="rtol"):
        check_value("ex", ..., 0.5, rtol=-1.0)


def test_not_attempted_has_no_cases_and_does_not_pass():
    fb = not_attempted("ex")
    assert (fb.attempted, fb.cases, fb.passed) == (False, (), False)


# --- the text a notebook shows ------------------------------------------------


def test_the_not_attempted_text_names_the_label_and_what_to_do():
    assert str(not_attempted("ex-demo")) == (
        "ex-demo: not attempted yet.\n  Fill in the stub above and run the cell again."
    )


def test_each_case_line_says_pass_or_fail_in_words():
    text = str(run_cases("ex-demo", lambda x: x + 2, DOUBLE))
    assert "  ✓ pass: double 2" in text.splitlines()
    assert "  ✗ FAIL: double -1" in text.splitlines()


def test_a_single_check_reads_in_the_singular():
    assert str(check_value("ex", 0.5, 0.5)).splitlines()[0] == "ex: passed (1 check)."
    assert str(check_value("ex", 0.4, 0.5)).splitlines()[0] == "ex: failed (1 check)."


def test_several_checks_are_counted():
    assert str(run_cases("ex", double, DOUBLE)).splitlines()[0] == "ex: passed, all 2 checks."
    assert (
        str(run_cases("ex", lambda x: x + 2, DOUBLE)).splitlines()[0] == "ex: 1 of 2 checks pass."
    )


def test_every_line_of_a_long_report_fits_79_characters():
    hint = "look at " + "every entry of the matrix, " * 8
    cases = [Case("a case with a long name " * 4, (np.ones((6, 40)),), np.zeros((6, 40)), hint)]
    text = str(run_cases("ex-demo", lambda x: x, cases))
    assert text.count("\n") > 5
    assert max(map(len, text.splitlines())) <= 79


def test_the_repr_is_the_report_so_a_notebook_shows_text():
    fb = run_cases("ex", double, DOUBLE)
    assert repr(fb) == str(fb)
    assert not hasattr(fb, "_repr_html_")  # nbval compares text/plain; one rendering


@pytest.mark.parametrize("got", [3, 1 + 1j, np.uint64(7), math.inf, np.datetime64("2020-01-01")])
def test_a_zero_dimensional_expected_array_reports_a_wrong_value_plainly(got):
    assert compare(np.array(1.0), got).startswith("expected 1.0")


def test_numpy_values_that_print_alike_are_shown_as_plain_floats():
    text = compare(0.3, np.float64(0.1) + np.float64(0.2), rtol=0, atol=0)
    assert text == "expected 0.3\ngot      0.30000000000000004"


def test_an_array_in_the_report_keeps_its_columns():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    text = str(check_value("ex", expected + 0.5, expected))
    assert "      expected [[1. 2.]\n                [3. 4.]]" in text


@pytest.mark.parametrize(("expected", "got"), [(1 + 1j, 10**400), (np.array(1.0), 10**400)])
def test_an_int_beyond_float64_is_a_difference_wherever_it_appears(expected, got):
    assert compare(expected, got) is not None


def test_a_one_line_difference_in_an_item_stays_on_the_items_line():
    assert compare((1.0, np.ones(2)), (1.0, np.ones(3))) == (
        "item 1: expected an array of shape (2,), got shape (3,)"
    )


def test_a_two_line_difference_in_an_item_starts_below_it_aligned():
    assert compare((1.0, 2.0), (1.0, 3.0)) == "item 1:\nexpected 2.0\ngot      3.0"
