"""train_classifier fits one Linear layer for one epoch: far from 90% on shifted glyphs."""

import numpy as np

BREAKS = {"train_classifier": None}


def train_classifier(images, labels):
    class Model:
        def __init__(self):
            self.flatten, self.linear = Flatten(), Linear(144, 4)  # noqa: F821

        def forward(self, x):
            return self.linear.forward(self.flatten.forward(x))

    model = Model()
    optimizer = SGD(model.linear.parameters(), lr=0.01)  # noqa: F821
    for start in range(0, len(images), 64):
        logits = model.forward(images[start : start + 64])
        grad = log_softmax_backward(  # noqa: F821
            nll_loss_backward(log_softmax(logits), labels[start : start + 64]), logits  # noqa: F821
        )
        model.linear.backward(grad)
        optimizer.step()
    return model
