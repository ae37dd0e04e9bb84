"""`workbench plot` works, or says in one line why not, for every claim (issue 11, item 4).

Every built-in claim goes through the plot dispatch (:func:`workbench.plotting.plot_data`):
asymptotic claims compute their sequence (on the first two grid nodes only: the full grid
is slow), the others are given stand-in evidence (running their checks would take many
minutes).  One figure per kind of plot is drawn; the drawers themselves are tested on real
evidence from small claims declared here.
"""

from __future__ import annotations

import collections
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402

from workbench import Asymptotic, Derivation, Evidence, Measured, run_check  # noqa: E402
from workbench.loading import load  # noqa: E402
from workbench.plotting import (PlotError, draw_components, draw_digits, draw_law,  # noqa: E402
                                plot_claim, plot_data, plot_for, series)


@pytest.fixture(scope="module")
def builtin():
    claims = load()
    assert len(claims) > 100
    return claims


def _bare(claim):
    """Evidence of a check that records no series."""
    return Evidence("verified", "stand-in evidence")


def _with_series(claim):
    """Evidence as the claim's own validator records it, or a check recording a law."""
    if claim.shape == "agreement":
        return Evidence("verified", "stand-in", measured={
            "component 0": Measured("1.02", "0.01", "1.0"), "component 1": Measured("0.49", "0.02", "0.5")},
            details={"k": 3.0, "systematic": 0.0})
    if claim.shape == "agree":
        return Evidence("verified", "stand-in", details={"series": {
            "x": ["k=0", "k=1"], "digits": [30.0, 28.5], "ylabel": "digits", "target": 25}})
    return Evidence("verified", "stand-in", details={"plot": series([1, 2, 4], [1.0, 0.5, 0.26],
                                                                     law=[1.0, 0.5, 0.25])})


def _drawn(claim, evidence, points=None):
    fig = plot_claim(claim, evidence, points=points)
    try:
        fig.savefig(io.BytesIO(), format="png")      # labels are parsed only when rendered
        return [ax for ax in fig.axes if ax.get_visible()]
    finally:
        plt.close(fig)


def test_every_builtin_claim_plots_or_says_why(builtin):
    """Asymptotic claims without a check compute their series (one figure per topic is drawn);
    every other claim draws the series its evidence records and, with evidence that records
    none, raises a one-line PlotError naming it."""
    drawers = collections.Counter()
    drawn_topics = set()
    for c in builtin:
        if c.shape == "asymptotic" and c.check is None:
            plot = plot_data(c, lambda: pytest.fail(f"{c.id}: the check ran"), points=2)
            assert plot.draw is draw_law, c.id
            assert len(plot.data["x"]) == len(plot.data["y"]) == len(plot.data["law"]) == 2, c.id
            assert np.all(np.isfinite(plot.data["y"])), c.id
            if c.topic not in drawn_topics:
                drawn_topics.add(c.topic)
                top, bottom = _drawn(c, None, points=2)
                assert len(top.lines) >= 2 and c.id in top.get_title()
            drawers[draw_law] += 1
            continue
        with pytest.raises(PlotError) as info:
            plot_data(c, _bare(c))
        message = str(info.value)
        assert c.id in message and "\n" not in message, message
        assert "nothing to plot" in message, message
        with pytest.raises(PlotError, match="its check ended in error"):
            plot_data(c, Evidence.error("RuntimeError: kaboom"))
        plot = plot_data(c, _with_series(c))
        drawers[plot.draw] += 1
    assert drawers[draw_law] > 100 and drawers[draw_components] > 0
    # one figure for each other kind of claim
    for shape, drawer in (("agreement", draw_components), ("free-form", draw_law)):
        c = next(c for c in builtin if c.shape == shape)
        assert plot_data(c, _with_series(c)).draw is drawer
        assert _drawn(c, _with_series(c))


def test_an_asymptotic_claim_with_a_check_uses_its_evidence_not_the_sequence():
    D = Derivation("pa")
    n = sp.Symbol("n", positive=True, integer=True)

    def boom(n):
        raise AssertionError("the sequence must not be computed")
    c = D.add("a", Asymptotic(variable=n, leading=n, sequence=boom), check=lambda: True)
    with pytest.raises(PlotError, match="pa/a has nothing to plot"):
        plot_data(c, Evidence("verified", "ok"))
    assert plot_data(c, _with_series(c)).draw is draw_law


