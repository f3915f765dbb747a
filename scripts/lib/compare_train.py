"""Measures whole training steps (forward, cross-entropy, backward, Adam) of the two models of
`swifttune bench train` with PyTorch on the CPU and with tinygrad on OpenCL (PoCL here), runs
`swifttune bench train --json` right after, and prints samples/s per model with each row's ratio
to PyTorch's. Called by scripts/compare-train, which prepares the environment and the build;
with --torch-device cuda (scripts/gpu-measure) PyTorch runs on the GPU in fp32 with TF32 off.
Then it prints the peak memory of one warm step beside SwiftTune's (see `torch_peak_bytes`).

    mlp: Linear 784→512 ReLU, 512→256 ReLU, 256→10; batch 128
    cnn: Conv 3×3 1→32 (pad 1) ReLU, max pool 2, Conv 3×3 32→64 (pad 1) ReLU, max pool 2,
         Linear 3136→128 ReLU, 128→10; batch 64
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

from compare_common import RatioTable, configure_torch, median_ms, swifttune_rows, synchronized

BASELINE = "torch"
BATCH = {"mlp": 128, "cnn": 64}
SIZE = {"mlp": "784-512-256-10 b128", "cnn": "c32-c64-128-10 b64"}


def row(model, path, device, milliseconds):
    return {"size": SIZE[model], "path": path, "device": device, "medianMilliseconds": milliseconds,
            "rate": BATCH[model] / (milliseconds / 1000)}


def torch_rows(models, repeats, device):
    import torch
    from torch import nn
    torch.manual_seed(1)
    rows = []
    for model in models:
        if model == "mlp":
            net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
            x = torch.rand(BATCH[model], 784) * 2 - 1
        else:
            net = nn.Sequential(
                nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
            x = torch.rand(BATCH[model], 1, 28, 28) * 2 - 1
        y = torch.arange(BATCH[model]) * 7 % 10
        net, x, y = net.to(device), x.to(device), y.to(device)
        optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

        def step():
            optimizer.zero_grad(set_to_none=False)
            nn.functional.cross_entropy(net(x), y).backward()
            optimizer.step()
        measured = row(model, BASELINE, device, median_ms(synchronized(step, device), repeats=repeats))
        if device == "cpu":
            measured["peakBytesInUse"] = torch_peak_bytes(step, [x, y], net, optimizer)
        rows.append(measured)
    return rows


def torch_peak_bytes(step, inputs, net, optimizer):
    """The most bytes PyTorch's live CPU tensors held at once during one warm `step`.

    What lives before the step (parameters, their gradients, Adam's state, the batch) is summed
    from the tensors themselves; the step's own allocations come from the profiler run with
    `profile_memory=True`, whose `[memory]` events record every allocation (+bytes) and free
    (-bytes) of the CPU allocator: their running sum's maximum is the step's peak above that.
    Comparable with SwiftTune's `peakBytesInUse` (bytes in live tensors, not allocator caches).
    """
    import torch
    from torch.profiler import ProfilerActivity, profile
    tensors = list(inputs) + list(net.parameters())
    tensors += [p.grad for p in net.parameters() if p.grad is not None]
    tensors += [t for state in optimizer.state.values() for t in state.values() if torch.is_tensor(t)]
    resident = sum(t.untyped_storage().nbytes() for t in {t.untyped_storage().data_ptr(): t for t in tensors}.values())
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as profiler:
        step()
    with tempfile.NamedTemporaryFile(suffix=".json") as trace:
        profiler.export_chrome_trace(trace.name)
        events = json.load(open(trace.name))["traceEvents"]
    live = peak = 0
    for event in sorted((e for e in events if e.get("name") == "[memory]"), key=lambda e: e["ts"]):
        live += event["args"]["Bytes"]
        peak = max(peak, live)
    return resident + peak


def print_memory(models, torch_rows_measured, swifttune_measured):
    """Peak bytes in live tensors of one warm step, PyTorch CPU's beside SwiftTune's per device."""
    print("\npeak memory of one warm training step (bytes in live tensors: parameters, optimizer state, "
          "batch, activations, gradients)")
    for model, torch_row in zip(models, torch_rows_measured):
        if "peakBytesInUse" not in torch_row:
            continue
        parts = [f"torch cpu {torch_row['peakBytesInUse'] / 2**20:.2f} MiB"]
        for measured in swifttune_measured:
            if measured["size"] == SIZE[model] and measured.get("memory"):
                memory = measured["memory"]
                parts.append(f"swifttune {measured['device']} {memory['peakBytesInUse'] / 2**20:.2f} MiB "
                             f"(pool held {memory['peakBytesHeld'] / 2**20:.2f} MiB)")
        print(f"  {model}: " + ";  ".join(parts))


def tinygrad_rows(models, repeats):
    """Runs in its own process (DEV=CL must be set before tinygrad is imported)."""
    from tinygrad import Context, Device, Tensor, TinyJit, nn
    Tensor.manual_seed(1)
    rows = []
    for model in models:
        if model == "mlp":
            layers = [nn.Linear(784, 512), Tensor.relu, nn.Linear(512, 256), Tensor.relu, nn.Linear(256, 10)]
            x = Tensor.rand(BATCH[model], 784) * 2 - 1
        else:
            layers = [nn.Conv2d(1, 32, 3, padding=1), Tensor.relu, Tensor.max_pool2d,
                      nn.Conv2d(32, 64, 3, padding=1), Tensor.relu, Tensor.max_pool2d,
                      lambda t: t.flatten(1), nn.Linear(3136, 128), Tensor.relu, nn.Linear(128, 10)]
            x = Tensor.rand(BATCH[model], 1, 28, 28) * 2 - 1
        y = Tensor([i * 7 % 10 for i in range(BATCH[model])])
        x, y = x.realize(), y.realize()
        optimizer = nn.optim.Adam(nn.state.get_parameters(layers), lr=1e-3)

        @TinyJit
        def jitted(inputs, labels):
            optimizer.zero_grad()
            loss = inputs.sequential(layers).sparse_categorical_crossentropy(labels).backward()
            optimizer.step()
            return loss.realize()

        def step():
            with Context(TRAINING=1):  # tinygrad's optimizers step only in training mode
                jitted(x, y)
            Device[Device.DEFAULT].synchronize()
        rows.append(row(model, "tinygrad", Device.DEFAULT.lower(), median_ms(step, warmups=3, repeats=repeats)))
    return rows


def tinygrad_in_subprocess(models, repeats):
    """tinygrad's rows, or none (with a note) when it is not installed or fails."""
    command = [sys.executable, __file__, "--tinygrad-only", "--models", ",".join(models), "--repeats", str(repeats)]
    print("compare-train: tinygrad compiles its kernels first (minutes on PoCL)", file=sys.stderr, flush=True)
    result = subprocess.run(command, env={**os.environ, "DEV": "CL"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        print("compare-train: tinygrad on OpenCL failed; its rows are left out", file=sys.stderr)
        return []
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swifttune", help="path of the swifttune executable")
    parser.add_argument("--device", help="swifttune's --device (default: every device)")
    parser.add_argument("--models", default="mlp,cnn", help="comma-separated: mlp, cnn (default: both)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every framework this many times in turn (the machine may be shared)")
    parser.add_argument("--no-tinygrad", action="store_true", help="leave tinygrad out")
    parser.add_argument("--torch-device", default="cpu", help="where PyTorch runs: cpu (default) or cuda")
    parser.add_argument("--tinygrad-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    models = arguments.models.split(",")
    if arguments.tinygrad_only:
        for measured in tinygrad_rows(models, arguments.repeats):
            print(json.dumps(measured), flush=True)
        return
    print(configure_torch(arguments.torch_device)
          + "; one training step (forward, cross-entropy, backward, Adam) on a fixed random batch", flush=True)
    command = [arguments.swifttune, "bench", "train", "--json", "--models", arguments.models,
               "--repeats", str(arguments.repeats)]
    if arguments.device:
        command += ["--device", arguments.device]
    table = RatioTable(BASELINE, "samples/s", group_title="model", group_width=22)
    for _ in range(arguments.rounds):
        baseline = torch_rows(models, arguments.repeats, arguments.torch_device)
        others = [] if arguments.no_tinygrad else tinygrad_in_subprocess(models, arguments.repeats)
        measured = swifttune_rows(command)
        for model, torch_row in zip(models, baseline):
            ours = [{**r, "path": "swifttune " + r["path"]} for r in measured if r["size"] == SIZE[model]]
            theirs = [r for r in others if r["size"] == SIZE[model]]
            table.print_group([torch_row] + ours + theirs)
        print_memory(models, baseline, measured)


if __name__ == "__main__":
    main()
