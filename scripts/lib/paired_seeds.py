"""Compares two `compare_samplers.py --per-seed` files seed by seed.

Usage: paired_seeds.py BEFORE.json AFTER.json [--sampler swifttune-auto]

For each function both files ran, over the seeds both ran: the two medians and on how many
seeds AFTER's best value is lower (better) or higher (worse) than BEFORE's. Seed-by-seed counts
tell a real change from seed luck better than two medians: a 20-seed median of a multimodal
function moves a lot with any change of a run's path, even one of rounding only.
"""
import argparse
import json
import statistics


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--sampler", default="swifttune-auto")
    arguments = parser.parse_args()
    runs = []
    for path in (arguments.before, arguments.after):
        with open(path) as handle:
            data = json.load(handle)
        if arguments.sampler not in data:
            parser.error(f"{path} has no runs of {arguments.sampler} (it has: {', '.join(sorted(data)) or 'none'})")
        runs.append(data[arguments.sampler])
    before, after = runs
    print(f"{'function':24} {'seeds':>5} {'before':>11} {'after':>11} {'better':>7} {'worse':>6}")
    for function in before:
        if function not in after:
            continue
        seeds = sorted(set(before[function]) & set(after[function]), key=int)
        if not seeds:
            continue
        pairs = [(before[function][seed], after[function][seed]) for seed in seeds]
        better = sum(new < old for old, new in pairs)
        worse = sum(new > old for old, new in pairs)
        median_before = statistics.median(old for old, _ in pairs)
        median_after = statistics.median(new for _, new in pairs)
        print(f"{function:24} {len(seeds):5} {median_before:11.5g} {median_after:11.5g} {better:7} {worse:6}")


if __name__ == "__main__":
    main()
