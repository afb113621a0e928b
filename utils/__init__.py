"""Companion library of *Calculus & Optimization for Machine Learning*.

The package is layered; each layer imports only the layers above it in this list:

1. **Math core** (NumPy only): :mod:`utils.numdiff`, :mod:`utils.activations`,
   :mod:`utils.autograd`, :mod:`utils.nn`, :mod:`utils.optim`,
   :mod:`utils.schedules`, :mod:`utils.gradcheck`, :mod:`utils.landscapes`,
   :mod:`utils.data`, :mod:`utils.descent`, :mod:`utils.gradflow`,
   :mod:`utils.graphdraw`, :mod:`utils.admodes`, :mod:`utils.softmax`,
   :mod:`utils.exercises` (a package: the checkers of the code exercises, one
   module per chapter) (and the private ``utils._validate``).
2. **Plotting** (adds matplotlib): :mod:`utils.plotting`.
3. **Widgets** (adds ipywidgets): :mod:`utils.widgets`, :mod:`utils.explorations`,
   :mod:`utils.quiz` (whose quiz data, ``utils/quizzes/*.yml``, PyYAML reads).
4. **Notebook helpers**: :mod:`utils.notebook` (``glue`` that degrades to a no-op
   where MyST-NB is absent, e.g. in Colab).

Importing :mod:`utils` itself imports nothing but this docstring, so a script
that needs only the math core never pays for matplotlib or ipywidgets.
"""

__version__ = "0.1.0"
