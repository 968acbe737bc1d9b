"""The "Check yourself" answers of every chapter: computed at build time, checked, then shown.

Each answer is worked out twice in the chapter's hidden answer cell: once the way the answer's
text explains it (``stated``, e.g. the output-size formula by hand) and once by the reference
package (``computed``, e.g. ``conv_output_size``). ``answer`` refuses to show a number the two do
not agree on: it raises, the cell fails, and the book build fails (``raise_on_error: true`` in
_config.yml). The number is then glued under ``name`` for the answer's text,
``{glue:text}`name``` (with a format: ``{glue:text}`name:.2f```).
"""

import numpy as np
from myst_nb import glue


class AnswerMismatchError(AssertionError):
    """A question's stated answer and the reference's computed answer disagree."""


def answer(name, stated, computed, atol=0.0):
    """Check ``stated == computed`` (to ``atol``) and glue the value as ``name``.

    Args:
        name: the glue key used in the answer text.
        stated: int or float, the value as the answer's text derives it.
        computed: int or float (or a 0-d/1-element array), the reference package's value.
        atol: absolute tolerance for floats (0: exact).

    Returns:
        the value glued (a Python int or float, so the page shows ``26``, not ``np.int64(26)``).

    Raises:
        AnswerMismatchError: the two values differ by more than ``atol``.
    """
    stated_value = np.asarray(stated).item()
    computed_value = np.asarray(computed).item()
    if not abs(stated_value - computed_value) <= atol:
        raise AnswerMismatchError(
            f"Check yourself answer {name!r}: the text states {stated_value!r} but the "
            f"reference computes {computed_value!r} (tolerance {atol})"
        )
    glue(name, stated_value, display=False)
    return stated_value
