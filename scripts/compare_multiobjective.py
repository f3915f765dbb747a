"""Median and quartiles of the hypervolume after N trials of SwiftTune's multi-objective TPE and
NSGA-II beside Optuna's TPESampler and NSGAIISampler (and random search), on ZDT1 and ZDT2 (two
objectives) and DTLZ2 (three), in the same run.

Called by scripts/compare-multiobjective. SwiftTune runs through `swifttune tune` on a study file
with one `minimize` direction per objective and the built-in test objective, in an SQLite file;
`swifttune best --reference ...` then prints its hypervolume. Optuna runs in this process. Every
hypervolume in the table is Optuna's (`optuna._hypervolume.compute_hypervolume`) of the trials'
values, and SwiftTune's own (exact slicing, `Pareto.hypervolume`) must agree with it: a check of
ours against an independent implementation. Reference points: (1.1, 11) for ZDT1 and ZDT2 (every
point dominates it: f1 <= 1, f2 <= 10), (1.1, 1.1, 1.1) for DTLZ2 (its front is the unit sphere's
positive octant).
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import tempfile

import numpy
import optuna
from optuna._hypervolume import compute_hypervolume

PROBLEMS = {"zdt1": (2, (1.1, 11.0)), "zdt2": (2, (1.1, 11.0)), "dtlz2": (3, (1.1, 1.1, 1.1))}


def evaluate(name, x):
    if name == "dtlz2":
        radius = 1 + sum((v - 0.5) ** 2 for v in x[2:])
        a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
        return radius * math.cos(a) * math.cos(b), radius * math.cos(a) * math.sin(b), radius * math.sin(a)
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    if name == "zdt1":
        return f1, g * (1 - math.sqrt(f1 / g))
    return f1, g * (1 - (f1 / g) ** 2)


def hypervolume(points, reference):
    """Optuna's hypervolume of the points inside `reference` (all objectives minimized)."""
    inside = [p for p in points if all(v < r for v, r in zip(p, reference))]
    if not inside:
        return 0.0
    return float(compute_hypervolume(numpy.array(inside, dtype=float), numpy.array(reference, dtype=float)))


def run_swifttune(binary, sampler, problem, dimensions, seed, trials):
    objectives, reference = PROBLEMS[problem]
    space = "\n".join(f"  x{i}: {{type: float, low: 0, high: 1}}" for i in range(1, dimensions + 1))
    directions = ", ".join(["minimize"] * objectives)
    study = (f"name: {problem}\nseed: {seed}\ndirections: [{directions}]\nspace:\n{space}\n"
             f"sampler: {sampler}\nobjective: {{function: {problem}}}\n")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "study.yaml")
        database = os.path.join(folder, "study.db")
        with open(path, "w") as handle:
            handle.write(study)
        subprocess.run([binary, "tune", path, "--storage", f"sqlite:{database}", "--trials", str(trials), "--quiet"],
                       check=True, capture_output=True, text=True)
        pareto = json.loads(subprocess.run([binary, "best", "--storage", database, "--json"],
                                           check=True, capture_output=True, text=True).stdout)
        text = subprocess.run([binary, "best", "--storage", database, "--reference", ",".join(map(str, reference))],
                              check=True, capture_output=True, text=True).stdout
    points = [tuple(float(v) for v in trial["user_attributes"]["objective_values"].split(",")) for trial in pareto]
    ours = float(re.search(r"^hypervolume (\S+)", text, re.MULTILINE).group(1))
    value = hypervolume(points, reference)
    if abs(ours - value) > 1e-5 * max(1.0, abs(value)):
        raise SystemExit(f"hypervolumes disagree on {problem} (seed {seed}): swifttune best {ours}, optuna {value}")
    return value


def run_optuna(make_sampler, problem, dimensions, seed, trials):
    objectives, reference = PROBLEMS[problem]

    def objective(trial):
        return evaluate(problem, [trial.suggest_float(f"x{i}", 0, 1) for i in range(1, dimensions + 1)])

    study = optuna.create_study(sampler=make_sampler(seed), directions=["minimize"] * objectives)
    study.optimize(objective, n_trials=trials)
    return hypervolume([tuple(t.values) for t in study.trials if t.values is not None], reference)


def samplers(args):
    population = args.population
    swift = lambda sampler: lambda p, d, s: run_swifttune(args.swifttune, sampler, p, d, s, args.trials)  # noqa: E731
    optuna_run = lambda make: lambda p, d, s: run_optuna(make, p, d, s, args.trials)  # noqa: E731
    return {
        "swifttune-tpe": swift("{type: tpe}"),
        "optuna-tpe": optuna_run(lambda seed: optuna.samplers.TPESampler(seed=seed)),
        "optuna-tpe-multivariate": optuna_run(lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True)),
        "swifttune-nsga2": swift(f"{{type: nsga2, population: {population}}}"),
        "optuna-nsga2": optuna_run(lambda seed: optuna.samplers.NSGAIISampler(population_size=population, seed=seed)),
        "optuna-nsga2-default": optuna_run(lambda seed: optuna.samplers.NSGAIISampler(seed=seed)),
        "swifttune-auto": swift("{type: auto}"),
        "swifttune-random": swift("{type: random}"),
        "optuna-random": optuna_run(lambda seed: optuna.samplers.RandomSampler(seed=seed)),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--population", type=int, default=20,
                        help="the NSGA-IIs' population (optuna-nsga2-default keeps Optuna's 50)")
    parser.add_argument("--problems", default="zdt1:30,zdt1:10,zdt2:10,dtlz2:12,dtlz2:6", help="NAME:DIMENSIONS, comma-separated")
    parser.add_argument("--samplers", default="swifttune-tpe,optuna-tpe,optuna-tpe-multivariate,swifttune-nsga2,optuna-nsga2,"
                        "optuna-nsga2-default,swifttune-random,optuna-random",
                        help="comma-separated, of: " + ", ".join(samplers(argparse.Namespace(population=0, swifttune="", trials=0))))
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    table = samplers(args)
    chosen = args.samplers.split(",")
    unknown = [name for name in chosen if name not in table]
    if unknown:
        raise SystemExit(f"unknown samplers {unknown}; choose among {list(table)}")
    print(f"hypervolume after {args.trials} trials, {args.seeds} seeds: median [quartiles]; NSGA-II population "
          f"{args.population} (optuna-nsga2-default: 50)")
    for entry in args.problems.split(","):
        problem, dimensions = entry.split(":")[0], int(entry.split(":")[1])
        print(f"\n{problem} in {dimensions} dimensions, reference point {PROBLEMS[problem][1]}")
        for name in chosen:
            values = sorted(table[name](problem, dimensions, seed) for seed in range(args.seeds))
            quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
            print(f"  {name:26s} {statistics.median(values):8.4f}  [{quartiles[0]:.4f}, {quartiles[2]:.4f}]", flush=True)


if __name__ == "__main__":
    main()
