"""Shared by the comparison scripts: timing like `swifttune bench`, reading its --json rows, and
the table that puts every path next to a baseline."""

import json
import statistics
import subprocess
import time


def median_ms(run, warmups=2, repeats=10, minimum_repeats=3, budget_seconds=3.0):
    """Median wall time of run() in ms: warm-up runs first, then up to `repeats` timed runs,
    stopping early (after `minimum_repeats`) once they took `budget_seconds`, as swifttune does."""
    for _ in range(warmups):
        run()
    times = []
    while len(times) < repeats and (len(times) < minimum_repeats or sum(times) < budget_seconds * 1000):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synchronized(run, device):
    """run, followed by a wait for the GPU when `device` is a CUDA device (its kernels are
    asynchronous; timing them needs the wait inside the timed interval)."""
    if not str(device).startswith("cuda"):
        return run
    import torch

    def body():
        run()
        torch.cuda.synchronize()
    return body


def configure_torch(device):
    """fp32 everywhere: no TF32 on CUDA (it rounds inputs to 10-bit mantissas); all cores on the CPU."""
    import os
    import torch
    if str(device).startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        return f"PyTorch {torch.__version__} on {torch.cuda.get_device_name(0)} (fp32, TF32 off)"
    torch.set_num_threads(os.cpu_count() or 1)
    return f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads), {os.cpu_count()} CPUs"


def swifttune_rows(command):
    """Runs a `swifttune bench ... --json` command line (a list) and returns its rows (dicts)."""
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


class RatioTable:
    """Prints rows (dicts with size, path, device, medianMilliseconds, rate) as they come, each
    with its rate's ratio to the row of `baseline_path` in the same group (one size). The first
    column shows `size` under the title `group_title`, `group_width` characters wide."""

    def __init__(self, baseline_path, unit, group_title="size", group_width=8):
        self.baseline_path = baseline_path
        self.group_width = group_width
        print(f"{group_title:<{group_width}}{'path':<30}{'device':<10}{'median ms':>11}{unit:>11}"
              f"{'vs ' + baseline_path:>22}", flush=True)

    def print_group(self, rows):
        baseline = next((row["rate"] for row in rows if row["path"] == self.baseline_path), None)
        for row in rows:
            ratio = f"{row['rate'] / baseline:.2f}x" if baseline else "-"
            print(f"{row['size']:<{self.group_width}}{row['path']:<30}{row['device']:<10}"
                  f"{row['medianMilliseconds']:>11.3f}{row['rate']:>11.1f}{ratio:>22}", flush=True)
