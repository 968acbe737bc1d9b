"""Chapter 7 in practice: load a dataset, build a network from ``solutions.layers``, train it.

Modules:
    data     offline loaders (MNIST-1D, scikit-learn digits, Fashion-MNIST IDX files)
    models   the named networks and their default training recipes
    train    the training loop and the ``python -m training`` / ``course-train`` command
"""