def _agree_claim(digits=20):
    D = Derivation("pagree")
    close = mp.mpf(10) ** -22
    return D.agree("sums", lambda k: mp.mpf(k) / 3, lambda k: mp.mpf(k) / 3 + (close if k == 2 else 0),
                   over=[{"k": 1}, {"k": 2}, {"k": 3}], digits=digits)


def test_an_agree_claim_draws_digits_per_point_with_the_target_line():
    c = _agree_claim()
    ev = run_check(c)
    assert ev.verdict == "verified", ev.summary
    plot = plot_data(c, ev)
    assert plot.draw is draw_digits and plot.panels == 1
    (ax,) = _drawn(c, ev)
    reached = np.concatenate([ln.get_ydata() for ln in ax.lines if ln.get_linestyle() == "None"])
    assert sorted(reached) == sorted(ev.details["series"]["digits"])
    assert 21 < min(reached) < 23          # k=2 differs in the 22nd digit
    target = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(target) == 1 and list(target[0].get_ydata()) == [20, 20]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["k=1", "k=2", "k=3"]


def test_agree_points_short_of_the_target_are_drawn_apart():
    c = _agree_claim(digits=30)
    ev = run_check(c)
    assert ev.verdict == "failed"
    (ax,) = _drawn(c, ev)
    labels = [ln.get_label() for ln in ax.lines]
    short = next(ln for ln in ax.lines if ln.get_label() == "short of the target")
    assert list(short.get_xdata()) == [1], labels    # the point k=2


def test_an_agreement_claim_draws_mean_and_se_per_component_against_the_reference():
    D = Derivation("pagreement")
    c = D.agreement("mean", estimate=lambda seed: np.random.default_rng(seed).normal([1.0, 2.0], 0.1),
                    reference=[1.0, 2.0], seeds=range(8), k=4)
    ev = run_check(c)
    assert ev.verdict == "verified", ev.summary
    top, bottom = _drawn(c, ev)
    means = [float(m.value) for m in ev.measured.values()]
    assert np.allclose(top.lines[0].get_ydata(), means)      # the errorbar's points
    z = bottom.lines[0].get_ydata()
    assert np.allclose(z, ev.details["z"])
    assert sorted(ln.get_ydata()[0] for ln in bottom.lines[1:]) == [-4, 0, 4]   # +- k band and 0


def test_an_equality_says_why_it_has_nothing_to_plot():
    D = Derivation("peq")
    x = sp.Symbol("x", positive=True)
    c = D.equality("sq", sp.sqrt(x) ** 2, x)
    ev = run_check(c)
    assert ev.verdict == "verified"
    with pytest.raises(PlotError, match=r"^peq/sq has nothing to plot: an equality is checked at "
                                        "scattered random points"):
        plot_claim(c, ev)
    # unless its evidence records a series
    ev.details["series"] = {"x": ["x=1"], "digits": [30.0], "target": 20}
    assert plot_data(c, ev).draw is draw_digits


def test_a_new_statement_type_plugs_in_its_own_plot():
    from dataclasses import dataclass

    from workbench import FreeForm
    from workbench.plotting import Plot

    @dataclass(frozen=True, eq=False)
    class Halving(FreeForm):
        shape = "halving"

    @plot_for.register(Halving)
    def _(statement, claim, evidence, points):
        return Plot(draw_law, series([1, 2, 4], [1, 0.5, 0.25], law=[1, 0.5, 0.25]))

    c = Derivation("pnew").add("h", Halving("halves"), check=lambda: True)
    top, bottom = _drawn(c, lambda: pytest.fail("evidence was not needed"))
    assert list(top.lines[-1].get_ydata()) == [1, 0.5, 0.25]


AGREE_FILE = '''
import mpmath as mp, sympy as sp
from workbench import Derivation
D = Derivation("pc")
D.agree("thirds", lambda k: mp.mpf(k) / 3, lambda k: k / mp.mpf(3), over=[{"k": 1}, {"k": 2}], digits=20)
x = sp.Symbol("x", positive=True)
D.equality("sq", sp.sqrt(x) ** 2, x)
'''


def test_cli_plots_an_agree_claim_and_refuses_an_equality_in_one_line(run_cli, tmp_path):
    f = tmp_path / "pc.py"
    f.write_text(AGREE_FILE)
    out = tmp_path / "a.png"
    done = run_cli("plot", "pc/thirds", "-o", str(out), "--no-builtin", "--file", str(f))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = run_cli("plot", "pc/sq", "-o", str(tmp_path / "b.png"), "--no-builtin", "--file", str(f))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: pc/sq has nothing to plot"), bad.stderr
    assert not (tmp_path / "b.png").exists()
