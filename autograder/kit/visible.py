"""Visible tests: small fixed cases whose expected outputs were written from the reference.

``python -m autograder.build`` stores, for every item, its visible cases in ``fixtures.npz`` next
to the notebook: the inputs, the expected outputs and, for each known mistake, the output that
mistake would give.  A visible test cell runs ``check("conv1d_unroll", conv1d_unroll)``; it needs
neither the reference nor the network, and its message names the case, the error and where.

A failing visible test prints its message (on stderr) and never raises, so "Run All" goes on to
every later task's test; the last cell of a notebook, ``summary()``, lists every task's verdict.
The verdicts are kept in :data:`RESULTS` (plain data: the check command reads them).  In the
learner's copy the hidden test cell runs ``validate_visible(item)`` (its hidden part is removed
on release): nbgrader's Validate reads graded cells only and fails one that wrote to stderr, so
it fails with the visible tests instead of reporting success.

Fixture keys, for item ``name`` and case number ``i``:
    name/i/case        repr of a dict: label, positional, scalars, outputs, expected_types,
                       mistakes, verdicts ({compare.VERDICTS name: message}, mistakes seen in
                       shapes and dtypes), fallbacks (the same, shown only when no other hint
                       is), raises (the exception's name when the case expects one, else "")
    name/i/in/ARG      array argument ARG
    name/i/out/J       expected output J
    name/i/mistake/M/J output J of known mistake number M (absent when that mistake leaves
                       output J right: only the outputs it changes are compared)

A visible case fails for the same reasons as a hidden one: a wrong value, type, shape or dtype,
an input modified in place, an output sharing memory with an input.
"""

import ast
import os
import sys
import textwrap

import numpy as np

from .cases import is_function_spec, scalar_function
from .compare import matches, verdict
from .drivers import DRIVERS
from .limits import CaseTimeout, time_limit
from .record import side_effects, snapshot

CASE_SECONDS = 10.0
WIDTH = 100  # messages are wrapped to this many characters
VALIDATE_WIDTH = 80  # nbgrader's Validate cuts lines at 87 characters, after a 4-space indent

FIXTURES = "fixtures.npz"

# {item: {"function": name, "cases": n, "passed": k, "message": text}}, in the order the
# visible tests ran in this kernel (or check process).
RESULTS = {}


def fixture_items(path=FIXTURES):
    """The items that have visible cases in ``path``, in the notebook's order."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} not found: run the notebook from its own folder")
    with np.load(path, allow_pickle=False) as data:
        names = [key.split("/")[0] for key in data.files if key.endswith("/0/case")]
    return list(dict.fromkeys(names))


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


def hints(meta, outputs, case):
    """The likely mistakes of a failing case: known mistakes and kit verdicts, else fallbacks."""
    found = likely_mistakes(outputs, case["mistakes"])
    for kind in ("verdicts", "fallbacks"):
        if kind == "fallbacks" and found:
            break
        found += [
            text
            for name, text in meta.get(kind, {}).items()
            if verdict(name, outputs, case["expected"]) and text not in found
        ]
    return found


def namespace_of(function):
    """The global namespace ``function`` (or a class's methods) was defined in, or None."""
    candidates = [function] + (list(vars(function).values()) if isinstance(function, type) else [])
    for candidate in candidates:
        if hasattr(candidate, "__globals__"):
            return candidate.__globals__
    return None


def raised_in(error, function):
    """The name of the learner's function, other than ``function`` and defined beside it, that
    raised ``error`` (the innermost frame of its traceback), or None."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    namespace = namespace_of(function)
    if frame is None or namespace is None or frame.tb_frame.f_globals is not namespace:
        return None
    name = frame.tb_frame.f_code.co_name
    other = namespace.get(name)
    if callable(other) and other is not function and getattr(other, "__name__", "") == name:
        return name
    return None


def run_case(function, case, seconds=CASE_SECONDS):
    """Run one visible case; return (None or the failure's message, True when it timed out)."""
    meta = case["meta"]
    label = meta["label"]
    driver = DRIVERS[meta.get("driver", "call")]
    inputs = case["inputs"]
    before = snapshot(inputs)
    try:
        with time_limit(seconds):
            outputs = driver.run(function, inputs, meta["positional"])
    except CaseTimeout:
        return f"case {label}: still running after {seconds:g} s (an endless loop?)", True
    except NotImplementedError as error:
        other = raised_in(error, function)
        where = f"{other}, which it calls," if other else "the function"
        return f"case {label}: not implemented yet ({where} raises NotImplementedError)", False
    except Exception as error:
        if meta.get("raises") and type(error).__name__ == meta["raises"]:
            return None, False  # the case tests input validation, and the function refused it
        other = raised_in(error, function)
        where = f" in {other}" if other else ""
        return f"case {label}: raised {type(error).__name__}{where}: {error}", False
    if meta.get("raises"):
        return f"case {label}: should raise {meta['raises']} for these arguments", False
    names = meta["outputs"]
    if len(outputs) != len(names):
        count = f"returned {len(outputs)} values, expected {len(names)} ({names})"
        return f"case {label}: {count}", False
    problems = [
        driver.compare(index, got, want, name, case["inputs"])
        for index, (got, want, name) in enumerate(
            zip(outputs, case["expected"], names, strict=True)
        )
    ]
    problems = [problem.message for problem in problems if problem is not None]
    problems += side_effects(inputs, before, outputs, driver.allow_views)
    if not problems:
        return None, False
    lines = [f"case {label}:"] + [f"    {problem}" for problem in problems]
    lines += [f"    likely mistake: {hint}" for hint in hints(meta, outputs, case)]
    return "\n".join(lines), False


def check_case(function, case, seconds=CASE_SECONDS):
    """Run one visible case; return None if it passes, else a message explaining the failure."""
    return run_case(function, case, seconds)[0]


def wrap(text, width=WIDTH):
    """``text`` with every line wrapped to ``width``, continuation lines indented 4 more."""
    lines = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()))
        lines += textwrap.wrap(
            line, width, subsequent_indent=indent + "    ", break_on_hyphens=False
        ) or [""]
    return "\n".join(lines)


