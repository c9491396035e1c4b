import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import weightlab


def sphere(x):
    """Σ xᵢ² in double, summed in order as WeightLab's AnalyticFunction does."""
    total = 0.0
    for v in x:
        total += float(v) * float(v)
    return total


def rosenbrock(x):
    total = 0.0
    for i in range(len(x) - 1):
        a = float(x[i + 1]) - float(x[i]) * float(x[i])
        b = 1 - float(x[i])
        total += 100 * a * a + b * b
    return total


def run(opt, f, generations):
    for _ in range(generations):
        x = opt.ask()
        opt.tell([f(row) for row in x])


def test_same_seed_gives_the_same_asks_and_another_seed_others():
    a = weightlab.Optimizer("cma-es", dimension=4, seed=7, bounds=(-5, 5))
    b = weightlab.Optimizer("cma-es", dimension=4, seed=7, bounds=(-5, 5))
    c = weightlab.Optimizer("cma-es", dimension=4, seed=8, bounds=(-5, 5))
    for _ in range(5):
        xa, xb, xc = a.ask(), b.ask(), c.ask()
        assert np.array_equal(xa, xb)
        assert not np.array_equal(xa, xc)
        for opt, x in ((a, xa), (b, xb), (c, xc)):
            opt.tell([sphere(r) for r in x])


def test_asks_stay_inside_the_bounds_and_are_float32_values():
    opt = weightlab.Optimizer("de", dimension=3, seed=1, bounds=([-1, 0, 2], [1, 1, 3]))
    for _ in range(10):
        x = opt.ask()
        assert x.shape == (50, 3)
        assert np.all(x >= [-1, 0, 2]) and np.all(x <= [1, 1, 3])
        assert np.array_equal(x, x.astype(np.float32).astype(np.float64))
        opt.tell([sphere(r) for r in x])
    x32 = opt.ask(dtype=np.float32)
    assert x32.dtype == np.float32


