"""Every answer imports the reference: it is not importable in the learner's kernel."""

from solutions import (  # noqa: F401
    avgpool2d,
    avgpool2d_backward,
    maxpool1d,
    maxpool1d_backward,
    maxpool2d,
    maxpool2d_backward,
)

BREAKS = {
    "maxpool1d": None,
    "maxpool1d_backward": None,
    "maxpool2d": None,
    "maxpool2d_backward": None,
    "avgpool2d": None,
    "avgpool2d_backward": None,
}
