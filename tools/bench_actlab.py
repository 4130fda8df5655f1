"""Time every actlab activation against the plain NumPy expression it replaces.

Usage: ``python tools/bench_actlab.py [--size N] [--repeat R]`` (``make bench``
runs it). For each function and dtype (float64, float32) it prints the best
time of ``R`` runs on ``N`` values drawn uniformly from [-20, 20], for actlab
and for its *floor* -- the textbook ufunc expression, unguarded -- measured
alternately in the same run, and their ratio. The design target is a ratio of
at most 1.5 (DESIGN.md): the checks and the stable formulas may cost a little,
not a multiple.
"""

from __future__ import annotations

import argparse
import sys
import timeit

import numpy as np

import actlab

ALPHA = 0.01

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
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    base = rng.uniform(-20, 20, args.size)
    print(f"actlab vs its NumPy floor, {args.size:,} values in [-20, 20], "
          f"best of {args.repeat} (ratio = actlab / floor; target <= {LIMIT})")
    print(f"{'function':<22} {'dtype':<8} {'actlab ms':>10} {'floor ms':>9} {'ratio':>6}")
    worst = 0.0
    for name, (ours, floor) in CASES.items():
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