@pytest.mark.parametrize("spec", ["cma-es", "pso", {"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}])
def test_a_state_round_trip_continues_identically(spec):
    original = weightlab.Optimizer(spec, dimension=5, seed=3, bounds=(-5, 5))
    run(original, rosenbrock, 20)
    restored = weightlab.Optimizer.from_state(original.state_bytes())
    assert restored.dimension == 5
    for _ in range(15):
        x, y = original.ask(), restored.ask()
        assert np.array_equal(x, y)
        values = [rosenbrock(r) for r in x]
        original.tell(values)
        restored.tell(values)
    assert np.array_equal(original.best[0], restored.best[0]) and original.best[1] == restored.best[1]
    assert original.counts == restored.counts


def test_misuse_raises_with_the_message():
    opt = weightlab.Optimizer("ga", dimension=2, seed=1, bounds=(-1, 1))
    with pytest.raises(weightlab.WeightLabError, match="tell called without a population waiting"):
        opt.tell([1.0])
    x = opt.ask()
    with pytest.raises(weightlab.WeightLabError, match="ask called twice without tell"):
        opt.ask()
    with pytest.raises(weightlab.WeightLabError, match=r"tell got 3 fitness values for the 50 rows asked"):
        opt.tell([1.0, 2.0, 3.0])
    with pytest.raises(weightlab.WeightLabError, match="between generations"):
        opt.state_bytes()
    opt.tell([np.nan] * len(x))  # NaN counts as +inf: accepted
    opt.close()
    with pytest.raises(weightlab.WeightLabError, match="not an open optimizer"):
        opt.ask()
    with pytest.raises(weightlab.WeightLabError, match="unknown optimizer 'cma'"):
        weightlab.Optimizer("cma", dimension=2)
    with pytest.raises(weightlab.WeightLabError, match="spec"):
        weightlab.Optimizer('{"optimizer": "ga", "populationSize": "many"}', dimension=2)
    with pytest.raises(weightlab.WeightLabError, match="bounds"):
        weightlab.Optimizer("ga", dimension=2, bounds=(1, -1))
    with pytest.raises(weightlab.WeightLabError):
        weightlab.Optimizer.from_state(b"not a state")


def test_cma_es_solves_the_10d_rosenbrock():
    result = weightlab.minimize(rosenbrock, dimension=10, optimizer="cma-es", bounds=(-5, 10), budget=60_000, seed=1)
    assert result.fun < 1e-6, result
    assert np.allclose(result.x, 1, atol=1e-2)
    assert result.nfev <= 60_000 + 20 and result.nit > 100


def test_the_vectorized_form_gives_the_same_numbers():
    f_rows = weightlab.minimize(sphere, dimension=4, optimizer="de", bounds=(-5, 5), budget=2000, seed=2)
    f_batch = weightlab.minimize(lambda X: [sphere(r) for r in X], dimension=4, optimizer="de", bounds=(-5, 5), budget=2000, seed=2, vectorized=True)
    assert np.array_equal(f_rows.x, f_batch.x) and f_rows.fun == f_batch.fun and f_rows.nfev == f_batch.nfev == 2000


def test_python_and_the_command_line_agree():
    cli = os.environ.get("WEIGHTLAB_CLI") or str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "weightlab")
    if not Path(cli).is_file():
        pytest.skip("no weightlab executable (set WEIGHTLAB_CLI)")
    for spec in ("cma-es", "pso"):
        out = subprocess.run([cli, "optimize", "--function", "rosenbrock", "--dimension", "4", "--optimizer", spec,
                              "--steps", "40", "--seed", "5", "--json"], capture_output=True, text=True, check=True).stdout
        expected = json.loads(out)
        opt = weightlab.Optimizer(spec, dimension=4, seed=5, bounds=(-5, 10))
        run(opt, rosenbrock, 40)
        x, value = opt.best
        assert x.astype(np.float32).tolist() == np.array(expected["x"], dtype=np.float32).tolist(), spec
        assert np.float32(value) == np.float32(expected["loss"]), spec


def rosenbrock_gradient(x):
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


def test_gradient_methods_take_the_callers_gradient():
    result = weightlab.minimize(rosenbrock, x0=[-1.2, 1, -1.2, 1], optimizer="bfgs2", budget=3000, seed=1, jac=rosenbrock_gradient)
    assert result.fun < 1e-8 and np.allclose(result.x, 1, atol=1e-3), result
    opt = weightlab.Optimizer("adam", dimension=2, seed=1, x0=[1, 1])
    x = opt.ask()
    assert opt.needs_gradient and x.shape == (1, 2)
    with pytest.raises(weightlab.WeightLabError, match="asked for the gradient too"):
        opt.tell([sphere(x[0])])
    opt.tell([sphere(x[0])], gradient=2 * x[0])
    with pytest.raises(weightlab.WeightLabError, match="gradient method: give minimize a jac"):
        weightlab.minimize(sphere, x0=[1, 1], optimizer="adam", budget=10)


def test_a_gradient_run_matches_the_command_line():
    cli = os.environ.get("WEIGHTLAB_CLI") or str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "weightlab")
    if not Path(cli).is_file():
        pytest.skip("no weightlab executable (set WEIGHTLAB_CLI)")
    for spec, steps in (("adam", 200), ("bfgs2", 20)):
        out = subprocess.run([cli, "optimize", "--function", "rosenbrock", "--dimension", "4", "--optimizer", spec, "--bounds", "none",
                              "--from=-1.2,1,-1.2,1", "--steps", str(steps), "--seed", "2", "--json"], capture_output=True, text=True, check=True).stdout
        expected = json.loads(out)
        opt = weightlab.Optimizer(spec, dimension=4, seed=2, x0=[-1.2, 1, -1.2, 1])
        while opt.counts[0] < steps:
            x = opt.ask()
            if opt.needs_gradient:
                opt.tell([rosenbrock(x[0])], gradient=rosenbrock_gradient(x[0]))
            else:
                opt.tell([rosenbrock(x[0])])
        assert opt.best[0].astype(np.float32).tolist() == np.array(expected["x"], dtype=np.float32).tolist(), spec
