"""train_classifier fits one Linear layer for one epoch: far from 90% on shifted glyphs."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

BREAKS = {"train_classifier": None}


def train_classifier(images, labels):
    class Model:
        def __init__(self):
            self.flatten, self.linear = Flatten(), Linear(144, 4)

        def forward(self, x):
            return self.linear.forward(self.flatten.forward(x))

    model = Model()
    optimizer = SGD(model.linear.parameters(), lr=0.01)
    for start in range(0, len(images), 64):
        logits = model.forward(images[start : start + 64])
        grad = log_softmax_backward(
            nll_loss_backward(log_softmax(logits), labels[start : start + 64]),
            logits,
        )
        model.linear.backward(grad)
        optimizer.step()
    return model