def referenced_names(function):
    """Global names the code of ``function`` (or of a class's methods) refers to."""
    codes = [getattr(function, "__code__", None)]
    codes += (
        [getattr(value, "__code__", None) for value in vars(function).values()]
        if (isinstance(function, type))
        else []
    )
    names, todo = set(), [code for code in codes if code is not None]
    while todo:
        code = todo.pop()
        names.update(code.co_names)
        todo += [const for const in code.co_consts if hasattr(const, "co_names")]
    return names


def check(item, function, path=FIXTURES, seconds=CASE_SECONDS):
    """Run every visible case of ``item``, print the verdict and keep it in :data:`RESULTS`.

    A passing item prints one line; a failing one prints, on stderr, each failing case with its
    problems and likely mistakes (and which earlier failing task it calls).  Nothing is raised
    for a failing case, so the notebook's later cells still run.  A case running longer than
    ``seconds`` fails, and the item's later cases are not run.
    """
    cases, failures = load_cases(item, path), []
    for case in cases:
        message, timed_out = run_case(function, case, seconds)
        if message:
            failures.append(message)
        if timed_out:
            break
    name = getattr(function, "__name__", item)
    if not failures:
        text = f"{item}: all {len(cases)} visible cases passed"
    else:
        text = f"{item}: {len(failures)} of {len(cases)} visible cases failed\n" + "\n".join(
            textwrap.indent(failure, "  ") for failure in failures
        )
        called = referenced_names(function)
        for other, result in RESULTS.items():
            if result["passed"] < result["cases"] and result["function"] in called - {name}:
                text += (
                    f"\nnote: {name} calls {result['function']}, whose visible tests fail "
                    f"above: fix {other} first"
                )
    RESULTS[item] = {
        "function": name,
        "cases": len(cases),
        "passed": len(cases) - len(failures),
        "message": wrap(text),
    }
    print(RESULTS[item]["message"], file=sys.stderr if failures else sys.stdout)


def summary_text(items, results=None):
    """The per-task table of the visible tests' verdicts, and a one-line conclusion."""
    results = RESULTS if results is None else results
    width = max([len(item) for item in items] + [4])
    lines, passed = ["Visible tests, task by task:"], 0
    for item in items:
        result = results.get(item)
        if result is None:
            lines.append(f"  not run  {item:{width}}  (run its test cell)")
            continue
        ok = result["passed"] == result["cases"]
        passed += ok
        lines.append(
            f"  {'passed ' if ok else 'FAILED '}  {item:{width}}  "
            f"{result['passed']} of {result['cases']} cases"
        )
    if passed == len(items):
        lines.append(f"All {len(items)} tasks pass their visible tests.")
    else:
        lines.append(f"{passed} of {len(items)} tasks pass their visible tests.")
    return "\n".join(lines)


def summary(path=FIXTURES):
    """Print the visible tests' verdict of every task of the notebook (its last cell), on stderr
    when one did not pass or did not run."""
    items = fixture_items(path)
    ok = all(
        item in RESULTS and RESULTS[item]["passed"] == RESULTS[item]["cases"] for item in items
    )
    print(summary_text(items), file=sys.stdout if ok else sys.stderr)


def validate_visible(item):
    """Say on stderr when ``item``'s visible tests failed or have not run (nothing otherwise).

    The released hidden test cell runs this: nbgrader's Validate counts a graded cell that wrote
    to stderr as failed, so Validate fails when the visible tests do.
    """
    result = RESULTS.get(item)
    if result is None:
        text = f"{item}: its visible tests have not run (run the cell above)"
    elif result["passed"] < result["cases"]:
        failed = result["cases"] - result["passed"]
        cases = f"{failed} of {result['cases']} visible cases failed"
        text = f"{item}: {cases}: fix them before you submit"
    else:
        return
    print(wrap(text, VALIDATE_WIDTH), file=sys.stderr)
