#!/usr/bin/env python3
"""The Python peers of the defaults bar (docs/domains.md), on the same functions, domains,
budgets (10^4·D evaluations) and seeds as benchmarks/defaults_bar.py, written in its columns.
Optional: needs scipy, and `pip install cma nevergrad`; never needed by `make test`.

    nice -n 19 benchmarks/peers/peers.py --out results/defaults-bar/peers.csv
    nice -n 19 benchmarks/peers/peers.py --solvers nevergrad-de,nevergrad-pso --dimensions 2   # about 1 ms per evaluation
"""
import argparse, csv, math, os, sys, warnings
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from defaults_bar import COLUMNS, DIMENSIONS, FUNCTIONS, SEEDS  # noqa: E402

DOMAINS = {"sphere": (-5.12, 5.12), "rastrigin": (-5.12, 5.12), "ackley": (-32.768, 32.768),
           "griewank": (-600, 600), "rosenbrock": (-5, 10), "styblinski-tang": (-5, 5)}
MINIMA = {"styblinski-tang": -39.16616570377142}


def objective(name):
    def f(x):
        x = np.asarray(x, dtype=float)
        n = x.size
        if name == "sphere":
            return float(x @ x)
        if name == "rastrigin":
            return float(10 * n + np.sum(x * x - 10 * np.cos(2 * math.pi * x)))
        if name == "ackley":
            return float(-20 * math.exp(-0.2 * math.sqrt(x @ x / n)) - math.exp(np.sum(np.cos(2 * math.pi * x)) / n) + 20 + math.e)
        if name == "griewank":
            return float(1 + x @ x / 4000 - np.prod(np.cos(x / np.sqrt(np.arange(1, n + 1)))))
        if name == "rosenbrock":
            return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))
        return float(np.sum(x ** 4 - 16 * x ** 2 + 5 * x) / 2)
    return f


class Counted:
    """Stops a solver at the budget by raising once it is spent; keeps the best value seen."""
    class Spent(Exception):
        pass

    def __init__(self, f, budget):
        self.f, self.budget, self.count, self.best = f, budget, 0, math.inf

    def __call__(self, x):
        if self.count >= self.budget:
            raise Counted.Spent()
        self.count += 1
        value = self.f(x)
        self.best = min(self.best, value)
        return value


def solve(solver, function, dimension, seed):
    low, high = DOMAINS[function]
    budget = 10_000 * dimension
    f = Counted(objective(function), budget)
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(low, high, dimension)
    bounds = [(low, high)] * dimension
    try:
        if solver == "scipy-de":
            from scipy.optimize import differential_evolution
            popsize = 15  # scipy's default: 15·D individuals
            maxiter = max(1, budget // (popsize * dimension) - 1)
            differential_evolution(f, bounds, seed=seed, maxiter=maxiter, polish=False, tol=0)
        elif solver == "scipy-dual-annealing":
            from scipy.optimize import dual_annealing
            dual_annealing(f, bounds, seed=seed, maxfun=budget, x0=x0)
        elif solver in ("pycma", "pycma-ipop"):
            import cma
            options = {"bounds": [low, high], "seed": seed, "maxfevals": budget, "verbose": -9}
            restarts = 9 if solver == "pycma-ipop" else 0
            cma.fmin2(f, x0, 0.3 * (high - low), options, restarts=restarts, incpopsize=2)
        elif solver in ("nevergrad-de", "nevergrad-pso"):
            import nevergrad as ng
            parametrization = ng.p.Array(init=x0).set_bounds(low, high)
            parametrization.random_state = np.random.RandomState(seed)
            optimizer = (ng.optimizers.DE if solver == "nevergrad-de" else ng.optimizers.PSO)(parametrization=parametrization, budget=budget)
            optimizer.minimize(f)
    except Counted.Spent:
        pass
    return f.best, f.count


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="results/defaults-bar/peers.csv")
    parser.add_argument("--dimensions", default=",".join(map(str, DIMENSIONS)))
    parser.add_argument("--solvers", default="scipy-de,scipy-dual-annealing,pycma,pycma-ipop,nevergrad-de,nevergrad-pso")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    done = set()
    if os.path.exists(args.out):
        with open(args.out) as fh:
            done = {(r["solver"], r["function"], r["dimension"], r["seed"]) for r in csv.DictReader(fh)}
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    new = not os.path.exists(args.out)
    with open(args.out, "a", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        if new:
            writer.writeheader()
        for dimension in [int(d) for d in args.dimensions.split(",")]:
            for solver in args.solvers.split(","):
                for function in FUNCTIONS:
                    for seed in SEEDS:
                        if (solver, function, str(dimension), str(seed)) in done:
                            continue
                        best, count = solve(solver, function, dimension, seed)
                        error = best - MINIMA.get(function, 0) * (dimension if function == "styblinski-tang" else 1)
                        writer.writerow({"solver": solver, "function": function, "dimension": dimension, "seed": seed,
                                         "value": best, "error": error, "evaluations": count})
                        fh.flush()
