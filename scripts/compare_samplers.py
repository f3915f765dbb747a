"""Median and quartiles of the best value after N trials of SwiftTune's and Optuna's samplers on
standard test functions (Surjanovic and Bingham's Virtual Library of Simulation Experiments).

Called by scripts/compare-samplers. SwiftTune runs through `swifttune tune` on a study file with
the built-in test-function objective and an in-memory storage; Optuna runs in this process. A
function is NAME or NAME:DIMENSIONS (branin is 2-D and hartmann6 6-D); NAME:DIMENSIONS:int
searches integers instead of floats (the domain's integers).
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import tempfile
import time

import optuna

HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
HARTMANN3_P = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]


def branin(x):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


def hartmann6(x):
    return -sum(HARTMANN_ALPHA[i] * math.exp(-sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6)))
                for i in range(4))


def hartmann3(x):
    return -sum(HARTMANN_ALPHA[i] * math.exp(-sum(HARTMANN3_A[i][j] * (x[j] - HARTMANN3_P[i][j]) ** 2 for j in range(3)))
                for i in range(4))


def six_hump_camel(x):
    return (4 - 2.1 * x[0] ** 2 + x[0] ** 4 / 3) * x[0] ** 2 + x[0] * x[1] + (-4 + 4 * x[1] ** 2) * x[1] ** 2


def michalewicz(x):
    return -sum(math.sin(v) * math.sin((i + 1) * v * v / math.pi) ** 20 for i, v in enumerate(x))


def zakharov(x):
    weighted = sum(0.5 * (i + 1) * v for i, v in enumerate(x))
    return sum(v * v for v in x) + weighted ** 2 + weighted ** 4


def dixon_price(x):
    return (x[0] - 1) ** 2 + sum((i + 1) * (2 * x[i] ** 2 - x[i - 1]) ** 2 for i in range(1, len(x)))


def powell(x):
    total = 0.0
    for i in range(0, len(x) - len(x) % 4, 4):
        a, b, c, d = x[i:i + 4]
        total += (a + 10 * b) ** 2 + 5 * (c - d) ** 2 + (b - 2 * c) ** 4 + 10 * (a - d) ** 4
    return total


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def ackley(x):
    d = len(x)
    return (-20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / d))
            - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / d) + 20 + math.e)


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    middle = sum((v - 1) ** 2 * (1 + 10 * math.sin(math.pi * v + 1) ** 2) for v in w[:-1])
    return math.sin(math.pi * w[0]) ** 2 + middle + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def styblinski_tang(x):
    return sum(v ** 4 - 16 * v * v + 5 * v for v in x) / 2


def griewank(x):
    product = 1.0
    for i, v in enumerate(x):
        product *= math.cos(v / math.sqrt(i + 1))
    return sum(v * v for v in x) / 4000 - product + 1


# name: (formula, domain of every input or a list of one per input, fixed dimension or None, minimum in d dimensions)
FUNCTIONS = {
    "branin": (branin, [(-5.0, 10.0), (0.0, 15.0)], 2, lambda d: 0.397887),
    "hartmann6": (hartmann6, (0.0, 1.0), 6, lambda d: -3.32237),
    "rosenbrock": (rosenbrock, (-5.0, 10.0), None, lambda d: 0.0),
    "rastrigin": (rastrigin, (-5.12, 5.12), None, lambda d: 0.0),
    "ackley": (ackley, (-32.768, 32.768), None, lambda d: 0.0),
    "levy": (levy, (-10.0, 10.0), None, lambda d: 0.0),
    "styblinski_tang": (styblinski_tang, (-5.0, 5.0), None, lambda d: -39.16617 * d),
    "griewank": (griewank, (-600.0, 600.0), None, lambda d: 0.0),
    # Held out: not tuned on, a check that the samplers are good in general.
    "six_hump_camel": (six_hump_camel, [(-3.0, 3.0), (-2.0, 2.0)], 2, lambda d: -1.031628),
    "hartmann3": (hartmann3, (0.0, 1.0), 3, lambda d: -3.86278),
    "michalewicz": (michalewicz, (0.0, math.pi), None, lambda d: {2: -1.8013, 5: -4.687658, 10: -9.66015}.get(d, float("nan"))),
    "zakharov": (zakharov, (-5.0, 10.0), None, lambda d: 0.0),
    "dixon_price": (dixon_price, (-10.0, 10.0), None, lambda d: 0.0),
    "powell": (powell, (-4.0, 5.0), None, lambda d: 0.0),
}

DEFAULT_FUNCTIONS = ("branin,hartmann6,rosenbrock:4,rastrigin:3,ackley:5,levy:6,styblinski_tang:8,griewank:10,"
                     "styblinski_tang:4:int")
HELD_OUT_FUNCTIONS = "six_hump_camel,hartmann3,michalewicz:5,zakharov:6,dixon_price:5,powell:8"


class Problem:
    """One function in one dimension, over floats or integers."""

    def __init__(self, spec):
        parts = spec.split(":")
        self.spec = spec
        self.name = parts[0]
        formula, domain, fixed, minimum = FUNCTIONS[self.name]
        self.formula = formula
        self.dimensions = fixed or (int(parts[1]) if len(parts) > 1 else 2)
        self.integer = len(parts) > 2 and parts[2] == "int"
        if self.name == "branin":
            self.space = [("x", -5.0, 10.0), ("y", 0.0, 15.0)]
        elif isinstance(domain, list):
            self.space = [(f"x{i + 1}", low, high) for i, (low, high) in enumerate(domain)]
        else:
            self.space = [(f"x{i + 1}", domain[0], domain[1]) for i in range(self.dimensions)]
        if self.integer:
            self.space = [(name, math.ceil(low), math.floor(high)) for name, low, high in self.space]
        self.minimum = minimum(self.dimensions)

    def evaluate(self, params):
        return self.formula([params[name] for name, _, _ in self.space])


SWIFTTUNE_SAMPLERS = {
    "swifttune-auto": None,
    "swifttune-tpe": "{type: tpe}",
    "swifttune-gp": "{type: gp}",
    "swifttune-genetic": "{type: genetic}",
    "swifttune-sobol": "{type: sobol}",
    "swifttune-random": "{type: random}",
}

OPTUNA_SAMPLERS = {
    "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna-tpe-multivariate": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
    "optuna-gp": lambda seed: optuna.samplers.GPSampler(seed=seed),
    "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}

DEFAULT_SAMPLERS = "swifttune-auto,swifttune-tpe,swifttune-gp,optuna-tpe,optuna-gp"


def run_swifttune(binary, sampler, problem, seed, trials):
    kind = "int" if problem.integer else "float"
    space = "\n".join(f"  {name}: {{type: {kind}, low: {low}, high: {high}}}" for name, low, high in problem.space)
    sampler_line = f"sampler: {sampler}\n" if sampler else ""
    study = (f"name: {problem.name}\nseed: {seed}\nstorage: 'memory:'\nspace:\n{space}\n{sampler_line}"
             f"objective: {{function: {problem.name}}}\n")
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


def run_optuna(make_sampler, problem, seed, trials):
    def objective(trial):
        if problem.integer:
            params = {name: trial.suggest_int(name, low, high) for name, low, high in problem.space}
        else:
            params = {name: trial.suggest_float(name, low, high) for name, low, high in problem.space}
        return problem.evaluate(params)

    study = optuna.create_study(sampler=make_sampler(seed), direction="minimize")
    study.optimize(objective, n_trials=trials)
    return study.best_value


def summary(values):
    quartiles = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return quartiles[0], statistics.median(values), quartiles[2]


def number(value):
    return f"{value:.5g}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the first seed (default 0): --first-seed 20 --seeds 20 runs seeds 20-39, a check against luck")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--functions", default=DEFAULT_FUNCTIONS,
                        help="comma-separated NAME[:DIMENSIONS[:int]] (names: " + ", ".join(FUNCTIONS) + "), or 'held-out' for "
                        + HELD_OUT_FUNCTIONS)
    parser.add_argument("--cache", help="a JSON file that keeps each Optuna run's best value, so a rerun reuses them")
    parser.add_argument("--per-seed", metavar="FILE",
                        help="write every run's best value to FILE (JSON: sampler, function, seed), for "
                        "scripts/lib/paired_seeds.py to compare two versions seed by seed")
    parser.add_argument("--samplers", default=DEFAULT_SAMPLERS,
                        help="comma-separated, or 'all' (names: " + ", ".join([*SWIFTTUNE_SAMPLERS, *OPTUNA_SAMPLERS]) + ")")
    arguments = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    names = [*SWIFTTUNE_SAMPLERS, *OPTUNA_SAMPLERS] if arguments.samplers == "all" else arguments.samplers.split(",")
    for name in names:
        if name not in SWIFTTUNE_SAMPLERS and name not in OPTUNA_SAMPLERS:
            parser.error(f"unknown sampler {name}")
    functions = HELD_OUT_FUNCTIONS if arguments.functions == "held-out" else arguments.functions
    problems = [Problem(spec) for spec in functions.split(",")]
    cache = {}
    if arguments.cache and os.path.exists(arguments.cache):
        with open(arguments.cache) as handle:
            cache = json.load(handle)

    def cached(key, run):
        if key not in cache:
            cache[key] = run()
            if arguments.cache:
                with open(arguments.cache, "w") as handle:
                    json.dump(cache, handle, indent=0, sort_keys=True)
        return cache[key]

    print(f"best value after {arguments.trials} trials over {arguments.seeds} seeds from seed {arguments.first_seed} (lower is better): median [25%, 75%]")
    table = []
    per_seed = {}
    for problem in problems:
        print(f"\n{problem.spec} ({problem.dimensions}-D, global minimum {problem.minimum:.6g})")
        print(f"  {'sampler':26} {'median':>10} {'25%':>10} {'75%':>10} {'seconds':>9}")
        results = {}
        for name in names:
            if name in SWIFTTUNE_SAMPLERS:
                run = lambda seed, s=SWIFTTUNE_SAMPLERS[name]: run_swifttune(arguments.swifttune, s, problem, seed, arguments.trials)
            else:
                run = lambda seed, n=name: cached(
                    f"{n} {problem.spec} seed {seed} trials {arguments.trials} optuna {optuna.__version__}",
                    lambda: run_optuna(OPTUNA_SAMPLERS[n], problem, seed, arguments.trials))
            start = time.perf_counter()
            by_seed = {seed: run(seed) for seed in range(arguments.first_seed, arguments.first_seed + arguments.seeds)}
            elapsed = time.perf_counter() - start
            values = sorted(by_seed.values())
            per_seed.setdefault(name, {})[problem.spec] = {str(seed): value for seed, value in by_seed.items()}
            results[name] = summary(values)
            low, median, high = results[name]
            print(f"  {name:26} {median:10.5g} {low:10.5g} {high:10.5g} {elapsed:9.1f}", flush=True)
        table.append((problem, results))
        if arguments.per_seed:
            with open(arguments.per_seed, "w") as handle:
                json.dump(per_seed, handle, indent=1, sort_keys=True)

    print(f"\nmedian [25%, 75%] of the best value after {arguments.trials} trials, {arguments.seeds} seeds (lower is better)")
    header = f"| function | " + " | ".join(names) + " |"
    goal = "swifttune-auto" in names and any(name in names for name in ("optuna-tpe", "optuna-gp"))
    if goal:
        header += " auto ≤ best Optuna |"
    print(header)
    print("|" + "---|" * (len(names) + 1 + goal))
    for problem, results in table:
        cells = [f"{number(results[n][1])} [{number(results[n][0])}, {number(results[n][2])}]" for n in names]
        row = f"| {problem.spec} | " + " | ".join(cells) + " |"
        if goal:
            best_optuna = min(results[n][1] for n in ("optuna-tpe", "optuna-gp") if n in results)
            row += " yes |" if results["swifttune-auto"][1] <= best_optuna else " no |"
        print(row)


if __name__ == "__main__":
    main()
