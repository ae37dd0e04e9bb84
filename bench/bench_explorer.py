"""Benchmark: ``workbench export html`` of the whole built-in graph from a warm store.

Every built-in claim gets stored results (recorded here, the checks are not run: two runs
each, an older one of another version and a current one; evidence the size of real evidence:
an asymptotic claim's 56 measured values and an 18-point series, an agree claim's digit
series, ...; one claim in twenty failed, so blocked chains are drawn).  Then, side by side in
this run, each in a fresh process:

- ``workbench list --json`` (loading the built-in claims: the floor of any command);
- ``workbench export html`` into an empty folder (every page, plot and the graph drawn);
- the same again (nothing changed: no page rewritten);
- after one new run of one claim (its page, its plot, its neighbours' pages and the index).

Run: ``python bench/bench_explorer.py``.  Not a test: nothing is asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cli(*args, env):
    t0, c0 = time.perf_counter(), _cpu()
    out = subprocess.run([sys.executable, "-m", "workbench.cli", *args], env=env,
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"workbench {' '.join(args)} failed:\n{out.stderr}")
    return time.perf_counter() - t0, _cpu() - c0, out.stdout.strip().splitlines()[-1:]


def fake_evidence(claim, k: int, verdict: str):
    """Evidence shaped like a real check's of this claim's shape (values are made up)."""
    from workbench.evidence import Evidence, Measured
    from workbench.plotting import series
    x = [16 * 2 ** j for j in range(18)]
    measured, details = {}, {}
    if claim.shape == "asymptotic":
        for lat in range(14):
            for m in ("richardson", "wynn"):
                for q in ("exponent", "constant"):
                    measured[f"{q} ({m}, lattice {lat})"] = Measured(
                        "0.50000000000000000000000000012", "1e-27", "1/2", 27.0)
        details["plot"] = series(x, [v ** 0.5 * (1 + 1 / v) for v in x], None,
                                 [v ** 0.5 for v in x], law_label="claimed: $\\sqrt{n}$")
        details["plot"]["abs_residual"] = [1 / v for v in x]
    elif claim.shape == "agree":
        details["series"] = {"x": [str(i) for i in range(9)], "digits": [30.0 + i for i in range(9)],
                             "target": 25}
    elif claim.shape in ("agreement", "equality", "inequality"):
        for i in range(4):
            measured[f"component {i}"] = Measured("0.2501", "0.0003", "0.25", 3.0)
    return Evidence(verdict, f"made-up {verdict} evidence {k}", methods=["richardson", "wynn"],
                    digits=27.0, measured=measured, grid={"n": [16, 3.2e13], "lattices": 14},
                    precisions=[40, 55], details=details, runtime=1.5)


def main():
    from workbench import Store
    from workbench.loading import Sources
    from workbench.verify import current_report

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    claims = Sources(builtin=True).load()
    report = current_report(claims, None)
    with tempfile.TemporaryDirectory() as tmp:
        store_path, site = Path(tmp) / "store.sqlite", Path(tmp) / "site"
        with Store(store_path) as store:
            for k, (cid, r) in enumerate(report.results.items()):
                store.record(cid, "0" * 64, fake_evidence(r.claim, k, "verified"), time.time() - 86400)
                verdict = "failed" if k % 20 == 7 else "verified"
                store.record(cid, r.hash, fake_evidence(r.claim, k, verdict))
        load1 = os.getloadavg()
        store_arg = ("--store", str(store_path))
        rows = [("list --json (load the claims)", _cli("list", "--json", *store_arg, env=env)),
                ("export html, empty folder", _cli("export", "html", str(site), *store_arg, env=env)),
                ("export html, nothing changed",
                 _cli("export", "html", str(site), *store_arg, env=env))]
        cid = "asymptotics/gamma-ratio-1o2_0"
        with Store(store_path) as store:
            store.record(cid, report.results[cid].hash,
                         fake_evidence(report.results[cid].claim, 1, "verified"))
        rows.append((f"export html, one new run ({cid})",
                     _cli("export", "html", str(site), *store_arg, env=env)))
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"{len(report.results)} claims; load average before {load1[0]:.2f}, after "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; site {size / 1e6:.1f} MB")
        print("   wall     CPU (all processes)")
        for name, (seconds, cpu, last) in rows:
            print(f"{seconds:7.1f} s {cpu:7.1f} s  {name}: {' '.join(last)[:90]}")


if __name__ == "__main__":
    sys.exit(main())
