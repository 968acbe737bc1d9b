"""SGD ignores momentum: every step is plain gradient descent."""

BREAKS = {"SGD": "momentum_ignored", "train_classifier": None}  # too slow to learn in 10 epochs


class SGD:
    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters, self.lr, self.weight_decay = list(parameters), lr, weight_decay

    def step(self):
        for parameter in self.parameters:
            parameter.value -= self.lr * (parameter.grad + self.weight_decay * parameter.value)
