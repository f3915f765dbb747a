"""Measures square float32 GEMMs with NumPy (OpenBLAS) and PyTorch on the CPU, runs
`swifttune bench gemm --json` for the same sizes, and prints every path's GFLOP/s with its ratio
to OpenBLAS. Called by scripts/compare-gemm, which prepares the environment and the build.
With --torch-device cuda (scripts/gpu-measure) PyTorch runs on the GPU in fp32 with TF32 off,
NumPy is left out, and the ratios are to PyTorch."""

import argparse

import numpy as np
import torch

from compare_common import RatioTable, configure_torch, median_ms, swifttune_rows, synchronized

NUMPY = "numpy (OpenBLAS)"


def row(size, path, milliseconds, device="cpu"):
    flops = 2.0 * size ** 3
    return {"size": str(size), "path": path, "device": device, "medianMilliseconds": milliseconds,
            "rate": flops / (milliseconds * 1e6)}


def numpy_row(size, repeats):
    generator = np.random.default_rng(1)
    a = generator.uniform(-1, 1, (size, size)).astype(np.float32)
    b = generator.uniform(-1, 1, (size, size)).astype(np.float32)
    c = np.empty((size, size), dtype=np.float32)
    return row(size, NUMPY, median_ms(lambda: np.matmul(a, b, out=c), repeats=repeats))


def torch_row(size, repeats, device):
    a = torch.rand(size, size, dtype=torch.float32, device=device) * 2 - 1
    b = torch.rand(size, size, dtype=torch.float32, device=device) * 2 - 1
    c = torch.empty(size, size, dtype=torch.float32, device=device)
    run = synchronized(lambda: torch.mm(a, b, out=c), device)
    return row(size, "torch", median_ms(run, repeats=repeats), device=device)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--swifttune", required=True, help="path of the swifttune executable")
    parser.add_argument("--sizes", default="256,512,1024,2048")
    parser.add_argument("--device", help="swifttune's --device (default: every device)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--torch-device", default="cpu", help="where PyTorch runs: cpu (default) or cuda")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    on_cpu = arguments.torch_device == "cpu"
    print(f"NumPy {np.__version__}, " + configure_torch(arguments.torch_device))

    table = RatioTable(NUMPY if on_cpu else "torch", "GFLOP/s")
    for size in sizes:  # one size at a time, so a size's rows see the same load
        rows = ([numpy_row(size, arguments.repeats)] if on_cpu else []) \
            + [torch_row(size, arguments.repeats, arguments.torch_device)]
        command = [arguments.swifttune, "bench", "gemm", "--json", "--sizes", str(size),
                   "--repeats", str(arguments.repeats)]
        if arguments.device:
            command += ["--device", arguments.device]
        rows += [{**measured, "path": f"swifttune {measured['path']}"} for measured in swifttune_rows(command)]
        table.print_group(rows)


if __name__ == "__main__":
    main()
