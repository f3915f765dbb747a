"""Median best-after-N of SwiftTune's and Optuna's samplers on Branin and Hartmann-6.

Called by scripts/compare-samplers. SwiftTune runs through `swifttune tune` on a study file with
the built-in test-function objective and an in-memory storage; Optuna runs in this process.
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import tempfile
import time

import optuna

FUNCTIONS = {
    "branin": {"space": {"x": (-5.0, 10.0), "y": (0.0, 15.0)}, "minimum": 0.397887},
    "hartmann6": {"space": {f"x{i}": (0.0, 1.0) for i in range(1, 7)}, "minimum": -3.32237},
}

HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]


def evaluate(function, params):
    if function == "branin":
        x, y = params["x"], params["y"]
        b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
        return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10
    xs = [params[f"x{i}"] for i in range(1, 7)]
    return -sum(
        HARTMANN_ALPHA[i] * math.exp(-sum(HARTMANN_A[i][j] * (xs[j] - HARTMANN_P[i][j]) ** 2 for j in range(6)))
        for i in range(4)
    )


SWIFTTUNE_SAMPLERS = {
    "swifttune-tpe": "{type: tpe}",
    "swifttune-tpe-univariate": "{type: tpe, multivariate: false}",
    "swifttune-gp": "{type: gp}",
    "swifttune-genetic": "{type: genetic}",
    "swifttune-sobol": "{type: sobol}",
    "swifttune-random": "{type: random}",
}

OPTUNA_SAMPLERS = {
    "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna-tpe-multivariate": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
    "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}


def run_swifttune(binary, sampler, function, seed, trials):
    space = "\n".join(f"  {name}: {{type: float, low: {low}, high: {high}}}" for name, (low, high) in FUNCTIONS[function]["space"].items())
    study = f"name: {function}\nseed: {seed}\nstorage: 'memory:'\nspace:\n{space}\nsampler: {sampler}\nobjective: {{function: {function}}}\n"
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(study)
        path = handle.name
    try:
        output = subprocess.run([binary, "tune", path, "--trials", str(trials), "--quiet"], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    match = re.search(r"^best: trial \d+, value (\S+),", output, re.M)
    if not match:
        raise RuntimeError(f"no best value in swifttune output:\n{output}")
    return float(match.group(1))


def run_optuna(make_sampler, function, seed, trials):
    space = FUNCTIONS[function]["space"]

    def objective(trial):
        return evaluate(function, {name: trial.suggest_float(name, low, high) for name, (low, high) in space.items()})

    study = optuna.create_study(sampler=make_sampler(seed), direction="minimize")
    study.optimize(objective, n_trials=trials)
    return study.best_value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--functions", default="branin,hartmann6")
    arguments = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(f"median best value after {arguments.trials} trials over {arguments.seeds} seeds (lower is better)")
    for function in arguments.functions.split(","):
        print(f"\n{function} (global minimum {FUNCTIONS[function]['minimum']})")
        print(f"  {'sampler':28} {'median':>10} {'25%':>10} {'75%':>10} {'seconds':>9}")
        runs = [(name, lambda seed, s=sampler: run_swifttune(arguments.swifttune, s, function, seed, arguments.trials))
                for name, sampler in SWIFTTUNE_SAMPLERS.items()]
        runs += [(name, lambda seed, m=make: run_optuna(m, function, seed, arguments.trials))
                 for name, make in OPTUNA_SAMPLERS.items()]
        for name, run in runs:
            start = time.perf_counter()
            values = sorted(run(seed) for seed in range(arguments.seeds))
            elapsed = time.perf_counter() - start
            quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
            print(f"  {name:28} {statistics.median(values):10.5f} {quartiles[0]:10.5f} {quartiles[2]:10.5f} {elapsed:9.1f}", flush=True)


if __name__ == "__main__":
    main()
