"""The fast engine: the same contract as ``solutions``, optimised, and chapter 8's methods.

``solutions`` is the readable reference (the algorithm of each chapter, written plainly); this
package computes the same results faster and is tested equal to it on the shared Hypothesis
strategies (``tests/solutions/test_fast_engine.py``).  The layers of chapter 7 and the training
command run on it.

Modules:
    im2col    the optimised im2col/col2im engine (column order (KH, KW, C), sample chunks,
              flat images in the backward); its docstring records what was measured
    channels_last  stride-1 convolutions whose channels-last copies run long (the Fashion-MNIST
              CNN's second layer): one strided copy per chunk feeds each GEMM, and the input
              gradient is a transposed convolution; its docstring records what was measured
    conv      conv1d, conv2d and their backward passes, each sent to im2col or channels_last
    pooling   max/avg pooling by strided taps, forward and backward
    methods   chapter 8's five ways to compute a convolution, and the timing helper
"""

from solutions.fast.conv import conv1d, conv1d_backward, conv2d, conv2d_backward
from solutions.fast.pooling import (
    avgpool2d,
    avgpool2d_backward,
    maxpool1d,
    maxpool1d_backward,
    maxpool2d,
    maxpool2d_backward,
)

__all__ = [
    "conv1d",
    "conv1d_backward",
    "conv2d",
    "conv2d_backward",
    "maxpool1d",
    "maxpool1d_backward",
    "maxpool2d",
    "maxpool2d_backward",
    "avgpool2d",
    "avgpool2d_backward",
]
