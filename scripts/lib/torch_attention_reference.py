"""Runs torch.nn.MultiheadAttention (batch_first, with and without a key padding mask and a causal
mask), nn.TransformerEncoderLayer (post-norm, ReLU, no dropout, with a padding mask) and grouped
nn.Conv2d on seeded random weights and inputs, in float64, and writes what SwiftTune's layers
must reproduce, as JSON: the parameters (PyTorch's names and layouts), the input, the keep mask
(1 for a real step), the upstream weights u, the output, and the gradients of sum(output * u)
for every parameter and the input. Used by Tests/NNTests/TorchAttentionTests.swift, which skips
itself when the comparison environment (.venv-compare, scripts/lib/compare-venv.sh) is absent.

    python torch_attention_reference.py OUTPUT.json
"""

import json
import sys

import torch
from torch import nn


def flat(tensor):
    return tensor.detach().reshape(-1).tolist()


def case(name, module, x, padding=None, causal_mask=None, **settings):
    x = x.clone().requires_grad_(True)
    if isinstance(module, nn.MultiheadAttention):
        output = module(x, x, x, key_padding_mask=padding, attn_mask=causal_mask, need_weights=False)[0]
    elif isinstance(module, nn.TransformerEncoderLayer):
        output = module(x, src_key_padding_mask=padding)
    else:
        output = module(x)
    upstream = torch.rand(output.shape, dtype=torch.float64) * 2 - 1
    module.zero_grad()
    (output * upstream).sum().backward()
    return dict(
        name=name, settings=settings, input=flat(x), inputShape=list(x.shape), upstream=flat(upstream), output=flat(output),
        keep=None if padding is None else flat(~padding * 1.0), inputGradient=flat(x.grad),
        parameters={n: flat(p) for n, p in module.named_parameters()},
        gradients={n: flat(p.grad) for n, p in module.named_parameters()})


def randomize_biases(module):
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name.startswith("norm") and name.endswith("weight"):
                parameter.uniform_(0.5, 1.5)
            elif name.endswith("bias"):
                parameter.uniform_(-0.5, 0.5)


def main():
    torch.manual_seed(0)
    dimension, heads, batch, steps = 8, 2, 2, 5
    padding = torch.tensor([[False] * steps, [False, False, False, True, True]])
    causal = torch.triu(torch.ones(steps, steps, dtype=torch.bool), 1)
    attention = nn.MultiheadAttention(dimension, heads, batch_first=True, dtype=torch.float64)
    randomize_biases(attention)
    x = torch.randn(batch, steps, dimension, dtype=torch.float64)
    cases = [
        case(f"attention padded={p is not None} causal={c is not None}", attention, x, padding=p, causal_mask=c,
             heads=heads, causal=c is not None)
        for p in (None, padding) for c in (None, causal)
    ]
    encoder = nn.TransformerEncoderLayer(dimension, heads, 16, dropout=0.0, batch_first=True, dtype=torch.float64)
    encoder.train()  # the path that takes gradients (not the inference fast path)
    randomize_biases(encoder)
    cases.append(case("encoder padded=True", encoder, x, padding=padding, heads=heads))
    for groups, channels, filters in [(2, 4, 6), (4, 4, 4), (4, 4, 8)]:
        conv = nn.Conv2d(channels, filters, 3, padding=1, groups=groups, dtype=torch.float64)
        cases.append(case(f"conv2d groups={groups} {channels}->{filters}", conv,
                          torch.randn(2, channels, 5, 5, dtype=torch.float64), groups=groups))
    with open(sys.argv[1], "w") as file:
        json.dump({"torch": torch.__version__, "cases": cases}, file)


if __name__ == "__main__":
    main()
