"""The training loop learns, and stops learning when a gradient is wrong; the command's outputs."""

import json
import subprocess
import sys

import numpy as np
import pytest

import solutions.layers
import training.train
from solutions.conv2d import conv2d_backward
from solutions.optim import Adam
from tests.training.idx_files import small_fashion, write, write_fashion
from training.data import FASHION_MNIST_DIR, load_digits, load_fashion_mnist
from training.models import build_model, count_parameters
from training.train import learning_rate, main, train

# Two epochs of the digits CNN reach about 96% test accuracy in about two seconds.
DIGITS_EPOCHS = 2
DIGITS_REQUIRED_ACCURACY = 0.90


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def digits_test_accuracy(data):
    rng = np.random.default_rng(0)
    model = build_model("digits", "cnn", rng)
    optimizer = Adam(model.parameters(), lr=3e-3)
    history, _ = train(model, optimizer, data, DIGITS_EPOCHS, 32, rng, progress=False)
    return history["test_accuracy"][-1]


def test_digits_cnn_learns(digits):
    assert digits_test_accuracy(digits) >= DIGITS_REQUIRED_ACCURACY


def conv_grad_weight_rotated(*args):
    """A classic mistake: the weight gradient of a true convolution (kernel rotated 180)."""
    grad_x, grad_weight, grad_bias = conv2d_backward(*args)
    return grad_x, grad_weight[:, :, ::-1, ::-1], grad_bias


LINEAR_BACKWARD = solutions.layers.Linear.backward


def linear_grad_weight_negated(layer, grad_out):
    """Gradient ascent on the linear layers: a sign error in grad_weight."""
    grad_x = LINEAR_BACKWARD(layer, grad_out)
    layer.weight.grad = -layer.weight.grad
    return grad_x


WRONG_GRADIENTS = {
    "conv weight gradient rotated": (
        solutions.layers.Conv2d, "convolve_backward", staticmethod(conv_grad_weight_rotated)
    ),
    "log-softmax backward skipped": (
        training.train, "log_softmax_backward", lambda grad_out, logits: grad_out
    ),
    "linear weight gradient negated": (
        solutions.layers.Linear, "backward", linear_grad_weight_negated
    ),
}  # fmt: skip


@pytest.mark.parametrize("mistake", WRONG_GRADIENTS)
def test_digits_cnn_fails_with_a_wrong_gradient(digits, mistake, monkeypatch):
    owner, name, replacement = WRONG_GRADIENTS[mistake]
    monkeypatch.setattr(owner, name, replacement)
    assert digits_test_accuracy(digits) < DIGITS_REQUIRED_ACCURACY


def test_step_schedule_divides_the_last_tenth_by_ten():
    rates = [learning_rate(0.1, "step", epoch, 20) for epoch in range(1, 21)]
    assert rates == [0.1] * 18 + [0.01] * 2
    assert [learning_rate(0.1, "step", epoch, 5) for epoch in range(1, 6)] == [0.1] * 4 + [0.01]
    assert learning_rate(0.1, "constant", 20, 20) == 0.1


def run_command(tmp_path, *extra):
    argv = ["--dataset", "digits", "--model", "cnn", "--epochs", "1", "--out", str(tmp_path)]
    result = main([*argv, *extra])
    return json.loads((tmp_path / f"{result['name']}.json").read_text())


def test_command_writes_json_and_png_and_is_reproducible(tmp_path):
    first = run_command(tmp_path, "--seed", "3")
    second = run_command(tmp_path, "--seed", "3")
    expected_keys = {
        "dataset", "model", "epochs", "seed", "command", "test_accuracy", "train_accuracy",
        "final_train_loss", "wall_time_s", "images_per_s", "parameters", "history",
    }  # fmt: skip
    assert expected_keys <= set(first)
    assert first["command"] == (
        f"python -m training --dataset digits --model cnn --epochs 1 --out {tmp_path} --seed 3"
    )
    assert first["parameters"] == count_parameters(build_model("digits", "cnn", None))
    assert set(first["history"]) == {"epoch", "train_loss", "train_accuracy", "test_accuracy"}
    assert first["history"]["epoch"] == [1]
    timing = {"wall_time_s", "images_per_s", "load_average_at_start", "load_average_at_end"}
    assert {k: v for k, v in first.items() if k not in timing} == {
        k: v for k, v in second.items() if k not in timing
    }
    assert first["name"] == "digits-cnn-seed3"  # a seed other than 0 is part of the name
    png = tmp_path / "digits-cnn-seed3.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size < 100_000


