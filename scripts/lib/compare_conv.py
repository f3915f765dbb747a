"""Measures the convolution layer of `swifttune bench conv` with PyTorch on the CPU (forward with
bias, input gradient, weight and bias gradients, and all three in a row), runs
`swifttune bench conv --json` right after, and prints every row with its ratio to PyTorch's row
of the same pass. Called by scripts/compare-conv, which prepares the environment and the build;
with --torch-device cuda (scripts/gpu-measure) PyTorch runs on the GPU in fp32 with TF32 off."""

import argparse

import torch
import torch.nn.functional as F

from compare_common import RatioTable, configure_torch, median_ms, swifttune_rows, synchronized

BASELINE = "torch"
BATCH, CHANNELS, SIZE, FILTERS, KERNEL, PADDING = 64, 32, 28, 64, 3, 1
PASSES = ["forward", "input gradient", "weight+bias gradient", "forward+backward"]


def torch_rows(repeats, device):
    """One row per pass. The gradients call aten's convolution_backward directly (what autograd
    runs for conv2d), with only the gradients the pass asks for."""
    generator = torch.Generator().manual_seed(1)
    def uniform(*shape):
        return (torch.rand(*shape, generator=generator) * 2 - 1).to(device)
    x = uniform(BATCH, CHANNELS, SIZE, SIZE)
    w = uniform(FILTERS, CHANNELS, KERNEL, KERNEL)
    b = uniform(FILTERS)
    grad = uniform(BATCH, FILTERS, SIZE, SIZE)

    def backward(mask):
        return torch.ops.aten.convolution_backward(
            grad, x, w, [FILTERS], [1, 1], [PADDING, PADDING], [1, 1], False, [0, 0], 1, mask)

    runs = {
        "forward": lambda: F.conv2d(x, w, b, padding=PADDING),
        "input gradient": lambda: backward([True, False, False]),
        "weight+bias gradient": lambda: backward([False, True, True]),
        "forward+backward": lambda: (F.conv2d(x, w, b, padding=PADDING), backward([True, True, True])),
    }
    flops = 2.0 * BATCH * FILTERS * SIZE * SIZE * CHANNELS * KERNEL * KERNEL
    rows = []
    with torch.no_grad():
        for name in PASSES:
            milliseconds = median_ms(synchronized(runs[name], device), repeats=repeats)
            passes = 3 if name == "forward+backward" else 1
            rows.append({"size": name, "path": BASELINE, "device": device, "medianMilliseconds": milliseconds,
                         "rate": passes * flops / (milliseconds * 1e6)})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--swifttune", required=True, help="path of the swifttune executable")
    parser.add_argument("--device", default="cpu", help="swifttune's --device (default: cpu)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure PyTorch and SwiftTune this many times in turn (the machine may be shared)")
    parser.add_argument("--torch-device", default="cpu", help="where PyTorch runs: cpu (default) or cuda")
    arguments = parser.parse_args()
    print(configure_torch(arguments.torch_device) + "; "
          f"conv {BATCH}x{CHANNELS}x{SIZE}x{SIZE}, {FILTERS} filters {KERNEL}x{KERNEL}, padding {PADDING}")
    command = [arguments.swifttune, "bench", "conv", "--json", "--device", arguments.device,
               "--repeats", str(arguments.repeats)]
    table = RatioTable(BASELINE, "GFLOP/s", group_title="pass", group_width=22)
    for _ in range(arguments.rounds):
        baseline = torch_rows(arguments.repeats, arguments.torch_device)
        measured = swifttune_rows(command)
        for name, torch_row in zip(PASSES, baseline):
            ours = [row for row in measured if row["path"].split(" (")[0] == name]
            group = [torch_row] + [{**row, "size": name, "path": "swifttune" + row["path"][len(name):]} for row in ours]
            table.print_group(group)


if __name__ == "__main__":
    main()
