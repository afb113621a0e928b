"""The shared argument checks of utils._validate (one place for each check)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from utils._validate import (
    callable_name,
    check_bool,
    check_scalar_result,
    check_seed,
    check_writable_float64_array,
)

PURPOSE = "it is updated in place"


# ------------------------------------------------ check_writable_float64_array


def test_writable_float64_array_is_returned_itself_not_a_copy():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert check_writable_float64_array("w", w, PURPOSE) is w


def test_writable_float64_array_accepts_a_strided_view():
    base = np.zeros((3, 4))
    view = base[:, ::2]
    assert check_writable_float64_array("w", view, PURPOSE) is view


def test_writable_float64_array_refuses_a_list_naming_the_argument_and_purpose():
    with pytest.raises(
        TypeError, match=r"^w must be a float64 NumPy array \(it is updated in place\), got list$"
    ):
        check_writable_float64_array("w", [1.0, 2.0], PURPOSE)


def test_writable_float64_array_refuses_float32_with_the_astype_hint():
    with pytest.raises(
        TypeError, match=r"w must be float64, got float32 .*w\.astype\(np\.float64\)"
    ):
        check_writable_float64_array("w", np.zeros(2, dtype=np.float32), PURPOSE)


def test_writable_float64_array_refuses_an_integer_array_without_a_hint():
    with pytest.raises(TypeError, match=r"^w must be float64, got int64$"):
        check_writable_float64_array("w", np.zeros(2, dtype=np.int64), PURPOSE)


def test_writable_float64_array_refuses_a_read_only_array_saying_why():
    w = np.zeros(2)
    w.setflags(write=False)
    with pytest.raises(ValueError, match=r"^w is read-only, but it is updated in place$"):
        check_writable_float64_array("w", w, PURPOSE)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_writable_float64_array_refuses_non_finite_entries(bad):
    with pytest.raises(ValueError, match=r"^w must contain only finite values$"):
        check_writable_float64_array("w", np.array([0.0, bad]), PURPOSE)


# ------------------------------------------------------------------ check_bool


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_bool_accepts_python_and_numpy_booleans_as_python_bool(value):
    out = check_bool("flag", value)
    assert type(out) is bool and out == bool(value)


@pytest.mark.parametrize("value", [0, 1, 1.0, "yes", None, np.int64(1)])
def test_bool_refuses_anything_else_with_type_and_value(value):
    with pytest.raises(
        TypeError, match=rf"^flag must be a bool \(True or False\), got {type(value).__name__} "
    ):
        check_bool("flag", value)


# ------------------------------------------------------------------ check_seed


def test_seed_integer_gives_numpys_default_rng_stream():
    expected = np.random.default_rng(123).standard_normal(5)
    assert np.array_equal(check_seed("seed", 123).standard_normal(5), expected)


def test_seed_numpy_integer_is_accepted():
    expected = np.random.default_rng(5).random(3)
    assert np.array_equal(check_seed("seed", np.int32(5)).random(3), expected)


def test_seed_generator_is_passed_through_sharing_its_state():
    rng = np.random.default_rng(0)
    assert check_seed("seed", rng) is rng


def test_seed_negative_integer_is_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match=r"^random_state must be >= 0, got -1$"):
        check_seed("random_state", -1)


@pytest.mark.parametrize("value", [1.5, "0", None, True])
def test_seed_non_integer_is_a_type_error(value):
    with pytest.raises(TypeError, match=r"^seed must be an integer"):
        check_seed("seed", value)


# --------------------------------------------------------- check_scalar_result


@pytest.mark.parametrize(
    "value", [2.5, 2, np.float64(2.5), np.int32(2), np.array(2.5), np.float32(2.5)]
)
def test_scalar_result_accepts_real_scalars_and_0d_arrays_as_float(value):
    out = check_scalar_result("f (g)", value, "at x = 0.0")
    assert type(out) is float and out == float(value)


def test_scalar_result_refuses_an_array_naming_callable_shape_and_point():
    with pytest.raises(
        ValueError,
        match=r"^f \(g\) must return a scalar, got an array of shape \(1,\) at x = 0\.0$",
    ):
        check_scalar_result("f (g)", np.array([1.0]), "at x = 0.0")


@pytest.mark.parametrize("value", ["1.0", None, 1j, [1.0, 2.0, "a"]])
def test_scalar_result_refuses_non_real_values_with_a_type_error(value):
    with pytest.raises(TypeError, match=r"^f \(g\) must return a real number, got "):
        check_scalar_result("f (g)", value, "at x = 0.0")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_scalar_result_refuses_non_finite_values_saying_where(value):
    with pytest.raises(
        ValueError,
        match=rf"^loss_fn \(L\) returned {value} at w\[0\] = 1\.0; it must be finite there$",
    ):
        check_scalar_result("loss_fn (L)", value, "at w[0] = 1.0")


# --------------------------------------------------------------- callable_name


def test_callable_name_of_a_function_is_its_qualified_name():
    def outer():
        def inner():
            pass

        return inner

    assert (
        callable_name(outer())
        == "test_callable_name_of_a_function_is_its_qualified_name.<locals>.outer.<locals>.inner"
    )


def test_callable_name_of_a_builtin_and_a_numpy_ufunc():
    assert (callable_name(math.exp), callable_name(np.sin)) == ("exp", "sin")


def test_callable_name_of_an_object_without_a_name_is_its_repr():
    class Scaled:
        def __call__(self, t):
            return 2 * t

        def __repr__(self):
            return "Scaled()"

    assert callable_name(Scaled()) == "Scaled()"
