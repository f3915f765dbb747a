"""Measures whole training steps (forward, cross-entropy, backward, Adam) of the two models of
`swifttune bench train` with PyTorch on the CPU and with tinygrad on OpenCL (PoCL here), runs
`swifttune bench train --json` right after, and prints samples/s per model with each row's ratio
to PyTorch's. Called by scripts/compare-train, which prepares the environment and the build;
with --torch-device cuda (scripts/gpu-measure) PyTorch runs on the GPU in fp32 with TF32 off.

    mlp: Linear 784→512 ReLU, 512→256 ReLU, 256→10; batch 128
    cnn: Conv 3×3 1→32 (pad 1) ReLU, max pool 2, Conv 3×3 32→64 (pad 1) ReLU, max pool 2,
         Linear 3136→128 ReLU, 128→10; batch 64
"""

import argparse
import json
import os
import subprocess
import sys

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
        rows.append(row(model, BASELINE, device, median_ms(synchronized(step, device), repeats=repeats)))
    return rows


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


if __name__ == "__main__":
    main()
