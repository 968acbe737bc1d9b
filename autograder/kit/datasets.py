"""Generated image datasets, so a training assignment needs no download and no data file.

``shapes``: 12x12 grey images, each holding one 5x5 glyph (a plus, a cross, a square outline or
two bars) at a random position, with a random brightness and Gaussian noise.  Four classes; the
position varies, so a convolution (weights shared over positions) learns it from few examples.
The judge regenerates a held-out split from its seed to score a learner's predictions; when
grading, that seed is a secret drawn by the grader and the kernel only gets the images.
"""

import numpy as np

SIZE = 12
GLYPH = 5


def glyphs():
    """The four 5x5 class patterns, float32, stacked: (4, 5, 5)."""
    plus, cross, square, bars = (np.zeros((GLYPH, GLYPH), np.float32) for _ in range(4))
    plus[GLYPH // 2, :] = plus[:, GLYPH // 2] = 1
    cross[np.arange(GLYPH), np.arange(GLYPH)] = cross[
        np.arange(GLYPH), GLYPH - 1 - np.arange(GLYPH)
    ] = 1
    square[[0, -1], :] = square[:, [0, -1]] = 1
    bars[[1, 3], :] = 1
    return np.stack([plus, cross, square, bars])


def shapes(count, seed):
    """``count`` images and labels: (count, 1, 12, 12) float32, (count,) int64 in 0..3."""
    rng = np.random.default_rng(seed)
    patterns = glyphs()
    labels = rng.integers(0, len(patterns), size=count)
    images = rng.normal(0.0, 0.2, size=(count, 1, SIZE, SIZE)).astype(np.float32)
    corners = rng.integers(0, SIZE - GLYPH + 1, size=(count, 2))
    brightness = rng.uniform(0.7, 1.3, size=count).astype(np.float32)
    for n, ((row, column), label) in enumerate(zip(corners, labels, strict=True)):
        images[n, 0, row : row + GLYPH, column : column + GLYPH] += brightness[n] * patterns[label]
    return images, labels.astype(np.int64)


DATASETS = {"shapes": shapes}


def make_split(name, train, test, seed, test_seed=None):
    """Training and held-out sets drawn independently: (x_train, y_train, x_test, y_test).

    ``test_seed`` (default ``seed + 1_000_003``) draws the held-out set."""
    train_images, train_labels = DATASETS[name](train, seed)
    test_seed = seed + 1_000_003 if test_seed is None else test_seed
    test_images, test_labels = DATASETS[name](test, test_seed)
    return train_images, train_labels, test_images, test_labels
