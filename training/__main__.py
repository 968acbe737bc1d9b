"""``python -m training ...`` runs the training command (see training/train.py)."""

from training.train import main

main()
