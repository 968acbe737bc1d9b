"""Every answer imports the reference: it is not importable in the learner's kernel."""

from solutions import conv1d_backward, conv2d_backward, numerical_gradient  # noqa: F401

BREAKS = {"numerical_gradient": None, "conv1d_backward": None, "conv2d_backward": None}
