"""PyTorch state dicts of small sequence models, with one input and PyTorch's output, for
Tests/TrainingTests/TorchStateDictTests.swift: each model (an embedding, then an LSTM, a GRU or
multi-head attention with mean pooling, then a linear head) as PyTorch saves it, under the
prefix `<case>.` and with modules named as the test's list model numbers its layers. Also
`<case>:input` (token ids, as floats) and `<case>:output`. Writes safetensors to the path given.
"""

import sys

import torch
from safetensors.torch import save_file
from torch import nn

VOCABULARY, DIMENSION, HIDDEN, CLASSES, STEPS, BATCH = 10, 4, 5, 3, 6, 2


class Recurrent(nn.Module):
    """embedding → LSTM or GRU (last step) → linear: modules 0, 1, 2."""

    def __init__(self, cell):
        super().__init__()
        self.add_module("0", nn.Embedding(VOCABULARY, DIMENSION))
        self.add_module("1", cell(DIMENSION, HIDDEN, batch_first=True))
        self.add_module("2", nn.Linear(HIDDEN, CLASSES))

    def forward(self, ids):
        steps, _ = getattr(self, "1")(getattr(self, "0")(ids))
        return getattr(self, "2")(steps[:, -1])


class Attention(nn.Module):
    """embedding → multi-head attention → mean over steps → linear: modules 0, 1, 3 (2 is the
    pooling, which has no tensors)."""

    def __init__(self):
        super().__init__()
        self.add_module("0", nn.Embedding(VOCABULARY, DIMENSION))
        self.add_module("1", nn.MultiheadAttention(DIMENSION, 2, batch_first=True))
        self.add_module("3", nn.Linear(DIMENSION, CLASSES))
        with torch.no_grad():  # PyTorch starts the biases at 0; random ones show a misplaced bias
            getattr(self, "1").in_proj_bias.uniform_(-0.5, 0.5)
            getattr(self, "1").out_proj.bias.uniform_(-0.5, 0.5)

    def forward(self, ids):
        x = getattr(self, "0")(ids)
        attended, _ = getattr(self, "1")(x, x, x, need_weights=False)
        return getattr(self, "3")(attended.mean(dim=1))


def main():
    torch.manual_seed(0)
    tensors = {}
    for name, model in (("lstm", Recurrent(nn.LSTM)), ("gru", Recurrent(nn.GRU)), ("attention", Attention())):
        ids = torch.randint(0, VOCABULARY, (BATCH, STEPS))
        with torch.no_grad():
            output = model(ids)
        tensors.update({f"{name}.{key}": value.contiguous() for key, value in model.state_dict().items()})
        tensors[f"{name}:input"] = ids.float()
        tensors[f"{name}:output"] = output.contiguous()
    save_file(tensors, sys.argv[1])


if __name__ == "__main__":
    main()
