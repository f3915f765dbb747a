"""Checks SwiftTune's example models against PyTorch. For each model: builds it in PyTorch
(torchvision's vgg11_bn and resnet18, adapted to 32×32 as examples/vgg11-bn.yaml and
examples/resnet18.yaml are; the LSTM and Transformer encoder text classifiers of
examples/lstm-text.yaml and examples/transformer-text.yaml), saves its random initialization as
a safetensors state dict (batch norm's scale, shift and running statistics drawn at random too,
so that a swapped or missing tensor shows), and has `swifttune bench model-check` load it into the example's model and run
the same batch: forward outputs in training and in evaluation mode (bound 1e-4), every
parameter's gradient after one backward pass (1e-3), the loss after 10 SGD steps (1e-3), and
the state dict SwiftTune exports after them, which must load into the PyTorch model with
load_state_dict (strict) and match PyTorch's weights and running statistics (1e-2: ten steps
that take the loss from 2.2 to 0.05 on one batch amplify the first step's differences of about
1e-6 to about 1e-3 in the running variances of the last stage). One row per model and device; the
exit status is 1 when a figure misses its bound.

Relative error of a tensor: max |swifttune − torch| / max |torch|. For gradients (weights) the
denominator is at least 1e-3 of the model's largest gradient (weight) value: a convolution's
bias before batch norm has a gradient of exactly 0 in exact arithmetic (torchvision starts VGG's
at 0, so it stays rounding noise), and noise around 0 has no relative size.

The batch (random normal images, random labels) is drawn, seeded, until its forward pass keeps
2e-6 away from every kink: no ReLU input and no gap between the two largest values of a max-
pooling window is smaller. Closer than that, float32 rounding (which differs between any two
implementations) may put a value on the other side, and the gradient through it then differs
by its whole size: a difference of the batch, not of the implementations. The default batch is
small (4) so that such a batch is found in a few draws. On the CPU, Winograd F(4×4, 3×3) rounds
more than that margin allows, so the cpu rows run F(2×2, 3×3) and a "cpu F4x4" row checks F(4×4)
on a batch that keeps a wider margin (F4_CHECK). Called by scripts/compare-models, which
prepares the environment and the build.

--bench: training-step samples/s of SwiftTune (`swifttune bench model`) against PyTorch on the
CPU (or, with --torch-device cuda, the GPU in fp32 with TF32 off) in the same run (forward, cross-entropy, backward, SGD with momentum 0.9, one fixed batch).
"""

import argparse
import os
import subprocess
import sys
import tempfile

from compare_common import RatioTable, configure_torch, median_ms, swifttune_rows, synchronized

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOUNDS = {"forward": 1e-4, "gradients": 1e-3, "loss": 1e-3, "weights": 1e-2}
# How far every ReLU input and max-pooling choice of the compared batch keeps from its kink.
KINK_MARGIN = 2e-6
# The CPU's Winograd F(4×4, 3×3) rounds a convolution's outputs to about 5e-6, more than
# KINK_MARGIN, so at that margin a ReLU input may land on the other side of its kink (its
# gradient then differs by its whole size). The cpu rows run F(2×2, 3×3), rounding-close to
# im2col as the margin assumes, and a "cpu F4x4" row checks F(4×4) (the default at large
# batches) on a batch that keeps this much wider margin: one image for ResNet-18 (a batch of
# four that keeps it is too rare), four for VGG (whose 1×1 last layers need more than one value
# per channel for training-mode batch norm).
F4_CHECK = {"vgg11-bn": {"batch": 4, "margin": KINK_MARGIN}, "resnet18": {"batch": 1, "margin": 1.2e-5}}


def vgg11_bn_32():
    """torchvision's vgg11_bn for 32×32 inputs: its features leave 512×1×1, so no average
    pooling, and one linear layer 512 → 10."""
    import torchvision
    from torch import nn
    model = torchvision.models.vgg11_bn(num_classes=10)
    model.avgpool = nn.Identity()
    model.classifier = nn.Sequential(nn.Linear(512, 10))
    return model