def test_command_reports_a_missing_dataset(tmp_path):
    argv = ["--dataset", "fashion-mnist", "--model", "cnn", "--data-dir", str(tmp_path)]
    with pytest.raises(SystemExit, match="apt-get install dataset-fashion-mnist"):
        main(argv)


def test_command_reports_a_corrupt_file(tmp_path):
    write_fashion(tmp_path, small_fashion())
    labels = tmp_path / "t10k-labels-idx1-ubyte.gz"
    write(labels, b"\x00\x00\x08\x01\x00\x00\x00\x09\x01")  # header says 9 labels, has 1
    argv = ["--dataset", "fashion-mnist", "--model", "cnn", "--data-dir", str(tmp_path)]
    with pytest.raises(SystemExit, match=f"read_idx: {labels} has 9 bytes"):
        main(argv)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "digits", "--model", "mlp"], "--model for digits must be one of"),
        (["--dataset", "digits", "--model", "cnn", "--shuffle-sequence"], "mnist1d only"),
        (["--dataset", "digits", "--model", "cnn", "--epochs", "0"], "--epochs must be positive"),
        (["--dataset", "digits", "--model", "cnn", "--train-size", "0"], "--train-size must be"),
    ],
)
def test_command_rejects_bad_options(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    assert message in capsys.readouterr().err


def test_train_size_keeps_the_first_images_and_names_the_run(tmp_path):
    full = load_digits()
    result = run_command(tmp_path, "--train-size", "100")
    assert result["name"] == "digits-cnn-n100"
    assert result["train_size"] == 100 and result["test_size"] == len(full.y_test)
    data = training.train.subset_training_set(full, 100)
    assert np.array_equal(data.x_train, full.x_train[:100])
    assert np.array_equal(data.y_train, full.y_train[:100])
    assert data.x_test is full.x_test


def test_train_size_larger_than_the_training_set_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="--train-size 5000 is larger than the training set"):
        run_command(tmp_path, "--train-size", "5000")


def test_save_first_layer_writes_the_trained_first_convolution(tmp_path):
    result = run_command(tmp_path, "--save-first-layer")
    saved = np.load(tmp_path / f"{result['name']}-first-layer.npz")
    model = build_model("digits", "cnn", np.random.default_rng(0))
    first_weight = model.parameters()[0].value
    assert saved["weight"].shape == first_weight.shape  # (16, 1, 3, 3)
    assert saved["bias"].shape == (first_weight.shape[0],)
    assert not np.allclose(saved["weight"], first_weight)  # trained, not the initial weights
    assert saved["images"].shape == (training.train.FIRST_LAYER_IMAGES, 1, 8, 8)
    assert saved["labels"].shape == (training.train.FIRST_LAYER_IMAGES,)
    assert (tmp_path / f"{result['name']}-first-layer.npz").stat().st_size < 20_000


def test_python_dash_m_training_runs():
    done = subprocess.run(
        [sys.executable, "-m", "training", "--help"], capture_output=True, text=True, check=True
    )
    assert "--shuffle-sequence" in done.stdout


@pytest.mark.skipif(not FASHION_MNIST_DIR.is_dir(), reason="dataset-fashion-mnist not installed")
def test_real_fashion_mnist_files():
    data = load_fashion_mnist()
    assert data.x_train.shape == (60000, 1, 28, 28) and data.x_test.shape == (10000, 1, 28, 28)
    np.testing.assert_array_equal(np.bincount(data.y_test), np.full(10, 1000))
