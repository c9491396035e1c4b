#!/usr/bin/env python3
"""The cost of one ask/tell round trip through the Python package, against the objective's own
time, for a 10-D function (docs/python.md), beside pycma's own ask/tell when it is installed
(`pip install cma`). Run it on a quiet machine:

    make python && python3 benchmarks/python_overhead.py

A method that finishes (CMA-ES converges on Rastrigin in a few hundred generations) is started
again with the next seed, so every figure averages the same number of generations.
"""
import time
import warnings

import numpy as np

import weightlab


def rastrigin(X):
    return 10 * X.shape[1] + np.sum(X * X - 10 * np.cos(2 * np.pi * X), axis=1)


def weightlab_rounds(spec, generations):
    """Seconds in ask+tell and in the objective over `generations` rounds, and the population size."""
    seed = 1
    opt = weightlab.Optimizer(spec, dimension=10, seed=seed, bounds=(-5.12, 5.12))
    round_trip = objective = 0.0
    done = 0
    while done < generations:
        start = time.perf_counter()
        try:
            x = opt.ask()
        except weightlab.FinishedError:
            seed += 1
            opt = weightlab.Optimizer(spec, dimension=10, seed=seed, bounds=(-5.12, 5.12))
            continue
        middle = time.perf_counter()
        values = rastrigin(x)
        end = time.perf_counter()
        opt.tell(values)
        round_trip += (middle - start) + (time.perf_counter() - end)
        objective += end - middle
        done += 1
    return round_trip, objective, x.shape[0]


def pycma_rounds(generations):
    """The same for pycma's CMAEvolutionStrategy (σ₀ = 0.3·range), or None without pycma."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pycma warns when matplotlib is missing
            import cma
    except ImportError:
        return None
    seed = 1
    options = {"bounds": [-5.12, 5.12], "seed": seed, "verbose": -9}
    es = cma.CMAEvolutionStrategy(np.random.default_rng(seed).uniform(-5.12, 5.12, 10), 0.3 * 10.24, options)
    round_trip = objective = 0.0
    done = 0
    while done < generations:
        if es.stop():
            seed += 1
            options["seed"] = seed
            es = cma.CMAEvolutionStrategy(np.random.default_rng(seed).uniform(-5.12, 5.12, 10), 0.3 * 10.24, options)
        start = time.perf_counter()
        x = np.array(es.ask())
        middle = time.perf_counter()
        values = rastrigin(x)
        end = time.perf_counter()
        es.tell(list(x), values.tolist())
        round_trip += (middle - start) + (time.perf_counter() - end)
        objective += end - middle
        done += 1
    return round_trip, objective, x.shape[0]


def main(generations=2000):
    rows = [(spec, weightlab_rounds(spec, generations)) for spec in ("cma-es", "de", "pso")]
    peer = pycma_rounds(generations)
    if peer is not None:
        rows.append(("pycma", peer))
    for name, (round_trip, objective, size) in rows:
        print(f"{name:7s} P = {size:3d}: ask+tell {1e6 * round_trip / generations:8.1f} µs per generation, "
              f"objective (vectorized numpy) {1e6 * objective / generations:8.1f} µs, ratio {round_trip / objective:5.2f}")


if __name__ == "__main__":
    main()