def resnet18_32():
    """torchvision's resnet18 as adapted to CIFAR: a 3×3 stem convolution, no max pooling."""
    import torchvision
    from torch import nn
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    model.maxpool = nn.Identity()
    return model


def image_batch(size):
    import torch
    return torch.randn(size, 3, 32, 32), torch.randint(0, 10, (size,))


def lstm_text():
    """examples/lstm-text.yaml: embedding 64×16 (padding id 0) → LSTM 32 (last step) → linear 2,
    as modules 0, 1, 2 (the list's layer indices)."""
    from torch import nn

    class LSTMText(nn.Module):
        def __init__(self):
            super().__init__()
            self.add_module("0", nn.Embedding(64, 16, padding_idx=0))
            self.add_module("1", nn.LSTM(16, 32, batch_first=True))
            self.add_module("2", nn.Linear(32, 2))

        def forward(self, ids):
            steps, _ = getattr(self, "1")(getattr(self, "0")(ids.long()))
            return getattr(self, "2")(steps[:, -1])
    return LSTMText()


def lstm_bench():
    """examples/lstm-bench.yaml: embedding 1000×128 (padding id 0) → LSTM 256 (last step) →
    linear 2, as modules 0, 1, 2."""
    from torch import nn

    class LSTMBench(nn.Module):
        def __init__(self):
            super().__init__()
            self.add_module("0", nn.Embedding(1000, 128, padding_idx=0))
            self.add_module("1", nn.LSTM(128, 256, batch_first=True))
            self.add_module("2", nn.Linear(256, 2))

        def forward(self, ids):
            steps, _ = getattr(self, "1")(getattr(self, "0")(ids.long()))
            return getattr(self, "2")(steps[:, -1])
    return LSTMBench()


def transformer_text():
    """examples/transformer-text.yaml: embedding 64×32 (padding id 0) plus learned positions,
    two post-norm torch.nn.TransformerEncoderLayer (4 heads, 64 wide, no dropout) whose attention
    skips the padding, the mean over the real tokens, linear 2."""
    import torch
    from torch import nn

    class Positions(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.randn(12, 32) * 0.1)

    class TransformerText(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(64, 32, padding_idx=0)
            self.positions = Positions()
            self.encoder = nn.ModuleList(
                nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True) for _ in range(2))
            self.head = nn.Linear(32, 2)

        def forward(self, ids):
            padding = ids == 0
            x = self.embed(ids.long()) + self.positions.weight
            for layer in self.encoder:
                x = layer(x, src_key_padding_mask=padding)
            keep = (~padding).to(x.dtype).unsqueeze(-1)
            return self.head((x * keep).sum(1) / keep.sum(1))
    return TransformerText()


def transformer_names(name):
    """The PyTorch name SwiftTune's default rule gives transformer_text's tensor `name`: node
    `encoder2_norm_a` is module `encoder2.norm.a`, PyTorch's `encoder.1.norm1`."""
    parts = {"self_attn": "attn", "linear1": "ff.in", "linear2": "ff.out", "norm1": "norm.a", "norm2": "norm.b"}
    pieces = name.split(".")
    if pieces[0] != "encoder":
        return name
    return ".".join([f"encoder{int(pieces[1]) + 1}", parts[pieces[2]]] + pieces[3:])


