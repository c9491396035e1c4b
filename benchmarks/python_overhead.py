#!/usr/bin/env python3
"""The cost of one ask/tell round trip through the Python package, against the objective's own
time, for a 10-D function (docs/python.md). Run it on a quiet machine:

    make python && python3 benchmarks/python_overhead.py
"""
import time

import numpy as np

import weightlab


def rastrigin(X):
    return 10 * X.shape[1] + np.sum(X * X - 10 * np.cos(2 * np.pi * X), axis=1)


def main(generations=2000):
    for spec in ("cma-es", "de", "pso"):
        opt = weightlab.Optimizer(spec, dimension=10, seed=1, bounds=(-5.12, 5.12))
        round_trip = objective = 0.0
        for _ in range(generations):
            start = time.perf_counter()
            x = opt.ask()
            middle = time.perf_counter()
            values = rastrigin(x)
            end = time.perf_counter()
            opt.tell(values)
            round_trip += (middle - start) + (time.perf_counter() - end)
            objective += end - middle
        rows = x.shape[0]
        print(f"{spec:7s} P = {rows:3d}: ask+tell {1e6 * round_trip / generations:8.1f} µs per generation, "
              f"objective (vectorized numpy) {1e6 * objective / generations:8.1f} µs, ratio {round_trip / objective:5.2f}")


if __name__ == "__main__":
    main()
