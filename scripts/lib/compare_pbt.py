"""Population-based training against random search and TPE with the same total epochs on the
digits CNN; called by scripts/compare-pbt. Study files are written as JSON (which is YAML), so
this needs only Python's standard library."""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

DESCRIPTION = "examples/digits-pbt-cnn.yaml"
SPACE = {
    "learning_rate": {"type": "float", "low": 1.0e-4, "high": 3.0e-2, "log": True},
    "dropout": {"type": "float", "low": 0.0, "high": 0.5},
    "weight_decay": {"type": "float", "low": 1.0e-6, "high": 1.0e-2, "log": True},
}


def study(method, seed, population, interval, generations, metric):
    """The study file of one method and seed."""
    objective = {"train": os.path.abspath(DESCRIPTION), "metric": metric, "device": "cpu", "keep_weights": "none"}
    file = {"name": f"pbt-compare-{method}", "direction": direction(metric), "seed": seed, "objective": objective}
    if method == "pbt":
        file["space"] = SPACE
        file["scheduler"] = {"type": "pbt", "population": population, "interval_epochs": interval,
                             "generations": generations, "fraction": 0.25, "perturb": [0.8, 1.2],
                             "resample_probability": 0.25}
    else:
        file["space"] = dict(SPACE, epochs=interval * generations)
        file["stop"] = {"trials": population}
        # TPE models from half the trials on (its default of 10 start-up trials would leave it random).
        file["sampler"] = {"type": "random"} if method == "random" else {"type": "tpe", "startup_trials": max(2, population // 2)}
    return file


def direction(metric):
    return "minimize" if metric.endswith("loss") else "maximize"


def run(binary, file, folder):
    """Runs the study in a fresh folder; returns seconds, best validation value and epochs."""
    path = os.path.join(folder, "study.yaml")
    with open(path, "w") as handle:
        json.dump(file, handle)
    storage = f"sqlite:{os.path.join(folder, 'study.db')}"
    start = time.perf_counter()
    subprocess.run([binary, "tune", path, "--storage", storage, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    trials = json.loads(subprocess.run([binary, "trials", "--storage", storage, "--format", "json"],
                                       check=True, stdout=subprocess.PIPE, text=True).stdout)
    complete = [trial for trial in trials if trial["state"] == "COMPLETE"]
    # The best epoch of any trial: a random or TPE trial's value already is its best epoch, a PBT
    # trial's is its last, so every method is read the same way from the intermediate values.
    values = [value for trial in complete for value in trial["intermediate_values"].values()]
    best = max(values) if file["direction"] == "maximize" else min(values)
    return {"seconds": seconds, "best": best,
            "epochs": sum(len(trial["intermediate_values"]) for trial in trials if trial["state"] == "COMPLETE")}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--population", type=int, default=8)
    parser.add_argument("--interval", type=int, default=2)
    parser.add_argument("--generations", type=int, default=4)
    parser.add_argument("--metric", default="val_accuracy", help="val_accuracy (maximized) or validation_loss (minimized)")
    arguments = parser.parse_args()
    seeds = [int(seed) for seed in arguments.seeds.split(",")]
    p, n, g = arguments.population, arguments.interval, arguments.generations
    print(f"digits CNN ({DESCRIPTION}), CPU; {p * n * g} epochs per search: PBT {p} members × {g} generations × {n} epochs, "
          f"random and TPE {p} trials × {g * n} epochs")
    metric = arguments.metric
    print(f"{'method':<8}{'seed':>5}{'best ' + metric:>24}{'epochs':>8}{'seconds':>9}", flush=True)
    results = {method: [] for method in ("pbt", "random", "tpe")}
    for seed in seeds:
        for method in results:
            with tempfile.TemporaryDirectory(prefix="compare-pbt-") as folder:
                result = run(arguments.swifttune, study(method, seed, p, n, g, metric), folder)
            results[method].append(result)
            print(f"{method:<8}{seed:>5}{result['best']:>24.4f}{result['epochs']:>8}"
                  f"{result['seconds']:>9.1f}", flush=True)
    print()
    better = max if direction(metric) == "maximize" else min
    print(f"| method | median best {metric} [25%, 75%] | mean | seeds where it is best (ties count) | epochs | median seconds |")
    print("|---|---|---|---|---|---|")
    for method, runs in results.items():
        bests = [r["best"] for r in runs]
        quartiles = statistics.quantiles(bests, n=4, method="inclusive") if len(bests) > 1 else [bests[0]] * 3
        wins = sum(results[method][index]["best"] == better(results[other][index]["best"] for other in results)
                   for index in range(len(seeds)))
        print(f"| {method} | {quartiles[1]:.4f} [{quartiles[0]:.4f}, {quartiles[2]:.4f}] | {statistics.mean(bests):.4f} "
              f"| {wins} of {len(seeds)} | {runs[0]['epochs']} | {statistics.median(r['seconds'] for r in runs):.0f} |")


if __name__ == "__main__":
    main()
