"""Runs the digits study (examples/digits-study.yaml) with `swifttune tune` and with Optuna +
PyTorch on the CPU in the same run, without pruning and with the median pruner on both sides,
and prints wall seconds, the best validation accuracy, the epochs trained and the trials pruned.
Called by scripts/compare-study, which prepares the environment and the release build.

The same study on both sides:
  data      the split and scaled samples that SwiftTune trains on, exported by
            `swifttune train examples/digits-tune.yaml --export-data DIR` (the description's
            seed fixes the stratified 80/20 split; min-max scaling fitted on the training part)
  model     Linear 64→hidden, ReLU, Dropout, Linear hidden→10, cross-entropy; He-uniform and
            Glorot-uniform weights and zero biases, as SwiftTune initializes them
  training  the trial's optimizer (adam, sgd without momentum, rmsprop with decay 0.99) and batch
            size, shuffled every epoch, validation accuracy after each epoch (reported to the
            pruner); the trial's value is its best epoch's accuracy, as TrainingObjective's is
  search    the study file's space, TPE with its startup trials (multivariate, as SwiftTune's
            default), the same trial count and seed; median pruner: 5 startup trials, no warm-up
SwiftTune keeps its trials in a temporary SQLite file (to count their epochs afterwards); Optuna
keeps them in memory. PyTorch runs on one thread unless --torch-threads says otherwise: on a
machine whose cores are busy with other work, its default (one thread per core) spends most of
each small step waiting for its threads and runs several times slower.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import warnings

import yaml

MEDIAN_PRUNER = {"type": "median", "startup_trials": 5, "warmup_steps": 0}


def load_yaml(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def swifttune_study(study, pruner, trials, seed, device=None, sampler=None):
    """The study file `study` with the given pruner (a study-file mapping, or None for none),
    trial count and seed, and optionally another device or sampler."""
    changed = dict(study, seed=seed, stop={"trials": trials})
    changed.pop("pruner", None)
    if pruner:
        changed["pruner"] = pruner
    if sampler:
        changed["sampler"] = sampler
    if device:
        changed["objective"] = dict(study["objective"], device=device)
    return changed


def run_swifttune(binary, study, folder):
    """Runs `swifttune tune` on the study in a fresh SQLite file; returns seconds, best, epochs, pruned."""
    study_path = os.path.join(folder, "study.yaml")
    database = os.path.join(folder, "study.db")
    for path in (database, database + "-wal", database + "-shm"):
        if os.path.exists(path):
            os.unlink(path)
    with open(study_path, "w") as handle:
        yaml.safe_dump(study, handle, sort_keys=False)
    start = time.perf_counter()
    subprocess.run([binary, "tune", study_path, "--storage", f"sqlite:{database}", "--quiet"], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    listing = subprocess.run([binary, "trials", "--storage", f"sqlite:{database}", "--format", "json"],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
    trials = json.loads(listing)
    complete = [trial["value"] for trial in trials if trial["state"] == "COMPLETE" and trial.get("value") is not None]
    return {"seconds": seconds, "best": max(complete, default=float("nan")),
            "epochs": sum(len(trial["intermediate_values"]) for trial in trials),
            "pruned": sum(trial["state"] == "PRUNED" for trial in trials),
            "failed": sum(trial["state"] == "FAIL" for trial in trials)}


def read_split(folder):
    """The exported parts as tensors: (train features, train classes, validation features, validation classes)."""
    import numpy
    import torch

    def part(name):
        values = numpy.loadtxt(os.path.join(folder, f"{name}.csv"), delimiter=",", skiprows=1, dtype=numpy.float32)
        return torch.from_numpy(values[:, :-1].copy()), torch.from_numpy(values[:, -1].astype(numpy.int64))
    return (*part("train"), *part("validation"))


def suggest(trial, space):
    """The trial's parameters from a study file's space (float, int, categorical, fixed, `when`)."""
    params = {}
    for name, definition in space.items():
        if isinstance(definition, list):
            params[name] = trial.suggest_categorical(name, definition)
            continue
        if not isinstance(definition, dict):
            params[name] = definition
            continue
        condition = definition.get("when", {})
        if any(params.get(parent) not in (wanted if isinstance(wanted, list) else [wanted]) for parent, wanted in condition.items()):
            continue
        kind = definition["type"]
        if kind == "float":
            params[name] = trial.suggest_float(name, definition["low"], definition["high"], log=definition.get("log", False),
                                               step=definition.get("step"))
        elif kind == "int":
            params[name] = trial.suggest_int(name, definition["low"], definition["high"], log=definition.get("log", False),
                                             step=definition.get("step", 1))
        elif kind == "categorical":
            params[name] = trial.suggest_categorical(name, definition["choices"])
        elif kind == "fixed":
            params[name] = definition["value"]
        else:
            raise ValueError(f"space.{name}: unknown type {kind}")
    return params


def torch_objective(space, split, counter):
    """The Optuna objective: trains the digits MLP with the trial's parameters, reporting each
    epoch's validation accuracy; `counter` counts the epochs trained."""
    import optuna
    import torch
    from torch import nn

    x, y, validation_x, validation_y = split
    optimizers = {
        "adam": lambda parameters, rate: torch.optim.Adam(parameters, lr=rate),
        "sgd": lambda parameters, rate: torch.optim.SGD(parameters, lr=rate),
        "rmsprop": lambda parameters, rate: torch.optim.RMSprop(parameters, lr=rate, alpha=0.99),
    }

    def objective(trial):
        params = suggest(trial, space)
        torch.manual_seed(trial.number)
        model = nn.Sequential(nn.Linear(x.shape[1], params["hidden_units"]), nn.ReLU(), nn.Dropout(params["dropout"]),
                              nn.Linear(params["hidden_units"], 10))
        nn.init.kaiming_uniform_(model[0].weight, nonlinearity="relu")
        nn.init.xavier_uniform_(model[3].weight)
        nn.init.zeros_(model[0].bias)
        nn.init.zeros_(model[3].bias)
        optimizer = optimizers[params["optimizer"]](model.parameters(), params["learning_rate"])
        batch = params["batch_size"]
        best = 0.0
        for epoch in range(1, params["epochs"] + 1):
            model.train()
            order = torch.randperm(len(y))
            for start in range(0, len(y), batch):
                rows = order[start:start + batch]
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(x[rows]), y[rows]).backward()
                optimizer.step()
            model.eval()
            with torch.no_grad():
                accuracy = (model(validation_x).argmax(1) == validation_y).float().mean().item()
            counter[0] += 1
            best = max(best, accuracy)
            trial.report(accuracy, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return best
    return objective


def run_optuna(study, split, pruner, trials, seed):
    """Runs the study with Optuna + PyTorch; returns seconds, best, epochs, pruned."""
    import optuna
    sampler_settings = study.get("sampler", {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(
            seed=seed, n_startup_trials=sampler_settings.get("startup_trials", 10),
            multivariate=sampler_settings.get("multivariate", True))
    pruner_object = (optuna.pruners.MedianPruner(n_startup_trials=MEDIAN_PRUNER["startup_trials"],
                                                 n_warmup_steps=MEDIAN_PRUNER["warmup_steps"])
                     if pruner == "median" else optuna.pruners.NopPruner())
    counter = [0]
    start = time.perf_counter()
    optuna_study = optuna.create_study(direction=study.get("direction", "minimize"), sampler=sampler, pruner=pruner_object)
    optuna_study.optimize(torch_objective(study["space"], split, counter), n_trials=trials)
    seconds = time.perf_counter() - start
    states = [trial.state for trial in optuna_study.trials]
    return {"seconds": seconds, "best": optuna_study.best_value, "epochs": counter[0],
            "pruned": states.count(optuna.trial.TrialState.PRUNED), "failed": states.count(optuna.trial.TrialState.FAIL)}


def print_row(tool, pruner, seed, result):
    failed = f"  ({result['failed']} failed)" if result["failed"] else ""
    print(f"{tool:<18}{pruner:<8}{seed:>5}{result['seconds']:>10.1f}{result['best']:>10.4f}{result['epochs']:>8}"
          f"{result['pruned']:>8}{failed}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--study", default="examples/digits-study.yaml")
    parser.add_argument("--trials", type=int)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--pruners", default="none,median")
    parser.add_argument("--device", help="SwiftTune's device (default: the study file's)")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="PyTorch's CPU threads (default 1: its fastest for these small models on a busy machine)")
    arguments = parser.parse_args()
    import optuna
    import torch
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    torch.set_num_threads(arguments.torch_threads)

    study = load_yaml(arguments.study)
    trials = arguments.trials or study.get("stop", {}).get("trials", 50)
    first_seed = study.get("seed", 0) if arguments.seed is None else arguments.seed
    pruners = arguments.pruners.split(",")
    if not set(pruners) <= {"none", "median"}:
        parser.error(f"--pruners takes none and median, not {arguments.pruners}")
    with tempfile.TemporaryDirectory(prefix="compare-study-") as folder:
        description = study["objective"]["train"]
        subprocess.run([arguments.swifttune, "train", description, "--export-data", folder], check=True, stdout=subprocess.DEVNULL)
        split = read_split(folder)
        print(f"{study['name']}: {trials} trials, TPE; {len(split[1])} training and {len(split[3])} validation samples "
              f"(split exported by swifttune from {description}); PyTorch {torch.__version__} on {torch.get_num_threads()} "
              f"threads, Optuna {optuna.__version__}")
        print(f"{'tool':<18}{'pruner':<8}{'seed':>5}{'wall s':>10}{'best acc':>10}{'epochs':>8}{'pruned':>8}", flush=True)
        results = {}
        for round_index in range(arguments.rounds):
            seed = first_seed + round_index
            for pruner in pruners:
                settings = MEDIAN_PRUNER if pruner == "median" else None
                swift = run_swifttune(arguments.swifttune, swifttune_study(study, settings, trials, seed, arguments.device), folder)
                print_row("swifttune", pruner, seed, swift)
                baseline = run_optuna(study, split, pruner, trials, seed)
                print_row("optuna+pytorch", pruner, seed, baseline)
                results.setdefault(pruner, []).append((swift, baseline))
    print()
    for pruner, pairs in results.items():
        swift_seconds = statistics.median(swift["seconds"] for swift, _ in pairs)
        optuna_seconds = statistics.median(baseline["seconds"] for _, baseline in pairs)
        swift_best = statistics.median(swift["best"] for swift, _ in pairs)
        verdict = "met" if swift_best >= 0.98 and swift_seconds <= optuna_seconds else "missed"
        print(f"pruner {pruner}: median over {len(pairs)} round(s): swifttune {swift_seconds:.1f} s, best {swift_best:.4f}; "
              f"optuna+pytorch {optuna_seconds:.1f} s, best {statistics.median(b['best'] for _, b in pairs):.4f}; "
              f"time ratio {swift_seconds / optuna_seconds:.2f}; goal (best >= 0.98, time <= optuna's) {verdict}")


if __name__ == "__main__":
    main()
