"""The layers are imported from the reference: it is not importable in the learner's kernel."""

from solutions import Linear, ReLU  # noqa: F401

BREAKS = {"Linear": None, "ReLU": None, "train_classifier": None}
