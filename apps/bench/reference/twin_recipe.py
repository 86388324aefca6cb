"""Recipe reading and the minibatch order shared by the PyTorch twins (parity-twin.py, mnist-twin.py).

A twin refuses, with one line naming the field, what it does not implement: `RecipeError` (the
twins exit with code 2 on it), `read_fields` (an object over its defaults, unknown keys refused)
and `choice` (a value among those implemented). The twins import it from their own folder.
"""

import json

import numpy as np
import torch


class RecipeError(Exception):
    """A recipe field this twin does not implement or cannot accept (exit code 2)."""


def read_fields(given, defaults, where):
    """`given` over `defaults`; a key that is not in `defaults` is refused, naming it."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise RecipeError(f"{where} must be an object, got {json.dumps(given)}")
    for key in given:
        if key not in defaults:
            raise RecipeError(f"{where}.{key}: not implemented by the PyTorch twin (known: {', '.join(sorted(defaults)) or 'none'})")
    return {**defaults, **given}


def choice(value, allowed, where):
    """`value` when it is one of `allowed`; else the error listing them."""
    if value not in allowed:
        raise RecipeError(f"{where}: {json.dumps(value)} is not implemented by the PyTorch twin (known: {', '.join(map(str, allowed))})")
    return value


class BatchIndexer:
    """Minibatch k = rows k·B … (k+1)·B − 1 of the concatenation of fresh random permutations of
    the data, one per epoch (a batch may straddle two epochs), as pfm's BatchIndexer."""

    def __init__(self, size, batch_size, seed):
        self.size, self.batch_size = size, batch_size
        self.rng = np.random.default_rng([seed, 2])
        self.epoch, self.order = -1, None

    def indices(self, k):
        parts, pos, left = [], k * self.batch_size, self.batch_size
        while left > 0:
            epoch, offset = divmod(pos, self.size)
            if epoch != self.epoch:
                self.epoch, self.order = epoch, self.rng.permutation(self.size)
            take = min(left, self.size - offset)
            parts.append(self.order[offset:offset + take])
            pos, left = pos + take, left - take
        return torch.from_numpy(np.concatenate(parts))
