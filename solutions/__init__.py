"""The course's reference implementations: the contract every chapter, test and grade relies on.

Tensors are batch-first and channels-first: 1D inputs are (N, C, T), 2D inputs (N, C, H, W);
weights are (O, C, K) or (O, C, KH, KW).  "Convolution" means cross-correlation, as in every
deep-learning framework:  y[i] = sum_k w[k] * x[i + k]  (no kernel flip).

Each function is the algorithm of its chapter written plainly (conv2d is ``unroll_2d`` rows times
the reshaped filters; its backward reads that product backwards; pooling gathers the windows and
routes each gradient to its argmax), with the argument checks of ``checks``.  This package is the
trusted reference the judge grades against.  ``solutions.fast`` computes the same results faster
(tested equal); the layers of chapter 7 run on it.

Modules, in teaching order:
    unroll1d        chapter 1  unroll_1d, conv1d_unroll
    output_size     chapter 4  conv_output_size
    windows         ch. 3, 4   which input cells each kernel tap reads (slices), zero padding
    conv1d          chapter 2  conv1d, conv1d_backward
    conv2d          chapter 3  unroll_2d, conv2d, conv2d_backward (and col2im, its adjoint)
    input_gradient  chapter 5  the input gradient three ways
    gradient_check  chapter 5  numerical_gradient
    pooling         chapter 6  max and average pooling, forward and backward
    losses          chapter 7  log_softmax, nll_loss and their gradients
    layers, optim   chapter 7  layer objects and optimisers that train a CNN (on solutions.fast)
    fast            chapter 8  the fast engine and chapter 8's five convolution methods
"""

from solutions.conv1d import conv1d, conv1d_backward
from solutions.conv2d import conv2d, conv2d_backward, unroll_2d
from solutions.gradient_check import numerical_gradient
from solutions.layers import (
    AvgPool2d,
    Conv1d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool1d,
    MaxPool2d,
    Parameter,
    ReLU,
    Sequential,
)
from solutions.losses import log_softmax, log_softmax_backward, nll_loss, nll_loss_backward
from solutions.optim import SGD, Adam
from solutions.output_size import conv_output_size
from solutions.pooling import (
    avgpool2d,
    avgpool2d_backward,
    maxpool1d,
    maxpool1d_backward,
    maxpool2d,
    maxpool2d_backward,
)
from solutions.unroll1d import conv1d_unroll, unroll_1d

__all__ = [
    "unroll_1d",
    "conv1d_unroll",
    "conv_output_size",
    "conv1d",
    "conv1d_backward",
    "unroll_2d",
    "conv2d",
    "conv2d_backward",
    "numerical_gradient",
    "maxpool1d",
    "maxpool1d_backward",
    "maxpool2d",
    "maxpool2d_backward",
    "avgpool2d",
    "avgpool2d_backward",
    "log_softmax",
    "log_softmax_backward",
    "nll_loss",
    "nll_loss_backward",
    "Parameter",
    "Conv1d",
    "Conv2d",
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool2d",
    "ReLU",
    "Flatten",
    "Linear",
    "Sequential",
    "SGD",
    "Adam",
]
