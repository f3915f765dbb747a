"""Runs torch.nn.Embedding, LSTM and GRU on seeded random weights and inputs and writes what
SwiftTune's sequence layers must reproduce, as JSON: the parameters (PyTorch's names and
layouts), the input, the upstream weights u, the output, and the gradients of sum(output * u)
for every parameter and (LSTM, GRU) the input. Used by Tests/NNTests/TorchSequenceTests.swift,
which skips itself when the comparison environment (.venv-compare, scripts/lib/compare-venv.sh)
is absent.

    python torch_sequence_reference.py OUTPUT.json
"""

import json
import sys

import torch
from torch import nn


def flat(tensor):
    return tensor.detach().reshape(-1).tolist()


def case(name, module, x, batch_first_sequences=True, return_sequences=True, padding=None):
    x = x.clone().requires_grad_(x.is_floating_point())
    output = module(x)
    if isinstance(output, tuple):
        output = output[0] if return_sequences else output[0][:, -1, :]
    upstream = torch.rand(output.shape) * 2 - 1
    (output * upstream).sum().backward()
    result = {
        "name": name,
        "input": flat(x), "inputShape": list(x.shape),
        "upstream": flat(upstream), "output": flat(output), "outputShape": list(output.shape),
        "parameters": {key: flat(value) for key, value in module.named_parameters()},
        "gradients": {key: flat(value.grad) for key, value in module.named_parameters()},
    }
    if x.is_floating_point():
        result["inputGradient"] = flat(x.grad)
    if padding is not None:
        result["padding"] = padding
    return result


def main():
    torch.manual_seed(7)
    batch, steps, features, hidden = 3, 6, 5, 8
    cases = []
    embedding = nn.Embedding(11, 4, padding_idx=0)
    ids = torch.randint(0, 11, (batch, steps))
    cases.append(case("embedding", embedding, ids, padding=0))
    for kind, module_type in (("lstm", nn.LSTM), ("gru", nn.GRU)):
        for return_sequences in (True, False):
            module = module_type(features, hidden, batch_first=True)
            x = torch.rand(batch, steps, features) * 2 - 1
            suffix = "sequences" if return_sequences else "last"
            cases.append(case(f"{kind} {suffix}", module, x, return_sequences=return_sequences))
    with open(sys.argv[1], "w") as handle:
        json.dump({"torch": torch.__version__, "cases": cases}, handle)


if __name__ == "__main__":
    main()