def token_batch(size, vocabulary=64, length=12):
    """Token ids 1…vocabulary−1 with 0 to 2·length/3 padding ids (0) in front, as `padding: pre`
    gives; classes 0, 1."""
    import torch
    ids = torch.randint(1, vocabulary, (size, length))
    for row, padding in enumerate(torch.randint(0, 2 * length // 3 + 1, (size,)).tolist()):
        ids[row, :padding] = 0
    return ids.float(), torch.randint(0, 2, (size,))


def long_token_batch(size):
    """token_batch for examples/lstm-bench.yaml: ids below 1000, 64 steps."""
    return token_batch(size, vocabulary=1000, length=64)


# Each model by name: its description, its PyTorch module and a batch maker; `rename` gives the
# name SwiftTune's default rule reads for a PyTorch tensor name when the two differ; `bench_only`
# models are measured by --bench and not checked (they are too big for a quick check).
MODELS = {
    "vgg11-bn": {"file": "examples/vgg11-bn.yaml", "build": vgg11_bn_32, "batch": image_batch, "shape": "3,32,32", "classes": 10},
    "resnet18": {"file": "examples/resnet18.yaml", "build": resnet18_32, "batch": image_batch, "shape": "3,32,32", "classes": 10},
    "lstm": {"file": "examples/lstm-text.yaml", "build": lstm_text, "batch": token_batch, "shape": "12", "classes": 2},
    "transformer": {"file": "examples/transformer-text.yaml", "build": transformer_text, "batch": token_batch, "shape": "12",
                    "classes": 2, "rename": transformer_names},
    "lstm-bench": {"file": "examples/lstm-bench.yaml", "build": lstm_bench, "batch": long_token_batch, "shape": "64",
                   "classes": 2, "bench_only": True},
}
CHECKED = [name for name, entry in MODELS.items() if not entry.get("bench_only")]


def randomize_batch_norms(model):
    import torch
    from torch import nn
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
                module.running_mean.normal_(0, 0.2)
                module.running_var.uniform_(0.5, 1.5)


def kink_margin(model, inputs):
    """The smallest distance of the batch's forward pass (training mode) to a kink: a ReLU
    input's distance from 0, or the gap between the two largest values of a max-pooling window
    whose maximum is positive. Within rounding of a kink, float32 runs may take either side."""
    import torch
    from torch import nn
    margins = []

    def relu_input(module, arguments):
        margins.append(arguments[0].detach().abs().min().item())

    def pool_input(module, arguments):
        t = arguments[0].detach()
        n, c, h, w = t.shape
        k = module.kernel_size if isinstance(module.kernel_size, int) else module.kernel_size[0]
        windows = t[:, :, :h // k * k, :w // k * k].reshape(n, c, h // k, k, w // k, k).permute(0, 1, 2, 4, 3, 5).reshape(-1, k * k)
        top = windows.topk(2, dim=1).values
        gaps = (top[:, 0] - top[:, 1])[top[:, 0] > 0]
        if gaps.numel():
            margins.append(gaps.min().item())
    hooks = [m.register_forward_pre_hook(relu_input) for m in model.modules() if isinstance(m, nn.ReLU)]
    hooks += [m.register_forward_pre_hook(pool_input) for m in model.modules() if isinstance(m, nn.MaxPool2d)]
    state = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    with torch.no_grad():
        model(inputs)
    model.load_state_dict(state)  # the pass moved the running statistics
    for hook in hooks:
        hook.remove()
    return min(margins, default=float("inf"))


def batch_clear_of_kinks(model, make_batch, size, margin=KINK_MARGIN, tries=1000):
    """The first batch whose forward pass keeps `margin` from every kink (see kink_margin)."""
    for _ in range(tries):
        inputs, targets = make_batch(size)
        if kink_margin(model, inputs) >= margin:
            return inputs, targets
    raise RuntimeError(f"no batch of {size} in {tries} draws keeps {margin:g} from every ReLU and max-pooling kink; try a smaller --batch")


def relative(ours, theirs, floor=0.0):
    import torch
    ours, theirs = ours.double(), theirs.double()
    if ours.shape != theirs.shape:
        return float("inf")
    scale = max(theirs.abs().max().item() if theirs.numel() else 0.0, floor, 1e-30)
    return (ours - theirs).abs().max().item() / scale if theirs.numel() else 0.0


def torch_reference(model, inputs, targets, steps, learning_rate):
    """What ModelComparison computes, in PyTorch: outputs, first gradients, losses, final state."""
    import copy
    import torch
    from torch import nn
    model = copy.deepcopy(model)
    model.eval()
    with torch.no_grad():
        eval_output = model(inputs)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    losses, output, gradients = [], None, {}
    for step in range(steps):
        optimizer.zero_grad()
        logits = model(inputs)
        loss = nn.functional.cross_entropy(logits, targets)
        loss.backward()
        if step == 0:
            output = logits.detach().clone()
            gradients = {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        losses.append(loss.item())
        optimizer.step()
    with torch.no_grad():
        losses.append(nn.functional.cross_entropy(model(inputs), targets).item())
    return {"eval_output": eval_output, "output": output, "gradients": gradients, "losses": torch.tensor(losses),
            "state": {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}}


def check(name, entry, swifttune, device, work, batch_size, steps, learning_rate, verbose, margin=KINK_MARGIN, tile=None):
    import torch
    from safetensors.torch import load_file, save_file
    torch.manual_seed(0)
    model = entry["build"]()
    randomize_batch_norms(model)
    inputs, targets = batch_clear_of_kinks(model, entry["batch"], batch_size, margin)
    weights, batch, results = (os.path.join(work, f"{name}-{part}.safetensors") for part in ("weights", "batch", device.replace(":", "")))
    rename = entry.get("rename", lambda name: name)
    save_file({rename(k): v.contiguous() for k, v in model.state_dict().items()}, weights)
    save_file({"inputs": inputs.contiguous(), "targets": targets.float()}, batch)
    reference = torch_reference(model, inputs, targets, steps, learning_rate)
    command = [swifttune, "bench", "model-check", os.path.join(REPOSITORY, entry["file"]), "--weights", weights, "--batch", batch,
               "--output", results, "--steps", str(steps), "--learning-rate", str(learning_rate), "--device", device]
    # Winograd's tile on the CPU (see F4_CHECK): F(2×2) unless asked for or set in the environment.
    environment = dict(os.environ)
    if tile:
        environment["SWIFTTUNE_CPU_WINOGRAD_TILE"] = tile
    elif device == "cpu":
        environment.setdefault("SWIFTTUNE_CPU_WINOGRAD_TILE", "2")
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    if run.returncode != 0:
        return None, run.stdout.strip()
    ours = load_file(results)
    forward = max(relative(ours["output"], reference["output"]), relative(ours["eval_output"], reference["eval_output"]))
    largest = max(g.abs().max().item() for g in reference["gradients"].values())
    largest_weight = max(v.abs().max().item() for v in reference["state"].values())
    gradient_errors = {n: relative(ours.get("grad." + rename(n), torch.full((1,), float("nan"))), g, floor=1e-3 * largest)
                       for n, g in reference["gradients"].items()}
    worst_gradient = max(gradient_errors, key=gradient_errors.get)
    torch_names = {rename(k): k for k in model.state_dict()}
    state = {torch_names.get(k[len("state."):], k[len("state."):]): v for k, v in ours.items() if k.startswith("state.")}
    exported = entry["build"]()
    exported.load_state_dict(state, strict=True)  # the export must load as it is
    weight_errors = {k: relative(state[k], v, floor=1e-3 * largest_weight) for k, v in reference["state"].items()}
    weights_error = max(weight_errors.values())
    if verbose:
        for title, errors in (("gradient", gradient_errors), ("weight", weight_errors)):
            for tensor, error in sorted(errors.items(), key=lambda item: -item[1])[:8]:
                print(f"    {title} {tensor}: {error:.1e}", flush=True)
    figures = {"forward": forward, "gradients": gradient_errors[worst_gradient],
               "loss": relative(ours["losses"][-1:], reference["losses"][-1:]), "weights": weights_error}
    note = f"worst gradient {worst_gradient}; loss {reference['losses'][0]:.4f} -> {reference['losses'][-1]:.4f}"
    return figures, note


def bench_rows(name, entry, swifttune, device, batch_size, repeats, torch_device):
    import torch
    from torch import nn
    torch.manual_seed(0)
    model = entry["build"]().to(torch_device)
    model.train()
    inputs, targets = (tensor.to(torch_device) for tensor in entry["batch"](batch_size))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad(set_to_none=False)
        nn.functional.cross_entropy(model(inputs), targets).backward()
        optimizer.step()
    size = f"{name} b{batch_size}"
    milliseconds = median_ms(synchronized(step, torch_device), repeats=repeats)
    rows = [{"size": size, "path": "torch", "device": torch_device, "medianMilliseconds": milliseconds, "rate": batch_size / (milliseconds / 1000)}]
    command = [swifttune, "bench", "model", os.path.join(REPOSITORY, entry["file"]), "--batch-size", str(batch_size),
               "--sample-shape", entry["shape"], "--classes", str(entry["classes"]), "--repeats", str(repeats), "--json"]
    if device:
        command += ["--device", device]
    rows += [{**r, "size": size, "path": "swifttune sgd"} for r in swifttune_rows(command)]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swifttune", required=True, help="path of the swifttune executable")
    parser.add_argument("--devices", default="cpu,opencl", help="comma-separated swifttune devices (default: cpu,opencl)")
    parser.add_argument("--models", default=",".join(CHECKED),
                        help=f"comma-separated: {', '.join(MODELS)} (lstm-bench: --bench only; default: the others)")
    parser.add_argument("--batch", type=int, default=4, help="samples of the compared batch (default 4)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--verbose", action="store_true", help="also print each model's worst tensors")
    parser.add_argument("--bench", action="store_true", help="measure training steps instead (ResNet-18, batch 64)")
    parser.add_argument("--bench-batch", type=int, default=64)
    parser.add_argument("--device", help="--bench: swifttune's --device (default: every device)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--torch-device", default="cpu", help="--bench: where PyTorch runs: cpu (default) or cuda")
    arguments = parser.parse_args()
    models = arguments.models.split(",")
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        parser.error(f"unknown model {', '.join(unknown)}; the models are {', '.join(MODELS)}")
    bench_only = [m for m in models if MODELS[m].get("bench_only")]
    if bench_only and not arguments.bench:
        parser.error(f"{', '.join(bench_only)} is measured with --bench only; the checked models are {', '.join(CHECKED)}")
    import torch
    if arguments.bench:
        print(configure_torch(arguments.torch_device) + "; one training step (forward, cross-entropy, backward, SGD momentum 0.9)", flush=True)
        table = RatioTable("torch", "samples/s", group_title="model", group_width=16)
        chosen = models if arguments.models != parser.get_default("models") else ["resnet18"]
        for name in chosen:
            table.print_group(bench_rows(name, MODELS[name], arguments.swifttune, arguments.device, arguments.bench_batch, arguments.repeats,
                                         arguments.torch_device))
        return 0
    torch.set_num_threads(os.cpu_count() or 1)
    print(f"PyTorch {torch.__version__}; batch {arguments.batch}, {arguments.steps} SGD steps at {arguments.learning_rate}; "
          f"bounds: forward {BOUNDS['forward']:g}, gradients {BOUNDS['gradients']:g}, loss {BOUNDS['loss']:g}, "
          f"weights after the steps {BOUNDS['weights']:g} (relative)", flush=True)
    print(f"{'model':<13}{'device':<10}{'forward':>10}{'gradients':>11}{'loss':>10}{'weights':>10}  result", flush=True)
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for name in models:
            rows = [(device, device, arguments.batch, KINK_MARGIN, None) for device in arguments.devices.split(",")]
            if "cpu" in arguments.devices.split(",") and name in F4_CHECK:
                rows.append(("cpu", "cpu F4x4", F4_CHECK[name]["batch"], F4_CHECK[name]["margin"], "4"))
            for device, label, batch, margin, tile in rows:
                figures, note = check(name, MODELS[name], arguments.swifttune, device, work,
                                      batch, arguments.steps, arguments.learning_rate, arguments.verbose, margin, tile)
                if figures is None:
                    failures += 1
                    print(f"{name:<13}{label:<10}{'failed: ' + note}", flush=True)
                    continue
                misses = [k for k, bound in BOUNDS.items() if not figures[k] <= bound]
                failures += bool(misses)
                verdict = "ok" if not misses else "MISS " + ",".join(misses)
                batch_note = f"batch {batch}; " if batch != arguments.batch else ""
                print(f"{name:<13}{label:<10}{figures['forward']:>10.1e}{figures['gradients']:>11.1e}{figures['loss']:>10.1e}"
                      f"{figures['weights']:>10.1e}  {verdict} ({batch_note}{note})", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
