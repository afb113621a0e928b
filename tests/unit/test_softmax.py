"""utils.softmax: values, Jacobian and VJP against independent references."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from utils.numdiff import numerical_jacobian
from utils.softmax import softmax, softmax_jacobian, softmax_vjp


def test_softmax_matches_the_definition_with_math_exp():
    z = [0.3, -1.2, 2.0]
    e = [math.exp(v) for v in z]
    expected = [v / sum(e) for v in e]
    assert np.allclose(softmax(z), expected, rtol=1e-15, atol=0)


def test_softmax_of_huge_scores_does_not_overflow():
    assert softmax([1000.0, 0.0]).tolist() == [1.0, 0.0]


def test_softmax_is_unchanged_by_adding_a_constant():
    z = np.array([0.1, 0.7, -2.0])
    assert np.allclose(softmax(z + 50.0), softmax(z), rtol=1e-14)


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    a, b = 0.8, -0.4
    assert softmax([a, b])[0] == pytest.approx(1 / (1 + math.exp(-(a - b))))


def test_jacobian_agrees_with_central_differences():
    z = np.array([0.5, -1.0, 2.0, 0.0])
    J_num = numerical_jacobian(softmax, z)
    assert np.max(np.abs(softmax_jacobian(z) - J_num)) < 1e-9


def test_jacobian_rows_sum_to_zero_and_it_is_symmetric():
    J = softmax_jacobian([1.0, 2.0, 3.0])
    assert np.allclose(J.sum(axis=1), 0.0, atol=1e-16)
    assert np.array_equal(J, J.T)


def test_vjp_equals_vector_times_full_jacobian():
    rng = np.random.default_rng(0)
    z, v = rng.normal(size=6), rng.normal(size=6)
    assert np.allclose(softmax_vjp(z, v), v @ softmax_jacobian(z), atol=1e-15)


def test_vjp_of_a_constant_vector_is_zero():
    # the outputs sum to 1, so moving all of them up together is impossible
    assert np.allclose(softmax_vjp([0.2, 1.0, -3.0], [5.0, 5.0, 5.0]), 0.0)


def test_matrix_input_is_refused_naming_z():
    with pytest.raises(ValueError, match="z must be a non-empty 1-D"):
        softmax(np.zeros((2, 2)))


def test_non_numeric_input_is_refused_with_a_type_error():
    with pytest.raises(TypeError, match="z must be"):
        softmax(["a", "b"])


def test_nan_input_is_refused():
    with pytest.raises(ValueError, match="finite"):
        softmax([0.0, float("nan")])


def test_vjp_with_a_vector_of_the_wrong_length_is_refused_naming_v():
    with pytest.raises(ValueError, match="v must have the shape of z"):
        softmax_vjp([0.0, 1.0], [1.0, 2.0, 3.0])


def test_scores_spanning_the_float64_range_give_no_warning():
    # -1e308 - 1e308 overflows to -inf; exp(-inf) = 0 is the right answer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert softmax([-1e308, 1e308]).tolist() == [0.0, 1.0]
