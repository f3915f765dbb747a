"""Measures the pruner goal of the tuning issue on the digits study: Hyperband or ASHA reach the
best accuracy of a no-pruning random search of the same trial count with at most 40% of its
training epochs. SwiftTune only; called by scripts/compare-pruners.

Each round runs the study of examples/digits-study.yaml three times with the random sampler and
the same seed and trial count (so the three searches propose the same configurations in the same
order): without a pruner, with Hyperband (the pruner of examples/digits-study-pruned.yaml, or the
--hyperband settings) and with ASHA (the --asha settings). A pruned search meets the goal when its best validation
accuracy is at least the unpruned search's and it trained at most 40% of its epochs.
"""

import argparse
import statistics
import tempfile

import yaml

from compare_study import load_yaml, run_swifttune, swifttune_study

EPOCH_SHARE_GOAL = 0.40


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swifttune", required=True)
    parser.add_argument("--study", default="examples/digits-study.yaml")
    parser.add_argument("--hyperband-study", default="examples/digits-study-pruned.yaml",
                        help="the study file whose pruner is the Hyperband setting")
    parser.add_argument("--hyperband", help="the Hyperband pruner as a YAML mapping (default: --hyperband-study's)")
    parser.add_argument("--asha", default="{type: asha, min_resource: 1, reduction_factor: 3}",
                        help="the ASHA pruner as a YAML mapping")
    parser.add_argument("--trials", type=int)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--device", help="the device (default: the study file's)")
    arguments = parser.parse_args()

    study = load_yaml(arguments.study)
    trials = arguments.trials or study.get("stop", {}).get("trials", 50)
    first_seed = study.get("seed", 0) if arguments.seed is None else arguments.seed
    hyperband = yaml.safe_load(arguments.hyperband) if arguments.hyperband else load_yaml(arguments.hyperband_study)["pruner"]
    pruners = {"none": None, "hyperband": hyperband,
               "asha": yaml.safe_load(arguments.asha)}
    print(f"{study['name']}: {trials} trials, random sampler; "
          + "; ".join(f"{name} {yaml.safe_dump(settings, default_flow_style=True).strip()}"
                      for name, settings in pruners.items() if settings))
    print(f"{'pruner':<11}{'seed':>5}{'wall s':>9}{'best acc':>10}{'epochs':>8}{'share':>8}{'pruned':>8}  reaches best", flush=True)
    verdicts = {name: [] for name in pruners if name != "none"}
    with tempfile.TemporaryDirectory(prefix="compare-pruners-") as folder:
        for round_index in range(arguments.rounds):
            seed = first_seed + round_index
            baseline = None
            for name, settings in pruners.items():
                result = run_swifttune(arguments.swifttune, swifttune_study(
                    study, settings, trials, seed, arguments.device, sampler={"type": "random"}), folder)
                if name == "none":
                    baseline = result
                share = result["epochs"] / baseline["epochs"]
                reaches = result["best"] >= baseline["best"]
                failed = f", {result['failed']} failed" if result["failed"] else ""
                verdict = "" if name == "none" else ("yes" if reaches else f"no ({result['best'] - baseline['best']:+.4f})")
                print(f"{name:<11}{seed:>5}{result['seconds']:>9.1f}{result['best']:>10.4f}{result['epochs']:>8}"
                      f"{share:>8.1%}{result['pruned']:>8}  {verdict}{failed}", flush=True)
                if name != "none":
                    verdicts[name].append((reaches, share))
    print()
    for name, rounds in verdicts.items():
        met = sum(reaches and share <= EPOCH_SHARE_GOAL for reaches, share in rounds)
        print(f"{name}: goal (best >= no pruning's with <= {EPOCH_SHARE_GOAL:.0%} of its epochs) met in {met} of "
              f"{len(rounds)} round(s); median epoch share {statistics.median(share for _, share in rounds):.1%}")


if __name__ == "__main__":
    main()
