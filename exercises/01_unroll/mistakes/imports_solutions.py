"""Both answers import the reference: it is not importable in the learner's kernel."""

from solutions import conv1d_unroll, unroll_1d  # noqa: F401

BREAKS = {"unroll_1d": None, "conv1d_unroll": None}
