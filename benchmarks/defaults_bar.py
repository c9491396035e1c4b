#!/usr/bin/env python3
"""The defaults bar of docs/domains.md: every population method with its defaults on the six
analytic functions at D = 2, 10, 30 from the standard domain, a budget of 10^4·D evaluations,
10 seeds; one `weightlab optimize` process at a time.

    nice -n 19 benchmarks/defaults_bar.py --out results/defaults-bar/weightlab.csv
    benchmarks/defaults_bar.py --table results/defaults-bar/*.csv   # success rates and medians

Rows already in the output file are skipped, so an interrupted grid resumes. The peers
(benchmarks/peers/peers.py) write the same columns.
"""
import argparse, csv, json, os, statistics, subprocess, sys

FUNCTIONS = ["sphere", "rastrigin", "ackley", "griewank", "rosenbrock", "styblinski-tang"]
DIMENSIONS = [2, 10, 30]
SEEDS = range(1, 11)
METHODS = {
    "ga": "ga", "pso": "pso", "de": "de", "cma-es": "cma-es", "sep-cma-es": "sep-cma-es",
    "openai-es": "openai-es", "pgpe": "pgpe", "snes": "snes",
    "ipop-cma-es": '{"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}',
}
COLUMNS = ["solver", "function", "dimension", "seed", "value", "error", "evaluations"]


def tolerance(function):
    """Success: within 1e-6 of the minimum for sphere, 1e-4 for the others."""
    return 1e-6 if function == "sphere" else 1e-4


def run_grid(binary, out, methods):
    done = set()
    if os.path.exists(out):
        with open(out) as f:
            done = {(r["solver"], r["function"], r["dimension"], r["seed"]) for r in csv.DictReader(f)}
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    new = not os.path.exists(out)
    with open(out, "a", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS)
        if new:
            writer.writeheader()
        for dimension in DIMENSIONS:
            for function in FUNCTIONS:
                for name in methods:
                    for seed in SEEDS:
                        if (name, function, str(dimension), str(seed)) in done:
                            continue
                        command = [binary, "optimize", "--function", function, "--dimension", str(dimension),
                                   "--optimizer", METHODS[name], "--budget", str(10_000 * dimension),
                                   "--seed", str(seed), "--json"]
                        result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
                        value = result["loss"] if result["loss"] is not None else float("inf")
                        writer.writerow({"solver": name, "function": function, "dimension": dimension, "seed": seed,
                                         "value": value, "error": value - result["minimum"],
                                         "evaluations": result["cost_units"]})
                        f.flush()


NAMESAKES = {"de": ["scipy-de", "nevergrad-de"], "pso": ["nevergrad-pso"], "cma-es": ["pycma"], "ipop-cma-es": ["pycma-ipop"]}
PEERS = {"scipy-de", "scipy-dual-annealing", "pycma", "pycma-ipop", "nevergrad-de", "nevergrad-pso"}


def table(paths):
    """Prints the Markdown table (successes/seeds · median error per solver) and the bar's verdicts."""
    rows = []
    for path in paths:
        with open(path) as f:
            rows += list(csv.DictReader(f))
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    cell = {}
    for s in solvers:
        for dimension in DIMENSIONS:
            for function in FUNCTIONS:
                errors = [float(r["error"]) for r in rows
                          if r["solver"] == s and r["function"] == function and int(r["dimension"]) == dimension]
                if errors:
                    cell[s, function, dimension] = (sum(e <= tolerance(function) for e in errors), len(errors), statistics.median(errors))
    print("| function | D | " + " | ".join(f"`{s}`" for s in solvers) + " | best WeightLab ≥ best peer |")
    print("| --- | --- | " + " | ".join("---" for _ in solvers) + " | --- |")
    shortfalls = []
    for dimension in DIMENSIONS:
        for function in FUNCTIONS:
            texts = []
            for s in solvers:
                c = cell.get((s, function, dimension))
                texts.append("–" if c is None else f"{c[0]}/{c[1]} · {c[2]:.2g}")
            ours = [cell[s, function, dimension][0] for s in solvers if s not in PEERS and (s, function, dimension) in cell]
            theirs = [cell[s, function, dimension][0] for s in solvers if s in PEERS and (s, function, dimension) in cell]
            verdict = "–" if not ours or not theirs else ("yes" if max(ours) >= max(theirs) else f"**no** ({max(ours)} < {max(theirs)})")
            print(f"| {function} | {dimension} | " + " | ".join(texts) + f" | {verdict} |")
            for ours_name, peers in NAMESAKES.items():
                for peer in peers:
                    a, b = cell.get((ours_name, function, dimension)), cell.get((peer, function, dimension))
                    if a and b and (a[0] < b[0] or (a[0] == b[0] == 0 and a[2] > b[2])):
                        shortfalls.append(f"{function} D={dimension}: `{ours_name}` {a[0]}/{a[1]} (median {a[2]:.2g}) "
                                          f"behind `{peer}` {b[0]}/{b[1]} (median {b[2]:.2g})")
    print()
    print("Where a WeightLab method is behind its namesake (fewer successes, or both 0 and a worse median):")
    print()
    for line in shortfalls or ["none"]:
        print(f"- {line}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/weightlab")
    parser.add_argument("--out", default="results/defaults-bar/weightlab.csv")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--table", nargs="*", help="print the table of these CSV files instead of running")
    args = parser.parse_args()
    if args.table is not None:
        table(args.table)
    else:
        run_grid(args.binary, args.out, args.methods.split(","))
