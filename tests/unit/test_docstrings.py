"""The public API of the math core is documented the numpydoc way.

numpydoc's own validator (``numpydoc.validate``) checks every public function,
class and method of the core modules: a summary line, every parameter described,
a Returns section, a See Also section and runnable Examples. The derivations
live in the chapters, so every core module names the chapter that explains it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re

import pytest
from numpydoc.docscrape import NumpyDocString
from numpydoc.validate import validate

from tests.unit.test_layers import LAYER_MODULES  # the layers, declared once in utils/__init__.py

# numpydoc's checks that are enforced (see numpydoc's documentation, "Validation"):
ENFORCED = {
    "GL08": "the object has no docstring",
    "SS01": "no summary line",
    "SS02": "summary does not start with a capital letter",
    "PR01": "a parameter is not documented",
    "PR02": "a documented parameter does not exist",
    "PR03": "parameters documented in the wrong order",
    "PR07": "a parameter has no description",
    "RT01": "no Returns section",
    "RT03": "a return value has no description",
    "SA01": "no See Also section",
    "EX01": "no Examples section",
}


def _with_submodules(names: list[str]) -> list[str]:
    """The core modules, a package followed by its submodules (``exercises.feedback``...)."""
    found = []
    for name in names:
        found.append(name)
        module = importlib.import_module(f"utils.{name}")
        if hasattr(module, "__path__"):
            found += [f"{name}.{m.name}" for m in pkgutil.iter_modules(module.__path__)]
    return found


CORE = _with_submodules(list(LAYER_MODULES["core"]))
# the machinery shared by the exercise checkers explains no idea of its own
# (each chapter's checker module names its chapter)
NO_CHAPTER = {"exercises", "exercises.feedback"}
# numpydoc checks a class's constructor parameters against its Parameters section.
# A result type (a dataclass or NamedTuple that a function returns) is documented
# the numpydoc way with an Attributes section instead: its fields are what a
# reader uses. For those classes the parameter checks below are replaced by
# the same checks against Parameters + Attributes (see _field_errors).
PARAMETER_CHECKS = {"PR01", "PR02", "PR03", "PR07"}


def _public_objects():
    for module_name in CORE:
        module = importlib.import_module(f"utils.{module_name}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            yield f"utils.{module_name}.{name}"
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
                        yield f"utils.{module_name}.{name}.{attr}"


PUBLIC = sorted(set(_public_objects()))


def test_the_core_has_a_public_api_to_check():
    # guards the parametrisation below against silently checking nothing
    assert len(PUBLIC) > 100


def _record_fields(obj) -> list[str] | None:
    """The fields of a dataclass or NamedTuple class, None for any other object."""
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        return [f.name for f in dataclasses.fields(obj) if f.init]
    if inspect.isclass(obj) and issubclass(obj, tuple) and hasattr(obj, "_fields"):
        return list(obj._fields)
    return None


def _field_errors(obj, fields: list[str]) -> list[str]:
    """PR01/PR02/PR03/PR07 for a record type, whose fields may be listed under
    Parameters or Attributes (each section in field order)."""
    doc = NumpyDocString(inspect.getdoc(obj) or "")
    errors = []
    documented = {}
    for section in ("Parameters", "Attributes"):
        names = []
        for param in doc[section]:
            for name in param.name.split(","):
                names.append(name.strip())
                documented[name.strip()] = "".join(param.desc).strip()
        order = [f for f in fields if f in names]
        if [n for n in names if n in fields] != order:
            errors.append(f"PR03 ({ENFORCED['PR03']}): {section} {names}, fields {fields}")
    if missing := [f for f in fields if f not in documented]:
        errors.append(f"PR01 ({ENFORCED['PR01']}): {missing}")
    if extra := [n for n in documented if n not in fields]:
        errors.append(f"PR02 ({ENFORCED['PR02']}): {extra}")
    if empty := [n for n, desc in documented.items() if not desc]:
        errors.append(f"PR07 ({ENFORCED['PR07']}): {empty}")
    return errors


def _load(qualname: str):
    module_name, _, rest = qualname[len("utils.") :].partition(".")
    obj = importlib.import_module(f"utils.{module_name}")
    for part in rest.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("qualname", PUBLIC)
def test_public_docstring_passes_numpydoc_validation(qualname):
    result = validate(qualname)
    fields = _record_fields(_load(qualname))
    skip = PARAMETER_CHECKS if fields is not None else set()
    errors = [
        f"{code} ({ENFORCED[code]}): {msg}"
        for code, msg in result["errors"]
        if code in ENFORCED and code not in skip
    ]
    if fields is not None:
        errors += _field_errors(_load(qualname), fields)
    assert not errors, f"{qualname}:\n  " + "\n  ".join(errors)


@pytest.mark.parametrize("module_name", sorted(CORE))
def test_core_module_docstring_names_the_chapter_that_explains_it(module_name):
    module = importlib.import_module(f"utils.{module_name}")
    if module_name.startswith("_"):
        pytest.skip("private helper module: explains no idea of its own")
    if module_name in NO_CHAPTER:
        pytest.skip("exercise-checking machinery: explains no idea of its own")
    assert re.search(r"[Cc]hapter \d", module.__doc__ or ""), (
        f"utils.{module_name}'s docstring should say which chapter explains its idea"
    )


def _core_docstrings():
    for module_name in CORE:
        module = importlib.import_module(f"utils.{module_name}")
        yield f"utils.{module_name}", module.__doc__ or ""
    for qualname in PUBLIC:
        yield qualname, inspect.getdoc(_load(qualname)) or ""


def test_every_chapter_reference_names_the_chapter_and_one_title_per_number():
    # "Chapter N (Title)", the same Title for the same N everywhere, so that a
    # renamed or renumbered chapter shows up here as one inconsistent reference
    titles: dict[str, set[str]] = {}
    bare = []
    for where, doc in _core_docstrings():
        text = " ".join(doc.split())  # references may wrap across lines
        for number, title in re.findall(r"Chapter (\d+) \(([^()]+)\)", text):
            titles.setdefault(number, set()).add(title)
        for m in re.finditer(r"[Cc]hapter \d+(?! \()", text):  # "chapter 6" too
            bare.append(f"{where}: ...{text[m.start() : m.end() + 20]}")
    assert titles, "no chapter references found"
    assert not bare, "chapter references without their title:\n" + "\n".join(bare)
    conflicting = {n: t for n, t in titles.items() if len(t) > 1}
    assert not conflicting, f"one chapter number, several titles: {conflicting}"
