"""Time every actlab activation against the plain NumPy expression it replaces.

Usage: ``python tools/bench_actlab.py [--size N] [--repeat R] [--only NAME ...]``
(``make bench`` runs it). For each function and dtype (float64, float32) it
prints the best time of ``R`` runs on ``N`` values drawn uniformly from
[-20, 20] (one row of logits for softmax and log_softmax), for actlab and for
its *floor* -- the textbook ufunc expression, unguarded -- measured
alternately in the same run, and their ratio. The design target is a ratio of
at most 1.5 (DESIGN.md): the checks and the stable formulas may cost a little,
not a multiple.
"""

from __future__ import annotations

import argparse
import sys
import timeit

import numpy as np
from scipy import special

import actlab

ALPHA = 0.01
BETA = 1.702  # swish: not a power of two, so actlab keeps beta x exactly (the slower case)

#: name -> (actlab call, floor expression). The floors are what a chapter would
#: otherwise write; several overflow or lose accuracy outside [-20, 20].
CASES = {
    "sigmoid": (actlab.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "sigmoid_prime": (actlab.sigmoid_prime,
                      lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s)),
    "tanh": (actlab.tanh, np.tanh),
    "tanh_prime": (actlab.tanh_prime, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (actlab.relu, lambda x: np.maximum(x, 0)),
    "relu_prime": (actlab.relu_prime, lambda x: (x > 0).astype(x.dtype)),
    "leaky_relu": (lambda x: actlab.leaky_relu(x, ALPHA),
                   lambda x: np.where(x > 0, x, ALPHA * x)),
    "leaky_relu_prime": (lambda x: actlab.leaky_relu_prime(x, ALPHA),
                         lambda x: np.where(x > 0, 1, ALPHA).astype(x.dtype)),
    "leaky_relu_alpha_grad": (actlab.leaky_relu_alpha_grad,
                              lambda x: np.where(x > 0, 0, x)),
    "elu": (actlab.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "elu_prime": (actlab.elu_prime, lambda x: np.where(x > 0, 1, np.exp(x)).astype(x.dtype)),
    "softplus": (actlab.softplus, lambda x: np.log(1 + np.exp(x))),
    "softplus_prime": (actlab.softplus_prime, lambda x: 1 / (1 + np.exp(-x))),
    "silu": (actlab.silu, lambda x: x / (1 + np.exp(-x))),
    "silu_prime": (actlab.silu_prime, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 + x * (1 - s))),
    "swish": (lambda x: actlab.swish(x, BETA), lambda x: x / (1 + np.exp(-BETA * x))),
    "swish_prime": (lambda x: actlab.swish_prime(x, BETA),
                    lambda x: (s := 1 / (1 + np.exp(-BETA * x))) * (1 + BETA * x * (1 - s))),
    "gelu": (actlab.gelu, lambda x: 0.5 * x * (1 + special.erf(x / np.sqrt(2)))),
    "gelu_prime": (actlab.gelu_prime,
                   lambda x: 0.5 * (1 + special.erf(x / np.sqrt(2)))
                   + x * np.exp(-0.5 * x**2) / np.sqrt(2 * np.pi)),
    "gelu_tanh": (lambda x: actlab.gelu(x, approximate="tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    "gelu_tanh_prime": (lambda x: actlab.gelu_prime(x, approximate="tanh"),
                        lambda x: 0.5 * (1 + (t := np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))))
                        + 0.5 * x * (1 - t**2) * np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * x**2)),
    "mish": (actlab.mish, lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    "mish_prime": (actlab.mish_prime,
                   lambda x: (t := np.tanh(np.log1p(np.exp(x)))) + x * (1 - t**2) / (1 + np.exp(-x))),
    "selu": (actlab.selu,
             lambda x: actlab.SELU_LAMBDA * np.where(x > 0, x, actlab.SELU_ALPHA * (np.exp(x) - 1))),
    "selu_prime": (actlab.selu_prime,
                   lambda x: actlab.SELU_LAMBDA * np.where(x > 0, 1, actlab.SELU_ALPHA * np.exp(x))),
    "softmax": (actlab.softmax, lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)),
    "log_softmax": (actlab.log_softmax,
                    lambda z: z - np.log(np.exp(z).sum(axis=-1, keepdims=True))),
}

LIMIT = 1.5


def best_pair(ours, floor, x: np.ndarray, repeat: int) -> tuple[float, float]:
    """Best-of-``repeat`` seconds of ``ours(x)`` and ``floor(x)``, timed alternately."""
    t_ours, t_floor = [], []
    for _ in range(repeat):
        t_ours.append(timeit.timeit(lambda: ours(x), number=1))
        t_floor.append(timeit.timeit(lambda: floor(x), number=1))
    return min(t_ours), min(t_floor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--only", nargs="*", metavar="NAME", help="time only these functions")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    base = rng.uniform(-20, 20, args.size)
    print(f"actlab vs its NumPy floor, {args.size:,} values in [-20, 20], "
          f"best of {args.repeat} (ratio = actlab / floor; target <= {LIMIT})")
    print(f"{'function':<22} {'dtype':<8} {'actlab ms':>10} {'floor ms':>9} {'ratio':>6}")
    worst = 0.0
    for name, (ours, floor) in CASES.items():
        if args.only and name not in args.only:
            continue
        for dtype in (np.float64, np.float32):
            x = base.astype(dtype)
            a, f = best_pair(ours, floor, x, args.repeat)
            worst = max(worst, a / f)
            flag = "" if a / f <= LIMIT else "  <-- above target"
            print(f"{name:<22} {np.dtype(dtype).name:<8} {a * 1e3:10.3f} {f * 1e3:9.3f} "
                  f"{a / f:6.2f}{flag}", flush=True)
    print(f"largest ratio: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
