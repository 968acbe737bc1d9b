"""bench/fashion_bench.py runs the training command, times it and prints the target; a missing
dataset stops it with the way to install it."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from tests.training.idx_files import small_fashion, write_fashion

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fashion_bench.py"


@pytest.fixture(scope="module")
def fashion_bench():
    spec = importlib.util.spec_from_file_location("fashion_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_dataset_says_how_to_install_it(fashion_bench, tmp_path):
    with pytest.raises(SystemExit, match="bash scripts/setup.sh --fashion-mnist"):
        fashion_bench.main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "out.json")])
    assert not (tmp_path / "out.json").exists()


def test_runs_the_command_and_reports_the_target(fashion_bench, tmp_path, capsys):
    write_fashion(tmp_path, small_fashion(n_train=40, n_test=20, size=(28, 28)))
    out = tmp_path / "bench.json"
    result = fashion_bench.main(["--data-dir", str(tmp_path), "--out", str(out), "--epochs", "1"])
    printed = capsys.readouterr().out
    saved = json.loads(out.read_text())
    assert saved == json.loads(json.dumps(result))
    assert saved["training_run"]["train_size"] == 40 and saved["training_run"]["epochs"] == 1
    assert saved["test_accuracy"] == saved["training_run"]["test_accuracy"]
    assert saved["wall_time_s"] >= saved["training_wall_time_s"] > 0
    assert saved["child_cpu_time_s"] > 0
    assert "--threads 1" in saved["command"] and saved["recipe_changes"] == ["--epochs", "1"]
    target = f"TARGET Fashion-MNIST >= 0.90 test accuracy in <= 300 s: {saved['wall_time_s']:.1f} s"
    assert target in printed and saved["target"].startswith(target)
    assert "not the target's run" in saved["target"]  # --epochs changed the recipe
    assert len(saved["load_average_at_start"]) == 3 and "load average" in printed


@pytest.mark.parametrize(
    ("seconds", "accuracy", "verdict"),
    [(299.0, 0.9, "PASS"), (301.0, 0.95, "MISS"), (100.0, 0.8999, "MISS")],
)
def test_target_needs_both_accuracy_and_time(fashion_bench, seconds, accuracy, verdict):
    line = fashion_bench.target_line(seconds, accuracy, [])
    assert line.endswith(verdict) and f"{seconds:.1f} s, acc {accuracy:.4f}" in line
    assert np.isclose(fashion_bench.TARGET_ACCURACY, 0.90) and fashion_bench.TARGET_SECONDS == 300
