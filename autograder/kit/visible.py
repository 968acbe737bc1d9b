"""Visible tests: small fixed cases whose expected outputs were written from the reference.

``python -m autograder.build`` stores, for every item, its visible cases in ``fixtures.npz`` next
to the notebook: the inputs, the expected outputs and, for each known mistake, the output that
mistake would give.  A visible test cell runs ``check("conv1d_unroll", conv1d_unroll)``; it needs
neither the reference nor the network, and its message names the case, the error and where.

Fixture keys, for item ``name`` and case number ``i``:
    name/i/case        repr of a dict: label, positional, scalars, outputs, expected_types,
                       mistakes, verdicts ({compare.VERDICTS name: message}, mistakes seen in
                       shapes and dtypes), raises (the exception's name when the case expects
                       one, else "")
    name/i/in/ARG      array argument ARG
    name/i/out/J       expected output J
    name/i/mistake/M/J output J of known mistake number M (absent when that mistake leaves
                       output J right: only the outputs it changes are compared)

A visible case fails for the same reasons as a hidden one: a wrong value, type, shape or dtype,
an input modified in place, an output sharing memory with an input.
"""

import ast
import os

import numpy as np

from .cases import is_function_spec, scalar_function
from .compare import matches, verdict
from .drivers import DRIVERS
from .limits import CaseTimeout, time_limit
from .record import side_effects, snapshot

CASE_SECONDS = 10.0

FIXTURES = "fixtures.npz"


def load_cases(item, path=FIXTURES):
    """The visible cases of ``item`` as dicts: meta, inputs, expected, mistakes."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} not found: run the notebook from its own folder")
    with np.load(path, allow_pickle=False) as data:
        files = set(data.files)
        cases = []
        number = 0
        while f"{item}/{number}/case" in files:
            prefix = f"{item}/{number}"
            meta = ast.literal_eval(str(data[f"{prefix}/case"]))
            inputs = {
                name: scalar_function(value) if is_function_spec(value) else value
                for name, value in meta["scalars"].items()
            }
            for name in meta["arrays"]:
                inputs[name] = data[f"{prefix}/in/{name}"].copy()
            inputs = {name: inputs[name] for name in meta["order"]}
            expected = [
                data[f"{prefix}/out/{j}"] if kind == "ndarray" else data[f"{prefix}/out/{j}"].item()
                for j, kind in enumerate(meta["expected_types"])
            ]
            mistakes = [
                (
                    message,
                    [
                        data[key] if (key := f"{prefix}/mistake/{m}/{j}") in files else None
                        for j in range(len(expected))
                    ],
                )
                for m, message in enumerate(meta["mistakes"])
            ]
            cases.append(
                {"meta": meta, "inputs": inputs, "expected": expected, "mistakes": mistakes}
            )
            number += 1
    if not cases:
        raise KeyError(f"{path} has no visible cases for {item!r}")
    return cases


def likely_mistakes(outputs, mistakes):
    """Messages of the known mistakes whose outputs equal ``outputs`` on every output they
    propose (``None``: not proposed), at least one; duplicates dropped."""
    found = []
    for message, wrong in mistakes:
        proposed = [(got, bad) for got, bad in zip(outputs, wrong, strict=False) if bad is not None]
        if (
            len(wrong) == len(outputs)
            and proposed
            and all(matches(got, bad) for got, bad in proposed)
            and message not in found
        ):
            found.append(message)
    return found


def check_case(function, case, seconds=CASE_SECONDS):
    """Run one visible case; return None if it passes, else a message explaining the failure."""
    meta = case["meta"]
    label = meta["label"]
    driver = DRIVERS[meta.get("driver", "call")]
    inputs = case["inputs"]
    before = snapshot(inputs)
    try:
        with time_limit(seconds):
            outputs = driver.run(function, inputs, meta["positional"])
    except CaseTimeout:
        return f"case {label}: still running after {seconds:g} s (an endless loop?)"
    except NotImplementedError:
        return f"case {label}: not implemented yet (the function raises NotImplementedError)"
    except Exception as error:
        if meta.get("raises") and type(error).__name__ == meta["raises"]:
            return None  # the case tests input validation, and the function refused the input
        return f"case {label}: raised {type(error).__name__}: {error}"
    if meta.get("raises"):
        return f"case {label}: should raise {meta['raises']} for these arguments"
    names = meta["outputs"]
    if len(outputs) != len(names):
        return f"case {label}: returned {len(outputs)} values, expected {len(names)} ({names})"
    problems = [
        driver.compare(index, got, want, name, case["inputs"])
        for index, (got, want, name) in enumerate(
            zip(outputs, case["expected"], names, strict=True)
        )
    ]
    problems = [problem.message for problem in problems if problem is not None]
    problems += side_effects(inputs, before, outputs, driver.allow_views)
    if not problems:
        return None
    message = f"case {label}:\n    " + "\n    ".join(problems)
    hints = likely_mistakes(outputs, case["mistakes"])
    hints += [
        text
        for name, text in meta.get("verdicts", {}).items()
        if verdict(name, outputs, case["expected"]) and text not in hints
    ]
    for hint in hints:
        message += f"\n    likely mistake: {hint}"
    return message


def check(item, function, path=FIXTURES, seconds=CASE_SECONDS):
    """Run every visible case of ``item``; raise AssertionError naming each failing case.

    A case running longer than ``seconds`` fails, and the item's later cases are not run.
    """
    cases, failures = load_cases(item, path), []
    for case in cases:
        message = check_case(function, case, seconds)
        if message:
            failures.append(message)
        if message and "still running" in message:
            break
    if failures:
        raise AssertionError(
            f"{item}: {len(failures)} of {len(cases)} visible cases failed\n" + "\n".join(failures)
        )
    print(f"{item}: all {len(cases)} visible cases passed")
