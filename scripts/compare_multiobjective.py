"""Median and quartiles of the hypervolume after N trials of SwiftTune's and Optuna's NSGA-II
(and random search) on two-objective ZDT problems, in the same run.

Called by scripts/compare-multiobjective. SwiftTune runs through `swifttune tune` on a study file
with `directions: [minimize, minimize]` and the built-in ZDT objective, in an SQLite file that
`swifttune best --json` then reads (its Pareto set has the hypervolume of all trials); Optuna runs
in this process. The hypervolume is measured against the reference point (1.1, 11), which every
ZDT1 and ZDT2 point dominates (f1 <= 1, f2 <= 10).
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import tempfile

import optuna

REFERENCE = (1.1, 11.0)


def zdt(name, x):
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    if name == "zdt1":
        return f1, g * (1 - math.sqrt(f1 / g))
    return f1, g * (1 - (f1 / g) ** 2)


def hypervolume(points, reference=REFERENCE):
    """The area the points dominate below `reference` (both objectives minimized)."""
    inside = sorted(p for p in points if p[0] < reference[0] and p[1] < reference[1])
    area, ceiling = 0.0, reference[1]
    for f1, f2 in inside:
        if f2 < ceiling:
            area += (reference[0] - f1) * (ceiling - f2)
            ceiling = f2
    return area


def run_swifttune(binary, sampler, problem, dimensions, seed, trials):
    space = "\n".join(f"  x{i}: {{type: float, low: 0, high: 1}}" for i in range(1, dimensions + 1))
    study = (f"name: {problem}\nseed: {seed}\ndirections: [minimize, minimize]\nspace:\n{space}\n"
             f"sampler: {sampler}\nobjective: {{function: {problem}}}\n")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "study.yaml")
        database = os.path.join(folder, "study.db")
        with open(path, "w") as handle:
            handle.write(study)
        subprocess.run([binary, "tune", path, "--storage", f"sqlite:{database}", "--trials", str(trials), "--quiet"],
                       check=True, capture_output=True, text=True)
        output = subprocess.run([binary, "best", "--storage", database, "--json"],
                                check=True, capture_output=True, text=True).stdout
    pareto = json.loads(output)
    points = [tuple(float(v) for v in trial["user_attributes"]["objective_values"].split(",")) for trial in pareto]
    return hypervolume(points)


def run_optuna(make_sampler, problem, dimensions, seed, trials):
    def objective(trial):
        return zdt(problem, [trial.suggest_float(f"x{i}", 0, 1) for i in range(1, dimensions + 1)])

    study = optuna.create_study(sampler=make_sampler(seed), directions=["minimize", "minimize"])
    study.optimize(objective, n_trials=trials)
    return hypervolume([tuple(t.values) for t in study.trials if t.values is not None])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--population", type=int, default=20, help="both NSGA-IIs' population size")
    parser.add_argument("--problems", default="zdt1:30,zdt1:10,zdt2:10", help="NAME:DIMENSIONS, comma-separated")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    samplers = {
        f"swifttune-nsga2 (population {args.population})":
            lambda p, d, s: run_swifttune(args.swifttune, f"{{type: nsga2, population: {args.population}}}", p, d, s, args.trials),
        f"optuna-nsga2 (population {args.population})":
            lambda p, d, s: run_optuna(lambda seed: optuna.samplers.NSGAIISampler(population_size=args.population, seed=seed),
                                       p, d, s, args.trials),
        "optuna-nsga2 (default, population 50)":
            lambda p, d, s: run_optuna(lambda seed: optuna.samplers.NSGAIISampler(seed=seed), p, d, s, args.trials),
        "swifttune-random":
            lambda p, d, s: run_swifttune(args.swifttune, "{type: random}", p, d, s, args.trials),
        "optuna-random":
            lambda p, d, s: run_optuna(lambda seed: optuna.samplers.RandomSampler(seed=seed), p, d, s, args.trials),
    }
    print(f"hypervolume against {REFERENCE} after {args.trials} trials, {args.seeds} seeds: median [quartiles]")
    for entry in args.problems.split(","):
        problem, dimensions = entry.split(":")[0], int(entry.split(":")[1])
        print(f"\n{problem} in {dimensions} dimensions")
        for name, run in samplers.items():
            values = sorted(run(problem, dimensions, seed) for seed in range(args.seeds))
            quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
            print(f"  {name:40s} {statistics.median(values):8.4f}  [{quartiles[0]:.4f}, {quartiles[2]:.4f}]", flush=True)


if __name__ == "__main__":
    main()
